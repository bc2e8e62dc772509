#include "scheduler/payload.h"

#include <algorithm>
#include <utility>

#include "core/ids.h"
#include "core/json.h"
#include "http/message.h"

namespace dynhook::scheduler {
namespace {

constexpr size_t kUuidLength = 36;

// `{"version":"2.0",…,"payload":{"vehicles":[` — everything before the first entry.
std::string Head(std::string_view eventId, std::string_view webhookId, std::string_view mode) {
  boost::json::object head;
  head["version"] = "2.0";
  head["eventId"] = eventId;
  head["webhookId"] = webhookId;
  head["eventName"] = "dynamic";
  head["mode"] = mode;
  std::string out = core::Stringify(head);
  out.pop_back();  // the closing brace
  out += R"(,"payload":{"vehicles":[)";
  return out;
}

constexpr std::string_view kTail = "]}}";

}  // namespace

boost::json::object ErrorObject(const core::Error& error, std::string_view requestId) {
  // http::ErrorBody is the one writer of the Smartcar error shape.
  auto parsed = core::ParseJsonObject(http::ErrorBody(error, requestId));
  return parsed ? std::move(*parsed) : boost::json::object{};
}

bool Permits(const std::vector<std::string>& scopes, oem::DataPath path) {
  return std::find(scopes.begin(), scopes.end(), oem::PermissionOf(path)) != scopes.end();
}

boost::json::object DataItem(oem::DataPath path, const Readings& readings, bool permitted,
                             std::string_view requestId) {
  boost::json::object item;
  item["path"] = oem::PathOf(path);
  auto error = [&](const core::Error& e) {
    item["code"] = e.status;
    item["body"] = ErrorObject(e, requestId);
    return item;
  };
  if (!permitted) {
    return error(core::errors::Permission(
        "This application was not granted the '" + std::string(oem::PermissionOf(path)) +
        "' permission for " + std::string(oem::PathOf(path)) + "."));
  }
  auto it = readings.find(path);
  if (it == readings.end()) return error(core::errors::Internal("The data item was not fetched."));
  if (!it->second) return error(it->second.error());
  item["code"] = 200;
  item["body"] = it->second->body;
  boost::json::object headers;
  headers["sc-data-age"] = core::FormatIso8601(it->second->dataAge);
  headers["sc-unit-system"] = "metric";
  item["headers"] = std::move(headers);
  return item;
}

bool IsVehicleError(const core::Error& error) {
  return error.type == "CONNECTED_SERVICES_ACCOUNT" || error.type == "VEHICLE_STATE" ||
         error.type == "UPSTREAM" || error.type == "RATE_LIMIT";
}

bool IsErrorEntry(const std::vector<oem::DataPath>& data, const std::vector<std::string>& scopes,
                  const Readings& readings) {
  bool vehicleError = false;
  for (oem::DataPath path : data) {
    if (!Permits(scopes, path)) continue;  // a PERMISSION item: neutral
    auto it = readings.find(path);
    if (it == readings.end()) continue;  // a SERVER item: neutral
    if (it->second) return false;        // data
    vehicleError = vehicleError || IsVehicleError(it->second.error());
  }
  return vehicleError;
}

boost::json::object VehicleEntry(const std::string& vehicleId, const std::string& requestId,
                                 const std::vector<oem::DataPath>& data,
                                 const std::vector<std::string>& scopes, const Readings& readings) {
  boost::json::array items;
  for (oem::DataPath path : data) {
    items.emplace_back(DataItem(path, readings, Permits(scopes, path), requestId));
  }
  boost::json::object entry;
  entry["vehicleId"] = vehicleId;
  entry["requestId"] = requestId;
  entry["data"] = std::move(items);
  return entry;
}

std::string PayloadBody(std::string_view eventId, std::string_view webhookId, std::string_view mode,
                        const std::vector<const EntryJson*>& entries) {
  std::string body = Head(eventId, webhookId, mode);
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) body += ',';
    body += entries[i]->json;
  }
  body += kTail;
  return body;
}

std::vector<BuiltPayload> BuildPayloads(std::string_view webhookId, std::string_view mode,
                                        const std::vector<EntryJson>& entries,
                                        size_t maxPayloadBytes, core::Random& random) {
  // Every eventId has the same length, so the envelope's size is known before the ids exist.
  const size_t overhead =
      Head(std::string(kUuidLength, '0'), webhookId, mode).size() + kTail.size();
  std::vector<BuiltPayload> out;
  std::vector<const EntryJson*> batch;
  size_t size = overhead;
  auto flush = [&] {
    if (batch.empty()) return;
    BuiltPayload payload;
    payload.eventId = core::NewTimeOrderedUuid(random);  // appends to the store's indexes
    payload.body = PayloadBody(payload.eventId, webhookId, mode, batch);
    for (const EntryJson* entry : batch) payload.vehicleIds.push_back(entry->vehicleId);
    out.push_back(std::move(payload));
    batch.clear();
    size = overhead;
  };
  for (const EntryJson& entry : entries) {
    const size_t added = entry.json.size() + (batch.empty() ? 0 : 1);
    if (!batch.empty() && size + added > maxPayloadBytes) flush();
    size += entry.json.size() + (batch.empty() ? 0 : 1);
    batch.push_back(&entry);
  }
  flush();
  return out;
}

}  // namespace dynhook::scheduler
