#include "oem/sim_readings.h"

#include <cmath>

namespace dynhook::oem {
namespace {

namespace json = boost::json;

json::array Openings(std::initializer_list<std::string_view> types) {
  json::array out;
  for (auto type : types) out.push_back(json::object{{"type", type}, {"status", "CLOSED"}});
  return out;
}

json::object SecurityBody(const VehicleState& s) {
  return json::object{
      {"isLocked", s.locked},
      {"doors", Openings({"frontLeft", "frontRight", "backLeft", "backRight"})},
      {"windows", Openings({"frontLeft", "frontRight", "backLeft", "backRight"})},
      {"sunroof", Openings({"sunroof"})},
      {"storage", Openings({"rear", "front"})},
      {"chargingPort", Openings({"chargingPort"})},
  };
}

json::object TiresBody(const VehicleState& s) {
  return json::object{{"frontLeft", RoundTo(s.tiresKpa[0], 1)},
                      {"frontRight", RoundTo(s.tiresKpa[1], 1)},
                      {"backLeft", RoundTo(s.tiresKpa[2], 1)},
                      {"backRight", RoundTo(s.tiresKpa[3], 1)}};
}

}  // namespace

double RoundTo(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  const double rounded = std::round(value * scale) / scale;
  return rounded == 0 ? 0.0 : rounded;  // never "-0"
}

json::object ReadingBody(DataPath path, const store::SimVehicle& v, const VehicleModel& model,
                         const VehicleState& s) {
  const double tank = model.HasFuel() ? model.profile().model->tankLiters : 1;
  switch (path) {
    case DataPath::kAttributes:
      return json::object{{"id", v.id}, {"make", v.make}, {"model", v.model}, {"year", v.year}};
    case DataPath::kBattery:
      return json::object{{"percentRemaining", RoundTo(s.battery, 2)},
                          {"range", RoundTo(model.BatteryRangeKm(s.battery), 2)}};
    case DataPath::kCharge:
      return json::object{{"isPluggedIn", s.pluggedIn}, {"state", ChargeStateName(s.chargeState)}};
    case DataPath::kLocation:
      return json::object{{"latitude", RoundTo(s.location.latitude, 6)},
                          {"longitude", RoundTo(s.location.longitude, 6)}};
    case DataPath::kOdometer:
      return json::object{{"distance", RoundTo(s.odometerKm, 2)}};
    case DataPath::kFuel:
      return json::object{{"range", RoundTo(model.FuelRangeKm(s.fuelLiters), 2)},
                          {"percentRemaining", RoundTo(s.fuelLiters / tank, 2)},
                          {"amountRemaining", RoundTo(s.fuelLiters, 2)}};
    case DataPath::kTires:
      return TiresBody(s);
    case DataPath::kEngineOil:
      return json::object{{"lifeRemaining", RoundTo(model.OilLife(s.odometerKm), 2)}};
    case DataPath::kVin:
      return json::object{{"vin", v.vin}};
    case DataPath::kSecurity:
      return SecurityBody(s);
  }
  return {};
}

json::object StateJson(const store::SimVehicle& v, const VehicleModel& model, const VehicleState& s,
                       const Overrides& overrides) {
  json::object out{{"vehicleId", v.id},
                   {"accountId", v.accountId},
                   {"make", v.make},
                   {"model", v.model},
                   {"year", v.year},
                   {"vin", v.vin},
                   {"at", core::FormatIso8601(s.at)},
                   {"activity", ActivityName(s.activity)}};
  if (model.HasBattery()) {
    out["isPluggedIn"] = s.pluggedIn;
    out["chargeState"] = ChargeStateName(s.chargeState);
    out["percentRemaining"] = RoundTo(s.battery, 4);
    out["range"] = RoundTo(model.BatteryRangeKm(s.battery), 2);
    out["chargeLimit"] = model.profile().chargeLimit;
  }
  if (model.HasFuel()) {
    out["fuel"] = ReadingBody(DataPath::kFuel, v, model, s);
    out["oilLifeRemaining"] = RoundTo(model.OilLife(s.odometerKm), 2);
  }
  out["latitude"] = RoundTo(s.location.latitude, 6);
  out["longitude"] = RoundTo(s.location.longitude, 6);
  out["odometer"] = RoundTo(s.odometerKm, 2);
  out["tirePressure"] = TiresBody(s);
  out["isLocked"] = s.locked;
  out["asleep"] = s.asleep;
  out["fault"] = v.fault.empty() ? json::value(nullptr) : json::value(v.fault);
  out["overrides"] = OverridesToJson(overrides);
  return out;
}

}  // namespace dynhook::oem
