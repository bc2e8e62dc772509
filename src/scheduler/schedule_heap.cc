#include "scheduler/schedule_heap.h"

#include <algorithm>

namespace dynhook::scheduler {
namespace {

// std::*_heap build max-heaps; "greater due" as "less" gives the earliest entry on top.
bool Later(const HeapEntry& a, const HeapEntry& b) { return a.dueMs > b.dueMs; }

}  // namespace

void ScheduleHeap::Push(HeapEntry entry) {
  entries_.push_back(entry);
  std::push_heap(entries_.begin(), entries_.end(), Later);
}

HeapEntry ScheduleHeap::Pop() {
  std::pop_heap(entries_.begin(), entries_.end(), Later);
  HeapEntry top = entries_.back();
  entries_.pop_back();
  return top;
}

void ScheduleHeap::ForEachDueBy(int64_t limit,
                                const std::function<void(const HeapEntry&)>& fn) const {
  std::vector<size_t> pending;
  if (!entries_.empty()) pending.push_back(0);
  while (!pending.empty()) {
    const size_t i = pending.back();
    pending.pop_back();
    if (entries_[i].dueMs > limit) continue;  // its subtree is later still
    fn(entries_[i]);
    for (size_t child : {2 * i + 1, 2 * i + 2}) {
      if (child < entries_.size()) pending.push_back(child);
    }
  }
}

void ScheduleHeap::Compact(const std::function<bool(const HeapEntry&)>& live) {
  std::erase_if(entries_, [&](const HeapEntry& e) { return !live(e); });
  std::make_heap(entries_.begin(), entries_.end(), Later);
}

}  // namespace dynhook::scheduler
