// Payload: the body of a dynamic webhook delivery (SPEC §4.4), built from fetched readings.
//
//   {"version":"2.0","eventId","webhookId","eventName":"dynamic","mode",
//    "payload":{"vehicles":[{"vehicleId","requestId","data":[item,…]},…]}}
//   item on success: {"path","code":200,"body",
//                     "headers":{"sc-data-age":"<ISO-8601>","sc-unit-system":"metric"}}
//   item on error:   {"path","code":<status>,"body":<Smartcar error object, http::ErrorBody>}
//
// Bodies are core::Stringify output (byte-identical to JSON.stringify, SPEC §4.4), members in
// the order above. Data the grant's scopes do not allow is a PERMISSION (403) item, never read.
//
// Batching: the vehicle entries of one webhook (and connection mode) that fall due together
// are packed, in order, into as few payloads as keep every body within maxPayloadBytes. A
// single vehicle entry that alone exceeds the limit is still delivered, alone in its payload:
// dropping a vehicle's data silently would be worse than one oversized body (documented in
// the webhook docs; the limit is the receiver's batching preference, not a hard cap on data).
// Thread-safety: stateless.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/random.h"
#include "oem/connector.h"
#include "scheduler/vehicle_fetch.h"

namespace dynhook::scheduler {

// The Smartcar error object for `error` (the body the API would answer with).
boost::json::object ErrorObject(const core::Error& error, std::string_view requestId);

// One data item. `permitted` false gives the PERMISSION item; a path missing from `readings`
// is a SERVER:INTERNAL item (should not happen).
boost::json::object DataItem(oem::DataPath path, const Readings& readings, bool permitted,
                             std::string_view requestId);

// Whether `scopes` grant the permission `path` needs (oem::PermissionOf).
bool Permits(const std::vector<std::string>& scopes, oem::DataPath path);

// {"vehicleId","requestId","data":[…]} for the webhook's data paths, in their order.
boost::json::object VehicleEntry(const std::string& vehicleId, const std::string& requestId,
                                 const std::vector<oem::DataPath>& data,
                                 const std::vector<std::string>& scopes, const Readings& readings);

struct EntryJson {
  std::string vehicleId;
  std::string json;  // Stringify(VehicleEntry(...))
};

struct BuiltPayload {
  std::string eventId;
  std::string body;
  std::vector<std::string> vehicleIds;
};

// The whole body for these (already serialised) vehicle entries.
std::string PayloadBody(std::string_view eventId, std::string_view webhookId, std::string_view mode,
                        const std::vector<const EntryJson*>& entries);

// Packs `entries` (in order) into payloads of at most `maxPayloadBytes` each (see above), each
// with a fresh eventId.
std::vector<BuiltPayload> BuildPayloads(std::string_view webhookId, std::string_view mode,
                                        const std::vector<EntryJson>& entries,
                                        size_t maxPayloadBytes,
                                        core::Random& random = core::DefaultRandom());

}  // namespace dynhook::scheduler
