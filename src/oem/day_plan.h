// DayPlan: one simulated vehicle's local day (04:00 to 04:00) as a list of segments — parked
// (maybe plugged in) or driving — and the walk that evaluates the vehicle at any time within
// the day. Internal to the vehicle model (oem/vehicle_model.h). Pure functions, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "oem/vehicle_model.h"

namespace dynhook::oem::sim {

inline constexpr int64_t kMinuteMs = 60'000;
inline constexpr int64_t kHourMs = 3'600'000;
inline constexpr int64_t kDayMs = 86'400'000;

int64_t FloorDiv(int64_t a, int64_t b);
// The local day containing `ms` (days since 1970-01-01, days starting 04:00 local).
int64_t LocalDayOf(const VehicleProfile& profile, int64_t ms);
int64_t DayStartMs(const VehicleProfile& profile, int64_t day);
int WeekdayOf(int64_t day);  // Monday = 0

struct Segment {
  int64_t startMs = 0;
  int64_t endMs = 0;
  bool driving = false;
  Activity place = Activity::kParkedHome;  // parked: where; driving: the destination
  Activity from = Activity::kParkedHome;   // driving: the origin
  double km = 0;                           // driving distance
  double chargeKw = 0;                     // parked and plugged in: charger power
};

struct DayPlan {
  int64_t day = 0;
  int64_t startMs = 0;
  int64_t endMs = 0;
  std::vector<Segment> segments;  // contiguous, covering [startMs, endMs)
};

DayPlan BuildDayPlan(const VehicleProfile& profile, int64_t day);

// The vehicle `t` into the day (startMs <= t <= endMs), starting charged to the limit.
struct DayWalk {
  double km = 0;          // driven since the day started
  double fuelLiters = 0;  // burnt since the day started
  double battery = 0;
  bool pluggedIn = false;
  bool charging = false;
  Activity activity = Activity::kParkedHome;
  Place location;
};
// `candidates`, when given, receives the plug/unplug/full times of the whole day.
DayWalk WalkDay(const VehicleProfile& profile, const DayPlan& plan, int64_t t,
                std::vector<int64_t>* candidates = nullptr);

// Sum of perWeekday[WeekdayOf(d)] for d in [fromDay, day) (negative when day < fromDay), in
// constant time: how the start-of-day odometer and fuel burnt are derived.
double CumulativeBefore(const std::array<double, 7>& perWeekday, int64_t fromDay, int64_t day);

Place PlaceOf(const VehicleProfile& profile, const DayPlan& plan, Activity place);

}  // namespace dynhook::oem::sim
