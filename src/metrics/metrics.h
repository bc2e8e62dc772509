// Metrics: a small Prometheus registry (SPEC §9 /metrics). Counters, gauges and histograms,
// each a family with fixed label names; a child per label-value combination. Rendering follows
// the Prometheus text exposition format 0.0.4.
//
//   metrics::Registry registry;
//   metrics::PlatformMetrics m(registry);
//   m.deliveries.With({"success"}).Inc();
//   m.attemptLatency.Get().Observe(0.042);  // seconds
//   std::string text = registry.Render();
//
// Registration (Add*, PlatformMetrics) happens once at start-up; a bad name, a duplicate family
// or bad histogram bounds is a programming error and throws std::invalid_argument. So does
// With() given the wrong number of label values.
//
// Thread-safety: everything is thread-safe. Inc/Set/Add/Observe are lock-free; With() takes
// the family's mutex to find the child, so hot paths keep the returned reference (children are
// created on first use and never freed while the registry lives). A Render running alongside
// updates sees each value at some moment during the render (no global snapshot).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace dynhook::metrics {

// Monotonic count. Inc with a negative or NaN amount is ignored (counters never go down).
class Counter {
 public:
  void Inc(double by = 1);
  double Value() const;

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double value);
  void Add(double by);
  double Value() const;

 private:
  std::atomic<double> value_{0};
};

// Observations counted in buckets by upper bound (`value <= bound`, as Prometheus's `le`).
// NaN observations are ignored.
class Histogram {
 public:
  // Upper bounds, finite and strictly ascending; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);

  // For rendering: cumulative counts per bound with +Inf last (so cumulative.size() ==
  // bounds.size() + 1), the sum, and count == cumulative.back().
  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Snap() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // per bucket (not cumulative), +Inf last
  std::atomic<double> sum_{0};
};

template <class T>
class Family;

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Families are created once (at start-up) and live as long as the registry. A family without
  // labels has its one child from the start, so it renders as 0 before any update.
  Family<Counter>& AddCounter(std::string name, std::string help,
                              std::vector<std::string> labelNames = {});
  Family<Gauge>& AddGauge(std::string name, std::string help,
                          std::vector<std::string> labelNames = {});
  Family<Histogram>& AddHistogram(std::string name, std::string help, std::vector<double> bounds,
                                  std::vector<std::string> labelNames = {});
  // Prometheus text format 0.0.4: families in registration order, each with its # HELP and
  // # TYPE lines, children ordered by label values.
  std::string Render() const;

 private:
  struct Entry;
  template <class T>
  Family<T>& Add(std::unique_ptr<Family<T>> family);
  void Insert(std::unique_ptr<Entry> entry);  // throws on a duplicate name

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Entry>> families_;  // guarded by mu_
};

template <class T>
class Family {
 public:
  // The child for these label values (same order as the label names), created on first use.
  T& With(const std::vector<std::string>& labelValues);
  T& Get() { return With({}); }  // no labels

  const std::string& name() const { return name_; }

 private:
  friend class Registry;
  Family(std::string name, std::string help, std::vector<std::string> labelNames,
         std::vector<double> bounds = {});
  // Appends this family's HELP, TYPE and sample lines to `out`.
  void Render(std::string& out) const;

  std::string name_, help_;
  std::vector<std::string> labelNames_;
  std::vector<double> bounds_;  // histograms only
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<T>> children_;  // guarded by mu_
};

// Formats a sample value as Prometheus expects: shortest round-trip digits ("3", "0.25",
// "1e-07" style exponents accepted by Go's ParseFloat), "+Inf", "-Inf", "NaN".
std::string FormatValue(double value);
// Escapes a label value (\\, \", \n) / a HELP text (\\, \n) for the text format.
std::string EscapeLabelValue(const std::string& value);
std::string EscapeHelp(const std::string& help);

// The platform's metrics, registered once (names as SPEC §9 lists them). Known label values
// (the outcomes) are created up front so they render as 0 before the first event.
struct PlatformMetrics {
  explicit PlatformMetrics(Registry& registry);

  // Outcome label values of `deliveries` and `oemFetches`.
  static constexpr const char* kSuccess = "success";
  static constexpr const char* kFailure = "failure";      // an attempt failed (will retry)
  static constexpr const char* kHeld = "held";            // kept while the webhook is down
  static constexpr const char* kDiscarded = "discarded";  // dropped by the user or retention
  static constexpr const char* kError = "error";          // OEM fetch failed
  // Buckets of `attemptLatency`, in seconds: 5 ms to 30 s.
  static std::vector<double> AttemptLatencyBounds();

  Family<Counter>& deliveries;        // dynhook_deliveries_total{outcome}
  Family<Histogram>& attemptLatency;  // dynhook_delivery_attempt_seconds
  Family<Gauge>& queueDepth;          // dynhook_delivery_queue_depth
  Family<Gauge>& dueBacklog;          // dynhook_schedule_due_backlog
  Family<Gauge>& subscriptions;       // dynhook_subscriptions{interval}, e.g. interval="PT1H"
  Family<Counter>& oemFetches;        // dynhook_oem_fetches_total{outcome}
};

}  // namespace dynhook::metrics
