// The HTTP request and response as handlers see them: plain values, independent of Beast, so
// modules above `http` (connect, api, webhooks, dashboard) never include Boost.Beast.
// A Request is filled by the server before the handler runs; a Response is what the handler
// returns. Both are values owned by the one worker thread running the handler.
#pragma once

#include <functional>
#include <map>
#include <memory>
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

// The producer side of a streamed response body (server-sent events). The server creates it
// once the response head has been sent and hands it to Response::stream. Thread-safe: any
// thread may Write or Close. Writes after Close, after the client went away or after the
// server stopped are dropped and return false, which tells the producer to forget the sink.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // Queues `chunk` to be sent as is; false when the stream is closed.
  virtual bool Write(std::string chunk) = 0;
  // Ends the body; the connection may then serve further requests.
  virtual void Close() = 0;
  virtual bool IsOpen() const = 0;
};

// Called by the server with the sink once the response head is sent. Runs on the connection's
// I/O strand: it must not block (store the sink somewhere and return).
using StreamStarter = std::function<void(std::shared_ptr<StreamSink>)>;

struct Response {
  int status = 200;
  Fields headers;  // Content-Length, Date and SC-Request-Id are added by the server
  std::string body;
  // When set, `body` is ignored and the body is produced incrementally through a StreamSink
  // (sent with chunked transfer encoding). See Response::Stream.
  StreamStarter stream;

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
  // A streamed response (e.g. "text/event-stream"): `start` receives the sink.
  static Response Stream(int status, std::string contentType, StreamStarter start);
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
// `text` cut to `maxBytes` with every byte outside printable ASCII replaced by '?': for log
// lines that show client input (paths), so logs stay one line of valid text.
std::string Printable(std::string_view text, size_t maxBytes = 200);
// The Smartcar error body (compact JSON) that Response::Error sends.
std::string ErrorBody(const core::Error& error, std::string_view requestId);
// "https://dynhook.dev/docs/errors#<type lower-cased>"
std::string ErrorDocUrl(std::string_view type);

}  // namespace dynhook::http
