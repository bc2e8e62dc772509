#include "dashboard/dashboard_routes.h"

#include <string>

#include "core/error.h"
#include "dashboard/assets.h"

namespace dynhook::dashboard {
namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'";

const Asset* FindAsset(std::string_view path) {
  for (const Asset& asset : EmbeddedAssets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

http::Response Serve(const http::Request& request) {
  std::string_view path = request.Param("*");
  const bool index = path.empty() || path == "index.html";
  const Asset* asset = FindAsset(index ? "index.html" : path);
  if (asset == nullptr) {
    return http::Response::Error(
        core::errors::NotFound("No dashboard file at " + request.path + "."), request.requestId);
  }
  http::Response response;
  response.status = 200;
  response.body = std::string(asset->body);
  response.SetHeader("Content-Type", std::string(asset->contentType));
  response.SetHeader("Cache-Control", index ? "no-cache" : "public, max-age=300");
  response.SetHeader("Content-Security-Policy", kContentSecurityPolicy);
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("Referrer-Policy", "no-referrer");
  return response;
}

}  // namespace

void RegisterRoutes(http::Router& router) { router.AddPrefix("/dashboard", Serve); }

}  // namespace dynhook::dashboard
