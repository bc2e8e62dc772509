// OpsApi: liveness and readiness probes (SPEC §9).
//   GET /healthz -> 200 {"status":"ok","version":DYNHOOK_VERSION} while the process serves.
//   GET /readyz  -> 200 {"status":"ready"} when the database answers Store::Ping(), else the
//                   Smartcar SERVER error with status 503 (so load balancers stop routing).
// Unauthenticated by design; neither reveals anything but the version.
// Thread-safety: immutable after construction.
#pragma once

#include "http/router.h"
#include "store/store.h"

namespace dynhook::api {

class OpsApi {
 public:
  explicit OpsApi(store::Store& store) : store_(store) {}
  void RegisterRoutes(http::Router& router) const;

 private:
  store::Store& store_;
};

}  // namespace dynhook::api
