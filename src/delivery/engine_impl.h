// DeliveryEngine::Impl: the engine's state and its parts, shared by the engine_*.cc files.
// Private to the delivery module.
//
// Locking: `mu_` guards the endpoints, the deadline heap, the ready list, the pending store
// actions and the counters. Nothing calls the transport, the store, the key lookup or the event
// bus while holding it (a transport may complete synchronously, inside Send); it may be held
// while handing an outcome to `writer_`, which never calls back into the engine. `tickMu_`
// serialises Tick(). Transport callbacks reach the engine through `gate_`, which Stop() closes,
// so a late callback never touches a destroyed engine.
//
// Threads: attempts start on the background loop (Tick) and, to save a thread hop per
// delivery, on the transport's thread right after an attempt of the same endpoint completed
// (OnComplete -> ContinueAfter): both plan under `mu_` and launch after releasing it.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "delivery/backoff.h"
#include "delivery/endpoint_queue.h"
#include "delivery/engine.h"
#include "delivery/outcome_writer.h"
#include "webhooks/event_bus.h"

namespace dynhook::delivery {

// The engine's own types are nested in Impl: the delivery library has other types named
// like these (one definition rule), e.g. the transport's Endpoint.
class DeliveryEngine::Impl {
 public:
  static constexpr core::TimePoint kNever = core::TimePoint::max();

  // One attempt on its way: what the completion needs to find and record it.
  struct AttemptKey {
    std::string webhookId;
    std::string applicationId;
    std::string deliveryId;
    int64_t sequence = 0;
    int number = 0;  // 1-based attempt number
    core::TimePoint startedAt;
    std::vector<std::string> vehicleIds;
  };

  // An attempt chosen under the lock, launched after it is released.
  struct PlannedAttempt {
    AttemptKey key;
    std::string url;
    std::string body;
    std::optional<SigningKeys> keys;  // cached; nullopt: look them up with `webhook`
    store::Webhook webhook;           // only filled when `keys` is nullopt
  };

  struct Endpoint {
    store::Webhook webhook;  // status "" until the row could be read
    EndpointQueue queue;
    std::optional<SigningKeys> keys;
    core::TimePoint keysAt;
    core::TimePoint scheduledAt = kNever;  // the live deadline-heap entry
    bool ready = false;                    // listed in ready_
    bool deleted = false;
    bool disabling = false;  // disabled here, not yet written to the store
    bool Enabled() const { return webhook.status == "enabled" && !deleted; }
    bool Disabled() const { return webhook.status == "disabled"; }
  };

  struct DisableRequest {
    std::string webhookId;
    std::string reason;
    core::TimePoint at;
  };

  Impl(EngineDeps deps, EngineOptions options);
  ~Impl();

  // engine_webhooks.cc: the store-facing operations.
  core::Status Load();
  void Enqueue(std::vector<store::Delivery> deliveries);
  void WebhookChanged(const std::string& webhookId);
  core::Status EnableWebhook(const std::string& webhookId, bool replay);
  core::Status Resend(const store::Delivery& delivery);
  void RunStoreActions();

  // engine.cc: scheduling and threads.
  core::TimePoint Tick();
  void RunInBackground();
  void Stop();
  size_t QueueDepth() const;
  size_t InFlight() const;
  bool WaitIdle(std::chrono::milliseconds timeout);

  // engine_outcomes.cc: attempts and their results.
  void Launch(PlannedAttempt attempt);
  void OnComplete(const AttemptKey& key, TransportResult result);

 private:
  struct Gate {
    // Recursive: a completion may launch the next attempt, whose Send may complete at once
    // (a synchronous transport) and enter the gate again on the same thread.
    std::recursive_mutex mu;
    Impl* impl = nullptr;  // guarded by mu; null once stopped
  };
  struct Deadline {
    core::TimePoint at;
    std::string webhookId;
    bool operator>(const Deadline& other) const { return at > other.at; }
  };

  // All of these require mu_.
  Endpoint& EndpointFor(const std::string& webhookId);
  // Takes a fresh webhook row; true when deliveries must be reloaded from the store (it was
  // disabled here and no longer is).
  bool ApplyWebhook(Endpoint& endpoint, store::Webhook webhook, core::TimePoint now);
  void InsertLocked(Endpoint& endpoint, std::vector<store::Delivery> deliveries);
  void MarkReady(Endpoint& endpoint);
  void WakeLoop();  // the background loop runs again soon (no-op when it already will)
  void Schedule(Endpoint& endpoint, core::TimePoint at);
  void Pump(Endpoint& endpoint, core::TimePoint now, std::vector<PlannedAttempt>& out);
  // After an attempt of `endpoint` completed: plans its next attempts into `out` for the
  // completing thread to launch, or leaves them to the background loop (MarkReady).
  void ContinueAfter(Endpoint& endpoint, core::TimePoint now, bool nested,
                     std::vector<PlannedAttempt>& out);
  bool KeysFresh(const Endpoint& endpoint, core::TimePoint now) const;
  std::vector<PlannedAttempt> CollectDue(core::TimePoint now);
  void RequestDisable(Endpoint& endpoint, std::string reason, core::TimePoint now);
  store::AttemptOutcome ApplyResult(const AttemptKey& key, const TransportResult& result,
                                    core::TimePoint now);
  void ApplyFailure(Endpoint& endpoint, EndpointQueue::Item& item, const TransportResult& result,
                    core::TimePoint now, store::AttemptOutcome& outcome);
  core::TimePoint NextDeadlineLocked(core::TimePoint now);
  void AdjustQueued(Endpoint& endpoint, const std::function<void()>& change);

  // Outside mu_.
  core::Result<std::vector<store::Delivery>> LoadPending(const std::string& webhookId);
  void ReloadPending(const std::string& webhookId);
  void RunRetention(core::TimePoint now);
  void HoldInStore(const std::string& webhookId);
  void DisableInStore(const DisableRequest& request);
  void Publish(webhooks::Event event);
  void RecordMetrics(const store::AttemptOutcome& outcome);
  void Loop();

  EngineDeps deps_;
  const EngineOptions options_;
  const BackoffPolicy backoff_;
  OutcomeWriter writer_;
  std::shared_ptr<Gate> gate_;

  std::mutex tickMu_;  // one Tick at a time
  mutable std::mutex mu_;
  std::condition_variable wake_;  // the background loop waits here (with mu_)
  std::condition_variable idle_;  // inFlight_ dropped to 0 (with mu_)
  std::unordered_map<std::string, Endpoint> endpoints_;  // guarded by mu_
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;  // mu_
  std::vector<std::string> ready_;        // guarded by mu_: endpoints to pump at once
  std::vector<DisableRequest> disables_;  // guarded by mu_: to write to the store
  std::set<std::string> holds_;           // guarded by mu_: HoldPending to run
  std::set<std::string> rereads_;         // guarded by mu_: webhook rows to (re)read
  size_t queued_ = 0;                     // guarded by mu_: deliveries in memory
  size_t inFlight_ = 0;                   // guarded by mu_
  bool wakeup_ = false;                   // guarded by mu_
  bool stopping_ = false;                 // guarded by mu_
  bool background_ = false;               // guarded by mu_
  core::TimePoint nextRetentionAt_;       // guarded by tickMu_
  std::thread thread_;
};

}  // namespace dynhook::delivery
