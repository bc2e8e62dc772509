// VehicleApi: the Smartcar v2.0-compatible vehicle endpoints under /v2.0 (SPEC §3), all
// authenticated with a vehicle owner's access token:
//   GET  /user, GET /vehicles?limit&offset
//   GET  /vehicles/{id}[/battery|/charge|/location|/odometer|/fuel|/tires/pressure|
//                       /engine/oil|/vin|/security|/permissions]
//   POST /vehicles/{id}/security {"action":"LOCK"|"UNLOCK"}, POST /vehicles/{id}/charge
//        {"action":"START"|"STOP"}, POST /vehicles/{id}/batch {"requests":[{"path"},…]}
//   DELETE /vehicles/{id}/application (disconnect; runs ApiDeps::onDisconnect)
// The webhook subscribe/unsubscribe pair under /vehicles/{id}/webhooks is the webhooks
// module's.
//
// Error policy, in the order checked: bad or missing token -> AUTHENTICATION 401; vehicle id
// not a UUID -> VALIDATION 400; vehicle not connected under the token's grant (never
// connected, disconnected, or another user's) -> AUTHENTICATION 401 (Smartcar: "verify that
// your access token grants you access to the correct vehicle"); invalid SC-Unit-System or
// body -> VALIDATION 400; missing permission -> PERMISSION 403; OEM errors pass through with
// their own type, code and status.
//
// Thread-safety: immutable after construction; handlers run concurrently on worker threads.
#pragma once

#include <string>

#include "api/deps.h"
#include "api/units.h"
#include "core/result.h"
#include "http/router.h"
#include "store/records.h"

namespace dynhook::api {

inline constexpr int kMaxVehiclesPageSize = 50;
inline constexpr int kDefaultVehiclesPageSize = 10;
inline constexpr int kMaxPermissionsPageSize = 50;
inline constexpr int kDefaultPermissionsPageSize = 25;
inline constexpr int kMaxOffset = 1'000'000;
inline constexpr size_t kMaxBatchRequests = 20;

class VehicleApi {
 public:
  explicit VehicleApi(ApiDeps deps) : deps_(std::move(deps)) {}

  // Adds every route listed above. The handlers keep their own copy of this object (and so of
  // the references in ApiDeps, whose targets must outlive the router).
  void RegisterRoutes(http::Router& router) const;

 private:
  struct VehicleContext {
    store::Grant grant;
    std::string vehicleId;
    UnitSystem units = UnitSystem::kMetric;
  };

  // Authenticates the token and checks that path parameter "id" is connected under its grant.
  core::Result<VehicleContext> Resolve(const http::Request& request) const;

  core::Result<http::Response> User(const http::Request& request) const;
  core::Result<http::Response> Vehicles(const http::Request& request) const;
  core::Result<http::Response> Data(const http::Request& request, oem::DataPath path) const;
  core::Result<http::Response> Permissions(const http::Request& request) const;
  core::Result<http::Response> Command(const http::Request& request, bool security) const;
  core::Result<http::Response> Disconnect(const http::Request& request) const;
  core::Result<http::Response> Batch(const http::Request& request) const;  // batch.cc

  ApiDeps deps_;
};

}  // namespace dynhook::api
