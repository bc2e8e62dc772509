#include "delivery/endpoint_queue.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace dynhook::delivery {

bool EndpointQueue::Insert(store::Delivery delivery, int failedRun) {
  const int64_t sequence = delivery.sequence;
  auto [it, inserted] = items_.try_emplace(sequence);
  if (!inserted) return false;
  it->second.delivery = std::move(delivery);
  it->second.failedRun = failedRun;
  return true;
}

EndpointQueue::Item* EndpointQueue::Find(int64_t sequence) {
  auto it = items_.find(sequence);
  return it == items_.end() ? nullptr : &it->second;
}

void EndpointQueue::StartProbe(core::TimePoint now, core::TimePoint* nextDue,
                               std::vector<Item*>& out) {
  Item* probe = Find(*probe_);
  if (probe == nullptr || probe->inFlight) return;
  if (probe->delivery.nextAttemptAt > now) {
    *nextDue = std::min(*nextDue, probe->delivery.nextAttemptAt);
    return;
  }
  probe->inFlight = true;
  ++inFlight_;
  out.push_back(probe);
}

std::vector<EndpointQueue::Item*> EndpointQueue::Start(core::TimePoint now, int concurrency,
                                                       size_t lookahead, core::TimePoint* nextDue) {
  std::vector<Item*> out;
  if (probe_) {
    StartProbe(now, nextDue, out);
    return out;
  }
  // Vehicles of earlier unfinished deliveries: a later delivery sharing one must wait.
  std::unordered_set<std::string_view> earlier;
  size_t scanned = 0;
  for (auto it = items_.begin();
       it != items_.end() && inFlight_ < static_cast<size_t>(concurrency) && scanned < lookahead;
       ++it, ++scanned) {
    Item& item = it->second;
    bool blocked = item.inFlight;
    for (const auto& vehicle : item.delivery.vehicleIds) {
      if (!earlier.insert(vehicle).second) blocked = true;
    }
    if (blocked) continue;
    if (item.delivery.nextAttemptAt > now) {
      *nextDue = std::min(*nextDue, item.delivery.nextAttemptAt);
      continue;
    }
    item.inFlight = true;
    ++inFlight_;
    out.push_back(&item);
  }
  return out;
}

void EndpointQueue::Erase(std::map<int64_t, Item>::iterator it) {
  const int64_t sequence = it->first;
  if (it->second.inFlight) --inFlight_;
  items_.erase(it);
  retrying_.erase(sequence);
  if (probe_ == sequence) {
    probe_.reset();
    if (!retrying_.empty()) probe_ = *retrying_.begin();
  }
}

void EndpointQueue::Succeeded(int64_t sequence, core::TimePoint now) {
  auto it = items_.find(sequence);
  if (it == items_.end()) return;
  const bool wasProbe = probe_ == sequence;
  Erase(it);
  if (wasProbe) ResetFailing(now);
}

void EndpointQueue::Failed(int64_t sequence, core::TimePoint nextAttemptAt) {
  Item* item = Find(sequence);
  if (item == nullptr) return;
  if (item->inFlight) {
    item->inFlight = false;
    --inFlight_;
  }
  item->delivery.nextAttemptAt = nextAttemptAt;
  retrying_.insert(sequence);
  if (!probe_) probe_ = sequence;
}

void EndpointQueue::Remove(int64_t sequence) {
  auto it = items_.find(sequence);
  if (it != items_.end()) Erase(it);
}

size_t EndpointQueue::DropWaiting() {
  size_t dropped = 0;
  for (auto it = items_.begin(); it != items_.end();) {
    if (it->second.inFlight) {
      ++it;
      continue;
    }
    retrying_.erase(it->first);
    it = items_.erase(it);
    ++dropped;
  }
  probe_.reset();
  if (!retrying_.empty()) probe_ = *retrying_.begin();
  return dropped;
}

void EndpointQueue::ResetFailing(core::TimePoint now) {
  for (int64_t sequence : retrying_) {
    if (Item* item = Find(sequence)) item->delivery.nextAttemptAt = now;
  }
  retrying_.clear();
  probe_.reset();
}

bool EndpointQueue::Expedite(int64_t sequence, core::TimePoint now) {
  Item* item = Find(sequence);
  if (item == nullptr) return false;
  if (item->inFlight) return true;
  item->delivery.nextAttemptAt = now;
  if (probe_ && retrying_.contains(sequence)) probe_ = sequence;
  return true;
}

}  // namespace dynhook::delivery
