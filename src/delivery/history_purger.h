// HistoryPurger: deletes finished deliveries (succeeded, discarded, cancelled; with their
// bodies and attempts) created more than `history` ago, so a long-running platform's database
// stays the size of its retention window. Pending and held deliveries are never purged (held
// ones have their own retention: the engine discards them, counted, after heldRetention).
//
// A pass purges in chunks of `chunk` rows, each its own short transaction, so the outcome
// writer and the scheduler are never kept waiting behind a large purge; it runs until nothing
// old is left. Start() runs a thread that makes a pass every `interval` (wall time); RunOnce()
// makes one on the caller's thread (tests, tools).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>

#include "core/clock.h"
#include "core/periodic_task.h"
#include "core/result.h"
#include "store/webhook_store.h"

namespace dynhook::delivery {

struct HistoryOptions {
  core::Duration history{30LL * 24 * 3'600'000};  // platform time a finished delivery is kept
  int chunk = 2'000;                              // rows per transaction
  std::chrono::milliseconds interval{60'000};     // wall time between passes (thread)
};

class HistoryPurger {
 public:
  HistoryPurger(store::DeliveryStore& store, const core::Clock& clock, HistoryOptions options);
  HistoryPurger(const HistoryPurger&) = delete;
  HistoryPurger& operator=(const HistoryPurger&) = delete;

  // One pass at clock.Now(): how many deliveries were purged, or the store's error (what was
  // purged before it stays purged).
  core::Result<int64_t> RunOnce();

  void Start() { thread_.Start(); }
  void Stop() { thread_.Stop(); }  // idempotent; interrupts a pass between chunks

 private:
  void RunLogged();

  store::DeliveryStore& store_;
  const core::Clock& clock_;
  const HistoryOptions options_;
  core::PeriodicTask thread_;  // last: stopped (by its destructor) before the rest goes
};

}  // namespace dynhook::delivery
