// POST /v2.0/vehicles/{id}/batch: several data items in one request, each authorised and read
// independently, so one item may fail alone (SPEC §3). The request as a whole must be valid:
// {"requests":[{"path":"/odometer","headers":{"sc-unit-system":"imperial"}},…]} with 1 to
// kMaxBatchRequests entries, each a path (string) and optional string headers, no unknown
// fields and no path twice. A path that names no readable item answers its own 404 item.
#include <boost/json.hpp>
#include <cctype>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "api/input.h"
#include "api/respond.h"
#include "api/vehicle_api.h"
#include "api/vehicle_data.h"

namespace dynhook::api {
namespace {

using core::errors::Validation;

struct BatchEntry {
  std::string path;
  UnitSystem units = UnitSystem::kMetric;
};

bool IsUnitSystemHeader(std::string_view name) {
  constexpr std::string_view kName = "sc-unit-system";
  if (name.size() != kName.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(name[i])) != kName[i]) return false;
  }
  return true;
}

// The entry's own headers: string values only; sc-unit-system (any case) overrides the
// request's unit system. Other headers are accepted and ignored, as Smartcar's SDKs send them.
core::Result<UnitSystem> EntryUnits(const boost::json::object& entry, UnitSystem fallback) {
  auto it = entry.find("headers");
  if (it == entry.end() || it->value().is_null()) return fallback;
  if (!it->value().is_object()) return Validation("'requests[].headers' must be an object.");
  std::optional<std::string_view> unitHeader;
  for (const auto& header : it->value().get_object()) {
    if (!header.value().is_string()) {
      return Validation("'requests[].headers' values must be strings.");
    }
    if (IsUnitSystemHeader(header.key())) unitHeader = header.value().get_string();
  }
  if (!unitHeader) return fallback;
  return ParseUnitSystem(unitHeader);
}

core::Result<std::vector<BatchEntry>> ParseEntries(const boost::json::object& body,
                                                   UnitSystem units) {
  auto it = body.find("requests");
  if (it == body.end()) return Validation("Missing required field 'requests'.");
  if (!it->value().is_array() || it->value().get_array().empty() ||
      it->value().get_array().size() > kMaxBatchRequests) {
    return Validation("'requests' must be an array of 1 to " + std::to_string(kMaxBatchRequests) +
                      " requests.");
  }
  std::vector<BatchEntry> entries;
  std::set<std::string> seen;
  for (const auto& item : it->value().get_array()) {
    if (!item.is_object()) return Validation("Each of 'requests' must be an object.");
    const auto& entry = item.get_object();
    for (const auto& member : entry) {
      if (member.key() != "path" && member.key() != "headers") {
        return Validation("Unknown field in 'requests[]'; allowed: 'path', 'headers'.");
      }
    }
    auto path = RequireString(entry, "path");
    if (!path) return path.take_error();
    auto parsed = oem::ParseDataPath(*path);
    const std::string key = parsed ? std::string(oem::PathOf(*parsed)) : *path;
    if (!seen.insert(key).second) return Validation("'requests' lists a path twice.");
    auto entryUnits = EntryUnits(entry, units);
    if (!entryUnits) return entryUnits.take_error();
    entries.push_back(BatchEntry{std::move(*path), *entryUnits});
  }
  return entries;
}

}  // namespace

core::Result<http::Response> VehicleApi::Batch(const http::Request& request) const {
  auto context = Resolve(request);
  if (!context) return context.take_error();
  auto body = ParseBody(request, {"requests"});
  if (!body) return body.take_error();
  auto entries = ParseEntries(*body, context->units);
  if (!entries) return entries.take_error();
  boost::json::array responses;
  for (const BatchEntry& entry : *entries) {
    core::Result<DataReading> result = core::errors::NotFound(
        "No readable data item at path '" + entry.path + "' for a batch request.");
    if (auto path = oem::ParseDataPath(entry.path)) {
      result =
          ReadVehicleData(deps_.connector, context->grant, context->vehicleId, *path, entry.units);
    }
    responses.emplace_back(DataItemJson(entry.path, result, request.requestId));
  }
  return JsonResponse(200, boost::json::object{{"responses", std::move(responses)}});
}

}  // namespace dynhook::api
