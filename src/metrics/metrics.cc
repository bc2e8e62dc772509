#include "metrics/metrics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <variant>

#include "core/json.h"

namespace dynhook::metrics {
namespace {

bool ValidName(const std::string& name, bool allowColon) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!(alpha || (allowColon && c == ':') || (i > 0 && digit))) return false;
  }
  return true;
}

void CheckNames(const std::string& name, const std::vector<std::string>& labelNames,
                bool histogram) {
  if (!ValidName(name, true)) throw std::invalid_argument("bad metric name '" + name + "'");
  for (const auto& label : labelNames) {
    if (!ValidName(label, false) || label.rfind("__", 0) == 0 || (histogram && label == "le")) {
      throw std::invalid_argument("bad label name '" + label + "' for " + name);
    }
  }
}

void CheckBounds(const std::vector<double>& bounds) {
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
      throw std::invalid_argument("histogram bounds must be finite and strictly ascending");
    }
  }
}

// {a="x",b="y"} plus an optional extra pair (the histogram's `le`); "" when there are none.
std::string LabelSet(const std::vector<std::string>& names, const std::vector<std::string>& values,
                     const std::string& extraName = "", const std::string& extraValue = "") {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    out += out.empty() ? "{" : ",";
    out += names[i] + "=\"" + EscapeLabelValue(values[i]) + "\"";
  }
  if (!extraName.empty()) {
    out += out.empty() ? "{" : ",";
    out += extraName + "=\"" + EscapeLabelValue(extraValue) + "\"";
  }
  if (!out.empty()) out += "}";
  return out;
}

void AppendSample(std::string& out, const std::string& name, const std::string& labels,
                  const std::string& value) {
  out += name;
  out += labels;
  out += ' ';
  out += value;
  out += '\n';
}

void AppendChild(std::string& out, const std::string& name, const std::vector<std::string>& labels,
                 const std::vector<std::string>& values, const Counter& c) {
  AppendSample(out, name, LabelSet(labels, values), FormatValue(c.Value()));
}

void AppendChild(std::string& out, const std::string& name, const std::vector<std::string>& labels,
                 const std::vector<std::string>& values, const Gauge& g) {
  AppendSample(out, name, LabelSet(labels, values), FormatValue(g.Value()));
}

void AppendChild(std::string& out, const std::string& name, const std::vector<std::string>& labels,
                 const std::vector<std::string>& values, const Histogram& h) {
  const Histogram::Snapshot snap = h.Snap();
  for (size_t i = 0; i < snap.cumulative.size(); ++i) {
    const std::string le = i < snap.bounds.size() ? FormatValue(snap.bounds[i]) : "+Inf";
    AppendSample(out, name + "_bucket", LabelSet(labels, values, "le", le),
                 std::to_string(snap.cumulative[i]));
  }
  const std::string set = LabelSet(labels, values);
  AppendSample(out, name + "_sum", set, FormatValue(snap.sum));
  AppendSample(out, name + "_count", set, std::to_string(snap.count));
}

template <class T>
constexpr const char* TypeName() {
  if constexpr (std::is_same_v<T, Counter>) return "counter";
  if constexpr (std::is_same_v<T, Gauge>) return "gauge";
  return "histogram";
}

}  // namespace

// ---- values ----

void Counter::Inc(double by) {
  if (!(by >= 0)) return;  // negative or NaN
  value_.fetch_add(by, std::memory_order_relaxed);
}
double Counter::Value() const { return value_.load(std::memory_order_relaxed); }

void Gauge::Set(double value) { value_.store(value, std::memory_order_relaxed); }
void Gauge::Add(double by) { value_.fetch_add(by, std::memory_order_relaxed); }
double Gauge::Value() const { return value_.load(std::memory_order_relaxed); }

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {
  CheckBounds(bounds_);
}

void Histogram::Observe(double value) {
  if (std::isnan(value)) return;
  const size_t index =
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();  // value <= bound
  buckets_[index].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Snap() const {
  Snapshot snap;
  snap.bounds = bounds_;
  snap.cumulative.reserve(bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    snap.cumulative.push_back(running);
  }
  snap.count = running;
  snap.sum = sum_.load(std::memory_order_relaxed);
  return snap;
}

// ---- families ----

template <class T>
Family<T>::Family(std::string name, std::string help, std::vector<std::string> labelNames,
                  std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      labelNames_(std::move(labelNames)),
      bounds_(std::move(bounds)) {}

template <class T>
T& Family<T>::With(const std::vector<std::string>& labelValues) {
  if (labelValues.size() != labelNames_.size()) {
    throw std::invalid_argument(name_ + ": expected " + std::to_string(labelNames_.size()) +
                                " label values");
  }
  std::lock_guard lock(mu_);
  auto& child = children_[labelValues];
  if (!child) {
    if constexpr (std::is_same_v<T, Histogram>) {
      child = std::make_unique<Histogram>(bounds_);
    } else {
      child = std::make_unique<T>();
    }
  }
  return *child;
}

template <class T>
void Family<T>::Render(std::string& out) const {
  out += "# HELP " + name_ + " " + EscapeHelp(help_) + "\n";
  out += "# TYPE " + name_ + " " + TypeName<T>() + "\n";
  std::lock_guard lock(mu_);
  for (const auto& [values, child] : children_) {
    AppendChild(out, name_, labelNames_, values, *child);
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

// ---- registry ----

struct Registry::Entry {
  std::variant<std::unique_ptr<Family<Counter>>, std::unique_ptr<Family<Gauge>>,
               std::unique_ptr<Family<Histogram>>>
      family;
  const std::string& Name() const {
    return std::visit([](const auto& f) -> const std::string& { return f->name(); }, family);
  }
};

Registry::Registry() = default;
Registry::~Registry() = default;

void Registry::Insert(std::unique_ptr<Entry> entry) {
  std::lock_guard lock(mu_);
  for (const auto& existing : families_) {
    if (existing->Name() == entry->Name()) {
      throw std::invalid_argument("metric family registered twice: " + entry->Name());
    }
  }
  families_.push_back(std::move(entry));
}

template <class T>
Family<T>& Registry::Add(std::unique_ptr<Family<T>> family) {
  Family<T>& ref = *family;
  if (ref.labelNames_.empty()) ref.Get();
  Insert(std::make_unique<Entry>(Entry{std::move(family)}));
  return ref;
}

Family<Counter>& Registry::AddCounter(std::string name, std::string help,
                                      std::vector<std::string> labelNames) {
  CheckNames(name, labelNames, false);
  return Add(std::unique_ptr<Family<Counter>>(
      new Family<Counter>(std::move(name), std::move(help), std::move(labelNames))));
}

Family<Gauge>& Registry::AddGauge(std::string name, std::string help,
                                  std::vector<std::string> labelNames) {
  CheckNames(name, labelNames, false);
  return Add(std::unique_ptr<Family<Gauge>>(
      new Family<Gauge>(std::move(name), std::move(help), std::move(labelNames))));
}

Family<Histogram>& Registry::AddHistogram(std::string name, std::string help,
                                          std::vector<double> bounds,
                                          std::vector<std::string> labelNames) {
  CheckNames(name, labelNames, true);
  CheckBounds(bounds);
  return Add(std::unique_ptr<Family<Histogram>>(new Family<Histogram>(
      std::move(name), std::move(help), std::move(labelNames), std::move(bounds))));
}

std::string Registry::Render() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& entry : families_) {
    std::visit([&out](const auto& family) { family->Render(out); }, entry->family);
  }
  return out;
}

// ---- formatting ----

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return core::JsNumber(value);
}

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeHelp(const std::string& help) {
  std::string out;
  out.reserve(help.size());
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// ---- platform metrics ----

std::vector<double> PlatformMetrics::AttemptLatencyBounds() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30};
}

PlatformMetrics::PlatformMetrics(Registry& registry)
    : deliveries(registry.AddCounter("dynhook_deliveries_total",
                                     "Webhook deliveries by outcome: success, failure (an attempt "
                                     "failed), held, discarded.",
                                     {"outcome"})),
      attemptLatency(registry.AddHistogram("dynhook_delivery_attempt_seconds",
                                           "Latency of delivery attempts, in seconds.",
                                           AttemptLatencyBounds())),
      queueDepth(registry.AddGauge("dynhook_delivery_queue_depth",
                                   "Unfinished deliveries queued in the delivery engine.")),
      dueBacklog(registry.AddGauge("dynhook_schedule_due_backlog",
                                   "Subscriptions whose delivery is due but not yet started.")),
      subscriptions(registry.AddGauge("dynhook_subscriptions",
                                      "Subscribed vehicles by current interval (ISO-8601).",
                                      {"interval"})),
      oemFetches(registry.AddCounter("dynhook_oem_fetches_total",
                                     "Vehicle data fetches from the OEM by outcome.",
                                     {"outcome"})) {
  for (const char* outcome : {kSuccess, kFailure, kHeld, kDiscarded}) deliveries.With({outcome});
  for (const char* outcome : {kSuccess, kError}) oemFetches.With({outcome});
}

}  // namespace dynhook::metrics
