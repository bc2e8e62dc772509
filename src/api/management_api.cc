#include "api/management_api.h"

#include <boost/json.hpp>
#include <memory>
#include <utility>

#include "api/auth.h"
#include "api/input.h"
#include "api/respond.h"

namespace dynhook::api {
namespace {

constexpr const char* kPath = "/v2.0/management/connections";

}  // namespace

void ManagementApi::RegisterRoutes(http::Router& router) const {
  auto self = std::make_shared<const ManagementApi>(*this);
  router.Add("GET", kPath, Wrap([self](const auto& r) { return self->List(r); }));
  router.Add("DELETE", kPath, Wrap([self](const auto& r) { return self->Delete(r); }));
}

core::Result<http::Response> ManagementApi::List(const http::Request& request) const {
  auto app = AuthenticateManagementBasic(deps_.store, request);
  if (!app) return app.take_error();
  store::GrantStore::ConnectionQuery query;
  query.applicationId = app->id;
  auto userId = QueryUuid(request, "user_id");
  if (!userId) return userId.take_error();
  auto vehicleId = QueryUuid(request, "vehicle_id");
  if (!vehicleId) return vehicleId.take_error();
  auto limit =
      QueryInteger(request, "limit", kDefaultConnectionsPageSize, 1, kMaxConnectionsPageSize);
  if (!limit) return limit.take_error();
  const std::string_view cursor = request.Query("cursor").value_or("");
  if (cursor.size() > kMaxCursorLength) {
    return core::errors::Validation("Query parameter 'cursor' is not a valid cursor.");
  }
  query.userId = std::move(*userId);
  query.vehicleId = std::move(*vehicleId);
  query.limit = *limit;
  query.cursor = std::string(cursor);
  auto page = deps_.store.ListConnections(query);
  if (!page) return page.take_error();
  boost::json::array connections;
  for (const auto& connection : page->items) {
    connections.emplace_back(
        boost::json::object{{"userId", connection.userId},
                            {"vehicleId", connection.vehicleId},
                            {"connectedAt", core::FormatIso8601(connection.connectedAt)},
                            {"mode", connection.mode}});
  }
  boost::json::value next = nullptr;
  if (!page->nextCursor.empty()) next = page->nextCursor;
  return JsonResponse(200, boost::json::object{{"connections", std::move(connections)},
                                               {"paging", {{"cursor", std::move(next)}}}});
}

core::Result<http::Response> ManagementApi::Delete(const http::Request& request) const {
  auto app = AuthenticateManagementBasic(deps_.store, request);
  if (!app) return app.take_error();
  auto userId = QueryUuid(request, "user_id");
  if (!userId) return userId.take_error();
  auto vehicleId = QueryUuid(request, "vehicle_id");
  if (!vehicleId) return vehicleId.take_error();
  if (userId->has_value() == vehicleId->has_value()) {
    return core::errors::Validation(
        "Exactly one of the query parameters 'user_id' and 'vehicle_id' is required.");
  }
  auto removed = deps_.store.DeleteConnections(app->id, *userId, *vehicleId);
  if (!removed) return removed.take_error();
  boost::json::array connections;
  for (const auto& connection : *removed) {
    connections.emplace_back(
        boost::json::object{{"userId", connection.userId}, {"vehicleId", connection.vehicleId}});
    if (deps_.onDisconnect) deps_.onDisconnect(connection.applicationId, connection.vehicleId);
  }
  return JsonResponse(200, boost::json::object{{"connections", std::move(connections)}});
}

}  // namespace dynhook::api
