// GET /metrics through Router::Dispatch.
#include "metrics/metrics_api.h"

#include <gtest/gtest.h>

#include <atomic>

namespace dynhook::metrics {
namespace {

http::Request Get(std::string path) {
  http::Request request;
  request.method = "GET";
  request.target = path;
  request.path = std::move(path);
  return request;
}

TEST(MetricsRoute, ServesTextFormatAfterRefresh) {
  Registry registry;
  auto& depth = registry.AddGauge("depth", "Queue depth.");
  std::atomic<int> refreshes{0};
  http::Router router;
  RegisterMetricsRoute(router, registry, [&] { depth.Get().Set(++refreshes); });

  auto request = Get("/metrics");
  const http::Response response = router.Dispatch(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(http::FindHeader(response.headers, "content-type"),
            "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(response.body, "# HELP depth Queue depth.\n# TYPE depth gauge\ndepth 1\n");

  auto again = Get("/metrics/");  // trailing slash accepted like every route
  EXPECT_EQ(router.Dispatch(again).body,
            "# HELP depth Queue depth.\n# TYPE depth gauge\ndepth 2\n");
}

TEST(MetricsRoute, WorksWithoutRefreshAndOnlyForGet) {
  Registry registry;
  registry.AddCounter("c_total", "c");
  http::Router router;
  RegisterMetricsRoute(router, registry);
  auto get = Get("/metrics");
  EXPECT_EQ(router.Dispatch(get).body, "# HELP c_total c\n# TYPE c_total counter\nc_total 0\n");
  auto post = Get("/metrics");
  post.method = "POST";
  EXPECT_EQ(router.Dispatch(post).status, 405);
}

}  // namespace
}  // namespace dynhook::metrics
