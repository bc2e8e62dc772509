#include "api/vehicle_api.h"

#include <boost/json.hpp>
#include <memory>
#include <utility>

#include "api/auth.h"
#include "api/input.h"
#include "api/respond.h"
#include "api/vehicle_data.h"

namespace dynhook::api {
namespace {

struct DataRoute {
  const char* suffix;
  oem::DataPath path;
};

constexpr DataRoute kDataRoutes[] = {
    {"", oem::DataPath::kAttributes},
    {"/battery", oem::DataPath::kBattery},
    {"/charge", oem::DataPath::kCharge},
    {"/location", oem::DataPath::kLocation},
    {"/odometer", oem::DataPath::kOdometer},
    {"/fuel", oem::DataPath::kFuel},
    {"/tires/pressure", oem::DataPath::kTires},
    {"/engine/oil", oem::DataPath::kEngineOil},
    {"/vin", oem::DataPath::kVin},
    {"/security", oem::DataPath::kSecurity},
};

constexpr const char* kVehicle = "/v2.0/vehicles/{id}";

boost::json::object Paging(int count, int offset) { return {{"count", count}, {"offset", offset}}; }

http::Response Success() { return JsonResponse(200, boost::json::object{{"status", "success"}}); }

}  // namespace

void VehicleApi::RegisterRoutes(http::Router& router) const {
  // The handlers share one copy of this object, so it may be a temporary (RegisterRoutes on a
  // VehicleApi that goes out of scope right after is fine).
  auto self = std::make_shared<const VehicleApi>(*this);
  const std::string vehicle = kVehicle;
  router.Add("GET", "/v2.0/user", Wrap([self](const auto& r) { return self->User(r); }));
  router.Add("GET", "/v2.0/vehicles", Wrap([self](const auto& r) { return self->Vehicles(r); }));
  for (const DataRoute& route : kDataRoutes) {
    const oem::DataPath path = route.path;
    router.Add("GET", vehicle + route.suffix,
               Wrap([self, path](const auto& r) { return self->Data(r, path); }));
  }
  router.Add("GET", vehicle + "/permissions",
             Wrap([self](const auto& r) { return self->Permissions(r); }));
  router.Add("POST", vehicle + "/security",
             Wrap([self](const auto& r) { return self->Command(r, true); }));
  router.Add("POST", vehicle + "/charge",
             Wrap([self](const auto& r) { return self->Command(r, false); }));
  router.Add("POST", vehicle + "/batch", Wrap([self](const auto& r) { return self->Batch(r); }));
  router.Add("DELETE", vehicle + "/application",
             Wrap([self](const auto& r) { return self->Disconnect(r); }));
}

core::Result<VehicleApi::VehicleContext> VehicleApi::Resolve(const http::Request& request) const {
  auto grant = AuthenticateVehicleToken(deps_.store, request, deps_.wallClock);
  if (!grant) return grant.take_error();
  auto vehicleId = PathUuid(request, "id", "vehicle id");
  if (!vehicleId) return vehicleId.take_error();
  auto connection = deps_.store.FindConnection(grant->id, *vehicleId);
  if (!connection) {
    if (connection.error().type != "RESOURCE_NOT_FOUND") return connection.take_error();
    return core::errors::Authentication("The access token does not grant access to vehicle " +
                                        *vehicleId + ".");
  }
  auto units = ParseUnitSystem(request.Header("SC-Unit-System"));
  if (!units) return units.take_error();
  return VehicleContext{std::move(*grant), std::move(*vehicleId), *units};
}

core::Result<http::Response> VehicleApi::User(const http::Request& request) const {
  auto grant = AuthenticateVehicleToken(deps_.store, request, deps_.wallClock);
  if (!grant) return grant.take_error();
  return JsonResponse(200, boost::json::object{{"id", grant->userId}});
}

core::Result<http::Response> VehicleApi::Vehicles(const http::Request& request) const {
  auto grant = AuthenticateVehicleToken(deps_.store, request, deps_.wallClock);
  if (!grant) return grant.take_error();
  auto limit = QueryInteger(request, "limit", kDefaultVehiclesPageSize, 1, kMaxVehiclesPageSize);
  if (!limit) return limit.take_error();
  auto offset = QueryInteger(request, "offset", 0, 0, kMaxOffset);
  if (!offset) return offset.take_error();
  int total = 0;
  auto page = deps_.store.ListGrantConnections(grant->id, *limit, *offset, &total);
  if (!page) return page.take_error();
  boost::json::array vehicles;
  for (const auto& connection : *page) vehicles.emplace_back(connection.vehicleId);
  return JsonResponse(200, boost::json::object{{"paging", Paging(total, *offset)},
                                               {"vehicles", std::move(vehicles)}});
}

core::Result<http::Response> VehicleApi::Data(const http::Request& request,
                                              oem::DataPath path) const {
  auto context = Resolve(request);
  if (!context) return context.take_error();
  auto reading =
      ReadVehicleData(deps_.connector, context->grant, context->vehicleId, path, context->units);
  if (!reading) return reading.take_error();
  http::Response response = JsonResponse(200, reading->body);
  for (auto& [name, value] : DataHeaders(*reading)) response.SetHeader(name, value);
  return response;
}

core::Result<http::Response> VehicleApi::Permissions(const http::Request& request) const {
  auto context = Resolve(request);
  if (!context) return context.take_error();
  auto limit =
      QueryInteger(request, "limit", kDefaultPermissionsPageSize, 1, kMaxPermissionsPageSize);
  if (!limit) return limit.take_error();
  auto offset = QueryInteger(request, "offset", 0, 0, kMaxOffset);
  if (!offset) return offset.take_error();
  const auto& scopes = context->grant.scopes;
  boost::json::array permissions;
  for (size_t i = *offset; i < scopes.size() && permissions.size() < size_t(*limit); ++i) {
    permissions.emplace_back(scopes[i]);
  }
  return JsonResponse(
      200, boost::json::object{{"permissions", std::move(permissions)},
                               {"paging", Paging(static_cast<int>(scopes.size()), *offset)}});
}

core::Result<http::Response> VehicleApi::Command(const http::Request& request,
                                                 bool security) const {
  auto context = Resolve(request);
  if (!context) return context.take_error();
  auto body = ParseBody(request, {"action"});
  if (!body) return body.take_error();
  auto action = RequireString(*body, "action", 16);
  if (!action) return action.take_error();
  const char* on = security ? "LOCK" : "START";
  const char* off = security ? "UNLOCK" : "STOP";
  if (*action != on && *action != off) {
    return core::errors::Validation("'action' must be '" + std::string(on) + "' or '" + off + "'.");
  }
  const char* permission = security ? "control_security" : "control_charge";
  if (!HasPermission(context->grant, permission)) {
    return core::errors::Permission("This application was not granted the '" +
                                    std::string(permission) + "' permission.");
  }
  const bool first = *action == on;
  const oem::Command command =
      security ? (first ? oem::Command::kLock : oem::Command::kUnlock)
               : (first ? oem::Command::kStartCharge : oem::Command::kStopCharge);
  auto status = deps_.connector.Execute(context->vehicleId, command);
  if (!status) return status.take_error();
  return Success();
}

core::Result<http::Response> VehicleApi::Disconnect(const http::Request& request) const {
  auto context = Resolve(request);
  if (!context) return context.take_error();
  auto removed = deps_.store.DeleteConnections(context->grant.applicationId, context->grant.userId,
                                               context->vehicleId);
  if (!removed) return removed.take_error();
  if (deps_.onDisconnect) {
    for (const auto& connection : *removed) {
      deps_.onDisconnect(connection.applicationId, connection.vehicleId);
    }
  }
  return Success();
}

}  // namespace dynhook::api
