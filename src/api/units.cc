#include "api/units.h"

#include <cctype>
#include <string>

namespace dynhook::api {
namespace {

constexpr double kKilometresPerMile = 1.609344;
constexpr double kKpaPerPsi = 6.894757293168361;
constexpr double kLitresPerGallon = 3.785411784;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

void Divide(boost::json::object& body, std::string_view field, double divisor) {
  auto it = body.find(field);
  if (it == body.end() || !it->value().is_number()) return;
  it->value() = it->value().to_number<double>() / divisor;
}

}  // namespace

core::Result<UnitSystem> ParseUnitSystem(std::optional<std::string_view> header) {
  if (!header || EqualsIgnoreCase(*header, "metric")) return UnitSystem::kMetric;
  if (EqualsIgnoreCase(*header, "imperial")) return UnitSystem::kImperial;
  return core::errors::Validation("The SC-Unit-System header must be 'metric' or 'imperial'.");
}

std::string_view UnitSystemName(UnitSystem units) {
  return units == UnitSystem::kImperial ? "imperial" : "metric";
}

void ConvertUnits(oem::DataPath path, UnitSystem units, boost::json::object& body) {
  if (units == UnitSystem::kMetric) return;
  switch (path) {
    case oem::DataPath::kBattery:
      Divide(body, "range", kKilometresPerMile);
      break;
    case oem::DataPath::kOdometer:
      Divide(body, "distance", kKilometresPerMile);
      break;
    case oem::DataPath::kFuel:
      Divide(body, "range", kKilometresPerMile);
      Divide(body, "amountRemaining", kLitresPerGallon);
      break;
    case oem::DataPath::kTires:
      for (auto wheel : {"frontLeft", "frontRight", "backLeft", "backRight"}) {
        Divide(body, wheel, kKpaPerPsi);
      }
      break;
    default:
      break;
  }
}

}  // namespace dynhook::api
