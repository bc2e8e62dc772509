// A minimal blocking HTTP client over libcurl's easy interface, for the demo's own calls to
// the platform on loopback (Connect and the vehicle API, exactly as an application would).
// Not the delivery transport. Thread-compatible: one call at a time per instance.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace dynhook::app {

struct HttpReply {
  long status = 0;
  std::string body;
  std::string location;  // the Location header, if any (redirects are not followed)
};

core::Result<HttpReply> HttpCall(const std::string& method, const std::string& url,
                                 const std::vector<std::string>& headers,
                                 const std::string& body = "");

}  // namespace dynhook::app
