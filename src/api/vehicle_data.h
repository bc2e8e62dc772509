// Reading one data item of a connected vehicle the way the Smartcar API answers it: the
// grant's permission for the item is checked, the OEM connector is asked, units are converted,
// and the answer carries SC-Data-Age / SC-Fetched-At / SC-Unit-System. Used by the single data
// endpoints, by POST /batch, and by the webhook payload builder (SPEC §4.4 data items share the
// batch response's {"path","code","body","headers"} shape).
//
// Thread-safe: stateless; the connector is thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "api/units.h"
#include "core/clock.h"
#include "core/result.h"
#include "http/message.h"
#include "oem/connector.h"
#include "store/records.h"

namespace dynhook::api {

struct DataReading {
  boost::json::object body;  // Smartcar body, in `units`
  core::TimePoint dataAge;
  core::TimePoint fetchedAt;
  UnitSystem units = UnitSystem::kMetric;
};

bool HasPermission(const store::Grant& grant, std::string_view permission);

// PERMISSION (403) when the grant lacks PermissionOf(path); otherwise the connector's answer
// (its errors pass through unchanged) converted to `units`. The caller has already checked that
// `vehicleId` is connected under `grant`.
core::Result<DataReading> ReadVehicleData(oem::Connector& connector, const store::Grant& grant,
                                          const std::string& vehicleId, oem::DataPath path,
                                          UnitSystem units);

// The response headers of a reading with their canonical names ("SC-Data-Age", ...).
http::Fields DataHeaders(const DataReading& reading);

// {"path","code","body","headers"} for a batch response or webhook payload: code 200 and the
// lower-case headers ("sc-data-age", "sc-fetched-at", "sc-unit-system") on success; the error's
// status, its Smartcar error body (carrying `requestId`) and empty headers on failure.
boost::json::object DataItemJson(std::string_view path, const core::Result<DataReading>& result,
                                 std::string_view requestId);

}  // namespace dynhook::api
