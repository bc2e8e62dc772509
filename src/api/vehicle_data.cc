#include "api/vehicle_data.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cctype>
#include <string>
#include <utility>

namespace dynhook::api {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool HasPermission(const store::Grant& grant, std::string_view permission) {
  return std::find(grant.scopes.begin(), grant.scopes.end(), permission) != grant.scopes.end();
}

core::Result<DataReading> ReadVehicleData(oem::Connector& connector, const store::Grant& grant,
                                          const std::string& vehicleId, oem::DataPath path,
                                          UnitSystem units) {
  const std::string_view permission = oem::PermissionOf(path);
  if (!HasPermission(grant, permission)) {
    return core::errors::Permission("This application was not granted the '" +
                                    std::string(permission) + "' permission for " +
                                    std::string(oem::PathOf(path)) + ".");
  }
  auto reading = connector.Read(vehicleId, path);
  if (!reading) return reading.take_error();
  DataReading out{std::move(reading->body), reading->dataAge, reading->fetchedAt, units};
  ConvertUnits(path, units, out.body);
  return out;
}

http::Fields DataHeaders(const DataReading& reading) {
  return {{"SC-Data-Age", core::FormatIso8601(reading.dataAge)},
          {"SC-Fetched-At", core::FormatIso8601(reading.fetchedAt)},
          {"SC-Unit-System", std::string(UnitSystemName(reading.units))}};
}

boost::json::object DataItemJson(std::string_view path, const core::Result<DataReading>& result,
                                 std::string_view requestId) {
  boost::json::object item;
  item["path"] = path;
  boost::json::object headers;
  if (result) {
    item["code"] = 200;
    item["body"] = result->body;
    for (const auto& [name, value] : DataHeaders(*result)) headers[Lower(name)] = value;
  } else {
    item["code"] = result.error().status;
    // The same body the single endpoint would send (http::ErrorBody is the one writer of it).
    item["body"] = boost::json::parse(http::ErrorBody(result.error(), requestId));
  }
  item["headers"] = std::move(headers);
  return item;
}

}  // namespace dynhook::api
