#include "metrics/metrics_api.h"

namespace dynhook::metrics {

void RegisterMetricsRoute(http::Router& router, const Registry& registry,
                          std::function<void()> refresh) {
  router.Add("GET", "/metrics", [&registry, refresh = std::move(refresh)](const http::Request&) {
    if (refresh) refresh();
    http::Response response;
    response.status = 200;
    response.SetHeader("Content-Type", kMetricsContentType);
    response.SetHeader("Cache-Control", "no-store");
    response.body = registry.Render();
    return response;
  });
}

}  // namespace dynhook::metrics
