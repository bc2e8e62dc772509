// The HTML of Connect: the consent page (choose a brand, log in to the OEM account, review the
// permissions, approve or deny) and the error page shown when the request cannot be trusted
// enough to redirect. Plain, accessible HTML: no scripts, labelled fields, one <main>; a small
// inline stylesheet allowed by its hash in the Content-Security-Policy. Every interpolated value
// is HTML-escaped. Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connect/scopes.h"
#include "http/message.h"
#include "oem/connector.h"

namespace dynhook::connect {

struct ConnectPage {
  std::string applicationName;
  std::vector<oem::MakeInfo> makes;         // the brand list
  std::optional<oem::MakeInfo> lockedMake;  // `make` given: the only choice
  std::string selectedMake;                 // preselected brand when not locked
  std::string username;                     // kept on re-render; the password never is
  std::vector<RequestedPermission> permissions;
  std::string mode;           // "live" | "test" | "simulated"
  http::Fields hiddenFields;  // the original authorize parameters
  std::string errorMessage;   // shown above the form when not empty
};

std::string RenderConnectPage(const ConnectPage& page);
std::string RenderErrorPage(std::string_view title, std::string_view message);

// `&`, `<`, `>`, `"` and `'` as character references.
std::string HtmlEscape(std::string_view text);

// An HTML response with Connect's security headers: Content-Security-Policy (no scripts, no
// framing), X-Frame-Options: DENY, Cache-Control: no-store, Referrer-Policy: no-referrer,
// X-Content-Type-Options: nosniff.
http::Response ConnectHtml(int status, std::string body);

}  // namespace dynhook::connect
