// DeliveryEngine: failures, backoff, the failing endpoint's probe, automatic disable, hold,
// enable (replay or discard), 410, Retry-After, retention, store faults and shutdown.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/json.h"
#include "delivery/engine_fixture.h"

namespace dynhook::delivery::test {
namespace {

using std::chrono::milliseconds;

class EngineRetryTest : public EngineTest {
 protected:
  // 500 forever: checks the 7 attempts happen at the backoff times (±20 % jitter), with the
  // deliveries enqueued after the first failure waiting behind the probe. Returns all three.
  std::vector<store::Delivery> ExhaustRetries(const store::Webhook& webhook) {
    transport_.SetResponder([](const OutboundRequest&) { return HttpResult(500); });
    auto& engine = MakeEngine();
    auto first = Commit(webhook, {{"v1"}});
    engine.Enqueue(first);
    engine.Tick();
    auto later = Commit(webhook, {{"v2"}, {"v3"}});
    engine.Enqueue(later);
    for (int n = 1; n <= 6; ++n) {
      EXPECT_EQ(transport_.Count(), static_cast<size_t>(n));
      const store::Delivery stored = Find(first[0].id);
      EXPECT_EQ(stored.attemptCount, n);
      EXPECT_EQ(stored.lastError, "HTTP 500");
      const auto delay = stored.nextAttemptAt - clock_.Now();
      const auto nominal = milliseconds(30'000) * (1 << (n - 1));
      EXPECT_GE(delay, nominal * 8 / 10) << "after attempt " << n;
      EXPECT_LE(delay, nominal * 12 / 10) << "after attempt " << n;
      clock_.Set(stored.nextAttemptAt - milliseconds(1));
      engine.Tick();
      EXPECT_EQ(transport_.Count(), static_cast<size_t>(n)) << "retried early";
      clock_.Set(stored.nextAttemptAt);
      engine.Tick();
    }
    EXPECT_EQ(transport_.Count(), 7u);
    for (const auto& r : transport_.Requests()) EXPECT_EQ(Header(r, "SC-Event-Id"), first[0].id);
    later.insert(later.begin(), first[0]);
    return later;
  }
};

TEST_F(EngineRetryTest, SevenFailedAttemptsDisableTheWebhookAndHoldEverything) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  auto d = ExhaustRetries(webhook);
  const store::Webhook after = FindWebhook(webhook.id);
  EXPECT_EQ(after.status, "disabled");
  EXPECT_EQ(after.disabledReason, "7 consecutive failed attempts; last: HTTP 500");
  ASSERT_TRUE(after.disabledAt.has_value());
  EXPECT_EQ(*after.disabledAt, clock_.Now());
  for (const auto& delivery : d) EXPECT_EQ(Find(delivery.id).status, "held");
  EXPECT_EQ(Attempts(d[0].id).size(), 7u);
  EXPECT_EQ(Find(d[0].id).attemptCount, 7);

  clock_.Advance(milliseconds(24 * 3'600'000));
  engine_->Tick();
  EXPECT_EQ(transport_.Count(), 7u);  // nothing more while disabled
  bool sawDisabled = false;
  for (const auto& event : Events()) {
    if (event.type != "webhook") continue;
    auto json = core::ParseJsonObject(event.json);
    ASSERT_TRUE(json.ok());
    EXPECT_EQ(json->at("webhookId").as_string(), webhook.id);
    sawDisabled = json->at("status").as_string() == "disabled" &&
                  json->at("disabledReason").as_string() == after.disabledReason;
  }
  EXPECT_TRUE(sawDisabled);
}

TEST_F(EngineRetryTest, EnableWithReplayDeliversHeldInOrder) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  auto d = ExhaustRetries(webhook);
  transport_.SetResponder(nullptr);
  ASSERT_TRUE(engine_->EnableWebhook(webhook.id, /*replay=*/true).ok());
  const store::Webhook after = FindWebhook(webhook.id);
  EXPECT_EQ(after.status, "enabled");
  EXPECT_EQ(after.disabledReason, "");
  EXPECT_FALSE(after.disabledAt.has_value());
  engine_->Tick();
  auto requests = transport_.Requests();
  ASSERT_EQ(requests.size(), 10u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(Header(requests[7 + i], "SC-Event-Id"), d[i].id);
  for (const auto& delivery : d) EXPECT_EQ(Find(delivery.id).status, "succeeded");
  EXPECT_EQ(Attempts(d[0].id).back().number, 8);
}

TEST_F(EngineRetryTest, EnableWithDiscardCountsTheHeldDeliveries) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  auto d = ExhaustRetries(webhook);
  ASSERT_TRUE(engine_->EnableWebhook(webhook.id, /*replay=*/false).ok());
  engine_->Tick();
  EXPECT_EQ(transport_.Count(), 7u);
  for (const auto& delivery : d) EXPECT_EQ(Find(delivery.id).status, "discarded");
  const store::Webhook after = FindWebhook(webhook.id);
  EXPECT_EQ(after.status, "enabled");
  EXPECT_EQ(after.discardedCount, 3);
}

TEST_F(EngineRetryTest, ProbeSuccessResumesTheWaitingDeliveries) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  int calls = 0;
  transport_.SetResponder(
      [&calls](const OutboundRequest&) { return HttpResult(++calls == 1 ? 503 : 200); });
  auto& engine = MakeEngine();
  auto first = Commit(webhook, {{"v1"}});
  engine.Enqueue(first);
  engine.Tick();
  auto later = Commit(webhook, {{"v2"}, {"v1"}});
  engine.Enqueue(later);
  engine.Tick();
  EXPECT_EQ(transport_.Count(), 1u);  // waiting behind the probe
  EXPECT_EQ(engine.QueueDepth(), 3u);
  clock_.Set(Find(first[0].id).nextAttemptAt);
  engine.Tick();
  auto requests = transport_.Requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(Header(requests[1], "SC-Event-Id"), first[0].id);
  EXPECT_EQ(Header(requests[2], "SC-Event-Id"), later[0].id);
  EXPECT_EQ(Header(requests[3], "SC-Event-Id"), later[1].id);
  EXPECT_EQ(FindWebhook(webhook.id).status, "enabled");
}

TEST_F(EngineRetryTest, GoneDisablesAtOnce) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  transport_.SetResponder([](const OutboundRequest&) { return HttpResult(410); });
  EngineOptions options;
  options.perEndpointConcurrency = 1;
  auto& engine = MakeEngine(options);
  auto d = Commit(webhook, {{"v1"}, {"v2"}, {"v3"}});
  engine.Enqueue(d);
  engine.Tick();
  EXPECT_EQ(transport_.Count(), 1u);
  const store::Webhook after = FindWebhook(webhook.id);
  EXPECT_EQ(after.status, "disabled");
  EXPECT_EQ(after.disabledReason, "endpoint answered 410 Gone");
  for (const auto& delivery : d) EXPECT_EQ(Find(delivery.id).status, "held");
}

TEST_F(EngineRetryTest, RetryAfterIsHonouredWithinTheScheduleBounds) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  struct Case {
    int status;
    std::optional<int> retryAfter;
    int64_t expectedMs;  // -1: the jittered schedule
  };
  const Case cases[] = {{429, 120, 120'000}, {503, 1, 30'000}, {429, 100'000, 3'600'000},
                        {503, 600, 600'000}, {500, 120, -1},   {429, std::nullopt, -1}};
  for (const Case& c : cases) {
    transport_.SetResponder(
        [c](const OutboundRequest&) { return HttpResult(c.status, c.retryAfter); });
    auto& engine = MakeEngine();
    auto d = Commit(webhook, {{"v1"}});
    engine.Enqueue(d);
    engine.Tick();
    const auto delay = Find(d[0].id).nextAttemptAt - clock_.Now();
    if (c.expectedMs >= 0) {
      EXPECT_EQ(delay.count(), c.expectedMs) << c.status;
    } else {
      EXPECT_GE(delay.count(), 24'000) << c.status;
      EXPECT_LE(delay.count(), 36'000) << c.status;
    }
  }
}

TEST_F(EngineRetryTest, TransportErrorsAndRedirectsAreFailures) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  const TransportResult results[] = {ErrorResult("timeout"), ErrorResult("connection refused"),
                                     HttpResult(301), HttpResult(404)};
  const char* expected[] = {"timeout", "connection refused", "HTTP 301", "HTTP 404"};
  for (size_t i = 0; i < std::size(results); ++i) {
    transport_.SetResponder([&, i](const OutboundRequest&) { return results[i]; });
    auto& engine = MakeEngine();
    auto d = Commit(webhook, {{"v1"}});
    engine.Enqueue(d);
    engine.Tick();
    const store::Delivery stored = Find(d[0].id);
    EXPECT_EQ(stored.status, "pending");
    EXPECT_EQ(stored.lastError, expected[i]);
    auto attempts = Attempts(d[0].id);
    ASSERT_EQ(attempts.size(), 1u);
    EXPECT_EQ(attempts[0].error, expected[i]);
    EXPECT_EQ(attempts[0].statusCode, results[i].statusCode);
  }
}

TEST_F(EngineRetryTest, HeldDeliveriesPastRetentionAreDiscardedAndCounted) {
  auto webhook = AddWebhook("https://receiver.test/hook", "disabled");
  auto& engine = MakeEngine();
  auto d = Commit(webhook, {{"v1"}, {"v2"}});
  engine.Enqueue(d);
  engine.Tick();
  ASSERT_EQ(Find(d[0].id).status, "held");
  clock_.Advance(milliseconds(7LL * 24 * 3'600'000 + 1));
  engine.Tick();
  EXPECT_EQ(Find(d[0].id).status, "discarded");
  EXPECT_EQ(Find(d[1].id).status, "discarded");
  EXPECT_EQ(FindWebhook(webhook.id).discardedCount, 2);
}

// Fails the first N writes of outcomes: nothing is lost, the outcomes land on a later Tick.
TEST_F(EngineRetryTest, FailedOutcomeWritesAreRetried) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  for (int n = 1; n <= 3; ++n) {
    auto& engine = MakeEngine();
    faulty_->FailRecordAttempts(n);
    auto d = Commit(webhook, {{"v1"}, {"v2"}});
    engine.Enqueue(d);
    for (int i = 0; i <= n; ++i) {
      EXPECT_EQ(Find(d[0].id).status, "pending");
      engine.Tick();
    }
    EXPECT_EQ(Find(d[0].id).status, "succeeded") << n;
    EXPECT_EQ(Find(d[1].id).status, "succeeded") << n;
    EXPECT_EQ(transport_.Count(), static_cast<size_t>(2 * n));
  }
}

TEST_F(EngineRetryTest, FailedHoldIsRetriedAtTheNextTick) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  transport_.SetResponder([](const OutboundRequest&) { return HttpResult(410); });
  auto& engine = MakeEngine();
  auto d = Commit(webhook, {{"v1"}});
  auto other = Commit(webhook, {{"v2"}});
  faulty_->FailHoldPending(1);
  engine.Enqueue(d);
  engine.Tick();
  engine.Enqueue(other);  // arrives while disabled
  engine.Tick();
  EXPECT_EQ(FindWebhook(webhook.id).status, "disabled");
  EXPECT_EQ(Find(other[0].id).status, "held");
  EXPECT_EQ(transport_.Count(), 1u);
}

TEST_F(EngineRetryTest, StopWithAttemptsInFlightLeavesThemPending) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  transport_.SetResponder([](const OutboundRequest&) { return std::nullopt; });
  EngineOptions options;
  options.stopGrace = milliseconds(20);
  auto& engine = MakeEngine(options);
  auto d = Commit(webhook, {{"v1"}});
  engine.Enqueue(d);
  engine.Tick();
  ASSERT_EQ(transport_.ParkedCount(), 1u);
  engine_.reset();
  transport_.Stop();  // the late completion must not reach the destroyed engine
  EXPECT_EQ(Find(d[0].id).status, "pending");
}

TEST_F(EngineRetryTest, BackgroundThreadDeliversEverything) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  transport_.SetAsync(true);
  auto& engine = MakeEngine();
  engine.RunInBackground();
  std::vector<std::vector<std::string>> vehicles;
  for (int i = 0; i < 200; ++i) vehicles.push_back({"v" + std::to_string(i % 20)});
  auto d = Commit(webhook, vehicles);
  engine.Enqueue(d);
  bool done = false;
  for (int i = 0; i < 1000 && !done; ++i) {
    std::this_thread::sleep_for(milliseconds(5));
    done = engine.QueueDepth() == 0 && engine.WaitIdle(milliseconds(1'000));
  }
  ASSERT_TRUE(done);
  auto counts = store_->CountDeliveries(webhook.id, core::TimePoint{});
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->succeeded, 200);
  EXPECT_EQ(transport_.Count(), 200u);
}

}  // namespace
}  // namespace dynhook::delivery::test
