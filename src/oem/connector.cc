#include "oem/connector.h"

#include <array>

namespace dynhook::oem {
namespace {

struct PathEntry {
  DataPath path;
  std::string_view name;
  std::string_view permission;
};

constexpr std::array<PathEntry, 10> kPaths = {{
    {DataPath::kAttributes, "/", "read_vehicle_info"},
    {DataPath::kBattery, "/battery", "read_battery"},
    {DataPath::kCharge, "/charge", "read_charge"},
    {DataPath::kLocation, "/location", "read_location"},
    {DataPath::kOdometer, "/odometer", "read_odometer"},
    {DataPath::kFuel, "/fuel", "read_fuel"},
    {DataPath::kTires, "/tires/pressure", "read_tires"},
    {DataPath::kEngineOil, "/engine/oil", "read_engine_oil"},
    {DataPath::kVin, "/vin", "read_vin"},
    {DataPath::kSecurity, "/security", "read_security"},
}};

const PathEntry& EntryOf(DataPath path) {
  for (const auto& entry : kPaths) {
    if (entry.path == path) return entry;
  }
  return kPaths[0];
}

}  // namespace

std::string_view PathOf(DataPath path) { return EntryOf(path).name; }

std::string_view PermissionOf(DataPath path) { return EntryOf(path).permission; }

std::optional<DataPath> ParseDataPath(std::string_view path) {
  // Accept "/battery", "battery", "/battery/" and "" (attributes).
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return DataPath::kAttributes;
  for (const auto& entry : kPaths) {
    if (entry.name == path) return entry.path;
    if (entry.name.size() > 1 && entry.name.substr(1) == path) return entry.path;
  }
  return std::nullopt;
}

}  // namespace dynhook::oem
