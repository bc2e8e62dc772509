// EndpointQueue: one webhook's unfinished deliveries and the rules for which may start
// (SPEC §4.5). No I/O and no locking: the delivery engine owns one per webhook and guards it
// with its mutex.
//
// Rules:
//   - Deliveries are kept in sequence order.
//   - Healthy: Start() starts due deliveries in sequence order, at most `concurrency` in flight,
//     and never one that shares a vehicle with an earlier unfinished delivery (in flight or
//     waiting) — so a delivery cannot overtake an earlier one of the same vehicle. Only the
//     first `lookahead` deliveries are considered per call, which bounds the cost of a call.
//   - A failed attempt (Failed) makes the endpoint failing: the first failed delivery becomes
//     the probe and nothing else starts until it succeeds. When the probe succeeds the endpoint
//     is healthy again and every delivery that failed meanwhile is due at once (the endpoint has
//     just proved it works), at full concurrency.
//   - Expedite() makes a waiting delivery due now (resend); if it is retrying while the endpoint
//     is failing it becomes the probe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "core/clock.h"
#include "store/webhook_records.h"

namespace dynhook::delivery {

class EndpointQueue {
 public:
  struct Item {
    store::Delivery delivery;  // attemptCount, nextAttemptAt and lastError kept current
    int failedRun = 0;         // failed attempts since queued or resent: the retry budget
    bool inFlight = false;
  };

  // Inserts in sequence order; false (and nothing changes) when that sequence is queued.
  bool Insert(store::Delivery delivery, int failedRun);
  Item* Find(int64_t sequence);

  // Marks the deliveries that may start at `now` in flight and returns them (pointers stay
  // valid until the item is removed). `*nextDue` becomes the earliest time a delivery that was
  // considered but not due will be due (unchanged when none).
  std::vector<Item*> Start(core::TimePoint now, int concurrency, size_t lookahead,
                           core::TimePoint* nextDue);

  // An attempt succeeded: the item is removed; if it was the probe the endpoint recovers.
  void Succeeded(int64_t sequence, core::TimePoint now);
  // An attempt failed and will be retried at `nextAttemptAt`: the endpoint is failing.
  void Failed(int64_t sequence, core::TimePoint nextAttemptAt);
  // Removes an item (held, cancelled); a removed probe is replaced by the next retrying item.
  void Remove(int64_t sequence);
  // Removes every item not in flight (the webhook was disabled); returns how many.
  size_t DropWaiting();
  // Forgets the failing state (re-enabled, new callback URI): retrying items are due `now`.
  void ResetFailing(core::TimePoint now);
  // Makes a waiting item due now; false when it is not queued.
  bool Expedite(int64_t sequence, core::TimePoint now);

  bool failing() const { return probe_.has_value(); }
  std::optional<int64_t> probe() const { return probe_; }
  size_t size() const { return items_.size(); }
  size_t inFlight() const { return inFlight_; }
  size_t waiting() const { return items_.size() - inFlight_; }

 private:
  void Erase(std::map<int64_t, Item>::iterator it);
  void StartProbe(core::TimePoint now, core::TimePoint* nextDue, std::vector<Item*>& out);

  std::map<int64_t, Item> items_;  // by sequence
  size_t inFlight_ = 0;
  std::optional<int64_t> probe_;  // set while failing
  std::set<int64_t> retrying_;    // failed items waiting for their retry
};

}  // namespace dynhook::delivery
