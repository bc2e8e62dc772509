// DeliveryEngine: the public facade, scheduling (Tick) and the background thread.
#include "delivery/engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "delivery/engine_impl.h"
#include "metrics/metrics.h"

namespace dynhook::delivery {

namespace {

// How often Tick discards held deliveries past their retention (platform time).
core::Duration RetentionCheckInterval(core::Duration retention) {
  return std::clamp(retention / 10, core::Duration(1'000), core::Duration(600'000));
}

// The longest the background loop sleeps (wall) without a wake-up, so a clock that jumps (a
// ManualClock, a suspended machine) is noticed.
constexpr std::chrono::milliseconds kMaxSleep{1'000};

constexpr int kMaxRoundsPerTick = 1'000;

}  // namespace

DeliveryEngine::Impl::Impl(EngineDeps deps, EngineOptions options)
    : deps_(std::move(deps)),
      options_(std::move(options)),
      backoff_{options_.backoffBase, options_.backoffJitter, options_.maxBackoff},
      writer_(deps_.deliveries, deps_.clock, options_.writeBatchWindow),
      gate_(std::make_shared<Gate>()) {
  gate_->impl = this;
  nextRetentionAt_ = deps_.clock.Now();
}

DeliveryEngine::Impl::~Impl() { Stop(); }

DeliveryEngine::Impl::Endpoint& DeliveryEngine::Impl::EndpointFor(const std::string& webhookId) {
  auto [it, created] = endpoints_.try_emplace(webhookId);
  if (created) it->second.webhook.id = webhookId;
  return it->second;
}

void DeliveryEngine::Impl::MarkReady(Endpoint& endpoint) {
  if (!endpoint.ready) {
    endpoint.ready = true;
    ready_.push_back(endpoint.webhook.id);
  }
  WakeLoop();
}

void DeliveryEngine::Impl::WakeLoop() {
  if (wakeup_) return;  // the loop is already due to run again
  wakeup_ = true;
  wake_.notify_one();
}

void DeliveryEngine::Impl::Schedule(Endpoint& endpoint, core::TimePoint at) {
  if (at == kNever || at == endpoint.scheduledAt) return;
  endpoint.scheduledAt = at;  // an older heap entry becomes stale and is skipped
  deadlines_.push(Deadline{at, endpoint.webhook.id});
}

void DeliveryEngine::Impl::AdjustQueued(Endpoint& endpoint, const std::function<void()>& change) {
  const size_t before = endpoint.queue.size();
  change();
  queued_ = queued_ + endpoint.queue.size() - before;
}

void DeliveryEngine::Impl::Pump(Endpoint& endpoint, core::TimePoint now,
                                std::vector<PlannedAttempt>& out) {
  if (!endpoint.Enabled()) return;
  const size_t lookahead =
      std::max<size_t>(256, 32 * static_cast<size_t>(std::max(options_.perEndpointConcurrency, 1)));
  core::TimePoint nextDue = kNever;
  auto started = endpoint.queue.Start(now, options_.perEndpointConcurrency, lookahead, &nextDue);
  const bool keysFresh = KeysFresh(endpoint, now);
  for (EndpointQueue::Item* item : started) {
    const store::Delivery& d = item->delivery;
    PlannedAttempt attempt;
    attempt.key =
        AttemptKey{endpoint.webhook.id, d.applicationId, d.id, d.sequence, d.attemptCount + 1, now,
                   d.vehicleIds};
    // errorCallbackUri deliveries (scheduler/payload.h) carry their target; they share the
    // webhook's order and failure accounting with the main callback.
    attempt.url = d.targetUri.empty() ? endpoint.webhook.callbackUri : d.targetUri;
    attempt.body = d.body;
    if (keysFresh) {
      attempt.keys = endpoint.keys;
    } else {
      attempt.webhook = endpoint.webhook;
    }
    out.push_back(std::move(attempt));
    ++inFlight_;
  }
  Schedule(endpoint, nextDue);
}

bool DeliveryEngine::Impl::KeysFresh(const Endpoint& endpoint, core::TimePoint now) const {
  return endpoint.keys && now - endpoint.keysAt < options_.signingKeysTtl;
}

void DeliveryEngine::Impl::ContinueAfter(Endpoint& endpoint, core::TimePoint now, bool nested,
                                         std::vector<PlannedAttempt>& out) {
  // The loop takes over when launching here could block (keys to look up: a store read), could
  // recurse (inside a synchronous Send), or must not happen (stopping, or Tick-driven: tests
  // and tools that step the engine decide when attempts start).
  if (nested || stopping_ || !background_ || !endpoint.Enabled() || !KeysFresh(endpoint, now)) {
    MarkReady(endpoint);
    return;
  }
  const core::TimePoint before = endpoint.scheduledAt;
  Pump(endpoint, now, out);
  // A new, earlier deadline (a retry's due time): the loop may be asleep until a later one.
  if (endpoint.scheduledAt < before) WakeLoop();
}

std::vector<DeliveryEngine::Impl::PlannedAttempt> DeliveryEngine::Impl::CollectDue(
    core::TimePoint now) {
  std::lock_guard lock(mu_);
  if (stopping_) return {};
  std::vector<std::string> due;
  due.swap(ready_);
  while (!deadlines_.empty() && deadlines_.top().at <= now) {
    Deadline top = deadlines_.top();
    deadlines_.pop();
    auto it = endpoints_.find(top.webhookId);
    if (it == endpoints_.end() || it->second.scheduledAt != top.at) continue;  // stale
    it->second.scheduledAt = kNever;
    due.push_back(std::move(top.webhookId));
  }
  std::vector<PlannedAttempt> out;
  for (const auto& id : due) {
    auto it = endpoints_.find(id);
    if (it == endpoints_.end()) continue;
    it->second.ready = false;
    Pump(it->second, now, out);
  }
  return out;
}

core::TimePoint DeliveryEngine::Impl::NextDeadlineLocked(core::TimePoint now) {
  while (!deadlines_.empty()) {  // drop stale entries so the answer is a live deadline
    const Deadline& top = deadlines_.top();
    auto it = endpoints_.find(top.webhookId);
    if (it != endpoints_.end() && it->second.scheduledAt == top.at) break;
    deadlines_.pop();
  }
  core::TimePoint next = deadlines_.empty() ? kNever : deadlines_.top().at;
  // Failed store actions are retried at the next Tick, not at once (no busy loop).
  if (!ready_.empty()) next = now;
  return next;
}

core::TimePoint DeliveryEngine::Impl::Tick() {
  std::lock_guard tick(tickMu_);
  RunStoreActions();
  if (const core::TimePoint now = deps_.clock.Now(); now >= nextRetentionAt_) {
    RunRetention(now);
    nextRetentionAt_ = now + RetentionCheckInterval(options_.heldRetention);
  }
  // Synchronous completions make more work due at once; the bound keeps a Tick finite under
  // a steady stream of asynchronous ones (the ready list then makes the next Tick immediate).
  for (int round = 0; round < kMaxRoundsPerTick; ++round) {
    std::vector<PlannedAttempt> attempts = CollectDue(deps_.clock.Now());
    if (attempts.empty()) break;
    for (auto& attempt : attempts) Launch(std::move(attempt));
    RunStoreActions();  // synchronous completions may have asked for some
  }
  bool background;
  size_t depth;
  {
    std::lock_guard lock(mu_);
    background = background_;
    depth = queued_ - inFlight_;
  }
  if (!background) (void)writer_.Flush();
  if (deps_.metrics != nullptr) deps_.metrics->queueDepth.Get().Set(static_cast<double>(depth));
  const core::TimePoint now = deps_.clock.Now();
  std::lock_guard lock(mu_);
  return std::min(NextDeadlineLocked(now), nextRetentionAt_);
}

void DeliveryEngine::Impl::RunInBackground() {
  std::lock_guard lock(mu_);
  if (background_ || stopping_) return;
  background_ = true;
  writer_.Start();
  thread_ = std::thread([this] { Loop(); });
}

void DeliveryEngine::Impl::Loop() {
  while (true) {
    const core::TimePoint deadline = Tick();
    std::unique_lock lock(mu_);
    if (stopping_) return;
    if (!wakeup_) {
      std::chrono::milliseconds sleep = kMaxSleep;
      const core::TimePoint now = deps_.clock.Now();
      if (deadline != kNever) {
        const double platformMs = static_cast<double>((deadline - now).count());
        const double wallMs = platformMs / std::max(deps_.clock.Scale(), 1e-9);
        sleep = std::clamp(std::chrono::milliseconds(static_cast<int64_t>(wallMs)),
                           std::chrono::milliseconds(0), kMaxSleep);
      }
      wake_.wait_for(lock, sleep, [this] { return wakeup_ || stopping_; });
    }
    wakeup_ = false;
    if (stopping_) return;
  }
}

void DeliveryEngine::Impl::Stop() {
  std::thread thread;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    thread.swap(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
  {
    std::unique_lock lock(mu_);  // let attempts in flight finish and be recorded
    idle_.wait_for(lock, options_.stopGrace, [this] { return inFlight_ == 0; });
  }
  {
    std::lock_guard gate(gate_->mu);
    gate_->impl = nullptr;
  }
  writer_.Stop();
  (void)writer_.Flush();
}

size_t DeliveryEngine::Impl::QueueDepth() const {
  std::lock_guard lock(mu_);
  return queued_ - inFlight_;
}

size_t DeliveryEngine::Impl::InFlight() const {
  std::lock_guard lock(mu_);
  return inFlight_;
}

bool DeliveryEngine::Impl::WaitIdle(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool background;
  {
    std::unique_lock lock(mu_);
    if (!idle_.wait_until(lock, deadline, [this] { return inFlight_ == 0; })) return false;
    background = background_ && !stopping_;
  }
  if (!background) return writer_.Flush().ok();
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return writer_.WaitWritten(std::max(left, std::chrono::milliseconds(0)));
}

// ---- facade -------------------------------------------------------------------------------

DeliveryEngine::DeliveryEngine(EngineDeps deps, EngineOptions options)
    : impl_(std::make_unique<Impl>(std::move(deps), std::move(options))) {}
DeliveryEngine::~DeliveryEngine() { impl_->Stop(); }
core::Status DeliveryEngine::Load() { return impl_->Load(); }
void DeliveryEngine::Enqueue(std::vector<store::Delivery> deliveries) {
  impl_->Enqueue(std::move(deliveries));
}
void DeliveryEngine::WebhookChanged(const std::string& webhookId) {
  impl_->WebhookChanged(webhookId);
}
core::Status DeliveryEngine::EnableWebhook(const std::string& webhookId, bool replay) {
  return impl_->EnableWebhook(webhookId, replay);
}
core::Status DeliveryEngine::Resend(const store::Delivery& delivery) {
  return impl_->Resend(delivery);
}
core::TimePoint DeliveryEngine::Tick() { return impl_->Tick(); }
void DeliveryEngine::RunInBackground() { impl_->RunInBackground(); }
void DeliveryEngine::Stop() { impl_->Stop(); }
size_t DeliveryEngine::QueueDepth() const { return impl_->QueueDepth(); }
size_t DeliveryEngine::InFlight() const { return impl_->InFlight(); }
bool DeliveryEngine::WaitIdle(std::chrono::milliseconds timeout) {
  return impl_->WaitIdle(timeout);
}

}  // namespace dynhook::delivery
