#include "connect/scopes.h"

#include <algorithm>
#include <array>
#include <utility>

namespace dynhook::connect {
namespace {

constexpr std::string_view kRequiredPrefix = "required:";
constexpr size_t kMaxEntries = 100;

struct PermissionInfo {
  std::string_view name;
  std::string_view description;
};

constexpr std::array<PermissionInfo, 12> kPermissions{{
    {"read_vehicle_info", "Know the make, model and year of your vehicle"},
    {"read_battery", "Read your vehicle's battery level and electric range"},
    {"read_charge", "Know whether your vehicle is plugged in and charging"},
    {"read_location", "Access your vehicle's location"},
    {"read_odometer", "Read your vehicle's odometer"},
    {"read_vin", "Read your vehicle's VIN"},
    {"read_fuel", "Read your vehicle's fuel level and range"},
    {"read_tires", "Read your vehicle's tire pressure"},
    {"read_engine_oil", "Read your vehicle's remaining engine oil life"},
    {"read_security", "Know whether your vehicle is locked or unlocked"},
    {"control_security", "Lock and unlock your vehicle"},
    {"control_charge", "Start and stop charging your vehicle"},
}};

const PermissionInfo* FindPermission(std::string_view name) {
  for (const auto& info : kPermissions) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

// Splits on spaces (and tabs, which some clients produce when joining), dropping empties.
std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

// The name as it may be shown in an error message: printable ASCII only, bounded.
std::string Printable(std::string_view name) {
  std::string out;
  for (char c : name.substr(0, 64)) {
    out += (c >= 0x20 && c < 0x7F) ? c : '?';
  }
  return out;
}

}  // namespace

const std::vector<std::string_view>& AllPermissions() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (const auto& info : kPermissions) names.push_back(info.name);
    return names;
  }();
  return kNames;
}

bool IsKnownPermission(std::string_view name) { return FindPermission(name) != nullptr; }

std::string_view DescribePermission(std::string_view name) {
  const PermissionInfo* info = FindPermission(name);
  return info ? info->description : std::string_view();
}

core::Result<std::vector<RequestedPermission>> ParseScope(std::string_view scope) {
  const auto words = SplitWords(scope);
  if (words.empty()) return core::errors::Validation("The scope parameter is required.");
  if (words.size() > kMaxEntries) {
    return core::errors::Validation("The scope parameter lists too many permissions.");
  }
  std::vector<RequestedPermission> out;
  for (std::string_view word : words) {
    const bool required = word.starts_with(kRequiredPrefix);
    if (required) word.remove_prefix(kRequiredPrefix.size());
    if (!IsKnownPermission(word)) {
      return core::errors::Validation("Unknown permission in scope: '" + Printable(word) + "'.");
    }
    auto existing = std::find_if(out.begin(), out.end(),
                                 [&](const RequestedPermission& p) { return p.name == word; });
    if (existing != out.end()) {
      existing->required = existing->required || required;
    } else {
      out.push_back(RequestedPermission{std::string(word), required});
    }
  }
  return out;
}

std::vector<std::string> PermissionNames(const std::vector<RequestedPermission>& permissions) {
  std::vector<std::string> names;
  names.reserve(permissions.size());
  for (const auto& p : permissions) names.push_back(p.name);
  return names;
}

}  // namespace dynhook::connect
