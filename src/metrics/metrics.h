// Metrics: a small Prometheus registry (SPEC §9 /metrics). Counters, gauges and histograms,
// each a family with fixed label names; a child per label-value combination. Rendering follows
// the Prometheus text exposition format 0.0.4.
//
// Thread-safety: everything is thread-safe; Inc/Set/Observe are lock-free after the first call
// for a label combination (children are created under the family's mutex and never freed).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace dynhook::metrics {

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

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);  // upper bounds, ascending (+Inf implied)
  void Observe(double value);
  // Snapshot for rendering: cumulative counts per bound (+Inf last), sum, count.
  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Snap() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

template <class T>
class Family;

class Registry {
 public:
  // Families are created once (at start-up) and live as long as the registry.
  Family<Counter>& AddCounter(std::string name, std::string help,
                              std::vector<std::string> labelNames = {});
  Family<Gauge>& AddGauge(std::string name, std::string help,
                          std::vector<std::string> labelNames = {});
  Family<Histogram>& AddHistogram(std::string name, std::string help, std::vector<double> bounds,
                                  std::vector<std::string> labelNames = {});
  // Prometheus text format, families in registration order.
  std::string Render() const;

  ~Registry();

 private:
  struct Entry;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Entry>> families_;  // guarded by mu_
};

template <class T>
class Family {
 public:
  // The child for these label values (same order as the label names).
  T& With(const std::vector<std::string>& labelValues);
  T& Get() { return With({}); }  // no labels

 private:
  friend class Registry;
  Family(std::string name, std::string help, std::vector<std::string> labelNames,
         std::vector<double> bounds = {});
  std::string name_, help_;
  std::vector<std::string> labelNames_;
  std::vector<double> bounds_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<T>> children_;  // guarded by mu_
};

// The platform's metrics, registered once (names as SPEC §9 lists them).
struct PlatformMetrics {
  explicit PlatformMetrics(Registry& registry);
  Family<Counter>& deliveries;        // dynhook_deliveries_total{outcome}
  Family<Histogram>& attemptLatency;  // dynhook_delivery_attempt_seconds
  Family<Gauge>& queueDepth;          // dynhook_delivery_queue_depth
  Family<Gauge>& dueBacklog;          // dynhook_schedule_due_backlog
  Family<Gauge>& subscriptions;       // dynhook_subscriptions{interval}
  Family<Counter>& oemFetches;        // dynhook_oem_fetches_total{outcome}
};

}  // namespace dynhook::metrics
