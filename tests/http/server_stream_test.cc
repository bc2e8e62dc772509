// Streamed (server-sent events) responses: chunks written through the StreamSink reach the
// client in order; a client leaving or the server stopping closes the sink.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "http/server.h"
#include "http/server_fixture.h"

namespace dynhook::http {
namespace {

constexpr std::string_view kStreamRequest = "GET /events HTTP/1.1\r\nHost: x\r\n\r\n";

// A server whose /events hands each new stream's sink to the test through `sinks`.
struct StreamServer {
  StreamServer() {
    auto router = std::make_shared<Router>();
    router->Add("GET", "/events", [this](const Request&) {
      return Response::Stream(200, "text/event-stream", [this](std::shared_ptr<StreamSink> sink) {
        sink->Write(": hello\n\n");
        sinkPromise.set_value(std::move(sink));
      });
    });
    server = std::make_unique<TestServer>(router);
  }
  std::shared_ptr<StreamSink> NextSink() {
    auto future = sinkPromise.get_future();
    if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) return nullptr;
    return future.get();
  }
  std::promise<std::shared_ptr<StreamSink>> sinkPromise;
  std::unique_ptr<TestServer> server;
};

bool WaitUntilClosed(const StreamSink& sink) {
  for (int i = 0; i < 1000 && sink.IsOpen(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return !sink.IsOpen();
}

TEST(ServerStream, DeliversWrittenChunksInOrder) {
  StreamServer fixture;
  auto client = std::async(std::launch::async, [&] { return fixture.server->Raw(kStreamRequest); });
  auto sink = fixture.NextSink();
  ASSERT_TRUE(sink);
  std::thread producer([sink] {
    for (int i = 0; i < 20; ++i) EXPECT_TRUE(sink->Write("data: " + std::to_string(i) + "\n\n"));
  });
  producer.join();
  sink->Close();
  EXPECT_FALSE(sink->IsOpen());
  EXPECT_FALSE(sink->Write("late"));
  auto responses = test::ParseResponses(client.get());
  ASSERT_EQ(responses.size(), 1u);
  const auto& reply = responses[0];
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.Header("Content-Type"), "text/event-stream");
  EXPECT_EQ(reply.Header("Transfer-Encoding"), "chunked");
  EXPECT_TRUE(reply.Header("SC-Request-Id"));
  std::string expected = ": hello\n\n";
  for (int i = 0; i < 20; ++i) expected += "data: " + std::to_string(i) + "\n\n";
  EXPECT_EQ(reply.body, expected);
}

TEST(ServerStream, ClientDisconnectClosesTheSink) {
  StreamServer fixture;
  // The client reads for a moment, then goes away.
  auto client = std::async(std::launch::async, [&] {
    return fixture.server->Raw(kStreamRequest, std::chrono::milliseconds(300));
  });
  auto sink = fixture.NextSink();
  ASSERT_TRUE(sink);
  EXPECT_TRUE(sink->IsOpen());
  client.get();
  EXPECT_TRUE(WaitUntilClosed(*sink));
  EXPECT_FALSE(sink->Write("data: nobody\n\n"));
}

TEST(ServerStream, StopEndsOpenStreams) {
  StreamServer fixture;
  bool peerClosed = false;
  auto client = std::async(std::launch::async, [&] {
    return test::RawExchange("127.0.0.1", fixture.server->port(), kStreamRequest,
                             std::chrono::seconds(10), false, &peerClosed);
  });
  auto sink = fixture.NextSink();
  ASSERT_TRUE(sink);
  sink->Write("data: before stop\n\n");
  fixture.server->server->Stop();
  EXPECT_FALSE(sink->IsOpen());
  const std::string raw = client.get();
  EXPECT_TRUE(peerClosed);
  EXPECT_NE(raw.find("data: before stop"), std::string::npos);
}

// A producer may hold a sink after the server is gone (the dashboard's event streams are
// closed by their owner, not by the server): using and dropping it then must not touch the
// server's destroyed strands (ASan: heap-use-after-free before the fix).
TEST(ServerStream, ASinkMayOutliveItsServer) {
  StreamServer fixture;
  auto client = std::async(std::launch::async, [&] {
    return test::RawExchange("127.0.0.1", fixture.server->port(), kStreamRequest,
                             std::chrono::seconds(10), false, nullptr);
  });
  auto sink = fixture.NextSink();
  ASSERT_TRUE(sink);
  ASSERT_TRUE(sink->Write("data: before\n\n"));
  fixture.server.reset();  // stops and destroys the server, its io_context and strands
  client.get();
  EXPECT_FALSE(sink->IsOpen());
  EXPECT_FALSE(sink->Write("data: after\n\n"));
  sink->Close();
  sink.reset();  // the last reference: destroyed after the server
}

}  // namespace
}  // namespace dynhook::http
