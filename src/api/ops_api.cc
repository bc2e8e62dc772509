#include "api/ops_api.h"

#include <boost/json.hpp>

#include "api/respond.h"

#ifndef DYNHOOK_VERSION
#define DYNHOOK_VERSION "0.0.0"
#endif

namespace dynhook::api {

void OpsApi::RegisterRoutes(http::Router& router) const {
  router.Add("GET", "/healthz", [](const http::Request&) {
    return JsonResponse(200, boost::json::object{{"status", "ok"}, {"version", DYNHOOK_VERSION}});
  });
  router.Add("GET", "/readyz", [&store = store_](const http::Request& request) {
    if (auto status = store.Ping(); !status) {
      core::Error error = core::errors::Internal("The database is not reachable.");
      error.status = 503;
      return http::Response::Error(error, request.requestId);
    }
    return JsonResponse(200, boost::json::object{{"status", "ready"}});
  });
}

}  // namespace dynhook::api
