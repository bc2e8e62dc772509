// OutcomeWriter: writes attempt outcomes to the DeliveryStore in batches (one RecordAttempts
// transaction per batch), so the durability of each outcome does not cap delivery throughput.
// Outcomes are written in the order they were added.
//
// Two ways to drive it: Flush() writes everything buffered now, on the caller's thread (tests,
// and the engine before store operations that must see earlier outcomes); Start() runs a
// thread that waits for outcomes, gathers them for `window` (wall time) and writes them. A
// failed write keeps the batch for the next try (the thread retries after a short pause).
//
// Thread-safety: every method may be called from any thread; writes never overlap.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/webhook_store.h"

namespace dynhook::delivery {

class OutcomeWriter {
 public:
  OutcomeWriter(store::DeliveryStore& store, const core::Clock& clock,
                std::chrono::milliseconds window);
  ~OutcomeWriter();  // Stop()
  OutcomeWriter(const OutcomeWriter&) = delete;
  OutcomeWriter& operator=(const OutcomeWriter&) = delete;

  void Add(store::AttemptOutcome outcome);
  // Writes everything buffered; on failure the outcomes stay buffered and the error returns.
  core::Status Flush();
  void Start();
  // Stops the thread after a last Flush; idempotent.
  void Stop();
  // Waits (wall time) until nothing is buffered or being written; true if that happened.
  bool WaitWritten(std::chrono::milliseconds timeout);
  size_t Buffered() const;

 private:
  void Run();

  store::DeliveryStore& store_;
  const core::Clock& clock_;
  const std::chrono::milliseconds window_;

  std::mutex writeMu_;  // held for a whole write: batches land in order
  mutable std::mutex mu_;
  std::condition_variable changed_;            // buffer_, writing_ or stop_ changed
  std::vector<store::AttemptOutcome> buffer_;  // guarded by mu_
  bool writing_ = false;                       // guarded by mu_
  bool stop_ = false;                          // guarded by mu_
  std::thread thread_;
};

}  // namespace dynhook::delivery
