// SubscriptionTable: the scheduler's in-memory view of every subscription — a slot per
// (webhook, vehicle) with its schedule, indexes by key, vehicle (OEM push) and webhook
// (options changed, deleted), and the ScheduleHeap of due times. A slot is due for a full
// fetch at sub.nextDueAt and, when change detection needs it, for a probe at nextProbeAt; its
// heap entry carries the earlier of the two.
//
// A claimed slot (ClaimDue) is "in flight" with no heap entry until the tick that claimed it
// calls Update or Reschedule (or the slot is removed). Each subscription instance has an
// incarnation number, so a tick never applies results to a slot that was unsubscribed (and
// perhaps reused) while it was fetching.
// Thread-safety: none; the scheduler guards it with its mutex.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "scheduler/schedule_heap.h"
#include "store/webhook_records.h"

namespace dynhook::scheduler {

struct Slot {
  store::Subscription sub;
  core::TimePoint nextProbeAt = core::TimePoint::max();
  uint64_t incarnation = 0;
  uint32_t generation = 0;
  bool live = false;
  bool inFlight = false;
  bool pushPending = false;  // an OEM push asked for a probe while the slot was in flight
};

struct Claim {
  uint32_t slot = 0;
  uint64_t incarnation = 0;
  store::Subscription sub;
  bool full = false;  // a full fetch and delivery is due (otherwise a probe)
};

class SubscriptionTable {
 public:
  // Adds the subscription (or replaces the one with the same key), due at sub.nextDueAt and
  // probed at `probeAt`.
  void Upsert(const store::Subscription& sub, core::TimePoint probeAt);
  bool Remove(const std::string& webhookId, const std::string& vehicleId);
  size_t RemoveWebhook(const std::string& webhookId);

  // Pops every slot due (full fetch or probe) at or before `limit` and marks it in flight.
  std::vector<Claim> ClaimDue(core::TimePoint limit);
  // The slot if it still holds that subscription instance; nullptr otherwise.
  Slot* Get(uint32_t slot, uint64_t incarnation);
  // Replaces the slot's schedule (sub.nextDueAt/interval/trigger state) and requeues it; a push
  // that arrived while it was in flight makes the probe due at `now`.
  void Update(uint32_t slot, const store::Subscription& sub, core::TimePoint probeAt,
              core::TimePoint now);
  // OEM push: every slot of the vehicle is probed at `now` (or right after its fetch in flight).
  void RequestProbe(const std::string& vehicleId, core::TimePoint now);

  std::vector<uint32_t> SlotsOfWebhook(const std::string& webhookId) const;
  Slot& At(uint32_t slot) { return slots_[slot]; }

  size_t Size() const { return byKey_.size(); }
  size_t HeapSize() const { return heap_.Size(); }
  size_t DueBy(core::TimePoint limit) const;
  // The earliest due time of a queued slot, or nullopt.
  std::optional<core::TimePoint> NextDue();
  // Subscriptions by interval in force (milliseconds -> count; zero counts are kept).
  const std::map<int64_t, int64_t>& IntervalCounts() const { return intervalCounts_; }

 private:
  static std::string Key(const std::string& webhookId, const std::string& vehicleId);
  void Push(uint32_t slot);
  bool Valid(const HeapEntry& entry) const;
  void Free(uint32_t slot);
  void MaybeCompact();

  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
  std::unordered_map<std::string, uint32_t> byKey_;
  std::unordered_map<std::string, std::vector<uint32_t>> byVehicle_;
  std::unordered_map<std::string, std::vector<uint32_t>> byWebhook_;
  std::map<int64_t, int64_t> intervalCounts_;
  ScheduleHeap heap_;
  uint64_t nextIncarnation_ = 1;
};

}  // namespace dynhook::scheduler
