// Registry rendering (exact text format 0.0.4), escaping, histograms, concurrency and the
// platform's metric set.
#include "metrics/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

namespace dynhook::metrics {
namespace {

TEST(Registry, RendersSmallRegistryExactly) {
  Registry registry;
  auto& requests = registry.AddCounter("app_requests_total", "Requests served.", {"code"});
  auto& temperature = registry.AddGauge("app_temperature_celsius", "Current temperature.");
  requests.With({"200"}).Inc();
  requests.With({"200"}).Inc(2);
  requests.With({"404"}).Inc();
  temperature.Get().Set(21.5);
  EXPECT_EQ(registry.Render(),
            "# HELP app_requests_total Requests served.\n"
            "# TYPE app_requests_total counter\n"
            "app_requests_total{code=\"200\"} 3\n"
            "app_requests_total{code=\"404\"} 1\n"
            "# HELP app_temperature_celsius Current temperature.\n"
            "# TYPE app_temperature_celsius gauge\n"
            "app_temperature_celsius 21.5\n");
}

TEST(Registry, UnlabelledFamilyRendersZeroBeforeAnyUpdate) {
  Registry registry;
  registry.AddCounter("c_total", "c");
  registry.AddGauge("g", "g", {"kind"});
  EXPECT_EQ(registry.Render(),
            "# HELP c_total c\n# TYPE c_total counter\nc_total 0\n"
            "# HELP g g\n# TYPE g gauge\n");
}

TEST(Registry, EscapesLabelValuesAndHelp) {
  Registry registry;
  auto& g = registry.AddGauge("g", "line one\nback\\slash \"quoted\"", {"a", "b"});
  g.With({"x\\y", "say \"hi\"\nbye"}).Set(1);
  EXPECT_EQ(registry.Render(),
            "# HELP g line one\\nback\\\\slash \"quoted\"\n"
            "# TYPE g gauge\n"
            "g{a=\"x\\\\y\",b=\"say \\\"hi\\\"\\nbye\"} 1\n");
}

TEST(Registry, RendersHistogramBucketsCumulativeWithInf) {
  Registry registry;
  auto& h = registry.AddHistogram("lat_seconds", "Latency.", {0.125, 0.5, 2}, {"route"});
  auto& child = h.With({"/x"});
  for (double v : {0.0625, 0.125, 0.25, 1.0, 7.0}) child.Observe(v);
  EXPECT_EQ(registry.Render(),
            "# HELP lat_seconds Latency.\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{route=\"/x\",le=\"0.125\"} 2\n"
            "lat_seconds_bucket{route=\"/x\",le=\"0.5\"} 3\n"
            "lat_seconds_bucket{route=\"/x\",le=\"2\"} 4\n"
            "lat_seconds_bucket{route=\"/x\",le=\"+Inf\"} 5\n"
            "lat_seconds_sum{route=\"/x\"} 8.4375\n"
            "lat_seconds_count{route=\"/x\"} 5\n");
}

TEST(Registry, UnlabelledHistogramStartsEmpty) {
  Registry registry;
  registry.AddHistogram("h", "h", {1});
  EXPECT_EQ(registry.Render(),
            "# HELP h h\n# TYPE h histogram\n"
            "h_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 0\nh_sum 0\nh_count 0\n");
}

TEST(Histogram, SnapshotCountsAndIgnoresNaN) {
  Histogram h({1, 2});
  h.Observe(-5);
  h.Observe(2);
  h.Observe(std::numeric_limits<double>::quiet_NaN());
  h.Observe(std::numeric_limits<double>::infinity());
  const auto snap = h.Snap();
  EXPECT_EQ(snap.cumulative, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(snap.count, 3u);
  EXPECT_TRUE(std::isinf(snap.sum));
}

TEST(FormatValue, PrometheusNumbers) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(3), "3");
  EXPECT_EQ(FormatValue(0.005), "0.005");
  EXPECT_EQ(FormatValue(1e-7), "1e-7");
  EXPECT_EQ(FormatValue(123456789012), "123456789012");
  EXPECT_EQ(FormatValue(-2.5), "-2.5");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(Counter, IgnoresNegativeAndNaN) {
  Counter c;
  c.Inc(2);
  c.Inc(-1);
  c.Inc(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(c.Value(), 2);
}

TEST(Gauge, SetAndAdd) {
  Gauge g;
  g.Set(5);
  g.Add(-7);
  EXPECT_EQ(g.Value(), -2);
}

TEST(Registry, RejectsProgrammingErrors) {
  Registry registry;
  registry.AddCounter("ok_total", "ok", {"a"});
  EXPECT_THROW(registry.AddCounter("ok_total", "again"), std::invalid_argument);
  EXPECT_THROW(registry.AddGauge("9bad", "x"), std::invalid_argument);
  EXPECT_THROW(registry.AddGauge("bad-name", "x"), std::invalid_argument);
  EXPECT_THROW(registry.AddGauge("g", "x", {"__reserved"}), std::invalid_argument);
  EXPECT_THROW(registry.AddHistogram("h", "x", {1}, {"le"}), std::invalid_argument);
  EXPECT_THROW(registry.AddHistogram("h2", "x", {2, 1}), std::invalid_argument);
  EXPECT_THROW(registry.AddHistogram("h3", "x", {1, std::numeric_limits<double>::infinity()}),
               std::invalid_argument);
  auto& family = registry.AddCounter("two_total", "x", {"a", "b"});
  EXPECT_THROW(family.With({"only-one"}), std::invalid_argument);
}

TEST(Registry, ConcurrentIncrementsSumCorrectly) {
  Registry registry;
  auto& counter = registry.AddCounter("hits_total", "hits", {"who"});
  auto& gauge = registry.AddGauge("level", "level");
  auto& histogram = registry.AddHistogram("h", "h", {0.5});
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        counter.With({"all"}).Inc();
        counter.With({t % 2 ? "odd" : "even"}).Inc(0.5);
        gauge.Get().Add(1);
        histogram.Get().Observe(i % 2 ? 1.0 : 0.25);
        if (i % 1000 == 0) (void)registry.Render();  // rendering alongside updates
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter.With({"all"}).Value(), kThreads * kPerThread);
  EXPECT_EQ(counter.With({"odd"}).Value(), kThreads / 2 * kPerThread * 0.5);
  EXPECT_EQ(gauge.Get().Value(), kThreads * kPerThread);
  const auto snap = histogram.Get().Snap();
  EXPECT_EQ(snap.count, uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(snap.cumulative[0], uint64_t{kThreads} * kPerThread / 2);
  EXPECT_EQ(snap.sum, kThreads * (kPerThread / 2) * 1.25);
}

TEST(PlatformMetrics, RegistersSpecNamesWithKnownOutcomesAtZero) {
  Registry registry;
  PlatformMetrics metrics(registry);
  metrics.deliveries.With({PlatformMetrics::kSuccess}).Inc();
  metrics.attemptLatency.Get().Observe(0.042);
  metrics.queueDepth.Get().Set(3);
  metrics.subscriptions.With({"PT1H"}).Set(7);
  const std::string text = registry.Render();
  for (const char* line : {
           "# TYPE dynhook_deliveries_total counter\n",
           "dynhook_deliveries_total{outcome=\"success\"} 1\n",
           "dynhook_deliveries_total{outcome=\"failure\"} 0\n",
           "dynhook_deliveries_total{outcome=\"held\"} 0\n",
           "dynhook_deliveries_total{outcome=\"discarded\"} 0\n",
           "# TYPE dynhook_delivery_attempt_seconds histogram\n",
           "dynhook_delivery_attempt_seconds_bucket{le=\"0.005\"} 0\n",
           "dynhook_delivery_attempt_seconds_bucket{le=\"0.05\"} 1\n",
           "dynhook_delivery_attempt_seconds_bucket{le=\"30\"} 1\n",
           "dynhook_delivery_attempt_seconds_bucket{le=\"+Inf\"} 1\n",
           "dynhook_delivery_attempt_seconds_count 1\n",
           "dynhook_delivery_queue_depth 3\n",
           "dynhook_schedule_due_backlog 0\n",
           "dynhook_subscriptions{interval=\"PT1H\"} 7\n",
           "dynhook_oem_fetches_total{outcome=\"success\"} 0\n",
           "dynhook_oem_fetches_total{outcome=\"error\"} 0\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nin:\n" << text;
  }
}

}  // namespace
}  // namespace dynhook::metrics
