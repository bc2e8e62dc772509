#include "oem/vehicle_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "oem/day_plan.h"

namespace dynhook::oem {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const core::TimePoint kStart = core::ManualClock().Now();  // 2026-11-18

VehicleModel ModelOf(std::string_view make, uint64_t seed, size_t modelIndex = 0) {
  const MakeSpec& spec = *FindMake(make);
  return VehicleModel(spec, spec.models[modelIndex % spec.models.size()], 2023, seed);
}

TEST(VehicleModelTest, SameSeedAndTimeGiveTheSameState) {
  const VehicleModel a = ModelOf("TESLA", 42), b = ModelOf("TESLA", 42);
  for (int h = 0; h < 48; h += 5) {
    const auto t = kStart + hours(h) + minutes(17);
    const VehicleState sa = a.StateAt(t), sb = b.StateAt(t);
    EXPECT_EQ(sa.battery, sb.battery);
    EXPECT_EQ(sa.odometerKm, sb.odometerKm);
    EXPECT_EQ(sa.location.latitude, sb.location.latitude);
    EXPECT_EQ(sa.pluggedIn, sb.pluggedIn);
  }
}

TEST(VehicleModelTest, DifferentSeedsDiffer) {
  std::set<double> odometers, latitudes;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    const VehicleState s = ModelOf("TESLA", seed).StateAt(kStart);
    odometers.insert(s.odometerKm);
    latitudes.insert(s.location.latitude);
  }
  EXPECT_GE(odometers.size(), 9u);
  EXPECT_GE(latitudes.size(), 9u);
}

// Minute by minute over two days (crossing day boundaries), for every make: the battery and
// fuel move by bounded amounts and the odometer never goes back.
TEST(VehicleModelTest, StateIsContinuousMinuteByMinute) {
  for (const auto& spec : Catalog()) {
    for (uint64_t seed = 0; seed < 4; ++seed) {
      SCOPED_TRACE(spec.info.make + " seed " + std::to_string(seed));
      const VehicleModel model(spec, spec.models[seed % spec.models.size()], 2022, seed);
      VehicleState previous = model.StateAt(kStart);
      for (int minute = 1; minute <= 2 * 24 * 60; ++minute) {
        const VehicleState s = model.StateAt(kStart + minutes(minute));
        ASSERT_LE(std::abs(s.battery - previous.battery), 0.02) << "minute " << minute;
        ASSERT_GE(s.odometerKm, previous.odometerKm) << "minute " << minute;
        ASSERT_LE(s.odometerKm - previous.odometerKm, 1.0) << "minute " << minute;
        ASSERT_GE(s.battery, 0.0);
        ASSERT_LE(s.battery, 1.0);
        if (model.HasFuel()) {
          ASSERT_GT(s.fuelLiters, 0.1 * spec.models[seed % spec.models.size()].tankLiters);
          // Fuel only drops slowly, or jumps up at a refuelling stop.
          ASSERT_TRUE(s.fuelLiters - previous.fuelLiters >= -0.5 ||
                      s.fuelLiters > previous.fuelLiters);
        }
        previous = s;
      }
    }
  }
}

// The closed-form start of a day assumes the night before ended charged to the limit.
TEST(VehicleModelTest, EveryNightEndsChargedToTheLimit) {
  for (const auto& spec : Catalog()) {
    if (spec.powertrain == Powertrain::kCombustion) continue;
    for (uint64_t seed = 0; seed < 60; ++seed) {
      const VehicleModel model(spec, spec.models[seed % spec.models.size()], 2024, seed);
      const auto& profile = model.profile();
      const int64_t firstDay = sim::LocalDayOf(profile, core::ToMillis(kStart));
      for (int64_t day = firstDay; day < firstDay + 14; ++day) {
        const auto lastMoment = core::FromMillis(sim::DayStartMs(profile, day + 1) - 1);
        const VehicleState s = model.StateAt(lastMoment);
        ASSERT_EQ(s.chargeState, ChargeState::kFullyCharged)
            << spec.info.make << " seed " << seed << " day " << day;
        ASSERT_DOUBLE_EQ(s.battery, profile.chargeLimit);
      }
    }
  }
}

TEST(VehicleModelTest, OdometerIsMonotonicOverAWeek) {
  for (const char* make : {"TESLA", "BMW", "TOYOTA", "HYUNDAI"}) {
    for (uint64_t seed = 10; seed < 13; ++seed) {
      const VehicleModel model = ModelOf(make, seed);
      double previous = 0;
      double first = model.StateAt(kStart).odometerKm;
      for (int step = 0; step <= 7 * 24 * 12; ++step) {
        const double odometer = model.StateAt(kStart + minutes(5 * step)).odometerKm;
        ASSERT_GE(odometer, previous) << make << " step " << step;
        previous = odometer;
      }
      EXPECT_GT(previous - first, 20.0) << make;  // it drove during the week
      EXPECT_LT(previous - first, 7 * 200.0) << make;
    }
  }
}

TEST(VehicleModelTest, EvPlugsInChargesAndUnplugsEveryDay) {
  for (uint64_t seed = 0; seed < 5; ++seed) {
    const VehicleModel model = ModelOf("TESLA", seed, seed);
    std::set<ChargeState> seen;
    int plugChanges = 0;
    bool plugged = model.StateAt(kStart).pluggedIn;
    for (int minute = 0; minute < 24 * 60 * 2; minute += 2) {
      const VehicleState s = model.StateAt(kStart + minutes(minute));
      seen.insert(s.chargeState);
      plugChanges += s.pluggedIn != plugged;
      plugged = s.pluggedIn;
    }
    EXPECT_EQ(seen.size(), 3u) << "seed " << seed;  // NOT_CHARGING, CHARGING, FULLY_CHARGED
    EXPECT_GE(plugChanges, 2) << "seed " << seed;
  }
}

TEST(VehicleModelTest, ChargingRaisesTheBatteryUntilFullyCharged) {
  const VehicleModel model = ModelOf("POLESTAR", 7);
  auto t = kStart;
  const auto end = kStart + hours(72);
  while (t < end && model.StateAt(t).chargeState != ChargeState::kCharging) t += minutes(1);
  ASSERT_LT(t, end) << "never charging";
  double battery = model.StateAt(t).battery;
  VehicleState s = model.StateAt(t);
  while (s.chargeState == ChargeState::kCharging) {
    t += minutes(1);
    s = model.StateAt(t);
    ASSERT_GE(s.battery, battery);
    battery = s.battery;
  }
  EXPECT_EQ(s.chargeState, ChargeState::kFullyCharged);
  EXPECT_TRUE(s.pluggedIn);
  EXPECT_DOUBLE_EQ(s.battery, model.profile().chargeLimit);
}

TEST(VehicleModelTest, CombustionVehiclesHaveNoBattery) {
  const VehicleModel model = ModelOf("FORD", 3);
  EXPECT_FALSE(model.HasBattery());
  for (int h = 0; h < 24; h += 3) {
    const VehicleState s = model.StateAt(kStart + hours(h));
    EXPECT_FALSE(s.pluggedIn);
    EXPECT_EQ(s.chargeState, ChargeState::kNotCharging);
    EXPECT_EQ(s.battery, 0);
    EXPECT_GT(s.fuelLiters, 0);
  }
  EXPECT_TRUE(model.ChargeTransitionCandidates(kStart, kStart + hours(48)).empty());
}

TEST(VehicleModelTest, StaysNearHome) {
  const VehicleModel model = ModelOf("CHEVROLET", 11);
  const Place home = model.profile().home;
  for (int minute = 0; minute < 24 * 60; minute += 7) {
    const Place p = model.StateAt(kStart + minutes(minute)).location;
    EXPECT_LT(std::abs(p.latitude - home.latitude), 0.6);
    EXPECT_LT(std::abs(p.longitude - home.longitude), 0.9);
  }
}

TEST(VehicleModelTest, CandidatesCoverEveryPlugOrChargeChange) {
  for (uint64_t seed = 0; seed < 4; ++seed) {
    const VehicleModel model = ModelOf("TESLA", seed);
    const auto from = kStart, to = kStart + hours(72);
    const auto candidates = model.ChargeTransitionCandidates(from, to);
    ASSERT_FALSE(candidates.empty());
    for (size_t i = 0; i < candidates.size(); ++i) {
      EXPECT_GT(candidates[i], from);
      EXPECT_LE(candidates[i], to);
      if (i > 0) {
        EXPECT_LE(candidates[i - 1], candidates[i]);
      }
    }
    VehicleState previous = model.StateAt(from);
    for (auto t = from + minutes(1); t <= to; t += minutes(1)) {
      const VehicleState s = model.StateAt(t);
      if (s.pluggedIn != previous.pluggedIn || s.chargeState != previous.chargeState) {
        const bool covered = std::any_of(candidates.begin(), candidates.end(),
                                         [&](auto c) { return c > t - minutes(1) && c <= t; });
        EXPECT_TRUE(covered) << "seed " << seed << " at " << core::FormatIso8601(t);
      }
      previous = s;
    }
  }
}

TEST(VehicleModelTest, DerivedValues) {
  const VehicleModel model = ModelOf("TESLA", 1, 0);  // Model 3: 57.5 kWh, 14.5 kWh/100 km
  EXPECT_NEAR(model.BatteryRangeKm(1.0), 57.5 / 0.145, 1e-9);
  const double life = model.OilLife(1234);
  EXPECT_GE(life, 0.0);
  EXPECT_LE(life, 1.0);
  EXPECT_EQ(ParseChargeState("FULLY_CHARGED"), ChargeState::kFullyCharged);
  EXPECT_EQ(ParseChargeState("charging"), std::nullopt);
  EXPECT_EQ(ChargeStateName(ChargeState::kNotCharging), "NOT_CHARGING");
}

}  // namespace
}  // namespace dynhook::oem
