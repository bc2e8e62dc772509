// AdminApi: the simulated OEM controls under /api/admin/sim (SPEC §5). The routes only run
// when deps_.simulator is set (AdminApi::Add checks).
#include <boost/json.hpp>
#include <map>
#include <utility>

#include "api/admin_api.h"
#include "api/input.h"
#include "api/respond.h"
#include "core/json.h"
#include "oem/sim_overrides.h"

namespace dynhook::api {
namespace {

boost::json::value NullIfEmpty(const std::string& text) {
  if (text.empty()) return nullptr;
  return boost::json::string(text);
}

}  // namespace

core::Result<http::Response> AdminApi::CreateSimAccount(const http::Request& request) const {
  auto body = ParseBody(request, {"make", "username", "password", "vehicles"});
  if (!body) return body.take_error();
  auto make = RequireString(*body, "make");
  if (!make) return make.take_error();
  auto username = RequireString(*body, "username");
  if (!username) return username.take_error();
  auto password = RequireString(*body, "password");
  if (!password) return password.take_error();
  int64_t count = 1;
  if (body->contains("vehicles")) {
    auto given = RequireInteger(*body, "vehicles", 1, oem::Simulator::kMaxVehiclesPerAccount);
    if (!given) return given.take_error();
    count = *given;
  }
  auto created =
      deps_.simulator->CreateAccount(*make, *username, *password, static_cast<int>(count));
  if (!created) return created.take_error();
  boost::json::array vehicles;
  for (const auto& vehicle : created->vehicles) vehicles.emplace_back(vehicle.id);
  return JsonResponse(201, boost::json::object{{"accountId", created->account.id},
                                               {"make", created->account.make},
                                               {"username", created->account.username},
                                               {"vehicles", std::move(vehicles)}});
}

core::Result<http::Response> AdminApi::ListSimVehicles(const http::Request&) const {
  auto accounts = deps_.store.ListSimAccounts();
  if (!accounts) return accounts.take_error();
  auto vehicles = deps_.store.ListSimVehicles();
  if (!vehicles) return vehicles.take_error();
  std::map<std::string, std::string> usernames;
  for (const auto& account : *accounts) usernames[account.id] = account.username;
  boost::json::array out;
  for (const auto& vehicle : *vehicles) {
    out.emplace_back(boost::json::object{
        {"id", vehicle.id},
        {"make", vehicle.make},
        {"model", vehicle.model},
        {"year", vehicle.year},
        {"vin", vehicle.vin},
        {"accountId", vehicle.accountId},
        {"username", usernames[vehicle.accountId]},
        {"fault", NullIfEmpty(vehicle.fault)},
        {"override", oem::OverridesToJson(oem::ParseStoredOverrides(vehicle.stateOverrideJson))}});
  }
  return JsonResponse(200, boost::json::object{{"vehicles", std::move(out)}});
}

core::Result<http::Response> AdminApi::GetState(const http::Request& request) const {
  auto vehicleId = PathUuid(request, "id", "vehicle id");
  if (!vehicleId) return vehicleId.take_error();
  auto state = deps_.simulator->GetState(*vehicleId);
  if (!state) return state.take_error();
  return JsonResponse(200, *state);
}

core::Result<http::Response> AdminApi::PutState(const http::Request& request) const {
  auto vehicleId = PathUuid(request, "id", "vehicle id");
  if (!vehicleId) return vehicleId.take_error();
  // The simulator validates the patch's fields and values (sim_overrides.h).
  auto patch = core::ParseJsonObject(request.body);
  if (!patch) return patch.take_error();
  if (auto status = deps_.simulator->SetOverride(*vehicleId, *patch); !status) {
    return status.take_error();
  }
  return GetState(request);
}

core::Result<http::Response> AdminApi::DeleteState(const http::Request& request) const {
  auto vehicleId = PathUuid(request, "id", "vehicle id");
  if (!vehicleId) return vehicleId.take_error();
  if (auto status = deps_.simulator->ClearOverride(*vehicleId); !status) {
    return status.take_error();
  }
  return GetState(request);
}

core::Result<http::Response> AdminApi::PutFault(const http::Request& request) const {
  auto vehicleId = PathUuid(request, "id", "vehicle id");
  if (!vehicleId) return vehicleId.take_error();
  auto body = ParseBody(request, {"fault"});
  if (!body) return body.take_error();
  auto fault = RequireString(*body, "fault", 64);
  if (!fault) return fault.take_error();
  if (auto status = deps_.simulator->SetFault(*vehicleId, *fault); !status) {
    return status.take_error();
  }
  return JsonResponse(200, boost::json::object{{"vehicleId", *vehicleId}, {"fault", *fault}});
}

core::Result<http::Response> AdminApi::DeleteFault(const http::Request& request) const {
  auto vehicleId = PathUuid(request, "id", "vehicle id");
  if (!vehicleId) return vehicleId.take_error();
  if (auto status = deps_.simulator->ClearFault(*vehicleId); !status) {
    return status.take_error();
  }
  return JsonResponse(200, boost::json::object{{"vehicleId", *vehicleId}, {"fault", nullptr}});
}

}  // namespace dynhook::api
