// The server's limits and its answers to malformed input: each gets a Smartcar-format 4xx JSON
// error and the connection closes; nothing crashes or hangs.
#include <gtest/gtest.h>

#include <thread>

#include "http/server.h"
#include "http/server_fixture.h"

namespace dynhook::http {
namespace {

std::shared_ptr<Router> Routes() {
  auto router = std::make_shared<Router>();
  router->Add("POST", "/echo", [](const Request& r) { return Response::Json(200, r.body); });
  router->Add("GET", "/ok", [](const Request&) { return Response::Json(200, "{}"); });
  return router;
}

ServerOptions SmallLimits() {
  ServerOptions options;
  options.maxHeaderBytes = 1024;
  options.maxBodyBytes = 100;
  options.requestTimeout = std::chrono::milliseconds(200);
  return options;
}

// The one reply to `bytes`, which must be a Smartcar error with `status` and a closed connection.
void ExpectErrorReply(const TestServer& server, const std::string& bytes, int status,
                      bool halfClose = false) {
  bool closed = false;
  const std::string raw = test::RawExchange("127.0.0.1", server.port(), bytes,
                                            std::chrono::seconds(5), halfClose, &closed);
  auto responses = test::ParseResponses(raw);
  ASSERT_EQ(responses.size(), 1u) << raw;
  const auto& reply = responses[0];
  EXPECT_EQ(reply.status, status) << raw;
  EXPECT_EQ(reply.Header("Content-Type"), "application/json");
  EXPECT_EQ(reply.Header("Connection"), "close");
  EXPECT_TRUE(reply.Header("SC-Request-Id"));
  auto body = ErrorBodyOf(reply);
  EXPECT_EQ(body["statusCode"], status) << reply.body;
  EXPECT_EQ(body["type"], "VALIDATION") << reply.body;
  EXPECT_TRUE(closed);
}

TEST(ServerLimits, OversizedHeaderIs431) {
  TestServer server(Routes(), SmallLimits());
  ExpectErrorReply(
      server, "GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n", 431);
  ExpectErrorReply(server, "GET /" + std::string(3000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", 431);
}

TEST(ServerLimits, OversizedBodyIs413BeforeReadingIt) {
  TestServer server(Routes(), SmallLimits());
  ExpectErrorReply(server, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n", 413);
  ExpectErrorReply(
      server,
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'b'),
      413);
  auto fits = test::Request("127.0.0.1", server.port(), "POST", "/echo", std::string(100, 'c'));
  EXPECT_EQ(fits.status, 200);
  auto tooBig = test::Request("127.0.0.1", server.port(), "POST", "/echo", std::string(101, 'c'));
  EXPECT_EQ(tooBig.status, 413);
}

TEST(ServerLimits, OversizedChunkedBodyIs413) {
  TestServer server(Routes(), SmallLimits());
  std::string bytes = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) bytes += "20\r\n" + std::string(32, 'x') + "\r\n";
  bytes += "0\r\n\r\n";
  ExpectErrorReply(server, bytes, 413);
}

TEST(ServerLimits, BadContentLengthIs400) {
  TestServer server(Routes(), SmallLimits());
  for (const char* value : {"abc", "-1", "1x", "99999999999999999999999"}) {
    ExpectErrorReply(
        server,
        std::string("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ") + value + "\r\n\r\nab",
        400);
  }
  ExpectErrorReply(
      server, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab",
      400);
}

TEST(ServerLimits, MalformedRequestsAre400) {
  TestServer server(Routes(), SmallLimits());
  ExpectErrorReply(server, "GARBAGE\r\n\r\n", 400);
  ExpectErrorReply(server, "GET /ok HTTP/9.9\r\n\r\n", 400);
  ExpectErrorReply(server, "GET /ok HTTP/1.1\r\nBad Header\r\n\r\n", 400);
  ExpectErrorReply(server, "GET http://example.com/ok HTTP/1.1\r\nHost: x\r\n\r\n", 400);
  ExpectErrorReply(server, "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400);
  ExpectErrorReply(server, "GET /ok%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400);
  ExpectErrorReply(server, "GET /ok?a=%4 HTTP/1.1\r\nHost: x\r\n\r\n", 400);
  ExpectErrorReply(server,
                   "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "zz\r\nabc\r\n0\r\n\r\n",
                   400);
}

TEST(ServerLimits, BadUtf8InPathIsAnsweredWithValidJson) {
  TestServer server(Routes(), SmallLimits());
  auto result = server.Get("/%ff%fe/\xc3\x28");
  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(ErrorBodyOf(result)["type"], "RESOURCE_NOT_FOUND") << result.body;
}

TEST(ServerLimits, TruncatedRequestTimesOutWith408) {
  TestServer server(Routes(), SmallLimits());
  ExpectErrorReply(server, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc", 408);
  ExpectErrorReply(server, "GET /ok HTTP/1.1\r\nHost: x\r\n", 408);
}

TEST(ServerLimits, HalfClosedTruncatedRequestIs400) {
  TestServer server(Routes(), SmallLimits());
  ExpectErrorReply(server, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc", 400,
                   /*halfClose=*/true);
}

TEST(ServerLimits, IdleKeepAliveConnectionIsClosedQuietly) {
  ServerOptions options = SmallLimits();
  options.idleTimeout = std::chrono::milliseconds(100);
  TestServer server(Routes(), options);
  bool closed = false;
  const std::string raw =
      test::RawExchange("127.0.0.1", server.port(), "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n",
                        std::chrono::seconds(10), false, &closed);
  EXPECT_TRUE(closed);
  auto responses = test::ParseResponses(raw);
  ASSERT_EQ(responses.size(), 1u);  // the answer, then a quiet close (no 408 for idleness)
  EXPECT_EQ(responses[0].status, 200);
}

TEST(ServerLimits, ConnectionsAboveTheLimitAreRefused) {
  ServerOptions options = SmallLimits();
  options.maxConnections = 1;
  TestServer server(Routes(), options);
  {
    test::HttpConnection first("127.0.0.1", server.port());
    ASSERT_TRUE(first.Send("GET", "/ok").ok);
    EXPECT_FALSE(test::Request("127.0.0.1", server.port(), "GET", "/ok").ok);
    EXPECT_TRUE(first.Send("GET", "/ok").ok);
  }
  // The slot frees once the server has seen the close; bounded retries.
  bool served = false;
  for (int i = 0; i < 200 && !served; ++i) {
    served = test::Request("127.0.0.1", server.port(), "GET", "/ok").ok;
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(served);
}

}  // namespace
}  // namespace dynhook::http
