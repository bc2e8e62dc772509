#include "scheduler/scheduler.h"

#include <gtest/gtest.h>

#include "metrics/metrics.h"
#include "scheduler/scheduler_fixture.h"

namespace dynhook::scheduler::testing {
namespace {

using V = std::vector<int64_t>;

TEST_F(SchedulerTest, FirstDeliveryAtOnceThenHourlyAnchoredAtTheSubscription) {
  const auto vehicle = NewVehicle("CHEVROLET");
  const auto webhook = NewWebhook();
  clock_.Advance(std::chrono::seconds(17));  // anchor not on a minute boundary
  const auto t0 = clock_.Now();
  Subscribe(webhook, vehicle, NewGrant());
  scheduler_->Tick();
  ASSERT_EQ(Sunk().size(), 1u);
  Run(130);
  // Minute steps land 43 s after each anchor: t0+1h is delivered at the first tick after it.
  EXPECT_EQ(DeliveryMinutes(vehicle, t0), (V{0, 60, 120}));
  const auto sub = store_.Sub(webhook, vehicle);
  EXPECT_EQ(sub.nextDueAt, t0 + std::chrono::hours(3));
  EXPECT_EQ(sub.interval, std::chrono::hours(1));
  EXPECT_EQ(sub.triggerActive, false);
  EXPECT_EQ(scheduler_->Size(), 1u);
}

// TESLA pushes changes and its optimal interval (1 min) is below intervals.elevated (30 min).
TEST_F(SchedulerTest, PushMakePlugInElevatesToTheMakesOptimalInterval) {
  const auto vehicle = NewVehicle("TESLA");
  const auto webhook = NewWebhook();
  const auto t0 = clock_.Now();
  Subscribe(webhook, vehicle, NewGrant());
  scheduler_->Tick();
  Run(10);
  ASSERT_TRUE(sim_.SetOverride(vehicle, {{"isPluggedIn", true}}));   // t0+10: push
  Run(10);                                                           // to t0+20
  ASSERT_TRUE(sim_.SetOverride(vehicle, {{"isPluggedIn", false}}));  // t0+20: push
  Run(60);                                                           // to t0+80
  EXPECT_EQ(DeliveryMinutes(vehicle, t0), (V{0, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 60}));
  // The deliveries right after each change carry the new state.
  auto sunk = Sunk();
  EXPECT_EQ(Item(sunk[1], vehicle, "/charge").at("body").at("isPluggedIn"), true);
  EXPECT_EQ(Item(sunk[11], vehicle, "/charge").at("body").at("isPluggedIn"), false);
  EXPECT_EQ(store_.Sub(webhook, vehicle).interval, std::chrono::hours(1));
}

// CHEVROLET does not push and its optimal interval is 30 min: probes every 30 min, elevated
// interval min(30 min, 30 min).
TEST_F(SchedulerTest, ProbedMakeDetectsChangesWithinItsOptimalInterval) {
  const auto vehicle = NewVehicle("CHEVROLET");
  const auto webhook = NewWebhook();
  const auto t0 = clock_.Now();
  Subscribe(webhook, vehicle, NewGrant());
  scheduler_->Tick();
  Run(10);
  ASSERT_TRUE(sim_.SetOverride(vehicle, {{"isPluggedIn", true}}));   // t0+10
  Run(60);                                                           // to t0+70
  ASSERT_TRUE(sim_.SetOverride(vehicle, {{"isPluggedIn", false}}));  // t0+70
  Run(90);                                                           // to t0+160
  // Probe at t0+30 sees the plug: delivery, then every 30 min; the fetch at t0+90 sees the
  // unplug (20 min after it): back to the hourly grid (t0+120).
  EXPECT_EQ(DeliveryMinutes(vehicle, t0), (V{0, 30, 60, 90, 120}));
  // Probes read /charge only: /battery is read once per delivery.
  EXPECT_EQ(connector_.Reads(vehicle, oem::DataPath::kBattery), 5);
}

// HYUNDAI (15 min, no push) with a 10-minute elevated interval: min(10, 15) = 10.
TEST_F(SchedulerTest, ElevatedIntervalIsTheSmallerOfOptionAndMake) {
  const auto vehicle = NewVehicle("HYUNDAI");
  const auto webhook = NewWebhook(R"({"intervals":{"default":"PT1H","elevated":"PT10M"}})");
  const auto t0 = clock_.Now();
  ASSERT_TRUE(sim_.SetOverride(vehicle, {{"isPluggedIn", true}}));
  Subscribe(webhook, vehicle, NewGrant());
  scheduler_->Tick();
  Run(35);
  EXPECT_EQ(DeliveryMinutes(vehicle, t0), (V{0, 10, 20, 30}));
  EXPECT_EQ(store_.Sub(webhook, vehicle).interval, std::chrono::minutes(10));
}

TEST_F(SchedulerTest, OneFetchServesEveryWebhookDueForTheVehicle) {
  const auto vehicle = NewVehicle("TESLA");
  const auto grant = NewGrant();
  const auto a = NewWebhook();
  const auto b = NewWebhook(R"({"data":["/battery","/odometer"]})");
  const auto c = NewWebhook(R"({"data":["/location"]})");
  for (const auto& webhook : {a, b, c}) Subscribe(webhook, vehicle, grant);
  connector_.Reset();
  scheduler_->Tick();
  ASSERT_EQ(Sunk().size(), 3u);
  for (auto path : {oem::DataPath::kBattery, oem::DataPath::kCharge, oem::DataPath::kLocation,
                    oem::DataPath::kOdometer}) {
    EXPECT_EQ(connector_.Reads(vehicle, path), 1) << oem::PathOf(path);
  }
  EXPECT_EQ(connector_.Total(), 4);
  EXPECT_EQ(store_.commits, 1);  // one transaction for the three deliveries
}

TEST_F(SchedulerTest, DataTheGrantDoesNotAllowIsAPermissionItemAndIsNotRead) {
  const auto vehicle = NewVehicle("TESLA");
  const auto webhook = NewWebhook();
  Subscribe(webhook, vehicle, NewGrant({"read_battery", "read_charge"}));
  scheduler_->Tick();
  ASSERT_EQ(Sunk().size(), 1u);
  const auto item = Item(Sunk()[0], vehicle, "/location");
  EXPECT_EQ(item.at("code"), 403);
  EXPECT_EQ(item.at("body").at("type"), "PERMISSION");
  EXPECT_EQ(item.at("body").at("statusCode"), 403);
  EXPECT_FALSE(item.contains("headers"));
  EXPECT_EQ(Item(Sunk()[0], vehicle, "/battery").at("code"), 200);
  EXPECT_EQ(connector_.Reads(vehicle, oem::DataPath::kLocation), 0);
}

TEST_F(SchedulerTest, AccountErrorsAreDeliveredInTheItemsWithoutRetries) {
  const auto vehicle = NewVehicle("TESLA");
  const auto webhook = NewWebhook();
  ASSERT_TRUE(sim_.SetFault(vehicle, "AUTHENTICATION_FAILED"));
  Subscribe(webhook, vehicle, NewGrant());
  connector_.Reset();
  scheduler_->Tick();
  ASSERT_EQ(Sunk().size(), 1u);
  for (std::string_view path : {"/battery", "/charge", "/location"}) {
    const auto item = Item(Sunk()[0], vehicle, path);
    EXPECT_EQ(item.at("code"), 400);
    EXPECT_EQ(item.at("body").at("type"), "CONNECTED_SERVICES_ACCOUNT");
    EXPECT_EQ(item.at("body").at("code"), "AUTHENTICATION_FAILED");
    EXPECT_EQ(item.at("body").at("resolution").at("type"), "REAUTHENTICATE");
  }
  EXPECT_EQ(connector_.Total(), 1);  // not retried, and the other reads are skipped
  // The schedule goes on (trigger state unknown: default cadence).
  EXPECT_EQ(store_.Sub(webhook, vehicle).nextDueAt, clock_.Now() + std::chrono::hours(1));
}

TEST_F(SchedulerTest, VehicleErrorsGoToTheErrorCallbackUriWhenSet) {
  const auto healthy = NewVehicle("TESLA");
  const auto failing = NewVehicle("TESLA");
  ASSERT_TRUE(sim_.SetFault(failing, "AUTHENTICATION_FAILED"));
  const auto webhook = NewWebhook(R"({"errorCallbackUri":"https://errors.test/hook"})");
  const auto plain = NewWebhook();  // no errorCallbackUri: errors stay in the main payload
  const auto grant = NewGrant();
  for (const auto& w : {webhook, plain}) {
    for (const auto& v : {healthy, failing}) Subscribe(w, v, grant);
  }
  scheduler_->Tick();
  std::vector<store::Delivery> main, errors, other;
  for (const auto& d : Sunk()) {
    if (d.webhookId != webhook) {
      other.push_back(d);
    } else {
      (d.targetUri.empty() ? main : errors).push_back(d);
    }
  }
  ASSERT_EQ(main.size(), 1u);
  EXPECT_EQ(main[0].vehicleIds, (std::vector<std::string>{healthy}));
  EXPECT_EQ(Item(main[0], healthy, "/battery").at("code"), 200);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].targetUri, "https://errors.test/hook");
  EXPECT_EQ(errors[0].vehicleIds, (std::vector<std::string>{failing}));
  EXPECT_EQ(Item(errors[0], failing, "/battery").at("body").at("code"), "AUTHENTICATION_FAILED");
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0].targetUri, "");
  EXPECT_EQ(other[0].vehicleIds.size(), 2u);
}

TEST_F(SchedulerTest, PermissionItemsAloneDoNotMakeAnErrorEntry) {
  const auto vehicle = NewVehicle("TESLA");
  const auto webhook = NewWebhook(R"({"errorCallbackUri":"https://errors.test/hook"})");
  Subscribe(webhook, vehicle, NewGrant({"read_vehicle_info"}));  // every item is PERMISSION
  scheduler_->Tick();
  ASSERT_EQ(Sunk().size(), 1u);
  EXPECT_EQ(Sunk()[0].targetUri, "");
  EXPECT_EQ(Item(Sunk()[0], vehicle, "/battery").at("code"), 403);
}

TEST_F(SchedulerTest, TransientErrorsAreRetriedThenDelivered) {
  const auto vehicle = NewVehicle("TESLA");
  const auto webhook = NewWebhook(R"({"data":["/odometer"]})");
  ASSERT_TRUE(sim_.SetFault(vehicle, "UPSTREAM_TIMEOUT"));
  Subscribe(webhook, vehicle, NewGrant());
  connector_.Reset();
  scheduler_->Tick();
  ASSERT_EQ(Sunk().size(), 1u);
  EXPECT_EQ(Item(Sunk()[0], vehicle, "/odometer").at("body").at("code"), "NO_RESPONSE");
  EXPECT_EQ(Item(Sunk()[0], vehicle, "/odometer").at("code"), 502);
  // /odometer and the trigger's /charge, three attempts each.
  EXPECT_EQ(connector_.Reads(vehicle, oem::DataPath::kOdometer), 3);
  EXPECT_EQ(connector_.Reads(vehicle, oem::DataPath::kCharge), 3);
}

TEST_F(SchedulerTest, RestartCatchesUpOnceThenResumesTheCadence) {
  const auto vehicle = NewVehicle("CHEVROLET");
  const auto a = NewWebhook();
  const auto b = NewWebhook(R"({"intervals":{"default":"PT2H"}})");
  const auto grant = NewGrant();
  const auto t0 = clock_.Now();
  Subscribe(a, vehicle, grant);
  Subscribe(b, vehicle, grant);
  scheduler_->Tick();
  ASSERT_EQ(Sunk().size(), 2u);
  NewScheduler();                         // the process stops ...
  clock_.Advance(std::chrono::hours(5));  // ... for five hours
  ASSERT_TRUE(scheduler_->Load());
  EXPECT_EQ(scheduler_->Size(), 2u);
  EXPECT_EQ(scheduler_->DueBacklog(), 2u);
  scheduler_->Tick();
  EXPECT_EQ(Sunk().size(), 4u);  // one catch-up delivery each, not one per missed interval
  EXPECT_EQ(scheduler_->DueBacklog(), 0u);
  Run(125);
  EXPECT_EQ(DeliveryMinutes(vehicle, t0, a), (V{0, 300, 360, 420}));
  EXPECT_EQ(DeliveryMinutes(vehicle, t0, b), (V{0, 300, 360}));  // 2 h grid: 6 h, then 8 h
}

TEST_F(SchedulerTest, UnsubscribeAndDeletionStopDeliveries) {
  const auto vehicle = NewVehicle("TESLA");
  const auto a = NewWebhook();
  const auto b = NewWebhook();
  const auto grant = NewGrant();
  Subscribe(a, vehicle, grant);
  Subscribe(b, vehicle, grant);
  scheduler_->Tick();
  ASSERT_EQ(Sunk().size(), 2u);
  ASSERT_TRUE(store_.DeleteSubscription(a, vehicle).ok());
  scheduler_->Unsubscribed(a, vehicle);
  ASSERT_TRUE(store_.DeleteWebhook("app-1", b));  // not announced: the next tick finds it gone
  Run(61);
  EXPECT_EQ(Sunk().size(), 2u);
  EXPECT_EQ(scheduler_->Size(), 0u);
}

TEST_F(SchedulerTest, PendingAndDisabledWebhooksKeepTheirSchedule) {
  const auto vehicle = NewVehicle("TESLA");
  const auto pending = NewWebhook("{}", "pending_verification");
  const auto disabled = NewWebhook("{}", "disabled");
  const auto grant = NewGrant();
  Subscribe(pending, vehicle, grant);
  Subscribe(disabled, vehicle, grant);
  scheduler_->Tick();
  EXPECT_EQ(Sunk().size(), 2u);  // created; the delivery engine holds them until verified
}

TEST_F(SchedulerTest, OptionsChangeReschedules) {
  const auto vehicle = NewVehicle("CHEVROLET");
  const auto webhook = NewWebhook();
  const auto t0 = clock_.Now();
  Subscribe(webhook, vehicle, NewGrant());
  scheduler_->Tick();
  auto stored = store_.FindWebhook("", webhook).value();
  stored.optionsJson = R"({"intervals":{"default":"PT20M","elevated":"PT10M"}})";
  ASSERT_TRUE(store_.UpdateWebhook(stored));
  scheduler_->WebhookChanged(webhook);
  Run(45);
  EXPECT_EQ(DeliveryMinutes(vehicle, t0), (V{0, 20, 40}));
}

TEST_F(SchedulerTest, CommitFailureDeliversNothingAndRetries) {
  const auto vehicle = NewVehicle("TESLA");
  const auto webhook = NewWebhook();
  const auto t0 = clock_.Now();
  Subscribe(webhook, vehicle, NewGrant());
  store_.FailNextCommits(1);
  scheduler_->Tick();
  EXPECT_TRUE(Sunk().empty());
  Run(1);
  EXPECT_EQ(DeliveryMinutes(vehicle, t0), (V{1}));
  EXPECT_EQ(store_.Deliveries().size(), 1u);
}

TEST_F(SchedulerTest, BatchesVehiclesDueTogetherWithinMaxPayloadBytes) {
  const auto webhook = NewWebhook(R"({"maxPayloadBytes":2048})");
  const auto grant = NewGrant();
  std::vector<std::string> vehicles;
  for (int i = 0; i < 6; ++i) vehicles.push_back(NewVehicle("TESLA"));
  for (const auto& v : vehicles) Subscribe(webhook, v, grant);
  scheduler_->Tick();
  const auto sunk = Sunk();
  ASSERT_GT(sunk.size(), 1u);
  ASSERT_LT(sunk.size(), vehicles.size());
  std::vector<std::string> seen;
  for (const auto& d : sunk) {
    EXPECT_LE(d.body.size(), 2048u);
    auto body = core::ParseJsonObject(d.body).value();
    const auto& entries = body.at("payload").at("vehicles").as_array();
    ASSERT_EQ(entries.size(), d.vehicleIds.size());
    for (size_t i = 0; i < entries.size(); ++i) {
      EXPECT_EQ(entries[i].at("vehicleId").as_string(), d.vehicleIds[i]);
    }
    seen.insert(seen.end(), d.vehicleIds.begin(), d.vehicleIds.end());
    EXPECT_EQ(body.at("eventId").as_string(), d.id);
  }
  std::sort(seen.begin(), seen.end());
  std::sort(vehicles.begin(), vehicles.end());
  EXPECT_EQ(seen, vehicles);
}

TEST_F(SchedulerTest, PayloadHasTheExactShapeAndKeyOrder) {
  const auto vehicle = NewVehicle("TESLA");
  const auto webhook = NewWebhook(R"({"data":["/charge","/location"]})");
  Subscribe(webhook, vehicle, NewGrant({"read_charge"}, "simulated"));
  scheduler_->Tick();
  ASSERT_EQ(Sunk().size(), 1u);
  const auto sunk = Sunk();
  const auto& d = sunk[0];
  auto body = core::ParseJsonObject(d.body).value();
  EXPECT_EQ(core::Stringify(body), d.body);  // JSON.stringify(JSON.parse(body)) === body
  const auto entry = body.at("payload").at("vehicles").at(0).as_object();
  const std::string requestId(entry.at("requestId").as_string());
  const auto charge = sim_.Read(vehicle, oem::DataPath::kCharge).value();
  const std::string expected =
      R"({"version":"2.0","eventId":")" + d.id + R"(","webhookId":")" + webhook +
      R"(","eventName":"dynamic","mode":"simulated","payload":{"vehicles":[{"vehicleId":")" +
      vehicle + R"(","requestId":")" + requestId +
      R"(","data":[{"path":"/charge","code":200,"body":)" + core::Stringify(charge.body) +
      R"(,"headers":{"sc-data-age":")" + core::FormatIso8601(clock_.Now()) +
      R"(","sc-unit-system":"metric"}},{"path":"/location","code":403,"body":{"type":"PERMISSION","code":null,"description":"This application was not granted the 'read_location' permission for /location.","docURL":"https://dynhook.dev/docs/errors#permission","statusCode":403,"requestId":")" +
      requestId +
      R"(","resolution":{"type":"REAUTHENTICATE"},"suggestedUserMessage":"This application does not have permission to access this data. Please reconnect your vehicle and grant the permission."}}]}]}})";
  EXPECT_EQ(d.body, expected);
  EXPECT_EQ(d.webhookId, webhook);
  EXPECT_EQ(d.applicationId, "app-1");
  EXPECT_EQ(d.status, "pending");
  EXPECT_EQ(d.eventName, "dynamic");
  EXPECT_EQ(d.sequence, 1);
  EXPECT_EQ(d.vehicleIds, std::vector<std::string>{vehicle});
}

TEST_F(SchedulerTest, ReportsMetrics) {
  metrics::Registry registry;
  metrics::PlatformMetrics platform(registry);
  SchedulerOptions options = TestOptions();
  {
    std::lock_guard lock(schedulerMu_);
    scheduler_ = std::make_unique<Scheduler>(
        SchedulerDeps{store_, store_, store_, store_, connector_, clock_, {}, &platform}, options);
  }
  const auto plugged = NewVehicle("TESLA", false);
  ASSERT_TRUE(sim_.SetOverride(plugged, {{"isPluggedIn", true}}));
  const auto faulty = NewVehicle("TESLA");
  ASSERT_TRUE(sim_.SetFault(faulty, "ASLEEP"));
  const auto webhook = NewWebhook();
  const auto grant = NewGrant();
  Subscribe(webhook, plugged, grant);
  Subscribe(webhook, faulty, grant);
  EXPECT_EQ(scheduler_->DueBacklog(), 2u);
  scheduler_->Tick();
  EXPECT_EQ(platform.dueBacklog.Get().Value(), 0);
  EXPECT_EQ(platform.subscriptions.With({"PT1M"}).Value(), 1);  // TESLA elevated
  EXPECT_EQ(platform.subscriptions.With({"PT1H"}).Value(), 1);
  EXPECT_EQ(platform.oemFetches.With({"success"}).Value(), 3);
  EXPECT_EQ(platform.oemFetches.With({"error"}).Value(), 3);  // ASLEEP: not retried
}

TEST_F(SchedulerTest, RunsInTheBackground) {
  const auto vehicle = NewVehicle("TESLA");
  const auto webhook = NewWebhook();
  scheduler_->RunInBackground();
  Subscribe(webhook, vehicle, NewGrant());
  for (int i = 0; i < 2000 && Sunk().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  scheduler_->Stop();
  EXPECT_EQ(Sunk().size(), 1u);
}

}  // namespace
}  // namespace dynhook::scheduler::testing
