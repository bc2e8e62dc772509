// Requests for suites that call Router::Dispatch directly, without a server: the one place that
// fills a Request from a raw target the way the server does, so in-process fixtures agree on it.
// Stateless and thread-safe.
#pragma once

#include <string>

#include "http/message.h"

namespace dynhook::test {

// A Request for `target` ("/v2.0/vehicles?limit=5"): the path percent-decoded with trailing
// slashes removed, the query parsed, a fresh requestId and remoteAddress 127.0.0.1. Unlike the
// server it does not reject a malformed target: a bad path escape leaves the path empty and a bad
// query escape leaves the query empty, so a test still reaches the router's answer.
http::Request MakeRequest(std::string method, std::string target, http::Fields headers = {},
                          std::string body = "");

}  // namespace dynhook::test
