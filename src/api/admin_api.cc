#include "api/admin_api.h"

#include <boost/json.hpp>
#include <memory>
#include <utility>

#include "api/auth.h"
#include "api/input.h"
#include "api/respond.h"
#include "connect/applications.h"

namespace dynhook::api {
namespace {

boost::json::array StringArray(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

}  // namespace

void AdminApi::Add(http::Router& router, const std::shared_ptr<const AdminApi>& self,
                   const char* method, const char* path, Method handler, bool needsSimulator) {
  router.Add(method, path,
             Wrap([self, handler,
                   needsSimulator](const http::Request& request) -> core::Result<http::Response> {
               if (auto status = AuthenticateAdmin(request, self->deps_.adminToken); !status) {
                 return status.take_error();
               }
               if (needsSimulator && self->deps_.simulator == nullptr) {
                 return core::errors::NotFound("The simulated OEM is not in use on this server.");
               }
               return ((*self).*handler)(request);
             }));
}

void AdminApi::RegisterRoutes(http::Router& router) const {
  auto self = std::make_shared<const AdminApi>(*this);
  Add(router, self, "POST", "/api/admin/applications", &AdminApi::CreateApplication, false);
  Add(router, self, "GET", "/api/admin/applications", &AdminApi::ListApplications, false);
  Add(router, self, "POST", "/api/admin/sim/accounts", &AdminApi::CreateSimAccount, true);
  Add(router, self, "GET", "/api/admin/sim/vehicles", &AdminApi::ListSimVehicles, true);
  constexpr const char* kState = "/api/admin/sim/vehicles/{id}/state";
  Add(router, self, "GET", kState, &AdminApi::GetState, true);
  Add(router, self, "PUT", kState, &AdminApi::PutState, true);
  Add(router, self, "DELETE", kState, &AdminApi::DeleteState, true);
  constexpr const char* kFault = "/api/admin/sim/vehicles/{id}/fault";
  Add(router, self, "PUT", kFault, &AdminApi::PutFault, true);
  Add(router, self, "DELETE", kFault, &AdminApi::DeleteFault, true);
}

core::Result<http::Response> AdminApi::CreateApplication(const http::Request& request) const {
  auto body = ParseBody(request, {"name", "redirectUris"});
  if (!body) return body.take_error();
  auto name = RequireString(*body, "name", connect::kMaxApplicationNameLength);
  if (!name) return name.take_error();
  auto uris = RequireStringArray(*body, "redirectUris", connect::kMaxRedirectUris,
                                 connect::kMaxRedirectUriLength);
  if (!uris) return uris.take_error();
  auto created = connect::CreateApplication(deps_.store, deps_.box, deps_.wallClock,
                                            std::move(*name), std::move(*uris));
  if (!created) return created.take_error();
  const store::Application& app = created->app;
  return JsonResponse(201, boost::json::object{{"id", app.id},
                                               {"name", app.name},
                                               {"clientId", app.clientId},
                                               {"clientSecret", created->clientSecret},
                                               {"managementToken", created->managementToken},
                                               {"redirectUris", StringArray(app.redirectUris)},
                                               {"createdAt", core::FormatIso8601(app.createdAt)}});
}

core::Result<http::Response> AdminApi::ListApplications(const http::Request&) const {
  auto apps = deps_.store.ListApplications();
  if (!apps) return apps.take_error();
  boost::json::array out;
  for (const auto& app : *apps) {
    out.emplace_back(boost::json::object{{"id", app.id},
                                         {"name", app.name},
                                         {"clientId", app.clientId},
                                         {"redirectUris", StringArray(app.redirectUris)},
                                         {"createdAt", core::FormatIso8601(app.createdAt)}});
  }
  return JsonResponse(200, boost::json::object{{"applications", std::move(out)}});
}

}  // namespace dynhook::api
