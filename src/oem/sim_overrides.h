// Overrides: field-level pins on a simulated vehicle's state, set through the admin API
// (`PUT /api/admin/sim/vehicles/{id}/state`, SPEC §5) so tests and demos are deterministic.
// A pin holds from the moment it was set (`at`, platform time) until set again or released;
// the state stays a pure function of (seed, time, pins):
//   isPluggedIn      bool    the vehicle is parked where it was at `at` (location, odometer and
//                            fuel frozen); plugged in, it charges on its home charger from the
//                            battery it had at `at` until the charge limit (FULLY_CHARGED);
//                            unplugged, its battery holds.
//   chargeState      string  "CHARGING" | "FULLY_CHARGED" | "NOT_CHARGING" as reported;
//                            NOT_CHARGING also stops a pinned plug from charging.
//   percentRemaining number  0..1: the battery at `at`; it holds, or charges from there when
//                            a plug pin is charging.
//   latitude, longitude  number  the reported location.
//   asleep           bool    reads answer the data as of `at` with SC-Data-Age `at`.
//   isLocked         bool    the reported lock state (also set by LOCK/UNLOCK commands).
// Battery pins (isPluggedIn, chargeState, percentRemaining) need a vehicle with a battery.
// Persisted as JSON: {"isPluggedIn":{"value":true,"at":<epoch ms>},...}.
// Thread-safety: plain values and pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "oem/vehicle_model.h"

namespace dynhook::oem {

template <class T>
struct Pin {
  T value{};
  core::TimePoint at;
};

struct Overrides {
  std::optional<Pin<bool>> pluggedIn;
  std::optional<Pin<ChargeState>> chargeState;
  std::optional<Pin<double>> percentRemaining;
  std::optional<Pin<double>> latitude;
  std::optional<Pin<double>> longitude;
  std::optional<Pin<bool>> asleep;
  std::optional<Pin<bool>> locked;
};

// Reads the persisted form; malformed entries are ignored ("" and "{}" give no pins).
Overrides ParseStoredOverrides(std::string_view json);
std::string SerializeOverrides(const Overrides& overrides);
// {"isPluggedIn":{"value":true,"since":"2026-11-18T…Z"},…} for the admin API.
boost::json::object OverridesToJson(const Overrides& overrides);

// Applies an admin patch at `now`: each member sets its pin (null releases it). Validation
// error, and nothing changes, for an unknown member, a wrong type or range, or a battery pin
// on a vehicle without a battery. Setting a pin to the value it already has keeps its time.
core::Status ApplyPatch(const VehicleModel& model, Overrides& overrides,
                        const boost::json::object& patch, core::TimePoint now);

// The vehicle's state at `t` with the pins set at or before `t` in effect.
VehicleState StateWithOverrides(const VehicleModel& model, const Overrides& overrides,
                                core::TimePoint t);
// When a pinned plug's charging reaches the limit (a charge-state change to detect), if ever.
std::optional<core::TimePoint> PinnedFullAt(const VehicleModel& model, const Overrides& overrides);

}  // namespace dynhook::oem
