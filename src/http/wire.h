// Conversions between Beast's wire messages and the plain Request/Response values handlers see,
// and the mapping of parse failures to Smartcar errors. Private to the http module (server
// internals); stateless and thread-safe.
#pragma once

#include <boost/beast/http.hpp>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/message.h"

namespace dynhook::http::wire {

namespace beast_http = boost::beast::http;
using BeastRequest = beast_http::request<beast_http::string_body>;
using BeastResponse = beast_http::response<beast_http::string_body>;

// Builds the handler's Request from a parsed message: splits the target, percent-decodes the
// path (trailing slash removed) and the query. VALIDATION error on a target that is not an
// absolute path or has a malformed escape.
core::Result<Request> ToRequest(BeastRequest&& message, std::string requestId,
                                std::string remoteAddress);

// The wire response: the handler's status, headers and body plus Date, SC-Request-Id,
// Content-Length and Connection. A streamed response gets chunked encoding instead.
BeastResponse ToBeast(Response&& response, std::string_view requestId, bool keepAlive);

// The error answered for a failure while reading a request: 431, 413, 408 or 400. Returns
// false when nothing should be answered (the peer went away or the connection was idle).
bool ReadFailureError(const boost::system::error_code& ec, bool timedOut, bool sawBytes,
                      core::Error& out);

// The current time as an RFC 9110 HTTP-date.
std::string HttpDate();

}  // namespace dynhook::http::wire
