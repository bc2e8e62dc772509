#include "oem/vehicle_model.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "oem/day_plan.h"
#include "oem/sim_hash.h"

namespace dynhook::oem {
namespace {

using namespace sim;  // NOLINT: the simulator's internal helpers

struct City {
  double latitude;
  double longitude;
  int utcOffsetMinutes;  // standard time; the simulator ignores daylight saving
};

constexpr City kCities[] = {
    {37.7749, -122.4194, -480},  // San Francisco
    {34.0522, -118.2437, -480},  // Los Angeles
    {47.6062, -122.3321, -480},  // Seattle
    {39.7392, -104.9903, -420},  // Denver
    {30.2672, -97.7431, -360},   // Austin
    {41.8781, -87.6298, -360},   // Chicago
    {40.7128, -74.0060, -300},   // New York
    {42.3601, -71.0589, -300},   // Boston
    {33.7490, -84.3880, -300},   // Atlanta
    {43.6532, -79.3832, -300},   // Toronto
    {51.5072, -0.1276, 0},       // London
    {52.3676, 4.9041, 60},       // Amsterdam
    {52.5200, 13.4050, 60},      // Berlin
    {59.3293, 18.0686, 60},      // Stockholm
};

Place Offset(Place from, double km, double bearing) {
  constexpr double kKmPerDegree = 111.32;
  const double cosLat = std::cos(from.latitude * std::numbers::pi / 180);
  return Place{from.latitude + km / kKmPerDegree * std::cos(bearing),
               from.longitude + km / (kKmPerDegree * cosLat) * std::sin(bearing)};
}

// Distances are multiples of 1/1024 km (about a metre): such sums are exact in a double, so the
// odometer derived per day in closed form meets the one walked through the previous day
// exactly, and never goes back.
double QuantizeKm(double km) { return std::round(km * 1024) / 1024; }

double PosMod(double a, double m) {
  const double r = std::fmod(a, m);
  return r < 0 ? r + m : r;
}

double DayFuelLiters(const VehicleProfile& p, double km) {
  const ModelSpec& m = *p.model;
  switch (p.powertrain) {
    case Powertrain::kElectric:
      return 0;
    case Powertrain::kPluginHybrid: {
      // Every day starts charged to the limit and PHEVs charge only at home, at the day's end.
      const double electricKm = (p.chargeLimit - p.reserve) * m.batteryKwh / (m.kwhPer100Km / 100);
      return std::max(0.0, km - electricKm) * m.litersPer100Km / 100;
    }
    case Powertrain::kCombustion:
      return km * m.litersPer100Km / 100;
  }
  return 0;
}

void PlanWeek(VehicleProfile& p) {
  const uint64_t seed = p.seed;
  const bool fourDayWeek = Unit(Mix(seed, 108)) < 0.2;
  const bool chargesAtWork = p.powertrain == Powertrain::kElectric && Unit(Mix(seed, 109)) < 0.35;
  constexpr double kTwoPi = 2 * std::numbers::pi;
  for (int wd = 0; wd < 7; ++wd) {
    const bool weekend = wd >= 5;
    p.commuteDay[wd] = wd < (fourDayWeek ? 4 : 5);
    p.workCharging[wd] = chargesAtWork && p.commuteDay[wd] && Unit(Mix(seed, 110 + wd)) < 0.7;
    const bool errand = Unit(Mix(seed, 120 + wd)) < (weekend ? 0.75 : 0.35);
    const uint64_t kmHash = Mix(seed, 130 + wd);
    const double km = !errand ? 0 : weekend ? Uniform(kmHash, 10, 60) : Uniform(kmHash, 4, 16);
    p.errandKm[wd] = 2 * QuantizeKm(km / 2);
    p.errand[wd] =
        Offset(p.home, p.errandKm[wd] / 2 / 1.3, Uniform(Mix(seed, 140 + wd), 0, kTwoPi));
    p.dayKm[wd] = (p.commuteDay[wd] ? 2 * p.commuteKm : 0) + p.errandKm[wd];
    p.dayFuelLiters[wd] = DayFuelLiters(p, p.dayKm[wd]);
  }
}

}  // namespace

std::string_view ChargeStateName(ChargeState state) {
  switch (state) {
    case ChargeState::kCharging:
      return "CHARGING";
    case ChargeState::kFullyCharged:
      return "FULLY_CHARGED";
    case ChargeState::kNotCharging:
      break;
  }
  return "NOT_CHARGING";
}

std::optional<ChargeState> ParseChargeState(std::string_view name) {
  for (auto state :
       {ChargeState::kNotCharging, ChargeState::kCharging, ChargeState::kFullyCharged}) {
    if (ChargeStateName(state) == name) return state;
  }
  return std::nullopt;
}

std::string_view ActivityName(Activity activity) {
  switch (activity) {
    case Activity::kParkedWork:
      return "PARKED_WORK";
    case Activity::kParkedErrand:
      return "PARKED_ERRAND";
    case Activity::kDriving:
      return "DRIVING";
    case Activity::kParkedHome:
      break;
  }
  return "PARKED_HOME";
}

VehicleModel::VehicleModel(const MakeSpec& make, const ModelSpec& model, int year, uint64_t seed) {
  VehicleProfile& p = profile_;
  const auto r = [seed](uint64_t salt, double lo, double hi) {
    return Uniform(Mix(seed, 100 + salt), lo, hi);
  };
  constexpr double kTwoPi = 2 * std::numbers::pi;
  p.seed = seed;
  p.powertrain = make.powertrain;
  p.model = &model;
  static constexpr double kLimits[] = {0.8, 0.85, 0.9, 0.9, 1.0};
  p.chargeLimit = make.powertrain == Powertrain::kElectric ? kLimits[Mix(seed, 99) % 5] : 1.0;
  const City& city = kCities[Mix(seed, 101) % std::size(kCities)];
  p.utcOffsetMinutes = city.utcOffsetMinutes;
  p.home = Offset(Place{city.latitude, city.longitude}, r(2, 0, 12), r(3, 0, kTwoPi));
  const double straightKm = r(4, 3, 22);
  p.work = Offset(p.home, straightKm, r(5, 0, kTwoPi));
  p.commuteKm = QuantizeKm(straightKm * 1.3);
  p.speedKmh = r(6, 30, 48);
  p.shiftMinutes = static_cast<int>(r(7, -60, 60));
  PlanWeek(p);
  const std::chrono::sys_days firstSale{std::chrono::year(year - 1) / 7 / 1};
  p.purchaseDay = firstSale.time_since_epoch().count() + static_cast<int64_t>(Mix(seed, 9) % 365);
  p.deliveryKm = QuantizeKm(r(10, 5, 60));
  p.fuelPhaseLiters = r(11, 0, model.tankLiters * 0.85);
  static constexpr double kOilIntervals[] = {10000, 12000, 15000};
  p.oilIntervalKm = kOilIntervals[Mix(seed, 12) % 3];
  p.oilPhaseKm = r(13, 0, p.oilIntervalKm);
  p.tirePhaseDays = static_cast<int>(Mix(seed, 14) % 28);
  for (size_t i = 0; i < 4; ++i) p.tireOffsetKpa[i] = r(15 + i, -4, 4);
}

VehicleState VehicleModel::StateAt(core::TimePoint t) const {
  const VehicleProfile& p = profile_;
  const int64_t ms = core::ToMillis(t);
  const int64_t day = LocalDayOf(p, ms);
  const DayPlan plan = BuildDayPlan(p, day);
  const DayWalk w = WalkDay(p, plan, ms);
  VehicleState s;
  s.at = t;
  s.activity = w.activity;
  s.pluggedIn = w.pluggedIn;
  s.chargeState = !w.pluggedIn ? ChargeState::kNotCharging
                  : w.charging ? ChargeState::kCharging
                               : ChargeState::kFullyCharged;
  s.battery = w.battery;
  s.location = w.location;
  s.locked = w.activity != Activity::kDriving;
  s.odometerKm = std::max(0.0, p.deliveryKm + CumulativeBefore(p.dayKm, p.purchaseDay, day) + w.km);
  if (HasFuel()) {
    const double tank = p.model->tankLiters;
    const double burnt = CumulativeBefore(p.dayFuelLiters, p.purchaseDay, day) + w.fuelLiters;
    // Refuelled to full whenever the tank reaches 15 %.
    s.fuelLiters = tank - PosMod(burnt + p.fuelPhaseLiters, tank * 0.85);
  }
  const double localHour = 4 + static_cast<double>(ms - plan.startMs) / kHourMs;
  const double warmth = 3 * std::sin(2 * std::numbers::pi * (localHour - 9) / 24);
  // Tyres lose a little pressure every day and are topped up every four weeks.
  const int64_t daysSinceTopUp = ((day + p.tirePhaseDays) % 28 + 28) % 28;
  const double leak = 0.4 * static_cast<double>(daysSinceTopUp);
  for (size_t i = 0; i < 4; ++i)
    s.tiresKpa[i] = p.model->tireKpa + p.tireOffsetKpa[i] - leak + warmth;
  return s;
}

std::vector<core::TimePoint> VehicleModel::ChargeTransitionCandidates(core::TimePoint from,
                                                                      core::TimePoint to) const {
  std::vector<core::TimePoint> out;
  if (!HasBattery() || to <= from) return out;
  if (to - from > kMaxCandidateWindow) from = to - kMaxCandidateWindow;
  const int64_t fromMs = core::ToMillis(from), toMs = core::ToMillis(to);
  std::vector<int64_t> candidates;
  for (int64_t day = LocalDayOf(profile_, fromMs); day <= LocalDayOf(profile_, toMs); ++day) {
    const DayPlan plan = BuildDayPlan(profile_, day);
    WalkDay(profile_, plan, plan.endMs, &candidates);
  }
  for (int64_t c : candidates) {
    if (c > fromMs && c <= toMs) out.push_back(core::FromMillis(c));
  }
  std::sort(out.begin(), out.end());
  return out;
}

double VehicleModel::BatteryRangeKm(double fraction) const {
  if (!HasBattery()) return 0;
  return fraction * profile_.model->batteryKwh / (profile_.model->kwhPer100Km / 100);
}

double VehicleModel::FuelRangeKm(double liters) const {
  if (!HasFuel()) return 0;
  return liters / (profile_.model->litersPer100Km / 100);
}

double VehicleModel::OilLife(double odometerKm) const {
  return 1 -
         PosMod(odometerKm + profile_.oilPhaseKm, profile_.oilIntervalKm) / profile_.oilIntervalKm;
}

double VehicleModel::HomeChargePerMs() const {
  if (!HasBattery()) return 0;
  return profile_.model->homeChargeKw / (profile_.model->batteryKwh * kHourMs);
}

}  // namespace dynhook::oem
