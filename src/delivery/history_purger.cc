#include "delivery/history_purger.h"

#include <spdlog/spdlog.h>

namespace dynhook::delivery {

HistoryPurger::HistoryPurger(store::DeliveryStore& store, const core::Clock& clock,
                             HistoryOptions options)
    : store_(store),
      clock_(clock),
      options_(options),
      thread_(options.interval, [this] { RunLogged(); }) {}

core::Result<int64_t> HistoryPurger::RunOnce() {
  const core::TimePoint cutoff = clock_.Now() - options_.history;
  int64_t total = 0;
  while (!thread_.Stopping()) {
    auto purged = store_.PurgeFinishedBefore(cutoff, options_.chunk);
    if (!purged) return purged.take_error();
    total += *purged;
    if (*purged < options_.chunk) break;  // nothing older is left
  }
  return total;
}

void HistoryPurger::RunLogged() {
  auto purged = RunOnce();
  if (!purged) {
    spdlog::error("delivery: purging finished deliveries failed: {}", purged.error().description);
  } else if (*purged > 0) {
    spdlog::info("delivery: purged {} finished deliveries older than the history period", *purged);
  }
}

}  // namespace dynhook::delivery
