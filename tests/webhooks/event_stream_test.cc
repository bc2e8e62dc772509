// The event bus and GET /api/events over a real server on port 0: a published event reaches
// the application's stream (and only that application's), keep-alives flow, a slow stream is
// told what it lost, and a client leaving is forgotten.
#include "webhooks/event_stream.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "http/server.h"
#include "support/test_http_client.h"
#include "webhooks/webhooks_fixture.h"

namespace dynhook::webhooks {
namespace {

using namespace std::chrono_literals;

TEST(EventBus, DeliversToTheApplicationsListenersOnly) {
  EventBus bus;
  std::vector<std::string> a, b;
  const uint64_t ta = bus.Subscribe("app-a", [&](const Event& e) { a.push_back(e.json); });
  bus.Subscribe("app-b", [&](const Event& e) { b.push_back(e.json); });
  bus.Publish({"app-a", "delivery", "1"});
  bus.Publish({"app-b", "delivery", "2"});
  bus.Unsubscribe(ta);
  bus.Publish({"app-a", "delivery", "3"});
  EXPECT_EQ(a, std::vector<std::string>{"1"});
  EXPECT_EQ(b, std::vector<std::string>{"2"});
}

TEST(EventBus, AListenerMayUnsubscribeItself) {
  EventBus bus;
  int calls = 0;
  uint64_t token = 0;
  token = bus.Subscribe("app", [&](const Event&) {
    ++calls;
    bus.Unsubscribe(token);
  });
  bus.Publish({"app", "x", "{}"});
  bus.Publish({"app", "x", "{}"});
  EXPECT_EQ(calls, 1);
}

TEST(EventBus, ConcurrentPublishersAndSubscribers) {
  EventBus bus;
  std::atomic<int> received{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const uint64_t token = bus.Subscribe("app", [&](const Event&) { ++received; });
        bus.Publish({"app", "x", std::to_string(t)});
        bus.Unsubscribe(token);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_GE(received.load(), 800);  // each publisher's own listener at least
}

// A sink recording what the pump writes. Thread-safe.
class RecordingSink final : public http::StreamSink {
 public:
  bool Write(std::string chunk) override {
    std::lock_guard lock(mu_);
    if (!open_) return false;
    text_ += chunk;
    written_.notify_all();
    return true;
  }
  void Close() override {
    std::lock_guard lock(mu_);
    open_ = false;
  }
  bool IsOpen() const override {
    std::lock_guard lock(mu_);
    return open_;
  }
  bool WaitFor(std::string_view needle) {
    std::unique_lock lock(mu_);
    return written_.wait_for(lock, 10s, [&] { return text_.find(needle) != std::string::npos; });
  }
  std::string Text() const {
    std::lock_guard lock(mu_);
    return text_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable written_;
  std::string text_;  // guarded by mu_
  bool open_ = true;  // guarded by mu_
};

TEST(EventStreams, FramesEventsAndSendsKeepAlives) {
  EventBus bus;
  EventStreams streams(bus, {20ms, 100});
  auto sink = std::make_shared<RecordingSink>();
  streams.Open("app", sink);
  bus.Publish({"app", "webhook", R"({"action":"created"})"});
  bus.Publish({"other", "webhook", R"({"action":"secret"})"});
  ASSERT_TRUE(sink->WaitFor("event: webhook\ndata: {\"action\":\"created\"}\n\n"));
  ASSERT_TRUE(sink->WaitFor(": keep-alive\n\n"));
  EXPECT_EQ(sink->Text().rfind(": connected\n\n", 0), 0u);
  EXPECT_EQ(sink->Text().find("secret"), std::string::npos);
}

TEST(EventStreams, AClosedStreamIsForgotten) {
  EventBus bus;
  EventStreams streams(bus, {10ms, 100});
  auto sink = std::make_shared<RecordingSink>();
  streams.Open("app", sink);
  EXPECT_EQ(streams.OpenStreams(), 1u);
  sink->Close();
  for (int i = 0; i < 1000 && streams.OpenStreams() > 0; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(streams.OpenStreams(), 0u);
}

// A sink whose writes block while held, so its stream falls behind. Thread-safe.
class StuckSink final : public http::StreamSink {
 public:
  bool Write(std::string chunk) override {
    std::unique_lock lock(mu_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return !held_; });
    --waiting_;
    text_ += chunk;
    return true;
  }
  void Close() override {}
  bool IsOpen() const override { return true; }
  void Hold(bool held) {
    std::lock_guard lock(mu_);
    held_ = held;
    changed_.notify_all();
  }
  bool WaitUntilBlocked() {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, 10s, [&] { return waiting_ > 0; });
  }
  bool WaitFor(std::string_view needle) {
    for (int i = 0; i < 2000; ++i) {
      if (Text().find(needle) != std::string::npos) return true;
      std::this_thread::sleep_for(5ms);
    }
    return false;
  }
  std::string Text() {
    std::lock_guard lock(mu_);
    return text_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool held_ = false;  // guarded by mu_
  int waiting_ = 0;    // guarded by mu_
  std::string text_;   // guarded by mu_
};

TEST(EventStreams, ASlowStreamIsToldWhatItLost) {
  EventBus bus;
  EventStreams streams(bus, {10'000ms, 3});
  auto sink = std::make_shared<StuckSink>();
  streams.Open("app", sink);
  sink->Hold(true);
  bus.Publish({"app", "delivery", R"({"n":0})"});
  ASSERT_TRUE(sink->WaitUntilBlocked());  // the pump is inside Write with event 0
  for (int i = 1; i <= 9; ++i) {
    bus.Publish({"app", "delivery", R"({"n":)" + std::to_string(i) + "}"});  // never blocks
  }
  sink->Hold(false);
  ASSERT_TRUE(sink->WaitFor(R"({"n":9})"));
  const std::string text = sink->Text();
  EXPECT_NE(text.find("event: dropped\ndata: {\"count\":6}\n\n"), std::string::npos) << text;
  EXPECT_NE(text.find(R"({"n":0})"), std::string::npos);
  EXPECT_EQ(text.find(R"({"n":6})"), std::string::npos);
  EXPECT_NE(text.find(R"({"n":7})"), std::string::npos);
}

// Sends `request` and reads the (never-ending) stream until `marker` arrives or `limit` passes.
std::string ReadStreamUntil(uint16_t port, const std::string& request, const std::string& marker,
                            std::chrono::milliseconds limit) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  timeval tick{0, 100'000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
  std::string received;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    char buf[4096];
    while (received.find(marker) == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      const ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n == 0) break;
      if (n > 0) received.append(buf, static_cast<size_t>(n));
    }
  }
  close(fd);
  return received;
}

TEST(EventStreamApi, APublishedEventReachesTheClient) {
  test::WebhooksTestEnv env;
  auto app = env.api().CreateApp();
  http::ServerOptions options;
  options.port = 0;
  http::Server server(options, env.router());
  ASSERT_TRUE(server.Start().ok());
  const std::string request = "GET /api/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                              app.managementToken + "\r\n\r\n";
  // Read until the event arrives (bounded), so a slow machine (sanitizers) cannot race it.
  auto client = std::async(std::launch::async, [&] {
    return ReadStreamUntil(server.port(), request, "succeeded", 20s);
  });
  for (int i = 0; i < 1000 && env.streams().OpenStreams() == 0; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_EQ(env.streams().OpenStreams(), 1u);
  env.events().Publish({app.id, "delivery", R"({"deliveryId":"d1","status":"succeeded"})"});
  env.events().Publish({"another-app", "delivery", R"({"deliveryId":"d2"})"});
  const std::string raw = client.get();
  EXPECT_NE(raw.find("200 OK"), std::string::npos) << raw;
  EXPECT_NE(raw.find("text/event-stream"), std::string::npos) << raw;
  EXPECT_NE(raw.find("event: delivery\ndata: {\"deliveryId\":\"d1\",\"status\":\"succeeded\"}"),
            std::string::npos)
      << raw;
  EXPECT_EQ(raw.find("\"deliveryId\":\"d2\""),
            std::string::npos);  // (a bare "d2" can be in a UUID)
  // Streams hold the server's connection executors: end them before the server goes (the
  // platform does the same in Platform::Stop).
  env.streams().Stop();
  server.Stop();
}

}  // namespace
}  // namespace dynhook::webhooks
