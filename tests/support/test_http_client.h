// A small blocking HTTP/1.1 client for tests, over Boost.Beast. Every call has a timeout and
// reports failures in HttpResult (never throws), so a misbehaving server fails a test instead of
// hanging it. Also raw-socket helpers for malformed-input tests and a parser for raw replies.
//
//   auto r = dynhook::test::Request("127.0.0.1", port, "POST", "/v2.0/x", R"({"a":1})",
//                                   {{"Authorization", "Bearer t"}});
//   EXPECT_EQ(r.status, 200);
//
// Not thread-safe per object; free functions may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace dynhook::test {

using namespace std::chrono_literals;

struct HttpResult {
  bool ok = false;    // a complete response was received
  std::string error;  // why not, when !ok
  int status = 0;
  http::Fields headers;
  std::string body;  // de-chunked

  std::optional<std::string_view> Header(std::string_view name) const {
    return http::FindHeader(headers, name);
  }
};

// One request on a fresh connection. Adds Host, and Content-Type: application/json when the
// body is non-empty and no Content-Type is given. Content-Length is always set from `body`.
HttpResult Request(const std::string& host, uint16_t port, const std::string& method,
                   const std::string& target, const std::string& body = "",
                   const http::Fields& headers = {}, std::chrono::milliseconds timeout = 10s);

// A keep-alive connection for several requests in a row (tests of connection reuse).
class HttpConnection {
 public:
  HttpConnection(const std::string& host, uint16_t port, std::chrono::milliseconds timeout = 10s);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  bool connected() const;
  HttpResult Send(const std::string& method, const std::string& target,
                  const std::string& body = "", const http::Fields& headers = {});

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Sends `bytes` as they are, optionally shuts down the sending side, then reads until the server
// closes the connection or `timeout` passes. Returns everything received ("" when nothing).
// `peerClosed`, when given, tells whether the server closed the connection (rather than the
// timeout ending the read).
std::string RawExchange(const std::string& host, uint16_t port, std::string_view bytes,
                        std::chrono::milliseconds timeout = 5s, bool halfClose = false,
                        bool* peerClosed = nullptr);

// Splits raw bytes received from a server into responses (handles Content-Length, chunked and
// close-delimited bodies). A trailing incomplete response is returned with ok == false.
std::vector<HttpResult> ParseResponses(std::string_view raw);

}  // namespace dynhook::test
