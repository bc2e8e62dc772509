// OpsApi: liveness and readiness probes and the API description (SPEC §9).
//   GET /healthz      -> 200 {"status":"ok","version":DYNHOOK_VERSION} while the process serves.
//   GET /readyz       -> 200 {"status":"ready"} when the database answers Store::Ping(), else
//                        the Smartcar SERVER error with status 503 (so load balancers stop
//                        routing).
//   GET /openapi.json -> 200 the OpenAPI document (api/openapi.h) of the router these routes
//                        are added to, with every route registered on it by the time of the
//                        request.
// Unauthenticated by design; none reveals anything but the version and the public API.
// Thread-safety: immutable after construction.
#pragma once

#include "http/router.h"
#include "store/store.h"

namespace dynhook::api {

class OpsApi {
 public:
  // `adminApi`: whether /api/admin is on (--admin-token); off, the document leaves it out.
  explicit OpsApi(store::Store& store, bool adminApi = true) : store_(store), adminApi_(adminApi) {}
  void RegisterRoutes(http::Router& router) const;

 private:
  store::Store& store_;
  bool adminApi_;
};

}  // namespace dynhook::api
