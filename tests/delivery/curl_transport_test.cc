// CurlMultiTransport against FakeReceiver on 127.0.0.1 (port 0). Waits are bounded; nothing
// asserts on wall-clock speed (a request timeout is exercised, but only its outcome is checked).
#include "delivery/curl_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "delivery/curl_transfer.h"
#include "support/fake_receiver.h"

namespace dynhook::delivery {
namespace {

using namespace std::chrono_literals;
using test::FakeReceiver;

constexpr auto kWait = 30s;  // upper bound for any wait; never reached when things work

CurlTransportOptions LoopbackOptions() {
  CurlTransportOptions options;
  options.allowPrivateAddresses = true;
  return options;
}

OutboundRequest Post(std::string url, std::string body = R"({"eventType":"VEHICLE_STATE"})") {
  OutboundRequest request;
  request.url = std::move(url);
  request.headers = {{"Content-Type", "application/json"}, {"User-Agent", "dynhook-test/1"}};
  request.body = std::move(body);
  request.timeout = 10s;
  return request;
}

// A gate that handlers block on until the test opens it (bounded, so a failing test ends).
class Gate {
 public:
  void Wait() {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, kWait, [&] { return open_; });
  }
  void Open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;  // guarded by mu_
};

// Opens the gate when the scope ends, before the receivers declared earlier are destroyed.
struct OpenOnExit {
  Gate& gate;
  ~OpenOnExit() { gate.Open(); }
};

// Collects results from `done` callbacks.
class Results {
 public:
  std::function<void(TransportResult)> Callback(int tag = 0) {
    return [this, tag](TransportResult result) {
      // Notified under the lock: the waiter may destroy this object as soon as it wakes.
      std::lock_guard lock(mu_);
      results_.push_back(std::move(result));
      tags_.push_back(tag);
      cv_.notify_all();
    };
  }
  bool WaitFor(size_t count) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return results_.size() >= count; });
  }
  std::vector<TransportResult> All() {
    std::lock_guard lock(mu_);
    return results_;
  }
  size_t CountTag(int tag) {
    std::lock_guard lock(mu_);
    return std::count(tags_.begin(), tags_.end(), tag);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<TransportResult> results_;  // guarded by mu_
  std::vector<int> tags_;                 // guarded by mu_
};

// A loopback port nobody listens on: bound, then closed.
uint16_t ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

std::string HttpDate(core::TimePoint t) {
  time_t seconds = core::ToMillis(t) / 1000;
  tm parts{};
  gmtime_r(&seconds, &parts);
  char text[64];
  strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &parts);
  return text;
}

TEST(CurlTransportTest, PostsAndReportsSuccess) {
  FakeReceiver receiver(
      [](const http::Request&) { return http::Response::Json(200, R"({"received":true})"); });
  CurlMultiTransport transport(LoopbackOptions());
  auto request = Post(receiver.Url("/hook"));
  request.headers.emplace_back("SC-Signature", "abc123");
  auto result = SendAndWait(transport, request);
  EXPECT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.statusCode, 200);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.responseExcerpt, R"({"received":true})");
  EXPECT_GE(result.latency.count(), 0);
  EXPECT_FALSE(result.location);
  EXPECT_FALSE(result.retryAfterSeconds);

  ASSERT_EQ(receiver.RequestCount(), 1u);
  auto seen = receiver.Requests()[0];
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.path, "/hook");
  EXPECT_EQ(seen.body, request.body);
  EXPECT_EQ(seen.Header("User-Agent").value_or(""), "dynhook-test/1");
  EXPECT_EQ(seen.Header("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(seen.Header("SC-Signature").value_or(""), "abc123");
  EXPECT_FALSE(seen.Header("Expect"));
  EXPECT_FALSE(seen.Header("Accept"));
  EXPECT_EQ(transport.Outstanding(), 0u);
}

TEST(CurlTransportTest, ReportsErrorStatuses) {
  int status = 500;
  FakeReceiver receiver(
      [&](const http::Request&) { return http::Response::Json(status, R"({"error":"x"})"); });
  CurlMultiTransport transport(LoopbackOptions());
  for (int code : {500, 410, 404, 503}) {
    status = code;
    auto result = SendAndWait(transport, Post(receiver.Url("/hook")));
    EXPECT_EQ(result.statusCode, code);
    EXPECT_EQ(result.error, "");  // an HTTP answer arrived
    EXPECT_FALSE(result.ok());
    EXPECT_EQ(result.responseExcerpt, R"({"error":"x"})");
  }
}

TEST(CurlTransportTest, ParsesRetryAfterSeconds) {
  FakeReceiver receiver([](const http::Request&) {
    return http::Response::Json(429, "{}").SetHeader("Retry-After", "120");
  });
  CurlMultiTransport transport(LoopbackOptions());
  auto result = SendAndWait(transport, Post(receiver.Url()));
  EXPECT_EQ(result.statusCode, 429);
  EXPECT_EQ(result.retryAfterSeconds, 120);
}

TEST(CurlTransportTest, ParsesRetryAfterHttpDate) {
  core::ManualClock clock;
  std::string date = HttpDate(clock.Now() + 90s);
  FakeReceiver receiver([&](const http::Request&) {
    return http::Response::Json(503, "{}").SetHeader("Retry-After", date);
  });
  auto options = LoopbackOptions();
  options.clock = &clock;
  CurlMultiTransport transport(options);
  auto result = SendAndWait(transport, Post(receiver.Url()));
  EXPECT_EQ(result.statusCode, 503);
  EXPECT_EQ(result.retryAfterSeconds, 90) << date;
}

TEST(CurlTransportTest, RetryAfterParser) {
  core::ManualClock clock;
  auto now = clock.Now();
  EXPECT_EQ(ParseRetryAfter("0", now), 0);
  EXPECT_EQ(ParseRetryAfter(" 3600 ", now), 3600);
  EXPECT_EQ(ParseRetryAfter("99999999999999999999", now), INT_MAX);
  EXPECT_EQ(ParseRetryAfter(HttpDate(now + 30s), now), 30);
  EXPECT_EQ(ParseRetryAfter(HttpDate(now - 30s), now), 0);  // in the past
  EXPECT_EQ(ParseRetryAfter("-5", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("soon", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("", now), std::nullopt);
}

TEST(CurlTransportTest, DoesNotFollowRedirects) {
  FakeReceiver receiver([](const http::Request&) {
    return http::Response::Redirect("https://elsewhere.example/hook");
  });
  CurlMultiTransport transport(LoopbackOptions());
  auto result = SendAndWait(transport, Post(receiver.Url("/start")));
  EXPECT_EQ(result.statusCode, 302);
  EXPECT_EQ(result.error, "");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.location, "https://elsewhere.example/hook");
  EXPECT_EQ(receiver.RequestCount(), 1u);
}

TEST(CurlTransportTest, TimesOut) {
  Gate gate;
  FakeReceiver receiver([&](const http::Request&) {
    gate.Wait();
    return http::Response::Json(200, "{}");
  });
  OpenOnExit release{gate};
  CurlMultiTransport transport(LoopbackOptions());
  auto request = Post(receiver.Url());
  request.timeout = 200ms;
  auto result = SendAndWait(transport, request);
  EXPECT_EQ(result.error, "timeout");
  EXPECT_EQ(result.statusCode, 0);
  EXPECT_FALSE(result.ok());
}

TEST(CurlTransportTest, ReportsConnectionRefused) {
  CurlMultiTransport transport(LoopbackOptions());
  auto url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/hook";
  auto result = SendAndWait(transport, Post(url));
  EXPECT_EQ(result.error, "connection refused");
  EXPECT_EQ(result.statusCode, 0);
}

TEST(CurlTransportTest, ReportsTlsFailures) {
  FakeReceiver receiver;  // plain HTTP: the TLS handshake cannot succeed
  CurlMultiTransport transport(LoopbackOptions());
  auto url = "https://127.0.0.1:" + std::to_string(receiver.port()) + "/hook";
  auto result = SendAndWait(transport, Post(url));
  EXPECT_TRUE(result.error.starts_with("tls: ")) << result.error;
  EXPECT_EQ(result.statusCode, 0);
}

TEST(CurlTransportTest, TimesOutARequestThatWaitedItsTimeoutInTheQueue) {
  Gate gate;
  FakeReceiver receiver([&](const http::Request&) {
    gate.Wait();
    return http::Response::Json(200, "{}");
  });
  OpenOnExit release{gate};
  auto options = LoopbackOptions();
  options.maxConnectionsPerHost = 1;
  CurlMultiTransport transport(options);
  Results results;
  auto first = Post(receiver.Url());
  first.timeout = 300ms;  // holds the only connection until it times out
  auto second = Post(receiver.Url());
  second.timeout = 100ms;  // so this one has waited longer than its timeout when its turn comes
  transport.Send(first, results.Callback(1));
  transport.Send(second, results.Callback(2));
  ASSERT_TRUE(results.WaitFor(2));
  for (const auto& result : results.All()) EXPECT_EQ(result.error, "timeout");
  EXPECT_EQ(receiver.RequestCount(), 1u);  // the second was never sent
}

TEST(CurlTransportTest, ReportsInvalidUrl) {
  CurlMultiTransport transport(LoopbackOptions());
  EXPECT_EQ(SendAndWait(transport, Post("not a url")).error, "invalid url");
  EXPECT_EQ(SendAndWait(transport, Post("ftp://127.0.0.1/x")).error, "invalid url");
}

TEST(CurlTransportTest, CapsTheResponseExcerpt) {
  FakeReceiver receiver(
      [](const http::Request&) { return http::Response::Json(200, std::string(100'000, 'x')); });
  CurlMultiTransport transport(LoopbackOptions());
  auto request = Post(receiver.Url());
  request.maxResponseBytes = 100;
  auto result = SendAndWait(transport, request);
  EXPECT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.responseExcerpt, std::string(100, 'x'));
}

TEST(CurlTransportTest, AbortsAnAbsurdResponseWithLength) {
  FakeReceiver receiver([](const http::Request&) {
    return http::Response::Json(200, std::string(2 * 1024 * 1024, 'y'));
  });
  CurlMultiTransport transport(LoopbackOptions());
  auto result = SendAndWait(transport, Post(receiver.Url()));
  EXPECT_EQ(result.error, "response too large");
  EXPECT_EQ(result.statusCode, 200);
  EXPECT_FALSE(result.ok());
}

TEST(CurlTransportTest, AbortsAnAbsurdChunkedResponse) {
  // Streamed (chunked, no Content-Length): the size is only known while reading.
  FakeReceiver receiver([](const http::Request&) {
    return http::Response::Stream(200, "text/plain", [](std::shared_ptr<http::StreamSink> sink) {
      for (int i = 0; i < 40; ++i) sink->Write(std::string(64 * 1024, 'z'));
      sink->Close();
    });
  });
  CurlMultiTransport transport(LoopbackOptions());
  auto request = Post(receiver.Url());
  request.maxResponseBytes = 64;
  auto result = SendAndWait(transport, request);
  EXPECT_EQ(result.error, "response too large");
  EXPECT_EQ(result.statusCode, 200);
  EXPECT_EQ(result.responseExcerpt, std::string(64, 'z'));
}

TEST(CurlTransportTest, CompletesAThousandConcurrentRequests) {
  FakeReceiver receiver;
  CurlMultiTransport transport(LoopbackOptions());
  Results results;
  constexpr int kCount = 1000;
  for (int i = 0; i < kCount; ++i) {
    transport.Send(Post(receiver.Url("/n/" + std::to_string(i))), results.Callback());
  }
  ASSERT_TRUE(results.WaitFor(kCount));
  for (const auto& result : results.All()) EXPECT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(receiver.RequestCount(), size_t(kCount));
  EXPECT_EQ(transport.Outstanding(), 0u);
  // Never more connections than the per-host limit: they are reused, not one per request.
  EXPECT_LE(transport.ConnectionsOpened(), 8u);
}

TEST(CurlTransportTest, ReusesTheConnection) {
  FakeReceiver receiver;
  CurlMultiTransport transport(LoopbackOptions());
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(SendAndWait(transport, Post(receiver.Url())).ok());
  }
  EXPECT_EQ(transport.ConnectionsOpened(), 1u);
  EXPECT_EQ(receiver.RequestCount(), 50u);
}

TEST(CurlTransportTest, SlowEndpointDoesNotHoldUpAFastOne) {
  Gate gate;
  FakeReceiver slow([&](const http::Request&) {
    gate.Wait();
    return http::Response::Json(200, "{}");
  });
  FakeReceiver fast;
  OpenOnExit release{gate};
  auto options = LoopbackOptions();
  options.maxConnectionsPerHost = 8;
  CurlMultiTransport transport(options);
  Results results;
  constexpr int kSlow = 12;  // 8 in flight (the per-host limit), 4 queued behind them
  constexpr int kFast = 200;
  for (int i = 0; i < kSlow; ++i) transport.Send(Post(slow.Url()), results.Callback(1));
  ASSERT_TRUE(slow.WaitForRequests(8, kWait));
  for (int i = 0; i < kFast; ++i) transport.Send(Post(fast.Url()), results.Callback(2));
  ASSERT_TRUE(results.WaitFor(kFast));
  EXPECT_EQ(results.CountTag(2), size_t(kFast));
  EXPECT_EQ(results.CountTag(1), 0u);  // the slow ones are all still outstanding
  EXPECT_EQ(slow.RequestCount(), 8u);  // and the per-host limit held

  gate.Open();
  ASSERT_TRUE(results.WaitFor(kFast + kSlow));
  for (const auto& result : results.All()) EXPECT_TRUE(result.ok()) << result.error;
}

TEST(CurlTransportTest, StopCompletesOutstandingRequests) {
  Gate gate;
  FakeReceiver receiver([&](const http::Request&) {
    gate.Wait();
    return http::Response::Json(200, "{}");
  });
  OpenOnExit release{gate};
  auto options = LoopbackOptions();
  options.maxConnectionsPerHost = 2;  // 2 in flight, 3 queued
  CurlMultiTransport transport(options);
  Results results;
  for (int i = 0; i < 5; ++i) transport.Send(Post(receiver.Url()), results.Callback());
  ASSERT_TRUE(receiver.WaitForRequests(2, kWait));
  transport.Stop();
  ASSERT_TRUE(results.WaitFor(5));
  for (const auto& result : results.All()) EXPECT_EQ(result.error, "stopped");
  EXPECT_EQ(transport.Outstanding(), 0u);

  auto after = SendAndWait(transport, Post(receiver.Url()));
  EXPECT_EQ(after.error, "stopped");
  transport.Stop();  // idempotent
}

TEST(CurlTransportTest, CallbacksMaySendAgain) {
  FakeReceiver receiver;
  CurlMultiTransport transport(LoopbackOptions());
  Results results;
  std::function<void(int)> chain = [&](int left) {
    transport.Send(Post(receiver.Url()), [&, left](TransportResult result) {
      results.Callback()(std::move(result));
      if (left > 1) chain(left - 1);
    });
  };
  chain(5);
  ASSERT_TRUE(results.WaitFor(5));
  for (const auto& result : results.All()) EXPECT_TRUE(result.ok()) << result.error;
}

TEST(CurlTransportTest, BlocksPrivateAddressesAtConnectTime) {
  FakeReceiver receiver;
  CurlTransportOptions options;  // allowPrivateAddresses = false
  CurlMultiTransport transport(options);
  auto result = SendAndWait(transport, Post(receiver.Url("/hook")));
  EXPECT_EQ(result.error, "blocked address");
  EXPECT_EQ(result.statusCode, 0);
  EXPECT_EQ(transport.ConnectionsOpened(), 0u);
  EXPECT_EQ(receiver.RequestCount(), 0u);
  // A name that resolves to loopback is blocked too (what DNS rebinding would produce).
  auto byName =
      SendAndWait(transport, Post("http://localhost:" + std::to_string(receiver.port()) + "/hook"));
  EXPECT_EQ(byName.error, "blocked address");
  EXPECT_EQ(receiver.RequestCount(), 0u);
}

}  // namespace
}  // namespace dynhook::delivery
