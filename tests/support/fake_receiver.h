// FakeReceiver: a tiny HTTP server on 127.0.0.1 (free port) for tests, driven by a lambda.
// It answers every request (any method, any path) with the handler's Response and records the
// requests it received. Its lifetime is the scope guard: the constructor starts it (and throws
// std::runtime_error when it cannot, which fails the test), the destructor stops it.
//
//   dynhook::test::FakeReceiver receiver([](const dynhook::http::Request& r) {
//     return dynhook::http::Response::Json(200, "{}");
//   });
//   ... deliver to receiver.Url("/hook") ...
//   ASSERT_TRUE(receiver.WaitForRequests(1));
//   EXPECT_EQ(receiver.Requests()[0].body, ...);
//
// Thread-safe: the handler runs on server worker threads; SetHandler and the accessors may be
// called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "http/server.h"

namespace dynhook::test {

class FakeReceiver {
 public:
  using Handler = std::function<http::Response(const http::Request&)>;

  // The default handler answers 200 with "{}".
  explicit FakeReceiver(Handler handler = nullptr, http::ServerOptions options = {});
  ~FakeReceiver();
  FakeReceiver(const FakeReceiver&) = delete;
  FakeReceiver& operator=(const FakeReceiver&) = delete;

  uint16_t port() const;
  // "http://127.0.0.1:PORT" + path
  std::string Url(std::string_view path = "") const;

  void SetHandler(Handler handler);
  std::vector<http::Request> Requests() const;
  size_t RequestCount() const;
  // Blocks until at least `count` requests have arrived or `timeout` passes; true if they did.
  bool WaitForRequests(size_t count,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  void Stop();

 private:
  http::Response Handle(const http::Request& request);

  mutable std::mutex mu_;
  mutable std::condition_variable arrived_;  // signals requests_ growth
  Handler handler_;                          // guarded by mu_
  std::vector<http::Request> requests_;      // guarded by mu_
  std::unique_ptr<http::Server> server_;
};

}  // namespace dynhook::test
