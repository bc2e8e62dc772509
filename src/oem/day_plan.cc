#include "oem/day_plan.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "oem/sim_hash.h"

namespace dynhook::oem::sim {
namespace {

constexpr double kWorkChargeKw = 7.2;
constexpr double kFullEpsilon = 1e-12;

// Appends contiguous segments to a plan, merging equal consecutive parked segments.
class PlanBuilder {
 public:
  explicit PlanBuilder(DayPlan& plan) : plan_(plan), cursor_(plan.startMs) {}

  int64_t cursor() const { return cursor_; }

  void Park(int64_t until, double chargeKw) {
    until = std::clamp(until, cursor_, plan_.endMs);
    if (until <= cursor_) return;
    auto& segments = plan_.segments;
    if (!segments.empty() && !segments.back().driving && segments.back().place == place_ &&
        segments.back().chargeKw == chargeKw) {
      segments.back().endMs = until;
    } else {
      segments.push_back(Segment{cursor_, until, false, place_, place_, 0, chargeKw});
    }
    cursor_ = until;
  }

  void Drive(Activity to, double km, double speedKmh) {
    const auto duration = std::max<int64_t>(kMinuteMs, std::llround(km / speedKmh * kHourMs));
    const int64_t end = std::min(cursor_ + duration, plan_.endMs);
    if (end <= cursor_) return;
    plan_.segments.push_back(Segment{cursor_, end, true, to, place_, km, 0});
    place_ = to;
    cursor_ = end;
  }

 private:
  DayPlan& plan_;
  int64_t cursor_;
  Activity place_ = Activity::kParkedHome;
};

void Consume(const VehicleProfile& p, double km, DayWalk& w) {
  const ModelSpec& m = *p.model;
  const double kwhPerKm = m.kwhPer100Km / 100;
  w.km += km;
  switch (p.powertrain) {
    case Powertrain::kElectric:
      w.battery = std::max(0.0, w.battery - km * kwhPerKm / m.batteryKwh);
      break;
    case Powertrain::kPluginHybrid: {
      const double electricKm = std::max(0.0, w.battery - p.reserve) * m.batteryKwh / kwhPerKm;
      const double onBattery = std::min(km, electricKm);
      w.battery = std::max(0.0, w.battery - onBattery * kwhPerKm / m.batteryKwh);
      w.fuelLiters += (km - onBattery) * m.litersPer100Km / 100;
      break;
    }
    case Powertrain::kCombustion:
      w.fuelLiters += km * m.litersPer100Km / 100;
      break;
  }
}

Place Interpolate(Place a, Place b, double f) {
  // A gently curved road rather than a straight line.
  const double dLat = b.latitude - a.latitude, dLon = b.longitude - a.longitude;
  const double bend = 0.12 * std::sin(std::numbers::pi * f);
  return Place{a.latitude + dLat * f - dLon * bend, a.longitude + dLon * f + dLat * bend};
}

// Charges a plugged-in parked segment up to `end`; returns when the limit is reached.
int64_t Charge(const VehicleProfile& p, const Segment& s, int64_t end, DayWalk& w) {
  const double perMs = s.chargeKw / (p.model->batteryKwh * kHourMs);
  const double need = p.chargeLimit - w.battery;
  const int64_t fullAt =
      need <= kFullEpsilon ? s.startMs : s.startMs + static_cast<int64_t>(std::ceil(need / perMs));
  if (end >= fullAt) {
    w.battery = std::max(w.battery, p.chargeLimit);
  } else {
    w.battery += perMs * static_cast<double>(end - s.startMs);
    w.charging = true;
  }
  return fullAt;
}

}  // namespace

int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t LocalDayOf(const VehicleProfile& p, int64_t ms) {
  return FloorDiv(ms + p.utcOffsetMinutes * kMinuteMs - 4 * kHourMs, kDayMs);
}

int64_t DayStartMs(const VehicleProfile& p, int64_t day) {
  return day * kDayMs + 4 * kHourMs - p.utcOffsetMinutes * kMinuteMs;
}

int WeekdayOf(int64_t day) { return static_cast<int>(((day + 3) % 7 + 7) % 7); }

DayPlan BuildDayPlan(const VehicleProfile& p, int64_t day) {
  DayPlan plan{day, DayStartMs(p, day), DayStartMs(p, day) + kDayMs, {}};
  const int wd = WeekdayOf(day);
  const uint64_t h = Mix(p.seed, static_cast<uint64_t>(day));
  const double homeKw = p.powertrain == Powertrain::kCombustion ? 0 : p.model->homeChargeKw;
  const auto local = [&](double hour, double jitterMinutes, uint64_t salt) {
    const double minutes =
        (hour - 4) * 60 + p.shiftMinutes + Uniform(Mix(h, salt), -jitterMinutes, jitterMinutes);
    return plan.startMs + static_cast<int64_t>(minutes * kMinuteMs);
  };
  const auto minutes = [&](double lo, double hi, uint64_t salt) {
    return static_cast<int64_t>(Uniform(Mix(h, salt), lo, hi) * kMinuteMs);
  };
  const double speed = p.speedKmh * Uniform(Mix(h, 9), 0.85, 1.15);
  PlanBuilder b(plan);
  bool drove = false;
  if (p.commuteDay[wd]) {
    b.Park(local(6.75, 15, 1), homeKw);
    b.Drive(Activity::kParkedWork, p.commuteKm, speed);
    b.Park(local(16.5, 30, 2), p.workCharging[wd] ? kWorkChargeKw : 0);
    b.Drive(Activity::kParkedHome, p.commuteKm, speed);
    drove = true;
  }
  if (p.errandKm[wd] > 0) {
    if (drove) {
      b.Park(b.cursor() + minutes(15, 45, 3), 0);
    } else {
      b.Park(local(10, 90, 4), homeKw);
    }
    b.Drive(Activity::kParkedErrand, p.errandKm[wd] / 2, speed);
    b.Park(b.cursor() + minutes(30, drove ? 90 : 180, 5), 0);
    b.Drive(Activity::kParkedHome, p.errandKm[wd] / 2, speed);
    drove = true;
  }
  if (drove) b.Park(b.cursor() + minutes(3, 10, 6), 0);
  b.Park(plan.endMs, homeKw);
  return plan;
}

Place PlaceOf(const VehicleProfile& p, const DayPlan& plan, Activity place) {
  switch (place) {
    case Activity::kParkedWork:
      return p.work;
    case Activity::kParkedErrand:
      return p.errand[WeekdayOf(plan.day)];
    default:
      return p.home;
  }
}

DayWalk WalkDay(const VehicleProfile& p, const DayPlan& plan, int64_t t,
                std::vector<int64_t>* candidates) {
  DayWalk w;
  w.battery = p.powertrain == Powertrain::kCombustion ? 0 : p.chargeLimit;
  const Segment* previous = nullptr;
  for (const Segment& s : plan.segments) {
    if (s.startMs > t) break;
    if (candidates && previous && (previous->chargeKw > 0) != (s.chargeKw > 0)) {
      candidates->push_back(s.startMs);
    }
    previous = &s;
    const int64_t end = std::min(t, s.endMs);
    const double f =
        static_cast<double>(end - s.startMs) / static_cast<double>(s.endMs - s.startMs);
    w.pluggedIn = false;
    w.charging = false;
    if (s.driving) {
      w.activity = Activity::kDriving;
      Consume(p, s.km * f, w);
      w.location = Interpolate(PlaceOf(p, plan, s.from), PlaceOf(p, plan, s.place), f);
    } else {
      w.activity = s.place;
      w.location = PlaceOf(p, plan, s.place);
      w.pluggedIn = s.chargeKw > 0;
      if (w.pluggedIn) {
        const int64_t fullAt = Charge(p, s, end, w);
        if (candidates && fullAt > s.startMs && fullAt < s.endMs) candidates->push_back(fullAt);
      }
    }
    if (t < s.endMs) break;
  }
  return w;
}

double CumulativeBefore(const std::array<double, 7>& perWeekday, int64_t fromDay, int64_t day) {
  const int64_t n = day - fromDay;
  const int64_t weeks = FloorDiv(n, 7);
  double week = 0;
  for (double v : perWeekday) week += v;
  double sum = static_cast<double>(weeks) * week;
  for (int64_t d = fromDay + weeks * 7; d < day; ++d) sum += perWeekday[WeekdayOf(d)];
  return sum;
}

}  // namespace dynhook::oem::sim
