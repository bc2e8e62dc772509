// The delivery engine with its real transport (CurlMultiTransport) against fake receivers on
// 127.0.0.1 port 0, on a manual platform clock: the SPEC §4.5 rules over real HTTP.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/json.h"
#include "delivery/curl_transport.h"
#include "delivery/engine.h"
#include "store/store.h"
#include "support/fake_receiver.h"

namespace dynhook::delivery {
namespace {

constexpr const char* kAmt = "amt_loopback";

class EngineLoopback : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore("sqlite::memory:");
    ASSERT_TRUE(opened.ok());
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->Migrate().ok());
    store::Application app{core::NewUuid(),       "app",    core::NewUuid(),         "h",
                           core::Sha256Hex(kAmt), "sealed", {"http://127.0.0.1/cb"}, clock_.Now()};
    ASSERT_TRUE(store_->CreateApplication(app).ok());
    appId_ = app.id;
    CurlTransportOptions options;
    options.allowPrivateAddresses = true;
    transport_ = std::make_unique<CurlMultiTransport>(options);
    engine_ = std::make_unique<DeliveryEngine>(
        EngineDeps{*store_, *store_, *transport_, clock_, random_,
                   [](const store::Webhook&) -> core::Result<SigningKeys> {
                     return SigningKeys{kAmt, ""};
                   }});
    ASSERT_TRUE(engine_->Load().ok());
  }
  void TearDown() override {
    engine_->Stop();
    transport_->Stop();
  }

  store::Webhook AddWebhook(const std::string& uri) {
    store::Webhook w;
    w.id = core::NewUuid();
    w.applicationId = appId_;
    w.name = "hook";
    w.callbackUri = uri;
    w.status = "enabled";
    w.createdAt = w.updatedAt = clock_.Now();
    EXPECT_TRUE(store_->CreateWebhook(w).ok());
    engine_->WebhookChanged(w.id);
    return w;
  }

  std::vector<std::string> Deliver(const store::Webhook& webhook, int count,
                                   const std::string& vehicle = "",
                                   const std::string& targetUri = "") {
    std::vector<store::Delivery> batch;
    for (int i = 0; i < count; ++i) {
      store::Delivery d;
      d.id = core::NewUuid();
      d.webhookId = webhook.id;
      d.applicationId = appId_;
      d.vehicleIds = {vehicle.empty() ? core::NewUuid() : vehicle};
      d.body = R"({"eventId":")" + d.id + R"(","n":)" + std::to_string(i) + "}";
      d.targetUri = targetUri;
      d.createdAt = d.nextAttemptAt = clock_.Now();
      batch.push_back(d);
    }
    EXPECT_TRUE(store_->CommitFetch(batch, {}).ok());
    std::vector<std::string> ids;
    for (const auto& d : batch) ids.push_back(d.id);
    engine_->Enqueue(std::move(batch));
    return ids;
  }

  // Runs what is due now and waits (bounded) for the attempts to complete and be recorded.
  // The tick after the outcomes are written runs the store actions they caused (disable/hold).
  void Step() {
    for (int i = 0; i < 50; ++i) {
      engine_->Tick();
      const bool idle = engine_->WaitIdle(std::chrono::seconds(10));
      engine_->Tick();
      if (idle && engine_->InFlight() == 0) break;
    }
  }

  core::ManualClock clock_;
  core::SeededRandom random_{7};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<CurlMultiTransport> transport_;
  std::unique_ptr<DeliveryEngine> engine_;
  std::string appId_;
};

TEST_F(EngineLoopback, FailingEndpointGetsSevenAttemptsThenDisabledThenReplayedInOrder) {
  std::atomic<int> status{500};
  test::FakeReceiver receiver(
      [&](const http::Request&) { return http::Response::Json(status.load(), "{}"); });
  const auto webhook = AddWebhook(receiver.Url("/hook"));
  // One vehicle: its deliveries are strictly ordered (different vehicles run concurrently).
  const auto first = Deliver(webhook, 1, "vehicle-a");
  Step();
  // Six retries with exponential backoff (30 s x 2^n, +-20 %): advance past each one.
  for (int retry = 0; retry < 6; ++retry) {
    clock_.Advance(std::chrono::milliseconds(static_cast<int64_t>(30'000 * (1 << retry) * 1.21)));
    Step();
  }
  EXPECT_EQ(receiver.RequestCount(), 7u);
  auto disabled = store_->FindWebhook("", webhook.id);
  ASSERT_TRUE(disabled.ok());
  EXPECT_EQ(disabled->status, "disabled");
  EXPECT_NE(disabled->disabledReason.find("HTTP 500"), std::string::npos)
      << disabled->disabledReason;
  // Deliveries falling due while disabled are held, not attempted.
  const auto later = Deliver(webhook, 3, "vehicle-a");
  clock_.Advance(std::chrono::hours(1));
  Step();
  EXPECT_EQ(receiver.RequestCount(), 7u);
  // Re-enabled: the failed one and the held ones arrive, in order.
  status = 200;
  ASSERT_TRUE(engine_->EnableWebhook(webhook.id, /*replay=*/true).ok());
  Step();
  ASSERT_TRUE(receiver.WaitForRequests(11));
  const auto requests = receiver.Requests();
  std::vector<std::string> order;
  for (size_t i = 7; i < requests.size(); ++i) {
    order.emplace_back(*requests[i].Header("SC-Event-Id"));
  }
  std::vector<std::string> expected = first;
  expected.insert(expected.end(), later.begin(), later.end());
  EXPECT_EQ(order, expected);
  for (const auto& id : expected) {
    auto d = store_->FindDelivery("", id);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->status, "succeeded");
  }
}

TEST_F(EngineLoopback, DeliveryWithATargetUriIsPostedThereNotToTheCallbackUri) {
  test::FakeReceiver main([](const http::Request&) { return http::Response::Json(200, "{}"); });
  test::FakeReceiver errors([](const http::Request&) { return http::Response::Json(200, "{}"); });
  const auto webhook = AddWebhook(main.Url("/hook"));
  const auto toErrors = Deliver(webhook, 1, "vehicle-a", errors.Url("/errors"));
  const auto toMain = Deliver(webhook, 1, "vehicle-a");
  Step();
  ASSERT_TRUE(errors.WaitForRequests(1));
  ASSERT_TRUE(main.WaitForRequests(1));
  EXPECT_EQ(errors.RequestCount(), 1u);
  EXPECT_EQ(main.RequestCount(), 1u);
  EXPECT_EQ(errors.Requests()[0].target, "/errors");
  EXPECT_NE(errors.Requests()[0].body.find(toErrors[0]), std::string::npos);
  EXPECT_NE(main.Requests()[0].body.find(toMain[0]), std::string::npos);
  EXPECT_EQ(store_->FindDelivery("", toErrors[0])->status, "succeeded");
  EXPECT_EQ(store_->FindDelivery("", toErrors[0])->targetUri, errors.Url("/errors"));
  EXPECT_EQ(store_->FindDelivery("", toMain[0])->status, "succeeded");
}

TEST_F(EngineLoopback, GoneDisablesAtOnce) {
  test::FakeReceiver receiver([](const http::Request&) { return http::Response::Json(410, "{}"); });
  const auto webhook = AddWebhook(receiver.Url("/hook"));
  Deliver(webhook, 2, "vehicle-a");
  Step();
  EXPECT_EQ(receiver.RequestCount(), 1u);  // the second waits behind the first, then is held
  EXPECT_EQ(store_->FindWebhook("", webhook.id)->status, "disabled");
}

TEST_F(EngineLoopback, SignedHeadersArriveAndRedirectsAreFailures) {
  test::FakeReceiver receiver([](const http::Request&) {
    return http::Response::Redirect("http://127.0.0.1:1/elsewhere");
  });
  const auto webhook = AddWebhook(receiver.Url("/hook"));
  const auto ids = Deliver(webhook, 1);
  Step();
  ASSERT_EQ(receiver.RequestCount(), 1u);
  const auto request = receiver.Requests()[0];
  EXPECT_EQ(request.Header("SC-Signature").value_or(""), core::HmacSha256Hex(kAmt, request.body));
  EXPECT_EQ(request.Header("SC-Event-Id").value_or(""), ids[0]);
  auto attempts = store_->ListAttempts(ids[0]);
  ASSERT_TRUE(attempts.ok());
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ((*attempts)[0].statusCode, 302);
  EXPECT_EQ(store_->FindDelivery("", ids[0])->status, "pending");  // will be retried
}

TEST_F(EngineLoopback, SlowEndpointDoesNotHoldUpAFastOne) {
  std::atomic<bool> release{false};
  test::FakeReceiver slow([&](const http::Request&) {
    for (int i = 0; i < 1000 && !release.load(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return http::Response::Json(200, "{}");
  });
  test::FakeReceiver fast;
  const auto slowHook = AddWebhook(slow.Url("/hook"));
  const auto fastHook = AddWebhook(fast.Url("/hook"));
  Deliver(slowHook, 20);
  const auto fastIds = Deliver(fastHook, 100);
  engine_->Tick();
  // All of the fast endpoint's deliveries complete while the slow one is still stuck.
  for (int i = 0; i < 200 && fast.RequestCount() < 100; ++i) {
    engine_->Tick();
    fast.WaitForRequests(100, std::chrono::milliseconds(50));
  }
  EXPECT_EQ(fast.RequestCount(), 100u);
  EXPECT_LT(slow.RequestCount(), 20u);
  release = true;
  Step();
}

}  // namespace
}  // namespace dynhook::delivery
