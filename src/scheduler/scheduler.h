// Scheduler: the dynamic schedule of every vehicle subscription (SPEC §4.3).
//
// Each subscription has a next due time on the platform clock: the first delivery at once on
// subscribe, then every intervals.default anchored at the subscription time. When a
// subscription falls due, its vehicle is fetched ONCE for every webhook due for it at that
// moment (the union of their data paths, each webhook getting what its grant allows, PERMISSION
// errors for the rest); the webhook's trigger is evaluated on the fresh data; while it holds the
// interval is min(intervals.elevated, the make's optimal interval), otherwise intervals.default;
// a change of trigger state delivers at once. Trigger changes are noticed within
// max(OEM optimal interval, 5 min): by OEM push (OnVehicleChanged) where the connector offers
// it, otherwise by probing the trigger signal alone at that rate.
//
// Due entries live in a min-heap of compact entries (millions per process, no timer per
// vehicle). Payloads are built (batched per webhook up to maxPayloadBytes), committed with the
// new due times in one store transaction (DeliveryStore::CommitFetch), then handed to the sink
// (the delivery engine). After a restart, Load() restores every schedule; a subscription whose
// due time passed while down is due once, not once per missed interval.
//
// Decisions (see also interval_policy.h, payload.h, vehicle_fetch.h):
//   - Webhooks that are pending_verification or disabled keep their schedules running and get
//     their deliveries created; the delivery engine keeps them waiting/held until the webhook
//     is verified or re-enabled, so nothing is lost (SPEC §4.1, §4.5). A deleted webhook's
//     subscriptions are dropped as soon as a tick or WebhookChanged finds it gone.
//   - Vehicles due for a webhook within `batchWindow` of now are fetched in this tick (at most
//     that much early) and share payloads. Fetches run `fetchThreads` vehicles at a time.
//   - A probe reads only the trigger's path; it delivers nothing unless the trigger state
//     changed, in which case the vehicle is fetched in full and delivered in the same tick.
//     Pushing makes (MakeInfo::pushesChanges) are not probed for charge.* signals: the app
//     wires the connector's change listener (and Simulator::PollChanges) to OnVehicleChanged;
//     battery.percentRemaining triggers are probed on every make.
//   - After Load() or Subscribed(), a first probe runs within minProbeInterval (the make is
//     not known yet); later probes follow the make's cadence.
//   - If CommitFetch fails, nothing is delivered and the claimed subscriptions are retried
//     a minute later with their state unchanged.
//   - OEM fetch retries sleep fetchBackoff × 2^n of WALL time on the fetch thread.
//
// Time: Tick() does the work due at clock.Now() and returns the next deadline; production runs
// it on a background thread (RunInBackground), tests call it after advancing a ManualClock.
// Thread-safety: public methods may be called from any thread; Tick() runs one at a time.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "oem/connector.h"
#include "store/store.h"
#include "store/webhook_store.h"

namespace dynhook::metrics {
struct PlatformMetrics;
}

namespace dynhook::scheduler {

struct SchedulerOptions {
  std::chrono::milliseconds batchWindow{1'000};  // vehicles due within this window share a payload
  int fetchAttempts = 3;                         // OEM fetch retries on transient errors
  std::chrono::milliseconds fetchBackoff{200};   // wall time between fetch attempts
  int fetchThreads = 8;                          // concurrent OEM fetches
  std::chrono::milliseconds minProbeInterval{300'000};  // the 5 min floor of change detection
};

// Receives committed deliveries (the delivery engine's Enqueue).
using DeliverySink = std::function<void(std::vector<store::Delivery>)>;

struct SchedulerDeps {
  store::GrantStore& grants;  // a subscription's grant: scopes (permissions) and mode
  store::SubscriptionStore& subscriptions;
  store::WebhookStore& webhooks;
  store::DeliveryStore& deliveries;
  oem::Connector& connector;
  const core::Clock& clock;  // platform clock
  DeliverySink sink;
  metrics::PlatformMetrics* metrics = nullptr;
};

class Scheduler {
 public:
  Scheduler(SchedulerDeps deps, SchedulerOptions options = {});
  ~Scheduler();

  core::Status Load();
  // A subscription was created (due at once) or removed; a webhook changed (options, status) or
  // was deleted.
  void Subscribed(const store::Subscription& subscription);
  void Unsubscribed(const std::string& webhookId, const std::string& vehicleId);
  void WebhookChanged(const std::string& webhookId);
  // OEM push: re-evaluate the vehicle's triggers now.
  void OnVehicleChanged(const std::string& vehicleId);

  core::TimePoint Tick();
  void RunInBackground();
  void Stop();

  // For tests, /metrics and the API: subscriptions known, entries due at or before now.
  size_t Size() const;
  size_t DueBacklog() const;
  // Heap entries (live and stale): bounded by about 2 × Size() (tests check there is no
  // per-subscription timer).
  size_t HeapEntries() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dynhook::scheduler
