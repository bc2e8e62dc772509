// The OpenAPI 3 description of every endpoint `dynhook serve` exposes (SPEC §9), served at
// GET /openapi.json by OpsApi. It is written by hand as src/api/openapi/openapi.json and embedded
// into the library at build time (embed_file.cmake), so the binary needs no file on disk.
//
// The served document is that file with two members filled in by the running server:
//   info.version        this build's DYNHOOK_VERSION
//   x-dynhook-routes    {"routes":[{"method":"GET","path":"/v2.0/user"},…],
//                        "prefixes":[{"method":"GET","path":"/dashboard"}]}
//                       the router's table as it is, so a client or a test can check that
//                       `paths` documents exactly what this binary serves (tests/api/
//                       openapi_test.cc fails when a route is added without documenting it).
// Thread-safety: pure functions over immutable data; the router must not change while
// OpenApiDocument reads it (it is read-only once the server runs).
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "http/router.h"

namespace dynhook::api {

// The embedded file's bytes, as written.
std::string_view OpenApiJson();

// The embedded file parsed. Throws std::logic_error when it is not a JSON object: a broken
// build, caught at start-up (OpsApi::RegisterRoutes calls this) and by the tests.
boost::json::object ParseOpenApiJson();

// `base` (the parsed file) with info.version and x-dynhook-routes set from `router`. Without
// the admin API (no --admin-token) its /api/admin paths and routes are left out: such a server
// does not reveal that they exist (api/auth.h).
boost::json::object OpenApiDocument(boost::json::object base, const http::Router& router,
                                    bool adminApi = true);

}  // namespace dynhook::api
