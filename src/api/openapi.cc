#include "api/openapi.h"

#include <boost/json.hpp>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "core/json.h"

#ifndef DYNHOOK_VERSION
#define DYNHOOK_VERSION "0.0.0"
#endif

namespace dynhook::api {

boost::json::object ParseOpenApiJson() {
  // The default limits are for untrusted input; this file is ours and may grow past them.
  const std::string_view text = OpenApiJson();
  auto parsed = core::ParseJsonObject(text, core::ParseLimits{64, text.size()});
  if (!parsed) {
    throw std::logic_error("src/api/openapi/openapi.json is not a JSON object: " +
                           parsed.error().description);
  }
  return std::move(parsed).value();
}

namespace {

constexpr std::string_view kAdminPrefix = "/api/admin";

bool IsAdminPath(std::string_view path) {
  return path.substr(0, kAdminPrefix.size()) == kAdminPrefix;
}

}  // namespace

boost::json::object OpenApiDocument(boost::json::object base, const http::Router& router,
                                    bool adminApi) {
  if (auto* paths = base.if_contains("paths"); !adminApi && paths && paths->is_object()) {
    boost::json::object& all = paths->as_object();
    for (auto it = all.begin(); it != all.end();) {
      it = IsAdminPath(it->key()) ? all.erase(it) : std::next(it);
    }
  }
  boost::json::array routes;
  for (const auto& route : router.Routes()) {
    if (!adminApi && IsAdminPath(route.pattern)) continue;
    routes.push_back(boost::json::object{{"method", route.method}, {"path", route.pattern}});
  }
  boost::json::array prefixes;
  for (const auto& prefix : router.Prefixes()) {
    prefixes.push_back(boost::json::object{{"method", "GET"}, {"path", prefix}});
  }
  if (auto* info = base.if_contains("info"); info && info->is_object()) {
    info->as_object()["version"] = DYNHOOK_VERSION;
  }
  base["x-dynhook-routes"] =
      boost::json::object{{"routes", std::move(routes)}, {"prefixes", std::move(prefixes)}};
  return base;
}

}  // namespace dynhook::api
