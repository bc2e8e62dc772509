#include "scheduler/scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "metrics/metrics.h"
#include "scheduler/scheduler_impl.h"

namespace dynhook::scheduler {

Scheduler::Impl::Impl(SchedulerDeps deps, SchedulerOptions options)
    : deps_(std::move(deps)),
      options_(options),
      fetchPolicy_{options.fetchAttempts, options.fetchBackoff} {}

Scheduler::Impl::~Impl() { Stop(); }

std::shared_ptr<const WebhookInfo> Scheduler::Impl::BuildWebhookInfo(store::Webhook webhook,
                                                                     core::TimePoint now) const {
  auto info = std::make_shared<WebhookInfo>();
  info->loadedAt = now;
  auto options = webhooks::DeserializeOptions(webhook.optionsJson);
  if (!options) {
    spdlog::error("scheduler: webhook {} has invalid stored options ({}); using the defaults",
                  webhook.id, options.error().description);
  } else {
    info->options = std::move(*options);
  }
  info->data = info->options.DataPaths();
  info->webhook = std::move(webhook);
  return info;
}

core::Status Scheduler::Impl::Load() {
  auto all = deps_.webhooks.ListAllWebhooks();
  if (!all) return all.take_error();
  const core::TimePoint now = deps_.clock.Now();
  std::lock_guard lock(mu_);
  for (auto& webhook : *all) {
    const std::string id = webhook.id;
    webhooks_[id] = BuildWebhookInfo(std::move(webhook), now);
  }
  // A due time in the past stays as it is: due once at the next tick (catch-up), after which
  // the cadence is computed from then.
  auto status = deps_.subscriptions.ForEachSubscription(
      [&](const store::Subscription& sub) { table_.Upsert(sub, now + options_.minProbeInterval); });
  if (!status) return status;
  spdlog::info("scheduler: loaded {} subscriptions of {} webhooks", table_.Size(),
               webhooks_.size());
  return {};
}

void Scheduler::Impl::Subscribed(const store::Subscription& subscription) {
  const core::TimePoint now = deps_.clock.Now();
  store::Subscription sub = subscription;
  if (!sub.lastFetchAt) sub.nextDueAt = std::min(sub.nextDueAt, now);  // first delivery at once
  {
    std::lock_guard lock(mu_);
    table_.Upsert(sub, now + options_.minProbeInterval);
  }
  Wake();
}

void Scheduler::Impl::Unsubscribed(const std::string& webhookId, const std::string& vehicleId) {
  std::lock_guard lock(mu_);
  table_.Remove(webhookId, vehicleId);
}

void Scheduler::Impl::WebhookChanged(const std::string& webhookId) {
  auto webhook = deps_.webhooks.FindWebhook("", webhookId);
  const core::TimePoint now = deps_.clock.Now();
  std::lock_guard lock(mu_);
  if (!webhook) {
    webhooks_.erase(webhookId);  // reloaded (or found deleted) by the next tick that needs it
    if (webhook.error().type == "RESOURCE_NOT_FOUND") table_.RemoveWebhook(webhookId);
    return;
  }
  webhooks_[webhookId] = BuildWebhookInfo(std::move(*webhook), now);
  Reschedule(webhookId, now);
}

// Options may have changed the intervals: each subscription's next due time is recomputed from
// its last fetch (unchanged options give the same times).
void Scheduler::Impl::Reschedule(const std::string& webhookId, core::TimePoint now) {
  const auto& info = webhooks_.at(webhookId);
  for (uint32_t index : table_.SlotsOfWebhook(webhookId)) {
    Slot& slot = table_.At(index);
    if (slot.inFlight || !slot.sub.lastFetchAt) continue;
    auto make = makes_.find(slot.sub.vehicleId);
    const Cadence cadence =
        CadenceFor(info->options,
                   make == makes_.end() ? std::nullopt : std::optional<oem::MakeInfo>(make->second),
                   options_.minProbeInterval);
    store::Subscription sub = slot.sub;
    const NextSchedule next =
        AfterFetch(cadence, sub.createdAt, sub.triggerActive, std::nullopt, *sub.lastFetchAt);
    sub.nextDueAt = next.nextDueAt;
    sub.interval = next.interval;
    const core::TimePoint probe =
        std::min(slot.nextProbeAt, NextProbe(cadence, now, std::max(sub.nextDueAt, now)));
    table_.Update(index, sub, probe, now);
  }
}

void Scheduler::Impl::OnVehicleChanged(const std::string& vehicleId) {
  const core::TimePoint now = deps_.clock.Now();
  {
    std::lock_guard lock(mu_);
    table_.RequestProbe(vehicleId, now);
  }
  Wake();
}

void Scheduler::Impl::UpdateGauges(core::TimePoint now) {
  if (!deps_.metrics) return;
  std::lock_guard lock(mu_);
  deps_.metrics->dueBacklog.Get().Set(static_cast<double>(table_.DueBy(now)));
  for (const auto& [intervalMs, count] : table_.IntervalCounts()) {
    deps_.metrics->subscriptions.With({core::FormatIsoDuration(core::Duration{intervalMs})})
        .Set(static_cast<double>(count));
  }
}

void Scheduler::Impl::Wake() {
  std::lock_guard lock(bgMu_);
  wake_ = true;
  bgCv_.notify_all();
}

void Scheduler::Impl::RunInBackground() {
  std::lock_guard lock(bgMu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] {
    std::unique_lock bg(bgMu_);
    while (!stop_) {
      bg.unlock();
      const core::TimePoint next = Tick();
      const core::TimePoint now = deps_.clock.Now();
      bg.lock();
      // Platform time to wall time; at most a second, so a scaled clock never oversleeps.
      const double scale = std::max(deps_.clock.Scale(), 1e-9);
      const double wallMs =
          std::clamp(static_cast<double>((next - now).count()) / scale, 1.0, 1000.0);
      bgCv_.wait_for(bg, std::chrono::milliseconds(static_cast<int64_t>(wallMs)),
                     [this] { return stop_ || wake_; });
      wake_ = false;
    }
  });
}

void Scheduler::Impl::Stop() {
  {
    std::lock_guard lock(bgMu_);
    stop_ = true;
    bgCv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

size_t Scheduler::Impl::Size() const {
  std::lock_guard lock(mu_);
  return table_.Size();
}

size_t Scheduler::Impl::DueBacklog() const {
  const core::TimePoint now = deps_.clock.Now();
  std::lock_guard lock(mu_);
  return table_.DueBy(now);
}

size_t Scheduler::Impl::HeapEntries() const {
  std::lock_guard lock(mu_);
  return table_.HeapSize();
}

Scheduler::Scheduler(SchedulerDeps deps, SchedulerOptions options)
    : impl_(std::make_unique<Impl>(std::move(deps), options)) {}
Scheduler::~Scheduler() = default;
core::Status Scheduler::Load() { return impl_->Load(); }
void Scheduler::Subscribed(const store::Subscription& s) { impl_->Subscribed(s); }
void Scheduler::Unsubscribed(const std::string& webhookId, const std::string& vehicleId) {
  impl_->Unsubscribed(webhookId, vehicleId);
}
void Scheduler::WebhookChanged(const std::string& webhookId) { impl_->WebhookChanged(webhookId); }
void Scheduler::OnVehicleChanged(const std::string& vehicleId) {
  impl_->OnVehicleChanged(vehicleId);
}
core::TimePoint Scheduler::Tick() { return impl_->Tick(); }
void Scheduler::RunInBackground() { impl_->RunInBackground(); }
void Scheduler::Stop() { impl_->Stop(); }
size_t Scheduler::Size() const { return impl_->Size(); }
size_t Scheduler::DueBacklog() const { return impl_->DueBacklog(); }
size_t Scheduler::HeapEntries() const { return impl_->HeapEntries(); }

}  // namespace dynhook::scheduler
