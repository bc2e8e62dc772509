// DeliveryEngine: the happy path, headers, webhook states, ordering and concurrency, resend,
// restart, events and metrics. Failures and retries are in engine_retry_test.cc.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "core/json.h"
#include "delivery/engine_fixture.h"

namespace dynhook::delivery::test {
namespace {

using std::chrono::milliseconds;

TEST_F(EngineTest, SuccessfulAttemptSignsSendsAndRecords) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  auto& engine = MakeEngine();
  auto deliveries = Commit(webhook, {{"v1"}});
  engine.Enqueue(deliveries);
  engine.Tick();

  ASSERT_EQ(transport_.Count(), 1u);
  const OutboundRequest request = transport_.Requests()[0];
  EXPECT_EQ(request.url, "https://receiver.test/hook");
  EXPECT_EQ(request.body, deliveries[0].body);
  EXPECT_EQ(Header(request, "Content-Type"), "application/json");
  EXPECT_EQ(Header(request, "User-Agent"), "dynhook/" DYNHOOK_VERSION);
  EXPECT_EQ(Header(request, "SC-Signature"), core::HmacSha256Hex(kAmt, request.body));
  EXPECT_EQ(Header(request, "SC-Event-Id"), deliveries[0].id);
  EXPECT_EQ(Header(request, "webhook-signature"), "");  // Standard Webhooks off
  EXPECT_EQ(request.timeout, milliseconds(15'000));

  const store::Delivery stored = Find(deliveries[0].id);
  EXPECT_EQ(stored.status, "succeeded");
  EXPECT_EQ(stored.attemptCount, 1);
  auto attempts = Attempts(deliveries[0].id);
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].number, 1);
  EXPECT_EQ(attempts[0].statusCode, 200);
  EXPECT_EQ(attempts[0].latencyMs, 12);
  EXPECT_EQ(attempts[0].responseExcerpt, "status 200");
  EXPECT_EQ(engine.QueueDepth(), 0u);
  EXPECT_EQ(engine.InFlight(), 0u);
}

TEST_F(EngineTest, StandardWebhooksHeadersUseWallClockSeconds) {
  const std::string secret = "whsec_" + core::Base64Encode("0123456789abcdef0123456789abcdef");
  auto webhook = AddWebhook("https://receiver.test/hook", "enabled", secret);
  auto& engine = MakeEngine();
  auto deliveries = Commit(webhook, {{"v1"}});
  engine.Enqueue(deliveries);
  engine.Tick();
  ASSERT_EQ(transport_.Count(), 1u);
  const OutboundRequest request = transport_.Requests()[0];
  const int64_t seconds = core::ToMillis(wall_.Now()) / 1000;
  EXPECT_EQ(Header(request, "webhook-id"), deliveries[0].id);
  EXPECT_EQ(Header(request, "webhook-timestamp"), std::to_string(seconds));
  const auto expected = StandardWebhookHeaders(secret, deliveries[0].id, seconds, request.body);
  EXPECT_EQ(Header(request, "webhook-signature"), expected[2].second);
}

TEST_F(EngineTest, PendingVerificationWaitsUntilEnabled) {
  auto webhook = AddWebhook("https://receiver.test/hook", "pending_verification");
  auto& engine = MakeEngine();
  auto deliveries = Commit(webhook, {{"v1"}, {"v2"}});
  engine.Enqueue(deliveries);
  engine.Tick();
  clock_.Advance(milliseconds(3'600'000));
  engine.Tick();
  EXPECT_EQ(transport_.Count(), 0u);
  EXPECT_EQ(Find(deliveries[0].id).status, "pending");
  EXPECT_EQ(engine.QueueDepth(), 2u);

  webhook.status = "enabled";
  ASSERT_TRUE(store_->UpdateWebhook(webhook).ok());
  engine.WebhookChanged(webhook.id);
  engine.Tick();
  EXPECT_EQ(transport_.Count(), 2u);
  EXPECT_EQ(Find(deliveries[1].id).status, "succeeded");
}

TEST_F(EngineTest, DisabledWebhookHoldsDeliveriesWithoutAttempts) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  auto& engine = MakeEngine();
  webhook.status = "disabled";
  webhook.disabledReason = "disabled by hand";
  ASSERT_TRUE(store_->UpdateWebhook(webhook).ok());
  engine.WebhookChanged(webhook.id);
  auto deliveries = Commit(webhook, {{"v1"}, {"v2"}});
  engine.Enqueue(deliveries);
  engine.Tick();
  EXPECT_EQ(transport_.Count(), 0u);
  EXPECT_EQ(Find(deliveries[0].id).status, "held");
  EXPECT_EQ(Find(deliveries[1].id).status, "held");
  EXPECT_EQ(engine.QueueDepth(), 0u);
}

TEST_F(EngineTest, PerVehicleOrderWithConcurrency) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  transport_.SetResponder([](const OutboundRequest&) { return std::nullopt; });  // park all
  EngineOptions options;
  options.perEndpointConcurrency = 4;
  auto& engine = MakeEngine(options);
  auto d = Commit(webhook, {{"A"}, {"A"}, {"B"}, {"C", "A"}, {"D"}, {"E"}, {"F"}});
  engine.Enqueue(d);
  engine.Tick();
  // A#0, B, D, E start; A#1 and {C,A} wait for A#0; F waits for a free slot.
  std::vector<std::string> started;
  for (const auto& r : transport_.ParkedRequests()) started.push_back(Header(r, "SC-Event-Id"));
  EXPECT_EQ(started, (std::vector<std::string>{d[0].id, d[2].id, d[4].id, d[5].id}));
  EXPECT_EQ(engine.InFlight(), 4u);

  transport_.CompleteParked(0, HttpResult(200));  // A#0 done
  engine.Tick();
  auto parked = transport_.ParkedRequests();
  ASSERT_EQ(parked.size(), 4u);
  EXPECT_EQ(Header(parked[3], "SC-Event-Id"), d[1].id);  // A#1, not {C,A} and not F first
}

// Random completion order: never two deliveries of a vehicle in flight, and each vehicle's
// deliveries are sent in sequence order.
TEST_F(EngineTest, RandomCompletionOrderKeepsPerVehicleOrder) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  transport_.SetResponder([](const OutboundRequest&) { return std::nullopt; });
  auto& engine = MakeEngine();
  std::vector<std::vector<std::string>> vehicles;
  for (int i = 0; i < 60; ++i) vehicles.push_back({"v" + std::to_string(i % 5)});
  auto d = Commit(webhook, vehicles);
  std::map<std::string, int> index;
  for (size_t i = 0; i < d.size(); ++i) index[d[i].id] = static_cast<int>(i);
  engine.Enqueue(d);
  std::map<std::string, int> lastSent;  // vehicle -> index of its last sent delivery
  size_t seen = 0;
  core::SeededRandom pick(9);
  for (int round = 0; round < 200 && seen < d.size(); ++round) {
    engine.Tick();
    auto all = transport_.Requests();
    for (; seen < all.size(); ++seen) {
      const int i = index[Header(all[seen], "SC-Event-Id")];
      const std::string v = vehicles[static_cast<size_t>(i)][0];
      EXPECT_LT(lastSent.contains(v) ? lastSent[v] : -1, i);
      lastSent[v] = i;
    }
    std::set<std::string> inFlight;
    for (const auto& r : transport_.ParkedRequests()) {
      const std::string v = vehicles[static_cast<size_t>(index[Header(r, "SC-Event-Id")])][0];
      EXPECT_TRUE(inFlight.insert(v).second) << "two deliveries of " << v << " in flight";
    }
    if (transport_.ParkedCount() > 0) {
      transport_.CompleteParked(pick.NextU64() % transport_.ParkedCount(), HttpResult(204));
    }
  }
  EXPECT_EQ(seen, d.size());
  EXPECT_GT(transport_.Count(), 0u);
}

TEST_F(EngineTest, SlowEndpointDoesNotBlockAnother) {
  auto slow = AddWebhook("https://slow.test/hook");
  auto fast = AddWebhook("https://fast.test/hook");
  transport_.SetResponder([](const OutboundRequest& r) -> std::optional<TransportResult> {
    if (r.url.starts_with("https://slow.test")) return std::nullopt;  // never answers
    return HttpResult(200);
  });
  transport_.SetAsync(true);
  EngineOptions options;
  options.stopGrace = milliseconds(0);
  auto& engine = MakeEngine(options);
  engine.RunInBackground();
  std::vector<std::vector<std::string>> vehicles;
  for (int i = 0; i < 40; ++i) vehicles.push_back({"v" + std::to_string(i)});
  auto slowDeliveries = Commit(slow, vehicles);
  auto fastDeliveries = Commit(fast, vehicles);
  engine.Enqueue(slowDeliveries);
  engine.Enqueue(fastDeliveries);
  bool allDone = false;
  for (int i = 0; i < 500 && !allDone; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
    auto counts = store_->CountDeliveries(fast.id, core::TimePoint{});
    allDone = counts.ok() && counts->succeeded == 40;
  }
  EXPECT_TRUE(allDone);
  EXPECT_EQ(transport_.ParkedCount(), 8u);  // the slow endpoint's concurrency, no more
  EXPECT_EQ(Find(slowDeliveries[0].id).status, "pending");
}

TEST_F(EngineTest, ResendAttemptsAgainWithTheSameEventId) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  auto& engine = MakeEngine();
  auto d = Commit(webhook, {{"v1"}});
  engine.Enqueue(d);
  engine.Tick();
  ASSERT_EQ(Find(d[0].id).status, "succeeded");

  ASSERT_TRUE(engine.Resend(Find(d[0].id)).ok());
  engine.Tick();
  auto requests = transport_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(Header(requests[1], "SC-Event-Id"), d[0].id);
  EXPECT_EQ(requests[1].body, requests[0].body);
  auto attempts = Attempts(d[0].id);
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[1].number, 2);
  EXPECT_EQ(Find(d[0].id).status, "succeeded");
  auto page = store_->ListDeliveries(webhook.id, "", 10, "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 1u);  // no new delivery row
}

// An acknowledged resend survives a crash before its attempt: it is requeued in the store
// (pending, at the end of the webhook's order) before Resend returns.
TEST_F(EngineTest, ResendIsDurableBeforeItsAttempt) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  auto d = Commit(webhook, {{"v1"}, {"v2"}});
  {
    auto& engine = MakeEngine();
    engine.Enqueue(d);
    engine.Tick();
    ASSERT_EQ(Find(d[0].id).status, "succeeded");
    ASSERT_TRUE(engine.Resend(Find(d[0].id)).ok());
    const store::Delivery requeued = Find(d[0].id);
    EXPECT_EQ(requeued.status, "pending");
    EXPECT_GT(requeued.sequence, d[1].sequence);  // newest first in the delivery log
    EXPECT_EQ(requeued.body, d[0].body);
  }
  engine_.reset();  // "crash" before the resend's attempt
  const size_t before = transport_.Count();
  auto& engine = MakeEngine();
  ASSERT_TRUE(engine.Load().ok());
  engine.Tick();
  ASSERT_EQ(transport_.Count(), before + 1);
  EXPECT_EQ(Header(transport_.Requests().back(), "SC-Event-Id"), d[0].id);
  EXPECT_EQ(Find(d[0].id).status, "succeeded");
  EXPECT_EQ(Attempts(d[0].id).size(), 2u);
}

TEST_F(EngineTest, ResendToDisabledWebhookIsAConflict) {
  auto webhook = AddWebhook("https://receiver.test/hook", "disabled");
  auto& engine = MakeEngine();
  auto d = Commit(webhook, {{"v1"}});
  auto status = engine.Resend(d[0]);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().status, 409);
  EXPECT_EQ(transport_.Count(), 0u);
}

TEST_F(EngineTest, LoadAfterRestartResumesPendingAndKeepsHeld) {
  auto failing = AddWebhook("https://failing.test/hook");
  auto disabled = AddWebhook("https://disabled.test/hook", "disabled");
  transport_.SetResponder([](const OutboundRequest&) { return HttpResult(500); });
  auto pending = Commit(failing, {{"v1"}, {"v2"}});
  auto held = Commit(disabled, {{"v3"}});
  {
    auto& engine = MakeEngine();
    ASSERT_TRUE(engine.Load().ok());
    engine.Enqueue(pending);
    engine.Tick();  // both start at once and fail
    clock_.Advance(milliseconds(3'600'000));
    engine.Tick();  // the probe fails again
  }
  engine_.reset();  // "crash"
  EXPECT_EQ(Find(pending[0].id).attemptCount, 2);
  EXPECT_EQ(Find(held[0].id).status, "held");  // Load held the disabled webhook's delivery

  transport_.SetResponder(nullptr);  // 200 from now on
  const size_t before = transport_.Count();
  auto& engine = MakeEngine();
  ASSERT_TRUE(engine.Load().ok());
  EXPECT_EQ(engine.QueueDepth(), 2u);
  clock_.Advance(milliseconds(3'600'000));
  engine.Tick();
  EXPECT_EQ(transport_.Count(), before + 2);
  EXPECT_EQ(Find(pending[0].id).status, "succeeded");
  EXPECT_EQ(Attempts(pending[0].id).back().number, 3);  // attempt count preserved
  EXPECT_EQ(Find(pending[1].id).status, "succeeded");
  EXPECT_EQ(Find(held[0].id).status, "held");
}

TEST_F(EngineTest, DeletedWebhookStartsNothingMoreAndLetsTheAttemptInFlightFinish) {
  auto webhook = AddWebhook("https://receiver.test/hook");
  transport_.SetResponder([](const OutboundRequest&) { return std::nullopt; });
  EngineOptions options;
  options.perEndpointConcurrency = 1;
  auto& engine = MakeEngine(options);
  auto d = Commit(webhook, {{"v1"}, {"v2"}});
  engine.Enqueue(d);
  engine.Tick();
  ASSERT_EQ(transport_.ParkedCount(), 1u);
  ASSERT_TRUE(store_->DeleteWebhook(appId_, webhook.id).ok());
  engine.WebhookChanged(webhook.id);
  EXPECT_EQ(engine.QueueDepth(), 0u);
  transport_.CompleteParked(0, HttpResult(500));
  clock_.Advance(milliseconds(3'600'000));
  engine.Tick();
  engine.Enqueue({d[1]});  // a late hand-in for the deleted webhook is ignored
  engine.Tick();
  EXPECT_EQ(transport_.Count(), 1u);
  EXPECT_EQ(engine.InFlight(), 0u);
  EXPECT_EQ(Find(d[0].id).status, "cancelled");
  EXPECT_EQ(Attempts(d[0].id).size(), 1u);
}

TEST_F(EngineTest, NewCallbackUriForgetsTheFailingState) {
  auto webhook = AddWebhook("https://old.test/hook");
  transport_.SetResponder([](const OutboundRequest& r) {
    return HttpResult(r.url.starts_with("https://old.test") ? 500 : 200);
  });
  auto& engine = MakeEngine();
  auto d = Commit(webhook, {{"v1"}});
  engine.Enqueue(d);
  engine.Tick();
  ASSERT_EQ(Find(d[0].id).status, "pending");
  webhook.callbackUri = "https://new.test/hook";
  ASSERT_TRUE(store_->UpdateWebhook(webhook).ok());
  engine.WebhookChanged(webhook.id);
  engine.Tick();  // due at once at the new address, no backoff wait
  auto requests = transport_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].url, "https://new.test/hook");
  EXPECT_EQ(Find(d[0].id).status, "succeeded");
}

TEST_F(EngineTest, PublishesDeliveryEventsAndCountsMetrics) {
  metrics::Registry registry;
  metrics_ = std::make_unique<metrics::PlatformMetrics>(registry);
  auto webhook = AddWebhook("https://receiver.test/hook");
  auto& engine = MakeEngine();
  auto d = Commit(webhook, {{"v1", "v2"}});
  engine.Enqueue(d);
  engine.Tick();
  auto events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "delivery");
  EXPECT_EQ(events[0].applicationId, appId_);
  auto json = core::ParseJsonObject(events[0].json);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json->at("type").as_string(), "delivery");
  EXPECT_EQ(json->at("deliveryId").as_string(), d[0].id);
  EXPECT_EQ(json->at("webhookId").as_string(), webhook.id);
  EXPECT_EQ(json->at("status").as_string(), "succeeded");
  EXPECT_EQ(json->at("statusCode").as_int64(), 200);
  EXPECT_EQ(json->at("attempt").as_int64(), 1);
  EXPECT_EQ(json->at("latencyMs").as_int64(), 12);
  EXPECT_EQ(json->at("vehicleIds").as_array().size(), 2u);
  EXPECT_EQ(json->at("at").as_string(), core::FormatIso8601(clock_.Now()));
  EXPECT_EQ(metrics_->deliveries.With({"success"}).Value(), 1);
  EXPECT_EQ(metrics_->attemptLatency.Get().Snap().count, 1u);
  EXPECT_EQ(metrics_->queueDepth.Get().Value(), 0);
  engine_.reset();
}

}  // namespace
}  // namespace dynhook::delivery::test
