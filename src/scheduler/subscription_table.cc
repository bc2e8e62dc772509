#include "scheduler/subscription_table.h"

#include <algorithm>

namespace dynhook::scheduler {
namespace {

void EraseValue(std::unordered_map<std::string, std::vector<uint32_t>>& index,
                const std::string& key, uint32_t slot) {
  auto it = index.find(key);
  if (it == index.end()) return;
  std::erase(it->second, slot);
  if (it->second.empty()) index.erase(it);
}

}  // namespace

std::string SubscriptionTable::Key(const std::string& webhookId, const std::string& vehicleId) {
  return webhookId + '\n' + vehicleId;
}

void SubscriptionTable::Upsert(const store::Subscription& sub, core::TimePoint probeAt) {
  Remove(sub.webhookId, sub.vehicleId);
  uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    index = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[index];
  const uint32_t generation = slot.generation + 1;
  slot = Slot{sub, probeAt, nextIncarnation_++, generation, true, false, false};
  byKey_[Key(sub.webhookId, sub.vehicleId)] = index;
  byVehicle_[sub.vehicleId].push_back(index);
  byWebhook_[sub.webhookId].push_back(index);
  ++intervalCounts_[sub.interval.count()];
  Push(index);
}

bool SubscriptionTable::Remove(const std::string& webhookId, const std::string& vehicleId) {
  auto it = byKey_.find(Key(webhookId, vehicleId));
  if (it == byKey_.end()) return false;
  const uint32_t index = it->second;
  byKey_.erase(it);
  EraseValue(byVehicle_, vehicleId, index);
  EraseValue(byWebhook_, webhookId, index);
  Free(index);
  return true;
}

size_t SubscriptionTable::RemoveWebhook(const std::string& webhookId) {
  size_t removed = 0;
  for (uint32_t index : SlotsOfWebhook(webhookId)) {
    const store::Subscription sub = slots_[index].sub;
    removed += Remove(sub.webhookId, sub.vehicleId) ? 1 : 0;
  }
  return removed;
}

void SubscriptionTable::Free(uint32_t index) {
  Slot& slot = slots_[index];
  --intervalCounts_[slot.sub.interval.count()];
  const uint32_t generation = slot.generation + 1;  // outdates its heap entries
  slot = Slot{};
  slot.generation = generation;
  free_.push_back(index);
}

std::vector<Claim> SubscriptionTable::ClaimDue(core::TimePoint limit) {
  std::vector<Claim> claims;
  while (!heap_.Empty() && heap_.Top().dueMs <= core::ToMillis(limit)) {
    const HeapEntry entry = heap_.Pop();
    if (!Valid(entry)) continue;
    Slot& slot = slots_[entry.slot];
    slot.inFlight = true;
    slot.pushPending = false;
    claims.push_back(Claim{entry.slot, slot.incarnation, slot.sub, slot.sub.nextDueAt <= limit});
  }
  return claims;
}

Slot* SubscriptionTable::Get(uint32_t index, uint64_t incarnation) {
  if (index >= slots_.size()) return nullptr;
  Slot& slot = slots_[index];
  return slot.live && slot.incarnation == incarnation ? &slot : nullptr;
}

void SubscriptionTable::Update(uint32_t index, const store::Subscription& sub,
                               core::TimePoint probeAt, core::TimePoint now) {
  Slot& slot = slots_[index];
  --intervalCounts_[slot.sub.interval.count()];
  ++intervalCounts_[sub.interval.count()];
  slot.sub = sub;
  slot.nextProbeAt = slot.pushPending ? std::min(probeAt, now) : probeAt;
  slot.pushPending = false;
  slot.inFlight = false;
  ++slot.generation;
  Push(index);
}

void SubscriptionTable::RequestProbe(const std::string& vehicleId, core::TimePoint now) {
  auto it = byVehicle_.find(vehicleId);
  if (it == byVehicle_.end()) return;
  for (uint32_t index : it->second) {
    Slot& slot = slots_[index];
    if (slot.inFlight) {
      slot.pushPending = true;
      continue;
    }
    slot.nextProbeAt = std::min(slot.nextProbeAt, now);
    ++slot.generation;
    Push(index);
  }
}

std::vector<uint32_t> SubscriptionTable::SlotsOfWebhook(const std::string& webhookId) const {
  auto it = byWebhook_.find(webhookId);
  return it == byWebhook_.end() ? std::vector<uint32_t>{} : it->second;
}

size_t SubscriptionTable::DueBy(core::TimePoint limit) const {
  size_t count = 0;
  heap_.ForEachDueBy(core::ToMillis(limit), [&](const HeapEntry& entry) {
    if (Valid(entry) && slots_[entry.slot].sub.nextDueAt <= limit) ++count;
  });
  return count;
}

std::optional<core::TimePoint> SubscriptionTable::NextDue() {
  while (!heap_.Empty() && !Valid(heap_.Top())) heap_.Pop();
  if (heap_.Empty()) return std::nullopt;
  return core::FromMillis(heap_.Top().dueMs);
}

void SubscriptionTable::Push(uint32_t index) {
  const Slot& slot = slots_[index];
  const core::TimePoint due = std::min(slot.sub.nextDueAt, slot.nextProbeAt);
  heap_.Push(HeapEntry{core::ToMillis(due), index, slot.generation});
  MaybeCompact();
}

bool SubscriptionTable::Valid(const HeapEntry& entry) const {
  const Slot& slot = slots_[entry.slot];
  return slot.live && !slot.inFlight && slot.generation == entry.generation;
}

void SubscriptionTable::MaybeCompact() {
  if (heap_.Size() < 2 * byKey_.size() + 1024) return;
  heap_.Compact([this](const HeapEntry& entry) { return Valid(entry); });
}

}  // namespace dynhook::scheduler
