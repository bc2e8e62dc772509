// Scheduler::Impl: the state behind scheduler.h, split over scheduler.cc (public methods,
// loading, change notifications, the background thread) and tick.cc (one tick: claim, fetch,
// evaluate, build, commit, hand over). Internal to the scheduler module.
//
// Locking: mu_ guards table_, webhooks_ and makes_ and is never held during OEM or store
// calls; tickMu_ makes ticks run one at a time; bgMu_ guards the background thread's flags.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "scheduler/interval_policy.h"
#include "scheduler/scheduler.h"
#include "scheduler/subscription_table.h"
#include "scheduler/vehicle_fetch.h"
#include "webhooks/options.h"

namespace dynhook::scheduler {

// A webhook as the scheduler needs it (immutable once built; shared with ticks in flight).
struct WebhookInfo {
  store::Webhook webhook;
  webhooks::WebhookOptions options;
  std::vector<oem::DataPath> data;
  core::TimePoint loadedAt;  // reread after kWebhookRefresh (a missed change notification)
};

struct GrantInfo {
  std::vector<std::string> scopes;
  std::string mode = "live";
};

// One claimed subscription in a tick.
struct Job {
  Claim claim;
  std::shared_ptr<const WebhookInfo> webhook;
  const GrantInfo* grant = nullptr;
  size_t vehicle = 0;  // index into TickState::vehicles
  std::optional<bool> observed;
  bool deliver = false;      // a full fetch + delivery (due, or a probe saw a change)
  bool escalated = false;    // a probe that saw a change
  store::Subscription next;  // the schedule to apply after the commit
  core::TimePoint nextProbeAt = kNever;
};

struct VehicleWork {
  std::string vehicleId;
  std::vector<size_t> jobs;
  Readings readings;
  std::optional<oem::MakeInfo> make;
  bool makeResolved = false;
};

struct TickState {
  core::TimePoint now;
  std::vector<Job> jobs;
  std::vector<VehicleWork> vehicles;
  std::unordered_map<std::string, size_t> vehicleIndex;
  std::unordered_map<std::string, GrantInfo> grants;
};

class Scheduler::Impl {
 public:
  Impl(SchedulerDeps deps, SchedulerOptions options);
  ~Impl();

  core::Status Load();
  void Subscribed(const store::Subscription& subscription);
  void Unsubscribed(const std::string& webhookId, const std::string& vehicleId);
  void WebhookChanged(const std::string& webhookId);
  void OnVehicleChanged(const std::string& vehicleId);
  core::TimePoint Tick();
  void RunInBackground();
  void Stop();
  size_t Size() const;
  size_t DueBacklog() const;
  size_t HeapEntries() const;

 private:
  static constexpr core::Duration kStoreRetry{60'000};
  static constexpr core::Duration kIdleDeadline{60'000};
  static constexpr core::Duration kWebhookRefresh{300'000};

  // scheduler.cc
  std::shared_ptr<const WebhookInfo> BuildWebhookInfo(store::Webhook webhook,
                                                      core::TimePoint now) const;
  void Reschedule(const std::string& webhookId, core::TimePoint now);  // mu_ held
  void Wake();
  void UpdateGauges(core::TimePoint now);

  // tick.cc
  void Process(std::vector<Claim> claims, core::TimePoint now);
  void Prepare(std::vector<Claim> claims, TickState& state);
  const GrantInfo* GrantFor(const std::string& grantId, TickState& state);
  void FetchRound(TickState& state, bool escalatedOnly);
  std::vector<oem::DataPath> WantedPaths(const TickState& state, const VehicleWork& vehicle,
                                         bool escalatedOnly) const;
  bool EvaluateProbes(TickState& state);
  void PlanSchedules(TickState& state);
  std::vector<store::Delivery> BuildDeliveries(TickState& state);
  void Commit(TickState& state);
  void RetryLater(const TickState& state);

  SchedulerDeps deps_;
  const SchedulerOptions options_;
  const FetchPolicy fetchPolicy_;

  mutable std::mutex mu_;
  SubscriptionTable table_;                                                       // guarded by mu_
  std::unordered_map<std::string, std::shared_ptr<const WebhookInfo>> webhooks_;  // by mu_
  std::unordered_map<std::string, oem::MakeInfo> makes_;  // by vehicle id; guarded by mu_

  std::mutex tickMu_;

  std::mutex bgMu_;
  std::condition_variable bgCv_;
  bool stop_ = false;  // guarded by bgMu_
  bool wake_ = false;  // guarded by bgMu_
  std::thread thread_;
};

}  // namespace dynhook::scheduler
