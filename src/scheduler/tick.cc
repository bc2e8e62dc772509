// One scheduler tick (scheduler.h): claim what is due, fetch each vehicle once, evaluate the
// triggers, escalate probes that saw a change, build the payloads, commit deliveries and
// schedules in one store call, then hand the deliveries to the sink.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <utility>

#include "core/ids.h"
#include "core/json.h"
#include "metrics/metrics.h"
#include "scheduler/payload.h"
#include "scheduler/scheduler_impl.h"

namespace dynhook::scheduler {

core::TimePoint Scheduler::Impl::Tick() {
  std::lock_guard tick(tickMu_);
  const core::TimePoint now = deps_.clock.Now();
  std::vector<Claim> claims;
  {
    std::lock_guard lock(mu_);
    claims = table_.ClaimDue(now + options_.batchWindow);
  }
  if (!claims.empty()) Process(std::move(claims), now);
  UpdateGauges(now);
  std::lock_guard lock(mu_);
  const auto next = table_.NextDue();
  return next ? std::max(*next, now) : now + kIdleDeadline;
}

void Scheduler::Impl::Process(std::vector<Claim> claims, core::TimePoint now) {
  TickState state;
  state.now = now;
  Prepare(std::move(claims), state);
  FetchRound(state, false);
  if (EvaluateProbes(state)) FetchRound(state, true);
  PlanSchedules(state);
  Commit(state);
}

// Resolves each claim's webhook and grant; drops the subscriptions of deleted webhooks and
// retries claims the store could not resolve.
void Scheduler::Impl::Prepare(std::vector<Claim> claims, TickState& state) {
  std::vector<Claim> retry;
  for (Claim& claim : claims) {
    std::shared_ptr<const WebhookInfo> info;
    {
      std::lock_guard lock(mu_);
      auto it = webhooks_.find(claim.sub.webhookId);
      if (it != webhooks_.end() && state.now - it->second->loadedAt < kWebhookRefresh) {
        info = it->second;
      }
    }
    if (!info) {
      auto found = deps_.webhooks.FindWebhook("", claim.sub.webhookId);
      std::lock_guard lock(mu_);
      if (!found && found.error().type == "RESOURCE_NOT_FOUND") {
        table_.RemoveWebhook(claim.sub.webhookId);  // deleted: no further deliveries
        continue;
      }
      if (!found) {
        spdlog::warn("scheduler: loading webhook {} failed: {}", claim.sub.webhookId,
                     found.error().description);
        retry.push_back(std::move(claim));
        continue;
      }
      info = BuildWebhookInfo(std::move(*found), state.now);
      webhooks_[claim.sub.webhookId] = info;
    }
    Job job;
    job.grant = GrantFor(claim.sub.grantId, state);
    auto [it, added] = state.vehicleIndex.try_emplace(claim.sub.vehicleId, state.vehicles.size());
    if (added) state.vehicles.push_back(VehicleWork{claim.sub.vehicleId, {}, {}, {}, false});
    job.vehicle = it->second;
    job.deliver = claim.full;
    job.webhook = std::move(info);
    job.claim = std::move(claim);
    state.vehicles[job.vehicle].jobs.push_back(state.jobs.size());
    state.jobs.push_back(std::move(job));
  }
  if (retry.empty()) return;
  TickState retryState;
  retryState.now = state.now;
  for (Claim& claim : retry) {
    Job job;
    job.claim = std::move(claim);
    retryState.jobs.push_back(std::move(job));
  }
  RetryLater(retryState);
}

const GrantInfo* Scheduler::Impl::GrantFor(const std::string& grantId, TickState& state) {
  auto [it, added] = state.grants.try_emplace(grantId);
  if (!added) return &it->second;
  auto grant = deps_.grants.FindGrant(grantId);
  if (grant) {
    it->second.scopes = grant->scopes;
    it->second.mode = grant->mode.empty() ? "live" : grant->mode;
  } else {
    // No grant (revoked meanwhile): no permission to read anything; items are PERMISSION.
    spdlog::warn("scheduler: grant {} not found: {}", grantId, grant.error().description);
  }
  return &it->second;
}

std::vector<oem::DataPath> Scheduler::Impl::WantedPaths(const TickState& state,
                                                        const VehicleWork& vehicle,
                                                        bool escalatedOnly) const {
  std::set<oem::DataPath> paths;
  for (size_t index : vehicle.jobs) {
    const Job& job = state.jobs[index];
    if (escalatedOnly && !job.escalated) continue;
    std::vector<oem::DataPath> wanted = job.webhook->options.trigger.Paths();
    if (job.deliver)
      wanted.insert(wanted.end(), job.webhook->data.begin(), job.webhook->data.end());
    for (oem::DataPath path : wanted) {
      if (Permits(job.grant->scopes, path)) paths.insert(path);
    }
  }
  return {paths.begin(), paths.end()};
}

// Fetches every vehicle of the tick (or only those with escalated probes) on the fetch pool,
// and learns the vehicles' makes on the way.
void Scheduler::Impl::FetchRound(TickState& state, bool escalatedOnly) {
  std::vector<size_t> work;
  std::vector<std::vector<oem::DataPath>> paths;
  {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < state.vehicles.size(); ++i) {
      VehicleWork& vehicle = state.vehicles[i];
      if (!vehicle.makeResolved) {
        auto make = makes_.find(vehicle.vehicleId);
        if (make != makes_.end()) vehicle.make = make->second;
        vehicle.makeResolved = make != makes_.end();
      }
      auto wanted = WantedPaths(state, vehicle, escalatedOnly);
      if (wanted.empty() && vehicle.makeResolved) continue;
      work.push_back(i);
      paths.push_back(std::move(wanted));
    }
  }
  FetchObserver observer;
  if (deps_.metrics) {
    // Every connector call counts: "success" or "error" (retries included).
    auto& success = deps_.metrics->oemFetches.With({metrics::PlatformMetrics::kSuccess});
    auto& error = deps_.metrics->oemFetches.With({metrics::PlatformMetrics::kError});
    observer = [&success, &error](std::string_view outcome) {
      (outcome == "success" ? success : error).Inc();
    };
  }
  RunParallel(work.size(), options_.fetchThreads, [&](size_t i) {
    VehicleWork& vehicle = state.vehicles[work[i]];
    if (!vehicle.makeResolved) {
      auto info = deps_.connector.GetVehicle(vehicle.vehicleId);
      if (info) vehicle.make = deps_.connector.Make(info->make);
    }
    FetchVehicle(deps_.connector, vehicle.vehicleId, paths[i], fetchPolicy_, vehicle.readings,
                 observer);
  });
  std::lock_guard lock(mu_);
  for (VehicleWork& vehicle : state.vehicles) {
    if (!vehicle.makeResolved && vehicle.make) makes_[vehicle.vehicleId] = *vehicle.make;
    vehicle.makeResolved = true;
  }
}

// Evaluates every job's trigger; a probe that sees a change becomes a delivery. Returns whether
// any did (their vehicles then need the rest of their data).
bool Scheduler::Impl::EvaluateProbes(TickState& state) {
  bool escalated = false;
  for (Job& job : state.jobs) {
    const webhooks::Trigger& trigger = job.webhook->options.trigger;
    const Readings& readings = state.vehicles[job.vehicle].readings;
    auto reading = readings.find(trigger.Path());
    if (reading != readings.end() && reading->second &&
        Permits(job.grant->scopes, trigger.Path())) {
      job.observed = trigger.Evaluate(reading->second->body);
    }
    if (!job.deliver && TriggerChanged(job.claim.sub.triggerActive, job.observed)) {
      job.deliver = job.escalated = escalated = true;
    }
  }
  return escalated;
}

void Scheduler::Impl::PlanSchedules(TickState& state) {
  for (Job& job : state.jobs) {
    const Cadence cadence = CadenceFor(job.webhook->options, state.vehicles[job.vehicle].make,
                                       options_.minProbeInterval);
    job.next = job.claim.sub;
    if (job.deliver) {
      // A claim taken up to batchWindow early counts as made at its due time, so the anchored
      // cadence moves on to the next slot of the grid.
      const core::TimePoint at =
          job.claim.full ? std::max(state.now, job.claim.sub.nextDueAt) : state.now;
      const NextSchedule next =
          AfterFetch(cadence, job.next.createdAt, job.next.triggerActive, job.observed, at);
      job.next.nextDueAt = next.nextDueAt;
      job.next.interval = next.interval;
      job.next.triggerActive = next.triggerActive;
      job.next.lastFetchAt = state.now;
    }
    job.nextProbeAt = NextProbe(cadence, state.now, job.next.nextDueAt);
  }
}

namespace {

// The entries of one (webhook, mode): `main` for the callbackUri, `errors` for the
// errorCallbackUri (payload.h says which entries those are).
struct EntryGroup {
  const Job* job = nullptr;
  std::vector<EntryJson> main;
  std::vector<EntryJson> errors;
};

void AppendPayloads(const Job& job, const std::vector<EntryJson>& entries,
                    const std::string& targetUri, core::TimePoint now,
                    std::vector<store::Delivery>& out) {
  const WebhookInfo& info = *job.webhook;
  for (auto& payload :
       BuildPayloads(info.webhook.id, job.grant->mode, entries, info.options.maxPayloadBytes)) {
    store::Delivery delivery;
    delivery.id = std::move(payload.eventId);
    delivery.webhookId = info.webhook.id;
    delivery.applicationId = info.webhook.applicationId;
    delivery.body = std::move(payload.body);
    delivery.vehicleIds = std::move(payload.vehicleIds);
    delivery.targetUri = targetUri;
    delivery.createdAt = delivery.nextAttemptAt = now;
    out.push_back(std::move(delivery));
  }
}

}  // namespace

std::vector<store::Delivery> Scheduler::Impl::BuildDeliveries(TickState& state) {
  // Entries grouped by (webhook, mode), groups in order of first appearance.
  std::vector<EntryGroup> groups;
  std::unordered_map<std::string, size_t> groupIndex;
  for (const Job& job : state.jobs) {
    if (!job.deliver) continue;
    const std::string key = job.claim.sub.webhookId + '\n' + job.grant->mode;
    auto [it, added] = groupIndex.try_emplace(key, groups.size());
    if (added) groups.push_back(EntryGroup{&job, {}, {}});
    const VehicleWork& vehicle = state.vehicles[job.vehicle];
    const auto& data = job.webhook->data;
    auto entry =
        VehicleEntry(vehicle.vehicleId, core::NewUuid(), data, job.grant->scopes, vehicle.readings);
    const bool toErrors = !job.webhook->options.errorCallbackUri.empty() &&
                          IsErrorEntry(data, job.grant->scopes, vehicle.readings);
    EntryGroup& group = groups[it->second];
    (toErrors ? group.errors : group.main)
        .push_back(EntryJson{vehicle.vehicleId, core::Stringify(entry)});
  }
  std::vector<store::Delivery> deliveries;
  for (const EntryGroup& group : groups) {
    AppendPayloads(*group.job, group.main, "", state.now, deliveries);
    AppendPayloads(*group.job, group.errors, group.job->webhook->options.errorCallbackUri,
                   state.now, deliveries);
  }
  return deliveries;
}

void Scheduler::Impl::Commit(TickState& state) {
  {
    // Unsubscribed while fetching: no delivery begins for it (SPEC §4.3).
    std::lock_guard lock(mu_);
    for (Job& job : state.jobs) {
      if (job.deliver && !table_.Get(job.claim.slot, job.claim.incarnation)) job.deliver = false;
    }
  }
  std::vector<store::Delivery> deliveries = BuildDeliveries(state);
  std::vector<store::ScheduleUpdate> updates;
  for (const Job& job : state.jobs) {
    if (!job.deliver) continue;
    updates.push_back(store::ScheduleUpdate{job.next.webhookId, job.next.vehicleId,
                                            job.next.nextDueAt, job.next.interval,
                                            job.next.triggerActive, state.now});
  }
  if (!deliveries.empty() || !updates.empty()) {
    if (auto status = deps_.deliveries.CommitFetch(deliveries, updates); !status) {
      spdlog::error("scheduler: committing {} deliveries failed: {}; retrying in a minute",
                    deliveries.size(), status.error().description);
      RetryLater(state);
      return;
    }
  }
  {
    std::lock_guard lock(mu_);
    for (const Job& job : state.jobs) {
      if (table_.Get(job.claim.slot, job.claim.incarnation)) {
        table_.Update(job.claim.slot, job.next, job.nextProbeAt, state.now);
      }
    }
  }
  if (!deliveries.empty() && deps_.sink) deps_.sink(std::move(deliveries));
}

// The claims go back into the heap unchanged, due again after kStoreRetry.
void Scheduler::Impl::RetryLater(const TickState& state) {
  const core::TimePoint at = state.now + kStoreRetry;
  std::lock_guard lock(mu_);
  for (const Job& job : state.jobs) {
    Slot* slot = table_.Get(job.claim.slot, job.claim.incarnation);
    if (!slot) continue;
    store::Subscription sub = slot->sub;
    if (job.claim.full) sub.nextDueAt = at;
    table_.Update(job.claim.slot, sub, job.claim.full ? slot->nextProbeAt : at, state.now);
  }
}

}  // namespace dynhook::scheduler
