// Unit systems of the Smartcar API (request header `SC-Unit-System: metric|imperial`). The
// OEM connector always answers in metric units; the API converts on the way out:
//   kilometres -> miles       battery.range, fuel.range, odometer.distance
//   kPa        -> psi         tires/pressure (all four wheels)
//   litres     -> US gallons  fuel.amountRemaining
// Stateless and thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "oem/connector.h"

namespace dynhook::api {

enum class UnitSystem { kMetric, kImperial };

// The header's value (case-insensitive); metric when absent. VALIDATION:PARAMETER otherwise.
core::Result<UnitSystem> ParseUnitSystem(std::optional<std::string_view> header);
std::string_view UnitSystemName(UnitSystem units);  // "metric" | "imperial"

// Converts the numeric fields of a metric `body` for `path` in place; fields that are absent
// or not numbers are left alone.
void ConvertUnits(oem::DataPath path, UnitSystem units, boost::json::object& body);

}  // namespace dynhook::api
