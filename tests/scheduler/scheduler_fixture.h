// SchedulerTest: a Scheduler over the real fleet simulator (in-memory fleet store, no latency,
// no rate limit), a counting connector decorator, FakeWebhookStore and a capturing sink, on a
// ManualClock that tests advance minute by minute (an hour of platform time in milliseconds).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "oem/fake_sim_store.h"
#include "oem/simulator.h"
#include "scheduler/fake_webhook_store.h"
#include "scheduler/scheduler.h"
#include "webhooks/options.h"

namespace dynhook::scheduler::testing {

// Counts Read calls per (vehicle, path); can fail reads of one path on its own.
class CountingConnector final : public oem::Connector {
 public:
  explicit CountingConnector(oem::Connector& inner) : inner_(inner) {}
  std::vector<oem::MakeInfo> Makes() const override { return inner_.Makes(); }
  std::optional<oem::MakeInfo> Make(std::string_view make) const override {
    return inner_.Make(make);
  }
  core::Result<oem::Account> Authenticate(std::string_view make, std::string_view user,
                                          std::string_view password, bool create) override {
    return inner_.Authenticate(make, user, password, create);
  }
  core::Result<std::vector<oem::VehicleInfo>> ListVehicles(const std::string& id) override {
    return inner_.ListVehicles(id);
  }
  core::Result<oem::VehicleInfo> GetVehicle(const std::string& id) override {
    return inner_.GetVehicle(id);
  }
  core::Result<oem::Reading> Read(const std::string& vehicleId, oem::DataPath path) override {
    {
      std::lock_guard lock(mu_);
      ++reads_[{vehicleId, path}];
      ++total_;
    }
    return inner_.Read(vehicleId, path);
  }
  core::Status Execute(const std::string& vehicleId, oem::Command command) override {
    return inner_.Execute(vehicleId, command);
  }
  void SetChangeListener(std::function<void(const oem::ChangeEvent&)> listener) override {
    inner_.SetChangeListener(std::move(listener));
  }

  int Reads(const std::string& vehicleId, oem::DataPath path) {
    std::lock_guard lock(mu_);
    return reads_[{vehicleId, path}];
  }
  int Total() {
    std::lock_guard lock(mu_);
    return total_;
  }
  void Reset() {
    std::lock_guard lock(mu_);
    reads_.clear();
    total_ = 0;
  }

 private:
  oem::Connector& inner_;
  std::mutex mu_;
  std::map<std::pair<std::string, oem::DataPath>, int> reads_;  // guarded by mu_
  int total_ = 0;                                               // guarded by mu_
};

inline const std::vector<std::string> kAllScopes = {
    "read_vehicle_info", "read_battery", "read_charge", "read_location",   "read_odometer",
    "read_vin",          "read_fuel",    "read_tires",  "read_engine_oil", "read_security"};

class SchedulerTest : public ::testing::Test {
 protected:
  using Minutes = std::chrono::minutes;

  SchedulerTest() {
    EXPECT_TRUE(sim_.Load());
    sim_.SetChangeListener([this](const oem::ChangeEvent& event) {
      std::lock_guard lock(schedulerMu_);
      if (scheduler_) scheduler_->OnVehicleChanged(event.vehicleId);
    });
    NewScheduler();
  }
  ~SchedulerTest() override {
    sim_.SetChangeListener(nullptr);
    std::lock_guard lock(schedulerMu_);
    scheduler_.reset();
  }

  void NewScheduler(SchedulerOptions options = TestOptions()) {
    std::lock_guard lock(schedulerMu_);
    scheduler_.reset();
    scheduler_ = std::make_unique<Scheduler>(
        SchedulerDeps{store_, store_, store_, store_, connector_, clock_,
                      [this](std::vector<store::Delivery> d) {
                        std::lock_guard lock(sinkMu_);
                        for (auto& delivery : d) sunk_.push_back(std::move(delivery));
                      }},
        options);
  }
  static SchedulerOptions TestOptions() {
    SchedulerOptions options;
    options.fetchBackoff = std::chrono::milliseconds(0);
    options.fetchThreads = 2;
    return options;
  }

  // A vehicle of `make`, pinned unplugged (deterministic trigger state).
  std::string NewVehicle(std::string_view make, bool pinUnplugged = true) {
    auto created = sim_.CreateAccount(make, "user" + std::to_string(++accounts_), "pw", 1);
    EXPECT_TRUE(created.ok());
    const std::string id = created->vehicles.at(0).id;
    if (pinUnplugged) {
      EXPECT_TRUE(sim_.SetOverride(id, {{"isPluggedIn", false}}));
    }
    return id;
  }
  std::string NewGrant(std::vector<std::string> scopes = kAllScopes, std::string mode = "live") {
    store::Grant grant{"grant-" + std::to_string(++grants_),
                       "app-1",
                       "user",
                       "acct",
                       std::move(scopes),
                       std::move(mode),
                       clock_.Now(),
                       ""};
    store_.PutGrant(grant);
    return grant.id;
  }
  std::string NewWebhook(std::string_view optionsJson = "{}", std::string status = "enabled") {
    store::Webhook webhook;
    webhook.id = "wh-" + std::to_string(++webhooks_);
    webhook.applicationId = "app-1";
    webhook.name = webhook.id;
    webhook.callbackUri = "https://receiver.test/hook";
    webhook.status = std::move(status);
    auto options = core::ParseJsonObject(optionsJson);
    EXPECT_TRUE(options.ok());
    auto parsed = webhooks::ParseWebhookOptions(*options);
    EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().description);
    webhook.optionsJson = webhooks::SerializeOptions(*parsed);
    webhook.createdAt = webhook.updatedAt = clock_.Now();
    EXPECT_TRUE(store_.CreateWebhook(webhook));
    return webhook.id;
  }
  void Subscribe(const std::string& webhookId, const std::string& vehicleId,
                 const std::string& grantId) {
    store::Subscription sub;
    sub.webhookId = webhookId;
    sub.vehicleId = vehicleId;
    sub.applicationId = "app-1";
    sub.grantId = grantId;
    sub.createdAt = sub.nextDueAt = clock_.Now();
    bool created = false;
    auto stored = store_.UpsertSubscription(sub, &created);
    ASSERT_TRUE(stored.ok());
    scheduler_->Subscribed(*stored);
  }

  // Advances the clock `minutes` times by a minute, polling OEM pushes and ticking each step.
  void Run(int minutes) {
    for (int i = 0; i < minutes; ++i) {
      clock_.Advance(Minutes(1));
      sim_.PollChanges();
      scheduler_->Tick();
    }
  }
  std::vector<store::Delivery> Sunk() {
    std::lock_guard lock(sinkMu_);
    return sunk_;
  }
  // Minutes since `t0` of every delivery carrying `vehicleId` (and of `webhookId` if given).
  std::vector<int64_t> DeliveryMinutes(const std::string& vehicleId, core::TimePoint t0,
                                       const std::string& webhookId = "") {
    std::vector<int64_t> out;
    for (const auto& d : Sunk()) {
      if (!webhookId.empty() && d.webhookId != webhookId) continue;
      for (const auto& v : d.vehicleIds) {
        if (v == vehicleId) {
          out.push_back(std::chrono::duration_cast<Minutes>(d.createdAt - t0).count());
        }
      }
    }
    return out;
  }
  // The data item `path` of `vehicleId` in a delivery body.
  static boost::json::object Item(const store::Delivery& d, const std::string& vehicleId,
                                  std::string_view path) {
    auto body = core::ParseJsonObject(d.body).value();
    for (const auto& v : body.at("payload").at("vehicles").as_array()) {
      if (v.at("vehicleId").as_string() != vehicleId) continue;
      for (const auto& item : v.at("data").as_array()) {
        if (item.at("path").as_string() == path) return item.as_object();
      }
    }
    ADD_FAILURE() << "no item " << path << " for " << vehicleId;
    return {};
  }

  core::ManualClock clock_;
  core::ManualClock wall_;
  oem::testing::FakeSimFleetStore simStore_;
  oem::Simulator sim_{simStore_, clock_, wall_, 42, oem::SimulatorOptions{.rateLimitPerMinute = 0}};
  CountingConnector connector_{sim_};
  FakeWebhookStore store_;
  std::mutex schedulerMu_;
  std::unique_ptr<Scheduler> scheduler_;  // guarded by schedulerMu_ for the push listener
  std::mutex sinkMu_;
  std::vector<store::Delivery> sunk_;  // guarded by sinkMu_
  int accounts_ = 0, grants_ = 0, webhooks_ = 0;
};

}  // namespace dynhook::scheduler::testing
