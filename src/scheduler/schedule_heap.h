// ScheduleHeap: the due times of every subscription in one binary min-heap of 16-byte entries
// (no timer per vehicle; a million subscriptions cost 16 MB here). An entry names a slot of
// the subscription table and the slot's generation when it was pushed: rescheduling pushes a
// new entry and bumps the generation, so older entries are stale and skipped when popped
// (lazy deletion). Compact() drops stale entries when they pile up.
// Thread-safety: none; the scheduler guards it with its mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace dynhook::scheduler {

struct HeapEntry {
  int64_t dueMs = 0;  // platform time, epoch milliseconds
  uint32_t slot = 0;
  uint32_t generation = 0;
};
static_assert(sizeof(HeapEntry) == 16);

class ScheduleHeap {
 public:
  void Push(HeapEntry entry);
  bool Empty() const { return entries_.empty(); }
  const HeapEntry& Top() const { return entries_.front(); }  // precondition: !Empty()
  HeapEntry Pop();                                           // precondition: !Empty()
  size_t Size() const { return entries_.size(); }
  void Reserve(size_t n) { entries_.reserve(n); }

  // Calls `fn` for every entry with dueMs <= limit, visiting only those (and their direct
  // children): O(k), not O(n).
  void ForEachDueBy(int64_t limit, const std::function<void(const HeapEntry&)>& fn) const;
  // Keeps only the entries `live` accepts, and re-heapifies. O(n).
  void Compact(const std::function<bool(const HeapEntry&)>& live);

 private:
  std::vector<HeapEntry> entries_;
};

}  // namespace dynhook::scheduler
