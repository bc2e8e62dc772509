// EndpointQueue: start order, per-vehicle blocking, concurrency, the probe and recovery.
#include "delivery/endpoint_queue.h"

#include <gtest/gtest.h>

namespace dynhook::delivery {
namespace {

const core::TimePoint kT0 = core::FromMillis(1'000'000);

store::Delivery Make(int64_t sequence, std::vector<std::string> vehicles,
                     core::TimePoint due = kT0) {
  store::Delivery d;
  d.id = "d" + std::to_string(sequence);
  d.sequence = sequence;
  d.vehicleIds = std::move(vehicles);
  d.nextAttemptAt = due;
  return d;
}

std::vector<int64_t> Sequences(const std::vector<EndpointQueue::Item*>& items) {
  std::vector<int64_t> out;
  for (auto* item : items) out.push_back(item->delivery.sequence);
  return out;
}

TEST(EndpointQueueTest, InsertKeepsSequenceOrderAndRejectsDuplicates) {
  EndpointQueue queue;
  EXPECT_TRUE(queue.Insert(Make(3, {"a"}), 0));
  EXPECT_TRUE(queue.Insert(Make(1, {"b"}), 0));
  EXPECT_FALSE(queue.Insert(Make(3, {"c"}), 0));
  core::TimePoint next = core::TimePoint::max();
  EXPECT_EQ(Sequences(queue.Start(kT0, 8, 100, &next)), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(queue.inFlight(), 2u);
  EXPECT_EQ(queue.waiting(), 0u);
}

TEST(EndpointQueueTest, LaterDeliveryOfAVehicleWaitsEvenWhenTheEarlierIsNotDue) {
  EndpointQueue queue;
  queue.Insert(Make(1, {"a"}, kT0 + core::Duration(500)), 0);
  queue.Insert(Make(2, {"a"}), 0);
  queue.Insert(Make(3, {"b"}), 0);
  core::TimePoint next = core::TimePoint::max();
  EXPECT_EQ(Sequences(queue.Start(kT0, 8, 100, &next)), (std::vector<int64_t>{3}));
  EXPECT_EQ(next, kT0 + core::Duration(500));
}

TEST(EndpointQueueTest, ConcurrencyAndLookaheadBoundAStart) {
  EndpointQueue queue;
  for (int i = 1; i <= 10; ++i) queue.Insert(Make(i, {"v" + std::to_string(i)}), 0);
  core::TimePoint next = core::TimePoint::max();
  EXPECT_EQ(queue.Start(kT0, 3, 100, &next).size(), 3u);
  EXPECT_EQ(queue.Start(kT0, 3, 100, &next).size(), 0u);
  EXPECT_EQ(queue.Start(kT0, 8, 5, &next).size(), 2u);  // only 5 looked at, 3 in flight
}

TEST(EndpointQueueTest, FailingEndpointStartsOnlyTheProbeThenRecovers) {
  EndpointQueue queue;
  queue.Insert(Make(1, {"a"}), 0);
  queue.Insert(Make(2, {"b"}), 0);
  core::TimePoint next = core::TimePoint::max();
  ASSERT_EQ(queue.Start(kT0, 8, 100, &next).size(), 2u);
  queue.Failed(1, kT0 + core::Duration(30'000));
  queue.Failed(2, kT0 + core::Duration(20'000));
  queue.Insert(Make(3, {"c"}), 0);
  EXPECT_TRUE(queue.failing());
  EXPECT_EQ(queue.probe(), 1);
  next = core::TimePoint::max();
  EXPECT_TRUE(queue.Start(kT0 + core::Duration(25'000), 8, 100, &next).empty());
  EXPECT_EQ(next, kT0 + core::Duration(30'000));
  const core::TimePoint later = kT0 + core::Duration(30'000);
  EXPECT_EQ(Sequences(queue.Start(later, 8, 100, &next)), (std::vector<int64_t>{1}));
  queue.Succeeded(1, later);
  EXPECT_FALSE(queue.failing());
  EXPECT_EQ(Sequences(queue.Start(later, 8, 100, &next)), (std::vector<int64_t>{2, 3}));
}

TEST(EndpointQueueTest, DropWaitingKeepsAttemptsInFlight) {
  EndpointQueue queue;
  queue.Insert(Make(1, {"a"}), 0);
  queue.Insert(Make(2, {"a"}), 0);
  core::TimePoint next = core::TimePoint::max();
  ASSERT_EQ(queue.Start(kT0, 8, 100, &next).size(), 1u);
  EXPECT_EQ(queue.DropWaiting(), 1u);
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue.inFlight(), 1u);
  queue.Remove(1);
  EXPECT_EQ(queue.size(), 0u);
  EXPECT_EQ(queue.inFlight(), 0u);
}

TEST(EndpointQueueTest, ExpediteMakesARetryingItemTheProbe) {
  EndpointQueue queue;
  queue.Insert(Make(1, {"a"}), 0);
  queue.Insert(Make(2, {"b"}), 0);
  core::TimePoint next = core::TimePoint::max();
  queue.Start(kT0, 8, 100, &next);
  queue.Failed(1, kT0 + core::Duration(60'000));
  queue.Failed(2, kT0 + core::Duration(60'000));
  EXPECT_TRUE(queue.Expedite(2, kT0));
  EXPECT_EQ(queue.probe(), 2);
  EXPECT_EQ(Sequences(queue.Start(kT0, 8, 100, &next)), (std::vector<int64_t>{2}));
  EXPECT_FALSE(queue.Expedite(9, kT0));
}

}  // namespace
}  // namespace dynhook::delivery
