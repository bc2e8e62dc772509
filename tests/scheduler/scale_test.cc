// 100k subscriptions in one heap of compact entries, no timer per subscription. Counts only;
// no timing assertions.
#include <gtest/gtest.h>

#include "scheduler/fake_webhook_store.h"
#include "scheduler/scheduler.h"

namespace dynhook::scheduler::testing {
namespace {

// Answers every read at once with fixed bodies; one slow make without push.
class InstantConnector final : public oem::Connector {
 public:
  std::vector<oem::MakeInfo> Makes() const override { return {*Make("SLOW")}; }
  std::optional<oem::MakeInfo> Make(std::string_view) const override {
    oem::MakeInfo make;
    make.make = "SLOW";
    make.optimalInterval = std::chrono::minutes(30);
    return make;
  }
  core::Result<oem::Account> Authenticate(std::string_view, std::string_view, std::string_view,
                                          bool) override {
    return core::errors::Internal("unused");
  }
  core::Result<std::vector<oem::VehicleInfo>> ListVehicles(const std::string&) override {
    return core::errors::Internal("unused");
  }
  core::Result<oem::VehicleInfo> GetVehicle(const std::string& id) override {
    return oem::VehicleInfo{id, "acct", "SLOW", "M", 2024, "VIN"};
  }
  core::Result<oem::Reading> Read(const std::string&, oem::DataPath path) override {
    ++reads;
    boost::json::object body;
    if (path == oem::DataPath::kCharge) {
      body["isPluggedIn"] = false;
      body["state"] = "NOT_CHARGING";
    } else {
      body["value"] = 1;
    }
    return oem::Reading{body, core::FromMillis(0), core::FromMillis(0)};
  }
  core::Status Execute(const std::string&, oem::Command) override { return {}; }
  void SetChangeListener(std::function<void(const oem::ChangeEvent&)>) override {}
  std::atomic<int64_t> reads{0};
};

TEST(SchedulerScale, HundredThousandSubscriptionsShareOneHeap) {
  constexpr int kWebhooks = 100, kVehicles = 1000;
  core::ManualClock clock;
  FakeWebhookStore store;
  InstantConnector connector;
  store.PutGrant(
      store::Grant{"g", "app", "u", "a", {"read_battery", "read_charge"}, "live", clock.Now(), ""});
  for (int w = 0; w < kWebhooks; ++w) {
    store::Webhook webhook;
    webhook.id = "wh" + std::to_string(w);
    webhook.applicationId = "app";
    webhook.status = "enabled";
    webhook.optionsJson = R"({"data":["/battery"]})";
    ASSERT_TRUE(store.CreateWebhook(webhook));
    for (int v = 0; v < kVehicles; ++v) {
      // Subscribed during the last hour, spread over it; each already fetched once.
      const core::TimePoint created =
          clock.Now() - std::chrono::seconds((w * kVehicles + v) % 3600);
      store::Subscription sub;
      sub.webhookId = webhook.id;
      sub.vehicleId = "v" + std::to_string(v);
      sub.applicationId = "app";
      sub.grantId = "g";
      sub.createdAt = created;
      sub.nextDueAt = created + std::chrono::hours(1);
      sub.lastFetchAt = created;
      sub.triggerActive = false;
      ASSERT_TRUE(store.UpsertSubscription(sub, nullptr).ok());
    }
  }
  size_t delivered = 0;
  Scheduler scheduler(SchedulerDeps{store, store, store, store, connector, clock,
                                    [&](std::vector<store::Delivery> d) {
                                      for (const auto& x : d) delivered += x.vehicleIds.size();
                                    }});
  ASSERT_TRUE(scheduler.Load());
  EXPECT_EQ(scheduler.Size(), 100'000u);
  EXPECT_EQ(scheduler.HeapEntries(), 100'000u);
  EXPECT_EQ(scheduler.DueBacklog(), 0u);
  for (int minute = 1; minute <= 10; ++minute) {
    clock.Advance(std::chrono::minutes(1));
    scheduler.Tick();
    EXPECT_EQ(scheduler.Size(), 100'000u);
    EXPECT_LE(scheduler.HeapEntries(), 2 * 100'000u + 1024);
    EXPECT_EQ(scheduler.DueBacklog(), 0u);
  }
  // Due within ten minutes (and the 1 s batch window): offsets 2999..3599 s of each 3600.
  EXPECT_EQ(delivered, 27u * 601u);
}

}  // namespace
}  // namespace dynhook::scheduler::testing
