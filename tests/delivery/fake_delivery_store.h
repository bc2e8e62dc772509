// FaultyDeliveryStore: a DeliveryStore that forwards to a real one (SQLite in memory in the
// tests) and fails chosen calls, so the engine's failure paths are exercised (STYLE.md §12).
//
// Thread-safety: as the wrapped store; the fault counters are atomic.
#pragma once

#include <atomic>

#include "core/error.h"
#include "store/webhook_store.h"

namespace dynhook::delivery::test {

class FaultyDeliveryStore final : public store::DeliveryStore {
 public:
  explicit FaultyDeliveryStore(store::DeliveryStore& inner) : inner_(inner) {}

  // The next `n` calls of RecordAttempts / HoldPending fail (without touching the store).
  void FailRecordAttempts(int n) { failRecord_ = n; }
  void FailHoldPending(int n) { failHold_ = n; }
  int recordCalls() const { return recordCalls_; }

  core::Status CommitFetch(std::vector<store::Delivery>& deliveries,
                           const std::vector<store::ScheduleUpdate>& schedules) override {
    return inner_.CommitFetch(deliveries, schedules);
  }
  core::Status InsertDelivery(store::Delivery& delivery) override {
    return inner_.InsertDelivery(delivery);
  }
  core::Status RecordAttempts(const std::vector<store::AttemptOutcome>& outcomes,
                              core::TimePoint now) override {
    ++recordCalls_;
    if (Take(failRecord_)) return core::errors::Internal("injected RecordAttempts failure");
    return inner_.RecordAttempts(outcomes, now);
  }
  core::Status ForEachUnfinishedDelivery(
      const std::function<void(const store::Delivery&)>& fn) override {
    return inner_.ForEachUnfinishedDelivery(fn);
  }
  core::Result<store::Delivery> FindDelivery(const std::string& applicationId,
                                             const std::string& deliveryId) override {
    return inner_.FindDelivery(applicationId, deliveryId);
  }
  core::Result<std::vector<store::DeliveryAttempt>> ListAttempts(
      const std::string& deliveryId) override {
    return inner_.ListAttempts(deliveryId);
  }
  core::Result<store::Page<store::Delivery>> ListDeliveries(const std::string& webhookId,
                                                            const std::string& status, int limit,
                                                            const std::string& cursor) override {
    return inner_.ListDeliveries(webhookId, status, limit, cursor);
  }
  core::Result<int64_t> HoldPending(const std::string& webhookId) override {
    if (Take(failHold_)) return core::errors::Internal("injected HoldPending failure");
    return inner_.HoldPending(webhookId);
  }
  core::Result<int64_t> ReleaseHeld(const std::string& webhookId, bool replay,
                                    core::TimePoint now) override {
    return inner_.ReleaseHeld(webhookId, replay, now);
  }
  core::Result<int64_t> DiscardHeldBefore(core::TimePoint cutoff) override {
    return inner_.DiscardHeldBefore(cutoff);
  }
  core::Result<int64_t> PurgeFinishedBefore(core::TimePoint cutoff, int limit) override {
    return inner_.PurgeFinishedBefore(cutoff, limit);
  }
  core::Result<DeliveryCounts> CountDeliveries(const std::string& webhookId,
                                               core::TimePoint since) override {
    return inner_.CountDeliveries(webhookId, since);
  }

 private:
  static bool Take(std::atomic<int>& counter) {
    int n = counter.load();
    while (n > 0) {
      if (counter.compare_exchange_weak(n, n - 1)) return true;
    }
    return false;
  }

  store::DeliveryStore& inner_;
  std::atomic<int> failRecord_{0};
  std::atomic<int> failHold_{0};
  std::atomic<int> recordCalls_{0};
};

}  // namespace dynhook::delivery::test
