#include "delivery/history_purger.h"

#include <spdlog/spdlog.h>

namespace dynhook::delivery {

HistoryPurger::HistoryPurger(store::DeliveryStore& store, const core::Clock& clock,
                             HistoryOptions options)
    : store_(store), clock_(clock), options_(options) {}

HistoryPurger::~HistoryPurger() { Stop(); }

bool HistoryPurger::Stopping() const {
  std::lock_guard lock(mu_);
  return stop_;
}

core::Result<int64_t> HistoryPurger::RunOnce() {
  const core::TimePoint cutoff = clock_.Now() - options_.history;
  int64_t total = 0;
  while (!Stopping()) {
    auto purged = store_.PurgeFinishedBefore(cutoff, options_.chunk);
    if (!purged) return purged.take_error();
    total += *purged;
    if (*purged < options_.chunk) break;  // nothing older is left
  }
  return total;
}

void HistoryPurger::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stop_) return;
  thread_ = std::thread([this] { Run(); });
}

void HistoryPurger::Run() {
  while (!Stopping()) {
    auto purged = RunOnce();
    if (!purged) {
      spdlog::error("delivery: purging finished deliveries failed: {}", purged.error().description);
    } else if (*purged > 0) {
      spdlog::info("delivery: purged {} finished deliveries older than the history period",
                   *purged);
    }
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, options_.interval, [this] { return stop_; });
  }
}

void HistoryPurger::Stop() {
  std::thread thread;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    thread.swap(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
}

}  // namespace dynhook::delivery
