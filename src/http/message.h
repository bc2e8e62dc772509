// The HTTP request and response as handlers see them: plain values, independent of Beast, so
// modules above `http` (connect, api, webhooks, dashboard) never include Boost.Beast.
// A Request is filled by the server before the handler runs; a Response is what the handler
// returns. Both are values owned by the one worker thread running the handler.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace dynhook::http {

// Header and query containers keep order and duplicates. Header lookup is case-insensitive.
using Fields = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;         // upper case: "GET", "POST", ...
  std::string target;         // raw request target: "/v2.0/vehicles?limit=5"
  std::string path;           // percent-decoded path without the query, trailing slash removed
                              // (except for "/")
  Fields query;               // decoded query parameters, in order
  Fields headers;             // as received
  std::string body;           // complete body (size already checked against the limit)
  std::string requestId;      // UUID assigned by the server; echoed as SC-Request-Id
  std::string remoteAddress;  // "127.0.0.1"
  std::map<std::string, std::string> params;  // path parameters from the route pattern

  // First header / query value with that name, if any.
  std::optional<std::string_view> Header(std::string_view name) const;
  std::optional<std::string_view> Query(std::string_view name) const;
  std::string_view Param(const std::string& name) const;
};

struct Response {
  int status = 200;
  Fields headers;    // Content-Length, Date and SC-Request-Id are added by the server
  std::string body;

  Response& SetHeader(std::string name, std::string value);

  // application/json response with the given (already serialised) body.
  static Response Json(int status, std::string body);
  // text/html; charset=utf-8
  static Response Html(int status, std::string body);
  // 302 with Location.
  static Response Redirect(std::string location);
  // The Smartcar-format error answer (SPEC §3 "Errors"): status from the error, JSON body
  // {"type","code","description","docURL","statusCode","requestId","resolution":{"type"},
  //  "suggestedUserMessage"}, plus Retry-After for rate limits.
  static Response Error(const core::Error& error, std::string_view requestId);
};

// application/x-www-form-urlencoded and query-string decoding ('+' is a space). Returns nullopt
// on a malformed percent escape.
std::optional<Fields> ParseUrlEncoded(std::string_view text);
std::optional<std::string> PercentDecode(std::string_view text, bool plusIsSpace);
std::string PercentEncode(std::string_view text);  // RFC 3986 unreserved characters kept
// First value of `name` in `fields`, exact match.
std::optional<std::string_view> Find(const Fields& fields, std::string_view name);
// Case-insensitive variant (for headers).
std::optional<std::string_view> FindHeader(const Fields& fields, std::string_view name);

}  // namespace dynhook::http
