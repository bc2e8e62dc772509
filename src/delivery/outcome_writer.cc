#include "delivery/outcome_writer.h"

#include <spdlog/spdlog.h>

#include <iterator>
#include <utility>

namespace dynhook::delivery {

namespace {
constexpr std::chrono::milliseconds kRetryPause{200};
}

OutcomeWriter::OutcomeWriter(store::DeliveryStore& store, const core::Clock& clock,
                             std::chrono::milliseconds window)
    : store_(store), clock_(clock), window_(window) {}

OutcomeWriter::~OutcomeWriter() { Stop(); }

void OutcomeWriter::Add(store::AttemptOutcome outcome) {
  bool first = false;
  {
    std::lock_guard lock(mu_);
    first = buffer_.empty();
    buffer_.push_back(std::move(outcome));
  }
  // Only the first outcome of a batch wakes the writer: it then gathers for the batch window,
  // and waking it for every outcome would cost a context switch each (WaitWritten waits for
  // an empty buffer, which Add never makes).
  if (first) changed_.notify_all();
}

core::Status OutcomeWriter::Flush() {
  std::lock_guard write(writeMu_);
  std::vector<store::AttemptOutcome> batch;
  size_t size = 0;
  {
    std::lock_guard lock(mu_);
    if (buffer_.empty()) return {};
    batch.swap(buffer_);
    size = batch.size();
    writing_ = true;
  }
  core::Status status = store_.RecordAttempts(batch, clock_.Now());
  {
    std::lock_guard lock(mu_);
    if (!status.ok()) {  // keep them, ahead of anything added meanwhile
      batch.insert(batch.end(), std::make_move_iterator(buffer_.begin()),
                   std::make_move_iterator(buffer_.end()));
      buffer_.swap(batch);
    }
    writing_ = false;
  }
  changed_.notify_all();
  if (!status.ok()) {
    spdlog::error("delivery: recording {} attempt outcomes failed: {}", size,
                  status.error().description);
  }
  return status;
}

void OutcomeWriter::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stop_) return;
  thread_ = std::thread([this] { Run(); });
}

void OutcomeWriter::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    changed_.wait(lock, [this] { return stop_ || !buffer_.empty(); });
    if (stop_) break;
    // Gather for the batch window (cut short by Stop).
    changed_.wait_for(lock, window_, [this] { return stop_; });
    lock.unlock();
    const bool ok = Flush().ok();
    lock.lock();
    if (!ok) changed_.wait_for(lock, kRetryPause, [this] { return stop_; });
  }
  lock.unlock();
  (void)Flush();
}

void OutcomeWriter::Stop() {
  std::thread thread;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    thread.swap(thread_);
  }
  changed_.notify_all();
  if (thread.joinable()) thread.join();
}

bool OutcomeWriter::WaitWritten(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [this] { return buffer_.empty() && !writing_; });
}

size_t OutcomeWriter::Buffered() const {
  std::lock_guard lock(mu_);
  return buffer_.size();
}

}  // namespace dynhook::delivery
