#include "api/ops_api.h"

#include <boost/json.hpp>

#include "api/openapi.h"
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
  // Parsed now, so a broken embedded file stops start-up; the route table is read per request
  // because the other modules add their routes after this one.
  router.Add("GET", "/openapi.json",
             [&router, base = ParseOpenApiJson(), admin = adminApi_](const http::Request&) {
               return JsonResponse(200, OpenApiDocument(base, router, admin));
             });
}

}  // namespace dynhook::api
