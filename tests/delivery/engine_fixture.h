// EngineTest: a DeliveryEngine over SQLite in memory (behind FaultyDeliveryStore), a
// ManualClock, a seeded Random, a FakeTransport and an EventBus that records events. Helpers
// create webhooks and commit deliveries the way the scheduler does (CommitFetch, then Enqueue).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/random.h"
#include "delivery/engine.h"
#include "delivery/fake_delivery_store.h"
#include "delivery/fake_transport.h"
#include "metrics/metrics.h"
#include "store/store.h"
#include "webhooks/event_bus.h"

namespace dynhook::delivery::test {

inline constexpr const char* kAmt = "amt_0123456789abcdef";

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore("sqlite::memory:");
    ASSERT_TRUE(opened.ok()) << opened.error().description;
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->Migrate().ok());
    faulty_ = std::make_unique<FaultyDeliveryStore>(*store_);
    store::Application app;
    app.id = core::NewUuid(random_);
    app.name = "test app";
    app.clientId = core::NewUuid(random_);
    app.clientSecretHash = core::Sha256Hex("secret");
    app.managementTokenHash = core::Sha256Hex(kAmt);
    app.managementTokenSealed = "sealed";
    app.createdAt = clock_.Now();
    auto created = store_->CreateApplication(app);
    ASSERT_TRUE(created.ok()) << created.error().description;
    appId_ = app.id;
    bus_.Subscribe(appId_, [this](const webhooks::Event& event) {
      std::lock_guard lock(eventsMu_);
      events_.push_back(event);
    });
  }

  void TearDown() override {
    transport_.Stop();  // completes parked requests, so the engine's Stop need not wait
    engine_.reset();
  }

  // A webhook with `status`; `secret` non-empty turns Standard Webhooks on (the test key
  // lookup reads the plain secret from signingSecretSealed).
  store::Webhook AddWebhook(const std::string& uri, const std::string& status = "enabled",
                            const std::string& secret = "") {
    store::Webhook webhook;
    webhook.id = core::NewUuid(random_);
    webhook.applicationId = appId_;
    webhook.name = "hook";
    webhook.callbackUri = uri;
    webhook.status = status;
    webhook.signingSecretSealed = secret;
    webhook.createdAt = webhook.updatedAt = clock_.Now();
    EXPECT_TRUE(store_->CreateWebhook(webhook).ok());
    return webhook;
  }

  // Commits one delivery per entry of `vehicles` (each a list of vehicle ids), in order.
  std::vector<store::Delivery> Commit(const store::Webhook& webhook,
                                      const std::vector<std::vector<std::string>>& vehicles) {
    std::vector<store::Delivery> deliveries;
    for (const auto& ids : vehicles) {
      store::Delivery d;
      d.id = core::NewUuid(random_);
      d.webhookId = webhook.id;
      d.applicationId = appId_;
      d.vehicleIds = ids;
      d.body = R"({"version":"2.0","eventId":")" + d.id + R"(","n":)" +
               std::to_string(deliveries.size()) + "}";
      d.createdAt = d.nextAttemptAt = clock_.Now();
      deliveries.push_back(std::move(d));
    }
    EXPECT_TRUE(store_->CommitFetch(deliveries, {}).ok());
    return deliveries;
  }

  DeliveryEngine& MakeEngine(EngineOptions options = {}) {
    engine_.reset();
    EngineDeps deps{*faulty_,
                    *store_,
                    transport_,
                    clock_,
                    random_,
                    [](const store::Webhook& w) -> core::Result<SigningKeys> {
                      return SigningKeys{kAmt, w.signingSecretSealed};
                    }};
    deps.events = &bus_;
    deps.metrics = metrics_.get();
    deps.wallClock = &wall_;
    engine_ = std::make_unique<DeliveryEngine>(std::move(deps), options);
    return *engine_;
  }

  store::Delivery Find(const std::string& id) {
    auto d = store_->FindDelivery("", id);
    EXPECT_TRUE(d.ok());
    return d.ok() ? *d : store::Delivery{};
  }
  store::Webhook FindWebhook(const std::string& id) {
    auto w = store_->FindWebhook("", id);
    EXPECT_TRUE(w.ok());
    return w.ok() ? *w : store::Webhook{};
  }
  std::vector<store::DeliveryAttempt> Attempts(const std::string& id) {
    auto a = store_->ListAttempts(id);
    EXPECT_TRUE(a.ok());
    return a.ok() ? *a : std::vector<store::DeliveryAttempt>{};
  }
  std::vector<webhooks::Event> Events() {
    std::lock_guard lock(eventsMu_);
    return events_;
  }
  static std::string Header(const OutboundRequest& request, const std::string& name) {
    for (const auto& [key, value] : request.headers) {
      if (key == name) return value;
    }
    return "";
  }

  core::ManualClock clock_;
  core::ManualClock wall_{core::FromMillis(1'700'000'000'000)};
  core::SeededRandom random_{42};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<FaultyDeliveryStore> faulty_;
  FakeTransport transport_;
  webhooks::EventBus bus_;
  std::unique_ptr<metrics::PlatformMetrics> metrics_;
  std::unique_ptr<DeliveryEngine> engine_;
  std::string appId_;
  std::mutex eventsMu_;
  std::vector<webhooks::Event> events_;  // guarded by eventsMu_
};

}  // namespace dynhook::delivery::test
