#include "core/periodic_task.h"

#include <utility>

namespace dynhook::core {

PeriodicTask::PeriodicTask(std::chrono::milliseconds interval, std::function<void()> task)
    : interval_(interval), task_(std::move(task)) {}

PeriodicTask::~PeriodicTask() { Stop(); }

bool PeriodicTask::Stopping() const {
  std::lock_guard lock(mu_);
  return stop_;
}

void PeriodicTask::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stop_) return;
  thread_ = std::thread([this] { Run(); });
}

void PeriodicTask::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    task_();
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

void PeriodicTask::Stop() {
  std::thread thread;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    thread.swap(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
}

}  // namespace dynhook::core
