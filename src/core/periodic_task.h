// PeriodicTask: runs a piece of housekeeping on its own thread, once at Start() and then every
// `interval` (wall time), until Stop(). The task can ask Stopping() between steps of a long
// run, so Stop() never waits for more than one step.
//
// Thread-safety: every method may be called from any thread; the task runs on one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace dynhook::core {

class PeriodicTask {
 public:
  PeriodicTask(std::chrono::milliseconds interval, std::function<void()> task);
  ~PeriodicTask();  // Stop()
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  void Start();  // no-op once started or stopped
  void Stop();   // idempotent; joins the thread
  bool Stopping() const;

 private:
  void Run();

  const std::chrono::milliseconds interval_;
  const std::function<void()> task_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace dynhook::core
