// AdminApi: the operator's API under /api/admin (SPEC §2, §5), authenticated with
// `Authorization: Bearer <--admin-token>`. Without an admin token every route answers 404
// (the admin API is off); a missing or wrong token answers AUTHENTICATION 401.
//   POST /api/admin/applications {"name","redirectUris":[…]}
//        -> 201 {"id","name","clientId","clientSecret","managementToken","redirectUris",
//                "createdAt"}  (the secrets are shown this once)
//   GET  /api/admin/applications -> {"applications":[{"id","name","clientId","redirectUris",
//                                                     "createdAt"}]}  (no secrets)
// Simulated OEM controls (404 when the connector is not the simulator):
//   POST   /api/admin/sim/accounts {"make","username","password","vehicles":N (1–50, default 1)}
//          -> 201 {"accountId","make","username","vehicles":["<id>",…]}
//   GET    /api/admin/sim/vehicles -> {"vehicles":[{"id","make","model","year","vin",
//                                       "accountId","username","fault","override"}]}
//   GET    /api/admin/sim/vehicles/{id}/state -> the vehicle's current state object
//   PUT    /api/admin/sim/vehicles/{id}/state {…fields…} -> pins them; answers the new state
//   DELETE /api/admin/sim/vehicles/{id}/state -> releases pinned fields; answers the state
//   PUT    /api/admin/sim/vehicles/{id}/fault {"fault":"AUTHENTICATION_FAILED"}
//          -> {"vehicleId","fault"}
//   DELETE /api/admin/sim/vehicles/{id}/fault -> {"vehicleId","fault":null}
//
// Thread-safety: immutable after construction; handlers run concurrently.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/result.h"
#include "http/router.h"
#include "oem/simulator.h"
#include "store/store.h"

namespace dynhook::api {

struct AdminDeps {
  store::Store& store;
  oem::Simulator* simulator;  // nullptr when the connector is not the simulator
  const core::SecretBox& box;
  const core::Clock& wallClock;
  std::string adminToken;  // empty: the admin API is off
};

class AdminApi {
 public:
  explicit AdminApi(AdminDeps deps) : deps_(std::move(deps)) {}
  // The handlers keep their own copy of this object; it may be a temporary.
  void RegisterRoutes(http::Router& router) const;

 private:
  // Checks the admin token (and, for sim routes, that the simulator is present), then runs
  // `handler`.
  using Method = core::Result<http::Response> (AdminApi::*)(const http::Request&) const;
  static void Add(http::Router& router, const std::shared_ptr<const AdminApi>& self,
                  const char* method, const char* path, Method handler, bool needsSimulator);

  core::Result<http::Response> CreateApplication(const http::Request& request) const;
  core::Result<http::Response> ListApplications(const http::Request& request) const;
  core::Result<http::Response> CreateSimAccount(const http::Request& request) const;
  core::Result<http::Response> ListSimVehicles(const http::Request& request) const;
  core::Result<http::Response> GetState(const http::Request& request) const;
  core::Result<http::Response> PutState(const http::Request& request) const;
  core::Result<http::Response> DeleteState(const http::Request& request) const;
  core::Result<http::Response> PutFault(const http::Request& request) const;
  core::Result<http::Response> DeleteFault(const http::Request& request) const;

  AdminDeps deps_;
};

}  // namespace dynhook::api
