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
//
// errorCallbackUri (SPEC §4.1): when the webhook has one, a vehicle entry that is an *error
// entry* goes into payloads of its own, POSTed to the errorCallbackUri (store::Delivery's
// targetUri), instead of the main payloads. The rule (IsErrorEntry): the vehicle could not be
// read — no item of the entry is data (code 200), and at least one item the grant permits failed
// with a vehicle/account error: CONNECTED_SERVICES_ACCOUNT:*, VEHICLE_STATE:*, UPSTREAM:* or
// RATE_LIMIT:*. PERMISSION items (the grant's scopes), COMPATIBILITY items (the make lacks the
// data) and SERVER items (our own fault) say nothing about the vehicle and count neither way:
// an entry of only those stays in the main payload, as does every entry with any data (its
// errors ride along as items, as without errorCallbackUri). Error payloads are batched like the
// main ones, share the webhook's delivery order and retries, and the error callback's failures
// count against the webhook (its failure streak, disabling) exactly like the main callback's.
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

// Whether `error` says the vehicle itself could not be read (the kinds listed above).
bool IsVehicleError(const core::Error& error);

// Whether the entry VehicleEntry(…, data, scopes, readings) builds is an error entry (above).
bool IsErrorEntry(const std::vector<oem::DataPath>& data, const std::vector<std::string>& scopes,
                  const Readings& readings);

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
