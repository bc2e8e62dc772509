#include "oem/sim_overrides.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>

namespace dynhook::oem {
namespace {

namespace json = boost::json;

struct BoolField {
  std::string_view name;
  std::optional<Pin<bool>> Overrides::*member;
  bool needsBattery;
};

struct NumberField {
  std::string_view name;
  std::optional<Pin<double>> Overrides::*member;
  double min, max;
  bool needsBattery;
};

constexpr std::string_view kChargeStateField = "chargeState";
constexpr BoolField kBoolFields[] = {
    {"isPluggedIn", &Overrides::pluggedIn, true},
    {"asleep", &Overrides::asleep, false},
    {"isLocked", &Overrides::locked, false},
};
constexpr NumberField kNumberFields[] = {
    {"percentRemaining", &Overrides::percentRemaining, 0, 1, true},
    {"latitude", &Overrides::latitude, -90, 90, false},
    {"longitude", &Overrides::longitude, -180, 180, false},
};

template <class T>
void SetPin(std::optional<Pin<T>>& pin, const T& value, core::TimePoint now) {
  if (pin && pin->value == value) return;
  pin = Pin<T>{value, now};
}

template <class T>
bool Active(const std::optional<Pin<T>>& pin, core::TimePoint t) {
  return pin && pin->at <= t;
}

core::Error BadType(std::string_view name, std::string_view expected) {
  return core::errors::Validation("state field '" + std::string(name) + "' must be " +
                                  std::string(expected) + " or null");
}

core::Status ApplyMember(const VehicleModel& model, Overrides& o, std::string_view key,
                         const json::value& value, core::TimePoint now) {
  const auto noBattery = [&] {
    return core::errors::Validation("state field '" + std::string(key) +
                                    "' needs a vehicle with a battery");
  };
  for (const auto& f : kBoolFields) {
    if (f.name != key) continue;
    if (f.needsBattery && !model.HasBattery()) return noBattery();
    if (value.is_null()) return (o.*f.member).reset(), core::Status{};
    if (!value.is_bool()) return BadType(key, "a boolean");
    return SetPin(o.*f.member, value.get_bool(), now), core::Status{};
  }
  for (const auto& f : kNumberFields) {
    if (f.name != key) continue;
    if (f.needsBattery && !model.HasBattery()) return noBattery();
    if (value.is_null()) return (o.*f.member).reset(), core::Status{};
    if (!value.is_number()) return BadType(key, "a number");
    const double number = value.to_number<double>();
    if (!(number >= f.min && number <= f.max)) {
      return core::errors::Validation("state field '" + std::string(key) + "' out of range");
    }
    return SetPin(o.*f.member, number, now), core::Status{};
  }
  if (key == kChargeStateField) {
    if (!model.HasBattery()) return noBattery();
    if (value.is_null()) return o.chargeState.reset(), core::Status{};
    const auto state = value.is_string() ? ParseChargeState(value.get_string()) : std::nullopt;
    if (!state) return BadType(key, "CHARGING, FULLY_CHARGED or NOT_CHARGING");
    return SetPin(o.chargeState, *state, now), core::Status{};
  }
  return core::errors::Validation(
      "unknown state field '" + std::string(key) +
      "'; known: isPluggedIn, chargeState, percentRemaining, latitude, longitude, asleep, "
      "isLocked");
}

// The battery a pinned plug starts from, and since when.
struct PlugStart {
  double battery;
  core::TimePoint since;
};

PlugStart StartOfPlug(const Overrides& o, const VehicleState& frozen, core::TimePoint t) {
  if (Active(o.percentRemaining, t)) {
    return {o.percentRemaining->value, std::max(o.pluggedIn->at, o.percentRemaining->at)};
  }
  return {frozen.battery, o.pluggedIn->at};
}

std::optional<core::TimePoint> FullAt(const VehicleModel& model, const PlugStart& start) {
  const double need = model.profile().chargeLimit - start.battery;
  if (need <= 0) return start.since;
  return start.since +
         core::Duration(static_cast<int64_t>(std::ceil(need / model.HomeChargePerMs())));
}

bool ChargingAllowed(const Overrides& o, core::TimePoint t) {
  return o.pluggedIn->value &&
         !(Active(o.chargeState, t) && o.chargeState->value == ChargeState::kNotCharging);
}

// The vehicle stands still from the plug pin on, charging or not.
void ApplyPlugPin(const VehicleModel& model, const Overrides& o, core::TimePoint t,
                  VehicleState& s) {
  const VehicleState frozen = model.StateAt(o.pluggedIn->at);
  s.activity = frozen.activity == Activity::kDriving ? Activity::kParkedErrand : frozen.activity;
  s.location = frozen.location;
  s.odometerKm = frozen.odometerKm;
  s.fuelLiters = frozen.fuelLiters;
  s.locked = true;
  s.pluggedIn = o.pluggedIn->value;
  const PlugStart start = StartOfPlug(o, frozen, t);
  s.battery = start.battery;
  s.chargeState = ChargeState::kNotCharging;
  if (!ChargingAllowed(o, t)) return;
  const core::TimePoint fullAt = *FullAt(model, start);
  if (t >= fullAt) {
    s.battery = std::max(start.battery, model.profile().chargeLimit);
    s.chargeState = ChargeState::kFullyCharged;
  } else {
    s.battery =
        start.battery + model.HomeChargePerMs() * static_cast<double>((t - start.since).count());
    s.chargeState = ChargeState::kCharging;
  }
}

template <class T>
void WritePin(json::object& out, std::string_view name, const std::optional<Pin<T>>& pin) {
  if (!pin) return;
  json::value value;
  if constexpr (std::is_same_v<T, ChargeState>) {
    value = ChargeStateName(pin->value);
  } else {
    value = pin->value;
  }
  out[name] = json::object{{"value", value}, {"at", core::ToMillis(pin->at)}};
}

template <class T>
void ReadPin(const json::object& in, std::string_view name, std::optional<Pin<T>>& pin) {
  const auto* entry = in.if_contains(name);
  const auto* obj = entry ? entry->if_object() : nullptr;
  const auto* at = obj ? obj->if_contains("at") : nullptr;
  const auto* value = obj ? obj->if_contains("value") : nullptr;
  if (!at || !at->is_int64() || !value) return;
  const core::TimePoint when = core::FromMillis(at->get_int64());
  if constexpr (std::is_same_v<T, ChargeState>) {
    const auto state = value->is_string() ? ParseChargeState(value->get_string()) : std::nullopt;
    if (state) pin = Pin<T>{*state, when};
  } else if constexpr (std::is_same_v<T, bool>) {
    if (value->is_bool()) pin = Pin<T>{value->get_bool(), when};
  } else {
    if (value->is_number()) pin = Pin<T>{value->to_number<double>(), when};
  }
}

}  // namespace

Overrides ParseStoredOverrides(std::string_view text) {
  Overrides o;
  boost::system::error_code ec;
  const json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return o;
  const json::object& in = parsed.get_object();
  for (const auto& f : kBoolFields) ReadPin(in, f.name, o.*f.member);
  for (const auto& f : kNumberFields) ReadPin(in, f.name, o.*f.member);
  ReadPin(in, kChargeStateField, o.chargeState);
  return o;
}

std::string SerializeOverrides(const Overrides& o) {
  json::object out;
  for (const auto& f : kBoolFields) WritePin(out, f.name, o.*f.member);
  WritePin(out, kChargeStateField, o.chargeState);
  for (const auto& f : kNumberFields) WritePin(out, f.name, o.*f.member);
  return json::serialize(out);
}

json::object OverridesToJson(const Overrides& o) {
  json::object stored = json::parse(SerializeOverrides(o)).as_object();
  for (auto& [name, entry] : stored) {
    json::object& pin = entry.as_object();
    const int64_t at = pin["at"].as_int64();
    pin.erase("at");
    pin["since"] = core::FormatIso8601(core::FromMillis(at));
  }
  return stored;
}

core::Status ApplyPatch(const VehicleModel& model, Overrides& overrides, const json::object& patch,
                        core::TimePoint now) {
  Overrides next = overrides;
  for (const auto& [key, value] : patch) {
    if (auto status = ApplyMember(model, next, key, value, now); !status) return status;
  }
  // Re-pinning the plug the other way keeps the battery where the previous pin had taken it.
  const bool plugFlipped =
      overrides.pluggedIn && next.pluggedIn && overrides.pluggedIn->value != next.pluggedIn->value;
  if (plugFlipped && !patch.contains("percentRemaining")) {
    next.percentRemaining = Pin<double>{StateWithOverrides(model, overrides, now).battery, now};
  }
  overrides = std::move(next);
  return {};
}

VehicleState StateWithOverrides(const VehicleModel& model, const Overrides& o, core::TimePoint t) {
  VehicleState s = model.StateAt(t);
  if (model.HasBattery() && Active(o.pluggedIn, t)) {
    ApplyPlugPin(model, o, t, s);
  } else if (model.HasBattery() && Active(o.percentRemaining, t)) {
    s.battery = o.percentRemaining->value;
  }
  if (model.HasBattery() && Active(o.chargeState, t)) s.chargeState = o.chargeState->value;
  if (Active(o.latitude, t)) s.location.latitude = o.latitude->value;
  if (Active(o.longitude, t)) s.location.longitude = o.longitude->value;
  if (Active(o.locked, t)) s.locked = o.locked->value;
  s.asleep = Active(o.asleep, t) && o.asleep->value;
  return s;
}

std::optional<core::TimePoint> PinnedFullAt(const VehicleModel& model, const Overrides& o) {
  if (!model.HasBattery() || !o.pluggedIn) return std::nullopt;
  const core::TimePoint since = o.pluggedIn->at;
  const core::TimePoint latest =
      o.percentRemaining ? std::max(since, o.percentRemaining->at) : since;
  if (!ChargingAllowed(o, latest)) return std::nullopt;
  return FullAt(model, StartOfPlug(o, model.StateAt(since), latest));
}

}  // namespace dynhook::oem
