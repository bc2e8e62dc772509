// A Server on 127.0.0.1:0 with a given router, started in the constructor and stopped in the
// destructor (scope guard), for the server tests.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>

#include "http/server.h"
#include "support/test_http_client.h"

namespace dynhook::http {

struct TestServer {
  explicit TestServer(std::shared_ptr<Router> routes, ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    server = std::make_unique<Server>(options, std::move(routes));
    auto status = server->Start();
    EXPECT_TRUE(status.ok());
  }
  uint16_t port() const { return server->port(); }
  test::HttpResult Get(const std::string& target) const {
    return test::Request("127.0.0.1", port(), "GET", target);
  }
  std::string Raw(std::string_view bytes,
                  std::chrono::milliseconds timeout = std::chrono::seconds(5),
                  bool halfClose = false) const {
    return test::RawExchange("127.0.0.1", port(), bytes, timeout, halfClose);
  }
  std::unique_ptr<Server> server;
};

// The body of a Smartcar error answer, parsed; a null object when it is not one.
inline boost::json::object ErrorBodyOf(const test::HttpResult& result) {
  boost::system::error_code ec;
  auto value = boost::json::parse(result.body, ec);
  if (ec || !value.is_object()) return {};
  return value.as_object();
}

}  // namespace dynhook::http
