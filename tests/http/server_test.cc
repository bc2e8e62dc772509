#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <latch>
#include <stdexcept>
#include <thread>

#include "core/ids.h"
#include "http/server_fixture.h"

namespace dynhook::http {
namespace {

std::shared_ptr<Router> EchoRoutes() {
  auto router = std::make_shared<Router>();
  router->Add("GET", "/hello", [](const Request&) { return Response::Json(200, R"({"hi":1})"); });
  router->Add("POST", "/echo", [](const Request& request) {
    Response response = Response::Json(200, request.body);
    response.SetHeader("X-Path", request.path);
    response.SetHeader("X-Request-Id", request.requestId);
    if (auto limit = request.Query("limit")) response.SetHeader("X-Limit", std::string(*limit));
    return response;
  });
  router->Add("GET", "/items/{id}", [](const Request& request) {
    return Response::Json(200, "\"" + std::string(request.Param("id")) + "\"");
  });
  router->Add("GET", "/boom",
              [](const Request&) -> Response { throw std::runtime_error("handler bug"); });
  return router;
}

TEST(Server, AnswersWithStandardHeaders) {
  TestServer server(EchoRoutes());
  auto result = server.Get("/hello");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, R"({"hi":1})");
  EXPECT_EQ(result.Header("Content-Type"), "application/json");
  EXPECT_EQ(result.Header("Content-Length"), "8");
  ASSERT_TRUE(result.Header("Date"));
  EXPECT_TRUE(result.Header("Date")->ends_with(" GMT"));
  ASSERT_TRUE(result.Header("SC-Request-Id"));
  EXPECT_TRUE(core::IsUuid(*result.Header("SC-Request-Id")));
  EXPECT_EQ(server.server->address(), "127.0.0.1:" + std::to_string(server.port()));
}

TEST(Server, FillsRequestFromTarget) {
  TestServer server(EchoRoutes());
  auto result = test::Request("127.0.0.1", server.port(), "POST", "/ec%68o/?limit=5&x=%20",
                              "payload", {{"Content-Type", "text/plain"}});
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.body, "payload");
  EXPECT_EQ(result.Header("X-Path"), "/echo");
  EXPECT_EQ(result.Header("X-Limit"), "5");
  EXPECT_EQ(result.Header("X-Request-Id"), result.Header("SC-Request-Id"));
  EXPECT_EQ(server.Get("/items/a%20b").body, "\"a b\"");
}

TEST(Server, UnknownPathAndMethodAreSmartcarErrors) {
  TestServer server(EchoRoutes());
  auto missing = server.Get("/nope");
  EXPECT_EQ(missing.status, 404);
  auto body = ErrorBodyOf(missing);
  EXPECT_EQ(body["type"], "RESOURCE_NOT_FOUND");
  EXPECT_EQ(body["requestId"].as_string(), *missing.Header("SC-Request-Id"));
  auto wrong = test::Request("127.0.0.1", server.port(), "DELETE", "/hello");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.Header("Allow"), "GET");
  auto head = test::Request("127.0.0.1", server.port(), "HEAD", "/hello");
  ASSERT_TRUE(head.ok) << head.error;
  EXPECT_EQ(head.status, 405);
  EXPECT_TRUE(head.body.empty());
}

TEST(Server, HandlerExceptionIsServerInternal) {
  TestServer server(EchoRoutes());
  auto result = server.Get("/boom");
  EXPECT_EQ(result.status, 500);
  auto body = ErrorBodyOf(result);
  EXPECT_EQ(body["type"], "SERVER");
  EXPECT_EQ(body["code"], "INTERNAL");
  EXPECT_EQ(server.Get("/hello").status, 200);  // and the server carries on
}

TEST(Server, KeepAliveServesSeveralRequestsOnOneConnection) {
  TestServer server(EchoRoutes());
  test::HttpConnection connection("127.0.0.1", server.port());
  ASSERT_TRUE(connection.connected());
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    auto result = connection.Send("POST", "/echo", "n" + std::to_string(i));
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.body, "n" + std::to_string(i));
    EXPECT_FALSE(result.Header("Connection") == "close");
    ids.insert(std::string(*result.Header("SC-Request-Id")));
  }
  EXPECT_EQ(ids.size(), 5u);
}

TEST(Server, PipelinedRequestsAreAnsweredInOrder) {
  TestServer server(EchoRoutes());
  std::string bytes;
  for (int i = 0; i < 3; ++i) {
    const std::string body = "body" + std::to_string(i);
    bytes += "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\n\r\n" + body;
  }
  bytes += "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto responses = test::ParseResponses(server.Raw(bytes));
  ASSERT_EQ(responses.size(), 4u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(responses[i].body, "body" + std::to_string(i));
  EXPECT_EQ(responses[3].body, R"({"hi":1})");
  EXPECT_EQ(responses[3].Header("Connection"), "close");
}

TEST(Server, ChunkedRequestBody) {
  TestServer server(EchoRoutes());
  auto responses = test::ParseResponses(server.Raw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].body, "abcde");
}

TEST(Server, ExpectContinueGetsInterimResponse) {
  TestServer server(EchoRoutes());
  auto raw = server.Raw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n"
      "Connection: close\r\n\r\nok");
  auto responses = test::ParseResponses(raw);
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0].status, 100);
  EXPECT_EQ(responses[1].body, "ok");
}

TEST(Server, ConcurrentClients) {
  ServerOptions options;
  options.ioThreads = 2;
  options.workerThreads = 4;
  TestServer server(EchoRoutes(), options);
  constexpr int kClients = 8;
  constexpr int kRequests = 20;
  std::atomic<int> okCount{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      test::HttpConnection connection("127.0.0.1", server.port());
      for (int i = 0; i < kRequests; ++i) {
        const std::string body = std::to_string(c) + ":" + std::to_string(i);
        auto result = connection.Send("POST", "/echo", body);
        if (result.ok && result.body == body) ++okCount;
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(okCount.load(), kClients * kRequests);
}

TEST(Server, GracefulStopLetsASlowHandlerFinish) {
  auto router = std::make_shared<Router>();
  std::latch entered(1);
  std::promise<void> release;
  auto released = release.get_future().share();
  router->Add("GET", "/slow", [&](const Request&) {
    entered.count_down();
    released.wait();
    return Response::Json(200, R"("done")");
  });
  TestServer server(router);
  auto pending = std::async(std::launch::async, [&] { return server.Get("/slow"); });
  entered.wait();
  auto stopper = std::async(std::launch::async, [&] { server.server->Stop(); });
  // Once new connections are refused, Stop() has begun and is waiting for the handler.
  bool refused = false;
  for (int i = 0; i < 500 && !refused; ++i) {
    refused = !test::HttpConnection("127.0.0.1", server.port()).connected();
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(refused);
  release.set_value();
  stopper.get();
  auto result = pending.get();
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.body, R"("done")");
  server.server->Wait();  // returns at once: already stopped
}

TEST(Server, StopClosesIdleKeepAliveConnections) {
  TestServer server(EchoRoutes());
  test::HttpConnection connection("127.0.0.1", server.port());
  ASSERT_TRUE(connection.Send("GET", "/hello").ok);
  server.server->Stop();
  EXPECT_FALSE(connection.Send("GET", "/hello").ok);
}

TEST(Server, StartFailsOnAPortInUse) {
  TestServer first(EchoRoutes());
  ServerOptions options;
  options.port = first.port();
  Server second(options, EchoRoutes());
  auto status = second.Start();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().type, "SERVER");
}

TEST(Server, WaitReturnsAfterStopFromAnotherThread) {
  TestServer server(EchoRoutes());
  std::thread stopper([&] { server.server->Stop(); });
  server.server->Wait();
  stopper.join();
  EXPECT_FALSE(server.Get("/hello").ok);
}

}  // namespace
}  // namespace dynhook::http
