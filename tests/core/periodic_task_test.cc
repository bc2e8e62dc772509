#include "core/periodic_task.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace dynhook::core {
namespace {

// Waits (bounded) until `done` holds.
template <class Done>
bool Eventually(Done done) {
  for (int i = 0; i < 2000 && !done(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return done();
}

TEST(PeriodicTask, RunsAtStartThenEveryInterval) {
  std::atomic<int> runs{0};
  PeriodicTask task(std::chrono::milliseconds(1), [&] { ++runs; });
  EXPECT_EQ(runs.load(), 0);  // nothing before Start
  task.Start();
  EXPECT_TRUE(Eventually([&] { return runs.load() >= 3; }));
  task.Stop();
  const int stopped = runs.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(runs.load(), stopped);  // nothing after Stop
}

TEST(PeriodicTask, StopInterruptsTheWaitAndTheTaskSeesIt) {
  std::atomic<int> runs{0};
  std::atomic<bool> sawStop{false};
  PeriodicTask* self = nullptr;
  PeriodicTask task(std::chrono::hours(1), [&] {
    ++runs;
    while (!self->Stopping()) std::this_thread::yield();  // a long run that checks Stopping
    sawStop = true;
  });
  self = &task;
  task.Start();
  ASSERT_TRUE(Eventually([&] { return runs.load() == 1; }));
  task.Stop();  // returns although the interval is an hour
  EXPECT_TRUE(sawStop.load());
  EXPECT_EQ(runs.load(), 1);
  task.Start();  // a stopped task does not start again
  task.Stop();
  EXPECT_EQ(runs.load(), 1);
}

}  // namespace
}  // namespace dynhook::core
