#include "oem/simulator.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <thread>

#include "core/ids.h"
#include "oem/fake_sim_store.h"

namespace dynhook::oem {
namespace {

namespace json = boost::json;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class SimulatorTest : public ::testing::Test {
 protected:
  std::unique_ptr<Simulator> NewSimulator(SimulatorOptions options = {}) {
    auto sim = std::make_unique<Simulator>(store_, platform_, wall_, 1234, options);
    EXPECT_TRUE(sim->Load());
    return sim;
  }

  VehicleInfo CreateVehicle(std::string_view make, std::string_view username = "owner") {
    auto created = sim_->CreateAccount(make, username, "secret", 1);
    EXPECT_TRUE(created) << (created ? "" : created.error().description);
    return created->vehicles.at(0);
  }

  json::object State(const std::string& id) { return sim_->GetState(id).value(); }

  // Advances the platform clock minute by minute (at most three days) until `done` holds.
  template <class Pred>
  void AdvanceUntil(const std::string& id, Pred done) {
    for (int i = 0; i < 3 * 24 * 60 && !done(State(id)); ++i) platform_.Advance(minutes(1));
    ASSERT_TRUE(done(State(id))) << "condition never reached";
  }

  json::object ReadBody(const std::string& id, DataPath path) {
    auto reading = sim_->Read(id, path);
    EXPECT_TRUE(reading) << (reading ? "" : reading.error().Name());
    return reading ? reading->body : json::object{};
  }

  testing::FakeSimFleetStore store_;
  core::ManualClock platform_;
  core::ManualClock wall_;
  std::unique_ptr<Simulator> sim_ = NewSimulator();
};

void ExpectError(const core::Error& e, std::string_view type, std::string_view code, int status) {
  EXPECT_EQ(e.type, type);
  EXPECT_EQ(e.code, code);
  EXPECT_EQ(e.status, status);
}

TEST_F(SimulatorTest, CreateAccountMakesVehiclesOfTheMake) {
  auto created = sim_->CreateAccount("tesla", "alice", "pw", 3);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->account.make, "TESLA");
  EXPECT_EQ(created->account.username, "alice");
  ASSERT_EQ(created->vehicles.size(), 3u);
  for (const auto& v : created->vehicles) {
    EXPECT_TRUE(core::IsUuid(v.id));
    EXPECT_EQ(v.make, "TESLA");
    EXPECT_EQ(v.accountId, created->account.id);
    EXPECT_TRUE(IsValidVin(v.vin));
    EXPECT_EQ(sim_->GetVehicle(v.id)->vin, v.vin);
  }
  auto listed = sim_->ListVehicles(created->account.id);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->size(), 3u);
  EXPECT_FALSE(sim_->ListVehicles("nope"));
}

TEST_F(SimulatorTest, CreateAccountValidates) {
  ExpectError(sim_->CreateAccount("DELOREAN", "a", "pw", 1).error(), "VALIDATION", "PARAMETER",
              400);
  EXPECT_EQ(sim_->CreateAccount("TESLA", "a", "pw", 0).error().type, "VALIDATION");
  EXPECT_EQ(sim_->CreateAccount("TESLA", "a", "pw", 51).error().type, "VALIDATION");
  EXPECT_EQ(sim_->CreateAccount("TESLA", "", "pw", 1).error().type, "VALIDATION");
  ASSERT_TRUE(sim_->CreateAccount("TESLA", "a", "pw", 50));
  ExpectError(sim_->CreateAccount("TESLA", "a", "other", 1).error(), "VALIDATION", "CONFLICT", 409);
  EXPECT_TRUE(sim_->CreateAccount("FORD", "a", "pw", 1));  // usernames are per make
}

TEST_F(SimulatorTest, FleetIsDeterministicInTheSeed) {
  testing::FakeSimFleetStore otherStore;
  Simulator other(otherStore, platform_, wall_, 1234);
  ASSERT_TRUE(other.Load());
  const auto a = sim_->CreateAccount("BMW", "bob", "pw", 2).value();
  const auto b = other.CreateAccount("BMW", "bob", "different", 2).value();
  EXPECT_EQ(a.account.id, b.account.id);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(a.vehicles[i].id, b.vehicles[i].id);
    EXPECT_EQ(a.vehicles[i].vin, b.vehicles[i].vin);
    EXPECT_EQ(sim_->GetState(a.vehicles[i].id).value(), other.GetState(b.vehicles[i].id).value());
  }
  Simulator reseeded(otherStore, platform_, wall_, 99);
  const auto c = reseeded.CreateAccount("BMW", "carol", "pw", 1).value();
  EXPECT_NE(c.vehicles[0].vin, a.vehicles[0].vin);
}

TEST_F(SimulatorTest, Authenticate) {
  const auto account = sim_->CreateAccount("TESLA", "alice", "right", 1)->account;
  auto ok = sim_->Authenticate("TESLA", "alice", "right", false);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->id, account.id);
  EXPECT_EQ(sim_->Authenticate("", "alice", "right", false)->id, account.id);
  ExpectError(sim_->Authenticate("TESLA", "alice", "wrong", false).error(),
              "CONNECTED_SERVICES_ACCOUNT", "AUTHENTICATION_FAILED", 400);
  EXPECT_FALSE(sim_->Authenticate("TESLA", "alice", "wrong", true));  // never overwrites
  EXPECT_FALSE(sim_->Authenticate("TESLA", "nobody", "pw", false));
  ExpectError(sim_->Authenticate("DELOREAN", "x", "y", true).error(), "COMPATIBILITY",
              "MAKE_NOT_COMPATIBLE", 501);
}

TEST_F(SimulatorTest, AuthenticateCreatesUnknownAccountsInSimulatedMode) {
  auto created = sim_->Authenticate("VOLVO", "new-owner", "pw", true);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->make, "VOLVO");
  const auto vehicles = sim_->ListVehicles(created->id).value();
  EXPECT_GE(vehicles.size(), 1u);
  EXPECT_LE(vehicles.size(), 3u);
  EXPECT_EQ(sim_->Authenticate("VOLVO", "new-owner", "pw", true)->id, created->id);
  EXPECT_EQ(sim_->Authenticate("VOLVO", "new-owner", "pw", false)->id, created->id);
  auto anyMake = sim_->Authenticate("", "someone", "pw", true);
  ASSERT_TRUE(anyMake);
  EXPECT_NE(FindMake(anyMake->make), nullptr);
}

TEST_F(SimulatorTest, ChangePassword) {
  const auto account = sim_->CreateAccount("FORD", "dan", "old", 1)->account;
  ASSERT_TRUE(sim_->ChangePassword(account.id, "new"));
  EXPECT_FALSE(sim_->Authenticate("FORD", "dan", "old", false));
  EXPECT_TRUE(sim_->Authenticate("FORD", "dan", "new", false));
  auto reloaded = NewSimulator();  // persisted
  EXPECT_TRUE(reloaded->Authenticate("FORD", "dan", "new", false));
}

TEST_F(SimulatorTest, ReadsSmartcarBodies) {
  const auto ev = CreateVehicle("TESLA");
  const auto battery = ReadBody(ev.id, DataPath::kBattery);
  const double percent = battery.at("percentRemaining").to_number<double>();
  EXPECT_GE(percent, 0.0);
  EXPECT_LE(percent, 1.0);
  EXPECT_NEAR(percent * 100, std::round(percent * 100), 1e-9);
  EXPECT_GT(battery.at("range").to_number<double>(), 0.0);
  const auto charge = ReadBody(ev.id, DataPath::kCharge);
  EXPECT_TRUE(charge.at("isPluggedIn").is_bool());
  EXPECT_TRUE(charge.at("state").is_string());
  const auto location = ReadBody(ev.id, DataPath::kLocation);
  EXPECT_TRUE(location.contains("latitude") && location.contains("longitude"));
  EXPECT_GT(ReadBody(ev.id, DataPath::kOdometer).at("distance").to_number<double>(), 0.0);
  EXPECT_EQ(ReadBody(ev.id, DataPath::kVin).at("vin").as_string(), ev.vin);
  EXPECT_EQ(ReadBody(ev.id, DataPath::kAttributes).at("year").as_int64(), ev.year);
  EXPECT_EQ(ReadBody(ev.id, DataPath::kTires).size(), 4u);
  EXPECT_TRUE(ReadBody(ev.id, DataPath::kSecurity).at("isLocked").is_bool());
  const auto reading = sim_->Read(ev.id, DataPath::kBattery).value();
  EXPECT_EQ(reading.dataAge, platform_.Now());
  EXPECT_EQ(reading.fetchedAt, platform_.Now());

  const auto ice = CreateVehicle("TOYOTA");
  const auto fuel = ReadBody(ice.id, DataPath::kFuel);
  EXPECT_GT(fuel.at("amountRemaining").to_number<double>(), 0.0);
  EXPECT_GT(fuel.at("range").to_number<double>(), 0.0);
  EXPECT_LE(fuel.at("percentRemaining").to_number<double>(), 1.0);
  const double oil = ReadBody(ice.id, DataPath::kEngineOil).at("lifeRemaining").to_number<double>();
  EXPECT_GE(oil, 0.0);
  EXPECT_LE(oil, 1.0);
}

TEST_F(SimulatorTest, DataTheMakeDoesNotOfferIsNotCapable) {
  const auto ev = CreateVehicle("TESLA");
  ExpectError(sim_->Read(ev.id, DataPath::kFuel).error(), "COMPATIBILITY", "VEHICLE_NOT_CAPABLE",
              501);
  ExpectError(sim_->Read(ev.id, DataPath::kEngineOil).error(), "COMPATIBILITY",
              "VEHICLE_NOT_CAPABLE", 501);
  const auto ice = CreateVehicle("TOYOTA");
  ExpectError(sim_->Read(ice.id, DataPath::kBattery).error(), "COMPATIBILITY",
              "VEHICLE_NOT_CAPABLE", 501);
  ExpectError(sim_->Execute(ice.id, Command::kLock).error(), "COMPATIBILITY", "VEHICLE_NOT_CAPABLE",
              501);
  const auto hyundai = CreateVehicle("HYUNDAI");
  EXPECT_EQ(sim_->Read(hyundai.id, DataPath::kTires).error().code, "VEHICLE_NOT_CAPABLE");
}

TEST_F(SimulatorTest, UnknownVehicle) {
  ExpectError(sim_->Read("missing", DataPath::kBattery).error(), "CONNECTED_SERVICES_ACCOUNT",
              "VEHICLE_MISSING", 400);
  EXPECT_EQ(sim_->GetState("missing").error().type, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(sim_->SetFault("missing", "ASLEEP").error().type, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(sim_->SetOverride("missing", {}).error().type, "RESOURCE_NOT_FOUND");
}

struct FaultCase {
  const char* fault;
  const char* type;
  const char* code;
  int status;
};

TEST_F(SimulatorTest, FaultsMapToSmartcarErrors) {
  const auto v = CreateVehicle("TESLA");
  const FaultCase cases[] = {
      {"AUTHENTICATION_FAILED", "CONNECTED_SERVICES_ACCOUNT", "AUTHENTICATION_FAILED", 400},
      {"ACCOUNT_ISSUE", "CONNECTED_SERVICES_ACCOUNT", "ACCOUNT_ISSUE", 400},
      {"ASLEEP", "VEHICLE_STATE", "ASLEEP", 409},
      {"UNREACHABLE", "VEHICLE_STATE", "UNREACHABLE", 409},
      {"UPSTREAM_TIMEOUT", "UPSTREAM", "NO_RESPONSE", 502},
      {"UPSTREAM_RATE_LIMIT", "UPSTREAM", "RATE_LIMIT", 502},
      {"RATE_LIMIT", "RATE_LIMIT", "VEHICLE", 429},
  };
  EXPECT_EQ(Simulator::FaultNames().size(), std::size(cases));
  for (const auto& c : cases) {
    SCOPED_TRACE(c.fault);
    ASSERT_TRUE(sim_->SetFault(v.id, c.fault));
    EXPECT_EQ(store_.Vehicle(v.id).fault, c.fault);
    for (auto path : {DataPath::kBattery, DataPath::kLocation}) {
      ExpectError(sim_->Read(v.id, path).error(), c.type, c.code, c.status);
    }
    EXPECT_EQ(sim_->Execute(v.id, Command::kLock).error().code, c.code);
    EXPECT_EQ(State(v.id).at("fault").as_string(), c.fault);
  }
  EXPECT_EQ(sim_->Read(v.id, DataPath::kBattery).error().retryAfterSeconds, 60);
  ASSERT_TRUE(sim_->ClearFault(v.id));
  EXPECT_TRUE(sim_->Read(v.id, DataPath::kBattery));
  EXPECT_TRUE(State(v.id).at("fault").is_null());
  ExpectError(sim_->SetFault(v.id, "GREMLINS").error(), "VALIDATION", "PARAMETER", 400);
}

TEST_F(SimulatorTest, FaultsSurviveARestart) {
  const auto v = CreateVehicle("TESLA");
  ASSERT_TRUE(sim_->SetFault(v.id, "AUTHENTICATION_FAILED"));
  auto reloaded = NewSimulator();
  EXPECT_EQ(reloaded->Read(v.id, DataPath::kCharge).error().code, "AUTHENTICATION_FAILED");
}

TEST_F(SimulatorTest, RateLimitPerVehiclePerWallMinute) {
  sim_ = NewSimulator(SimulatorOptions{.rateLimitPerMinute = 3});
  const auto a = CreateVehicle("TESLA", "a");
  const auto b = CreateVehicle("TESLA", "b");
  wall_.Set(core::FromMillis(1'795'000'040'000));  // 20 s into a wall minute
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(sim_->Read(a.id, DataPath::kBattery));
  auto limited = sim_->Read(a.id, DataPath::kCharge);
  ASSERT_FALSE(limited);
  ExpectError(limited.error(), "RATE_LIMIT", "VEHICLE", 429);
  EXPECT_EQ(limited.error().retryAfterSeconds, 40);
  EXPECT_TRUE(sim_->Read(b.id, DataPath::kBattery));  // other vehicles unaffected
  platform_.Advance(hours(5));                        // platform time does not help
  EXPECT_FALSE(sim_->Read(a.id, DataPath::kBattery));
  wall_.Advance(seconds(40));
  EXPECT_TRUE(sim_->Read(a.id, DataPath::kBattery));
}

TEST_F(SimulatorTest, PinnedPlugChargesUntilFullAndReleases) {
  const auto v = CreateVehicle("TESLA");
  AdvanceUntil(v.id, [](const json::object& s) {
    return !s.at("isPluggedIn").as_bool() && s.at("percentRemaining").to_number<double>() <
                                                 s.at("chargeLimit").to_number<double>() - 0.005;
  });
  const json::object before = State(v.id);
  ASSERT_TRUE(sim_->SetOverride(v.id, {{"isPluggedIn", true}}));
  auto charge = ReadBody(v.id, DataPath::kCharge);
  EXPECT_EQ(charge.at("isPluggedIn").as_bool(), true);
  EXPECT_EQ(charge.at("state").as_string(), "CHARGING");
  EXPECT_NE(store_.Vehicle(v.id).stateOverrideJson.find("isPluggedIn"), std::string::npos);
  double battery = State(v.id).at("percentRemaining").to_number<double>();
  for (int i = 0; i < 24 * 4 && State(v.id).at("chargeState").as_string() == "CHARGING"; ++i) {
    platform_.Advance(minutes(15));
    const json::object s = State(v.id);
    EXPECT_GE(s.at("percentRemaining").to_number<double>(), battery);
    EXPECT_EQ(s.at("latitude"), before.at("latitude"));  // parked where it was
    EXPECT_TRUE(s.at("isPluggedIn").as_bool());
    battery = s.at("percentRemaining").to_number<double>();
  }
  const json::object full = State(v.id);
  EXPECT_EQ(full.at("chargeState").as_string(), "FULLY_CHARGED");
  EXPECT_DOUBLE_EQ(full.at("percentRemaining").to_number<double>(),
                   full.at("chargeLimit").to_number<double>());
  // Pins survive a restart.
  auto reloaded = NewSimulator();
  EXPECT_EQ(reloaded->GetState(v.id).value(), full);
  ASSERT_TRUE(sim_->ClearOverride(v.id));
  EXPECT_EQ(store_.Vehicle(v.id).stateOverrideJson, "{}");
  EXPECT_TRUE(State(v.id).at("overrides").as_object().empty());
}

TEST_F(SimulatorTest, PinnedBatteryAndUnplug) {
  const auto v = CreateVehicle("POLESTAR");
  ASSERT_TRUE(sim_->SetOverride(v.id, {{"isPluggedIn", false}, {"percentRemaining", 0.25}}));
  platform_.Advance(hours(6));
  auto s = State(v.id);
  EXPECT_FALSE(s.at("isPluggedIn").as_bool());
  EXPECT_EQ(s.at("chargeState").as_string(), "NOT_CHARGING");
  EXPECT_DOUBLE_EQ(s.at("percentRemaining").to_number<double>(), 0.25);
  EXPECT_DOUBLE_EQ(ReadBody(v.id, DataPath::kBattery).at("percentRemaining").to_number<double>(),
                   0.25);
  ASSERT_TRUE(sim_->SetOverride(v.id, {{"isPluggedIn", true}}));  // charges from 0.25
  platform_.Advance(hours(1));
  s = State(v.id);
  EXPECT_EQ(s.at("chargeState").as_string(), "CHARGING");
  EXPECT_GT(s.at("percentRemaining").to_number<double>(), 0.3);
  EXPECT_LT(s.at("percentRemaining").to_number<double>(), 0.5);
  // Stopping the charge holds the battery.
  ASSERT_TRUE(sim_->Execute(v.id, Command::kStopCharge));
  const double held = State(v.id).at("percentRemaining").to_number<double>();
  platform_.Advance(hours(1));
  EXPECT_EQ(ReadBody(v.id, DataPath::kCharge).at("state").as_string(), "NOT_CHARGING");
  EXPECT_DOUBLE_EQ(State(v.id).at("percentRemaining").to_number<double>(), held);
  ASSERT_TRUE(sim_->Execute(v.id, Command::kStartCharge));
  platform_.Advance(minutes(30));
  EXPECT_GT(State(v.id).at("percentRemaining").to_number<double>(), held);
}

TEST_F(SimulatorTest, StartChargeNeedsAPlug) {
  const auto v = CreateVehicle("TESLA");
  ASSERT_TRUE(sim_->SetOverride(v.id, {{"isPluggedIn", false}}));
  ExpectError(sim_->Execute(v.id, Command::kStartCharge).error(), "VEHICLE_STATE",
              "CHARGING_PLUG_NOT_CONNECTED", 409);
}

TEST_F(SimulatorTest, LockCommands) {
  const auto v = CreateVehicle("TESLA");
  ASSERT_TRUE(sim_->Execute(v.id, Command::kUnlock));
  EXPECT_FALSE(ReadBody(v.id, DataPath::kSecurity).at("isLocked").as_bool());
  ASSERT_TRUE(sim_->Execute(v.id, Command::kLock));
  EXPECT_TRUE(ReadBody(v.id, DataPath::kSecurity).at("isLocked").as_bool());
}

TEST_F(SimulatorTest, LocationAndAsleepPins) {
  const auto v = CreateVehicle("TESLA");
  ASSERT_TRUE(sim_->SetOverride(v.id, {{"latitude", 48.1372}, {"longitude", 11.5756}}));
  const auto location = ReadBody(v.id, DataPath::kLocation);
  EXPECT_DOUBLE_EQ(location.at("latitude").to_number<double>(), 48.1372);
  EXPECT_DOUBLE_EQ(location.at("longitude").to_number<double>(), 11.5756);

  const core::TimePoint asleepAt = platform_.Now();
  const double odometer = ReadBody(v.id, DataPath::kOdometer).at("distance").to_number<double>();
  ASSERT_TRUE(sim_->SetOverride(v.id, {{"asleep", true}}));
  platform_.Advance(hours(30));
  const auto reading = sim_->Read(v.id, DataPath::kOdometer).value();
  EXPECT_EQ(reading.dataAge, asleepAt);
  EXPECT_EQ(reading.fetchedAt, platform_.Now());
  EXPECT_DOUBLE_EQ(reading.body.at("distance").to_number<double>(), odometer);
  EXPECT_TRUE(State(v.id).at("asleep").as_bool());
  ASSERT_TRUE(sim_->SetOverride(v.id, {{"asleep", nullptr}}));  // null releases one pin
  EXPECT_EQ(sim_->Read(v.id, DataPath::kOdometer)->dataAge, platform_.Now());
  EXPECT_TRUE(State(v.id).at("overrides").as_object().contains("latitude"));
}

TEST_F(SimulatorTest, OverrideValidation) {
  const auto ev = CreateVehicle("TESLA");
  const auto ice = CreateVehicle("FORD");
  const json::object bad[] = {
      {{"isPluggedIn", "yes"}},
      {{"flux", 1}},
      {{"percentRemaining", 1.5}},
      {{"percentRemaining", "half"}},
      {{"latitude", 91}},
      {{"chargeState", "CHARGED"}},
      {{"isPluggedIn", true}, {"asleep", 3}},
  };
  for (const auto& patch : bad) {
    ExpectError(sim_->SetOverride(ev.id, patch).error(), "VALIDATION", "PARAMETER", 400);
  }
  EXPECT_TRUE(State(ev.id).at("overrides").as_object().empty());  // nothing half-applied
  EXPECT_EQ(sim_->SetOverride(ice.id, {{"isPluggedIn", true}}).error().type, "VALIDATION");
  EXPECT_TRUE(sim_->SetOverride(ice.id, {{"isLocked", false}}));
}

TEST_F(SimulatorTest, StateRoundTripsThroughSetOverride) {
  const auto v = CreateVehicle("VOLVO");
  const json::object s = State(v.id);
  for (const char* field : {"vehicleId", "make", "model", "year", "vin", "activity", "isPluggedIn",
                            "chargeState", "percentRemaining", "latitude", "longitude", "odometer",
                            "fuel", "tirePressure", "isLocked", "asleep"}) {
    EXPECT_TRUE(s.contains(field)) << field;
  }
  ASSERT_TRUE(sim_->SetOverride(v.id, {{"isPluggedIn", s.at("isPluggedIn")},
                                       {"latitude", s.at("latitude")},
                                       {"longitude", s.at("longitude")}}));
}

TEST_F(SimulatorTest, StoreFailuresLeaveTheFleetUnchanged) {
  const auto v = CreateVehicle("TESLA");
  store_.FailNextWrites(1);
  ExpectError(sim_->SetOverride(v.id, {{"isPluggedIn", true}}).error(), "SERVER", "INTERNAL", 500);
  EXPECT_TRUE(State(v.id).at("overrides").as_object().empty());
  store_.FailNextWrites(1);
  EXPECT_FALSE(sim_->SetFault(v.id, "ASLEEP"));
  EXPECT_TRUE(sim_->Read(v.id, DataPath::kBattery));
  store_.FailNextWrites(1);
  EXPECT_FALSE(sim_->CreateAccount("FORD", "eve", "pw", 1));
  EXPECT_FALSE(sim_->Authenticate("FORD", "eve", "pw", false));
}

TEST_F(SimulatorTest, OverridesNotifyPushingMakesAtOnce) {
  std::vector<ChangeEvent> events;
  sim_->SetChangeListener([&](const ChangeEvent& e) { events.push_back(e); });
  const auto tesla = CreateVehicle("TESLA");
  const auto hyundai = CreateVehicle("HYUNDAI");
  const bool plugged = State(tesla.id).at("isPluggedIn").as_bool();
  ASSERT_TRUE(sim_->SetOverride(tesla.id, {{"isPluggedIn", !plugged}}));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].vehicleId, tesla.id);
  EXPECT_EQ(events[0].at, platform_.Now());
  ASSERT_TRUE(sim_->SetOverride(tesla.id, {{"latitude", 1.0}}));  // not a charge change
  ASSERT_TRUE(sim_->SetOverride(hyundai.id, {{"isPluggedIn", true}, {"percentRemaining", 0.1}}));
  EXPECT_EQ(events.size(), 1u);  // Hyundai does not push
  sim_->SetChangeListener(nullptr);
  ASSERT_TRUE(sim_->SetOverride(tesla.id, {{"isPluggedIn", plugged}}));
  EXPECT_EQ(events.size(), 1u);
}

TEST_F(SimulatorTest, DetectChangesFindsTheTransitionsOfTheStateFunction) {
  const auto account = sim_->CreateAccount("TESLA", "fleet", "pw", 3).value();
  const auto ford = CreateVehicle("FORD");
  const auto from = platform_.Now(), to = from + hours(48);
  const auto events = sim_->DetectChanges(from, to);
  ASSERT_FALSE(events.empty());
  const auto observe = [&](const std::string& id, core::TimePoint t) {
    platform_.Set(t);
    const json::object s = State(id);
    return std::make_pair(s.at("isPluggedIn").as_bool(),
                          std::string(s.at("chargeState").as_string()));
  };
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_NE(events[i].vehicleId, ford.id);
    EXPECT_GT(events[i].at, from);
    EXPECT_LE(events[i].at, to);
    if (i > 0) {
      EXPECT_LE(events[i - 1].at, events[i].at);
    }
    EXPECT_NE(observe(events[i].vehicleId, events[i].at - core::Duration(1)),
              observe(events[i].vehicleId, events[i].at));
  }
  // Every change seen minute by minute is reported within that minute.
  const std::string id = account.vehicles[0].id;
  auto previous = observe(id, from);
  for (auto t = from + minutes(1); t <= to; t += minutes(1)) {
    const auto now = observe(id, t);
    if (now != previous) {
      EXPECT_TRUE(std::any_of(events.begin(), events.end(), [&](const ChangeEvent& e) {
        return e.vehicleId == id && e.at > t - minutes(1) && e.at <= t;
      })) << core::FormatIso8601(t);
    }
    previous = now;
  }
}

TEST_F(SimulatorTest, DetectChangesSeesPinnedChargingFinish) {
  const auto v = CreateVehicle("TESLA");
  ASSERT_TRUE(sim_->SetOverride(v.id, {{"isPluggedIn", true}, {"percentRemaining", 0.5}}));
  const auto from = platform_.Now();
  const auto events = sim_->DetectChanges(from, from + hours(24));
  ASSERT_EQ(events.size(), 1u);  // only CHARGING -> FULLY_CHARGED; natural changes are pinned away
  platform_.Set(events[0].at - core::Duration(1));
  EXPECT_EQ(State(v.id).at("chargeState").as_string(), "CHARGING");
  platform_.Set(events[0].at);
  EXPECT_EQ(State(v.id).at("chargeState").as_string(), "FULLY_CHARGED");
}

TEST_F(SimulatorTest, PollChangesReportsSinceThePreviousPoll) {
  std::vector<ChangeEvent> heard;
  sim_->SetChangeListener([&](const ChangeEvent& e) { heard.push_back(e); });
  CreateVehicle("TESLA");
  const auto start = platform_.Now();
  platform_.Advance(hours(24));
  const auto events = sim_->PollChanges();
  EXPECT_FALSE(events.empty());
  EXPECT_EQ(heard.size(), events.size());
  EXPECT_EQ(events.size(), sim_->DetectChanges(start, platform_.Now()).size());
  EXPECT_TRUE(sim_->PollChanges().empty());
}

TEST_F(SimulatorTest, ConcurrentReadsPinsAndPolls) {
  sim_ = NewSimulator(SimulatorOptions{.rateLimitPerMinute = 0});
  const auto vehicles = sim_->CreateAccount("TESLA", "busy", "pw", 4)->vehicles;
  std::atomic<int> heard = 0;
  sim_->SetChangeListener([&](const ChangeEvent&) { ++heard; });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string& id = vehicles[t].id;
      for (int i = 0; i < 200; ++i) {
        EXPECT_TRUE(sim_->Read(id, DataPath::kCharge));
        EXPECT_TRUE(sim_->SetOverride(vehicles[(t + 1) % 4].id, {{"isPluggedIn", i % 2 == 0}}));
        if (i % 50 == 0) sim_->PollChanges();
        platform_.Advance(minutes(1));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_GT(heard.load(), 0);
}

TEST_F(SimulatorTest, SeedIsIdempotent) {
  auto first = sim_->Seed(1, 2, "demo");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->size(), Catalog().size());
  for (const auto& created : *first) EXPECT_EQ(created.vehicles.size(), 2u);
  auto second = sim_->Seed(1, 2, "demo");
  ASSERT_TRUE(second);
  for (size_t i = 0; i < first->size(); ++i) {
    EXPECT_EQ((*first)[i].account.id, (*second)[i].account.id);
  }
  EXPECT_TRUE(sim_->Authenticate("TESLA", "tesla-1", "demo", false));
  EXPECT_EQ(sim_->ListAllVehicles().size(), 2 * Catalog().size());
  EXPECT_EQ(sim_->ListAccounts().size(), Catalog().size());
}

}  // namespace
}  // namespace dynhook::oem
