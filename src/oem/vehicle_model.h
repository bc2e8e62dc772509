// VehicleModel: the physics of one simulated vehicle (SPEC §5). Its state is a pure function
// of (seed, platform time): every local day (04:00 to 04:00 in the vehicle's home time zone)
// follows a plan generated from (seed, day) — parked and plugged in at home overnight, a
// morning commute, parked at work (some EVs charge there), the evening drive home, sometimes an
// errand, then plugged in at home charging to the charge limit. Weekends have errands instead
// of commutes. The state at time t is computed by walking the day's segments from a
// start-of-day state, so it is continuous within a day; the start-of-day state is derived in
// closed form (distances depend on the weekday only, and every night ends charged to the
// limit), so the odometer is monotonic and the battery continuous across days, and computing
// a state costs a few microseconds whatever the date.
//
// Overrides (test pins) are applied on top by oem/sim_overrides.h, not here.
// Thread-safety: immutable after construction; all methods are const and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "oem/catalog.h"

namespace dynhook::oem {

enum class ChargeState { kNotCharging, kCharging, kFullyCharged };
std::string_view ChargeStateName(ChargeState state);  // "CHARGING", as Smartcar's /charge
std::optional<ChargeState> ParseChargeState(std::string_view name);

struct Place {
  double latitude = 0;
  double longitude = 0;
};

enum class Activity { kParkedHome, kParkedWork, kParkedErrand, kDriving };
std::string_view ActivityName(Activity activity);  // "PARKED_HOME", "DRIVING", ...

// Everything the simulator reports about a vehicle at one instant (metric units).
struct VehicleState {
  core::TimePoint at;
  Activity activity = Activity::kParkedHome;
  bool pluggedIn = false;
  ChargeState chargeState = ChargeState::kNotCharging;
  double battery = 0;     // fraction 0..1; 0 without a traction battery
  double fuelLiters = 0;  // 0 without a tank
  Place location;
  double odometerKm = 0;
  std::array<double, 4> tiresKpa{};  // frontLeft, frontRight, backLeft, backRight
  bool locked = true;
  bool asleep = false;  // only ever set by an override (see sim_overrides.h)
};

// The per-vehicle constants derived from (make, model, seed).
struct VehicleProfile {
  uint64_t seed = 0;
  Powertrain powertrain = Powertrain::kElectric;
  const ModelSpec* model = nullptr;
  double chargeLimit = 0.9;  // charging stops here (FULLY_CHARGED)
  double reserve = 0.1;      // a PHEV switches to fuel below this battery fraction
  int utcOffsetMinutes = 0;
  Place home, work;
  double commuteKm = 0;  // one way, by road
  double speedKmh = 40;
  int shiftMinutes = 0;              // this owner's schedule relative to the typical one
  std::array<bool, 7> commuteDay{};  // Monday = 0
  std::array<bool, 7> workCharging{};
  std::array<double, 7> errandKm{};  // round trip; 0 = no errand that weekday
  std::array<Place, 7> errand{};
  std::array<double, 7> dayKm{};
  std::array<double, 7> dayFuelLiters{};
  int64_t purchaseDay = 0;  // local day index the odometer starts counting from
  double deliveryKm = 0;
  double fuelPhaseLiters = 0;
  double oilIntervalKm = 15000;
  double oilPhaseKm = 0;
  int tirePhaseDays = 0;
  std::array<double, 4> tireOffsetKpa{};
};

class VehicleModel {
 public:
  static constexpr core::Duration kMaxCandidateWindow = std::chrono::hours(24 * 31);

  // `year` is the model year: the odometer starts counting around its first sale.
  VehicleModel(const MakeSpec& make, const ModelSpec& model, int year, uint64_t seed);

  VehicleState StateAt(core::TimePoint t) const;

  // Candidate times in (from, to] at which the natural plug or charge state may change
  // (plug-in, unplug, reaching the charge limit), ascending. Callers compare StateAt just
  // before and at each candidate. Windows longer than kMaxCandidateWindow are cut to it.
  std::vector<core::TimePoint> ChargeTransitionCandidates(core::TimePoint from,
                                                          core::TimePoint to) const;

  const VehicleProfile& profile() const { return profile_; }
  bool HasBattery() const { return profile_.powertrain != Powertrain::kCombustion; }
  bool HasFuel() const { return profile_.powertrain != Powertrain::kElectric; }
  double BatteryRangeKm(double fraction) const;
  double FuelRangeKm(double liters) const;
  double OilLife(double odometerKm) const;  // fraction 0..1
  // Battery fraction gained per millisecond on the home charger.
  double HomeChargePerMs() const;

 private:
  VehicleProfile profile_;
};

}  // namespace dynhook::oem
