// AuthorizeRequest: the parameters of Connect's /oauth/authorize (GET query or POST form) and
// their validation, in the order OAuth 2.0 requires (RFC 6749 §4.1.2.1):
//   1. client_id and redirect_uri are checked first; when either is wrong the user must NOT be
//      redirected anywhere (open-redirect safety): the caller shows an error page.
//   2. every other problem is reported to the application by redirecting to its (now trusted)
//      redirect_uri with `error`, `error_description` and `state`.
// Internal to the connect module. Thread-safe: pure functions and values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "connect/scopes.h"
#include "core/result.h"
#include "http/message.h"
#include "oem/connector.h"
#include "store/records.h"
#include "store/store.h"

namespace dynhook::connect {

struct AuthorizeParams {
  std::string responseType;
  std::string clientId;
  std::string redirectUri;
  std::string scope;
  std::optional<std::string> state;
  std::string mode;  // as given; empty means "live"
  std::string make;
  bool singleSelect = false;
  std::string singleSelectVin;
  // Every parameter except the Connect form's own fields (username, password, vehicle, brand,
  // action), in order: carried through the page as hidden inputs.
  http::Fields passthrough;
};

// Form fields the Connect page itself submits; never carried as hidden inputs.
bool IsConnectFormField(std::string_view name);
AuthorizeParams ReadAuthorizeParams(const http::Fields& fields);

// Step 1: the application, when client_id names one and redirect_uri is exactly in its
// allow-list. VALIDATION error (to show on an error page, never to redirect) otherwise; a
// store failure is passed through.
core::Result<store::Application> ResolveClient(store::ApplicationStore& store,
                                               const AuthorizeParams& params);

// An OAuth error reported to the application through its redirect URI.
struct OAuthError {
  std::string error;  // "invalid_request", "invalid_scope", "access_denied", ...
  std::string description;
};

struct ValidAuthorize {
  std::vector<RequestedPermission> permissions;
  std::string mode;                         // "live" | "test" | "simulated"
  std::optional<oem::MakeInfo> lockedMake;  // `make` named a make of the connector
};

// Step 2: everything else. Unknown `make` values are ignored (the brand list is shown).
std::variant<ValidAuthorize, OAuthError> ValidateAuthorize(const AuthorizeParams& params,
                                                           const oem::Connector& connector);

// The make of `connector` whose code matches `make` case-insensitively.
std::optional<oem::MakeInfo> FindMake(const oem::Connector& connector, std::string_view make);

// `uri` with `params` appended to its query (keeping the existing query), percent-encoded.
std::string AppendQuery(std::string_view uri, const http::Fields& params);
// 302 to the redirect URI with code or error, and the state when there was one.
http::Response RedirectWithCode(const AuthorizeParams& params, std::string_view code);
http::Response RedirectWithError(const AuthorizeParams& params, const OAuthError& error);

}  // namespace dynhook::connect
