// DeliveryEngine: loading, enqueueing and the webhook state changes that touch the store
// (SPEC §4.5: disable after exhausted retries, hold, release on enable, retention).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <utility>

#include "core/json.h"
#include "delivery/engine_impl.h"
#include "metrics/metrics.h"

namespace dynhook::delivery {

namespace {

constexpr int kPageSize = 500;

std::string WebhookEventJson(const store::Webhook& webhook) {
  return core::Stringify(boost::json::object{
      {"type", "webhook"},
      {"webhookId", webhook.id},
      {"status", webhook.status},
      {"disabledReason", webhook.disabledReason},
  });
}

bool IsNotFound(const core::Error& error) { return error.status == 404; }

}  // namespace

bool DeliveryEngine::Impl::ApplyWebhook(Endpoint& endpoint, store::Webhook webhook,
                                        core::TimePoint now) {
  if (endpoint.disabling) {  // our own disable is not written yet: it wins
    webhook.status = "disabled";
    webhook.disabledReason = endpoint.webhook.disabledReason;
    webhook.disabledAt = endpoint.webhook.disabledAt;
  }
  const bool wasDisabled = endpoint.Disabled();
  const bool uriChanged = endpoint.webhook.callbackUri != webhook.callbackUri;
  endpoint.webhook = std::move(webhook);
  endpoint.deleted = false;
  endpoint.keys.reset();
  if (endpoint.Disabled()) {
    AdjustQueued(endpoint, [&] { endpoint.queue.DropWaiting(); });
    holds_.insert(endpoint.webhook.id);
  }
  if (uriChanged) endpoint.queue.ResetFailing(now);
  MarkReady(endpoint);
  return wasDisabled && !endpoint.Disabled();
}

void DeliveryEngine::Impl::InsertLocked(Endpoint& endpoint,
                                        std::vector<store::Delivery> deliveries) {
  if (endpoint.deleted) return;
  if (endpoint.Disabled()) {  // due while disabled: kept as held (SPEC §4.5)
    if (!deliveries.empty()) holds_.insert(endpoint.webhook.id);
    return;
  }
  AdjustQueued(endpoint, [&] {
    for (auto& delivery : deliveries) {
      if (delivery.status != "pending") continue;
      const int failedRun = delivery.attemptCount;  // every earlier attempt failed
      endpoint.queue.Insert(std::move(delivery), failedRun);
    }
  });
  MarkReady(endpoint);
}

core::Status DeliveryEngine::Impl::Load() {
  auto webhooks = deps_.webhooks.ListAllWebhooks();
  if (!webhooks.ok()) return webhooks.take_error();
  const core::TimePoint now = deps_.clock.Now();
  {
    std::lock_guard lock(mu_);
    for (auto& webhook : *webhooks) {
      const std::string id = webhook.id;
      ApplyWebhook(EndpointFor(id), std::move(webhook), now);
    }
  }
  std::vector<store::Delivery> batch;  // one webhook's run (the store orders by webhook)
  auto flush = [&] {
    if (batch.empty()) return;
    std::lock_guard lock(mu_);
    auto it = endpoints_.find(batch.front().webhookId);
    if (it != endpoints_.end()) InsertLocked(it->second, std::move(batch));
    batch.clear();
  };
  auto status = deps_.deliveries.ForEachUnfinishedDelivery([&](const store::Delivery& d) {
    if (!batch.empty() && (batch.front().webhookId != d.webhookId || batch.size() >= 1024)) {
      flush();
    }
    if (d.status == "pending") batch.push_back(d);  // held ones stay in the store
  });
  flush();
  if (!status.ok()) return status;
  RunStoreActions();
  return {};
}

void DeliveryEngine::Impl::Enqueue(std::vector<store::Delivery> deliveries) {
  std::map<std::string, std::vector<store::Delivery>> byWebhook;
  for (auto& delivery : deliveries) byWebhook[delivery.webhookId].push_back(std::move(delivery));
  std::vector<std::string> unknown;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, list] : byWebhook) {
      if (!endpoints_.contains(id)) unknown.push_back(id);
    }
  }
  std::map<std::string, core::Result<store::Webhook>> rows;
  for (const auto& id : unknown) rows.emplace(id, deps_.webhooks.FindWebhook("", id));
  const core::TimePoint now = deps_.clock.Now();
  std::lock_guard lock(mu_);
  for (auto& [id, list] : byWebhook) {
    auto row = rows.find(id);
    if (row != rows.end() && !endpoints_.contains(id)) {
      if (!row->second.ok() && IsNotFound(row->second.error())) continue;  // deleted
      Endpoint& endpoint = EndpointFor(id);
      if (row->second.ok()) {
        ApplyWebhook(endpoint, std::move(*row->second), now);
      } else {
        rereads_.insert(id);  // waits (status "") until the row can be read
      }
    }
    std::sort(list.begin(), list.end(),
              [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
    InsertLocked(EndpointFor(id), std::move(list));
  }
}

void DeliveryEngine::Impl::WebhookChanged(const std::string& webhookId) {
  auto row = deps_.webhooks.FindWebhook("", webhookId);
  const core::TimePoint now = deps_.clock.Now();
  bool reload = false;
  {
    std::lock_guard lock(mu_);
    if (!row.ok()) {
      if (!IsNotFound(row.error())) {
        rereads_.insert(webhookId);
        return;
      }
      auto it = endpoints_.find(webhookId);
      if (it == endpoints_.end()) return;
      Endpoint& endpoint = it->second;
      AdjustQueued(endpoint, [&] { endpoint.queue.DropWaiting(); });
      endpoint.deleted = true;  // attempts in flight finish; nothing else starts
      if (endpoint.queue.size() == 0) endpoints_.erase(it);
      return;
    }
    reload = ApplyWebhook(EndpointFor(webhookId), std::move(*row), now);
  }
  if (reload) ReloadPending(webhookId);
  RunStoreActions();
}

core::Result<std::vector<store::Delivery>> DeliveryEngine::Impl::LoadPending(
    const std::string& webhookId) {
  std::vector<store::Delivery> all;
  std::string cursor;
  do {
    auto page = deps_.deliveries.ListDeliveries(webhookId, "pending", kPageSize, cursor);
    if (!page.ok()) return page.take_error();
    for (auto& delivery : page->items) all.push_back(std::move(delivery));
    cursor = page->nextCursor;
  } while (!cursor.empty());
  std::sort(all.begin(), all.end(),
            [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
  return all;
}

void DeliveryEngine::Impl::ReloadPending(const std::string& webhookId) {
  auto pending = LoadPending(webhookId);
  std::lock_guard lock(mu_);
  if (!pending.ok()) {
    spdlog::error("delivery: reloading deliveries of webhook {} failed: {}", webhookId,
                  pending.error().description);
    rereads_.insert(webhookId);
    return;
  }
  InsertLocked(EndpointFor(webhookId), std::move(*pending));
}

core::Status DeliveryEngine::Impl::EnableWebhook(const std::string& webhookId, bool replay) {
  (void)writer_.Flush();  // outcomes that held deliveries must land before the release
  const core::TimePoint now = deps_.clock.Now();
  auto released = deps_.deliveries.ReleaseHeld(webhookId, replay, now);
  if (!released.ok()) return released.take_error();
  if (!replay && deps_.metrics != nullptr && *released > 0) {
    deps_.metrics->deliveries.With({metrics::PlatformMetrics::kDiscarded})
        .Inc(static_cast<double>(*released));
  }
  auto row = deps_.webhooks.FindWebhook("", webhookId);  // fresh: discardedCount changed
  if (!row.ok()) return row.take_error();
  store::Webhook webhook = std::move(*row);
  webhook.status = "enabled";
  webhook.disabledReason.clear();
  webhook.disabledAt.reset();
  webhook.updatedAt = now;
  if (auto status = deps_.webhooks.UpdateWebhook(webhook); !status.ok()) return status;
  auto pending = LoadPending(webhookId);
  if (!pending.ok()) return pending.take_error();
  {
    std::lock_guard lock(mu_);
    Endpoint& endpoint = EndpointFor(webhookId);
    endpoint.disabling = false;
    ApplyWebhook(endpoint, webhook, now);
    endpoint.queue.ResetFailing(now);
    InsertLocked(endpoint, std::move(*pending));
  }
  Publish(webhooks::Event{webhook.applicationId, "webhook", WebhookEventJson(webhook)});
  return {};
}

core::Status DeliveryEngine::Impl::Resend(const store::Delivery& delivery) {
  const core::TimePoint now = deps_.clock.Now();
  bool known;
  {
    std::lock_guard lock(mu_);
    known = endpoints_.contains(delivery.webhookId);
  }
  if (!known) WebhookChanged(delivery.webhookId);
  {
    std::lock_guard lock(mu_);
    auto it = endpoints_.find(delivery.webhookId);
    if (it == endpoints_.end() || it->second.deleted) {
      return core::errors::NotFound("webhook not found");
    }
    Endpoint& endpoint = it->second;
    if (!endpoint.Enabled()) {
      return core::errors::Conflict("webhook is " + endpoint.webhook.status +
                                    "; enable it before resending");
    }
    if (endpoint.queue.Expedite(delivery.sequence, now)) {  // still queued: due now
      MarkReady(endpoint);
      return {};
    }
  }
  // Finished: requeued in the store first (pending, due now, a new sequence at the end of the
  // webhook's order), so an acknowledged resend survives a crash like any other delivery.
  store::Delivery again = delivery;
  again.status = "pending";
  again.nextAttemptAt = now;
  again.completedAt.reset();
  if (auto stored = deps_.deliveries.InsertDelivery(again); !stored) return stored;
  std::lock_guard lock(mu_);
  auto it = endpoints_.find(again.webhookId);
  if (it == endpoints_.end() || !it->second.Enabled()) return {};  // loaded when it is enabled
  Endpoint& endpoint = it->second;
  AdjustQueued(endpoint, [&] { endpoint.queue.Insert(std::move(again), 0); });
  MarkReady(endpoint);
  return {};
}

void DeliveryEngine::Impl::RunStoreActions() {
  std::vector<DisableRequest> disables;
  std::set<std::string> holds;
  std::set<std::string> rereads;
  {
    std::lock_guard lock(mu_);
    disables.swap(disables_);
    holds.swap(holds_);
    rereads.swap(rereads_);
  }
  if (!disables.empty() || !holds.empty()) (void)writer_.Flush();  // outcomes first
  for (const auto& request : disables) DisableInStore(request);
  for (const auto& id : holds) HoldInStore(id);
  for (const auto& id : rereads) WebhookChanged(id);
}

void DeliveryEngine::Impl::DisableInStore(const DisableRequest& request) {
  auto row = deps_.webhooks.FindWebhook("", request.webhookId);
  if (!row.ok() && IsNotFound(row.error())) return;  // deleted meanwhile
  core::Status status = row.ok() ? core::Status() : core::Status(row.take_error());
  store::Webhook webhook;
  if (status.ok()) {
    webhook = std::move(*row);
    webhook.status = "disabled";
    webhook.disabledReason = request.reason;
    webhook.disabledAt = request.at;
    webhook.updatedAt = request.at;
    status = deps_.webhooks.UpdateWebhook(webhook);
  }
  if (status.ok()) {
    auto held = deps_.deliveries.HoldPending(request.webhookId);
    if (!held.ok()) status = held.take_error();
  }
  {
    std::lock_guard lock(mu_);
    if (!status.ok()) {
      spdlog::error("delivery: disabling webhook {} failed: {}", request.webhookId,
                    status.error().description);
      disables_.push_back(request);  // retried at the next Tick
      return;
    }
    auto it = endpoints_.find(request.webhookId);
    if (it != endpoints_.end()) it->second.disabling = false;
  }
  spdlog::warn("delivery: webhook {} disabled: {}", request.webhookId, request.reason);
  Publish(webhooks::Event{webhook.applicationId, "webhook", WebhookEventJson(webhook)});
}

void DeliveryEngine::Impl::HoldInStore(const std::string& webhookId) {
  auto held = deps_.deliveries.HoldPending(webhookId);
  if (!held.ok()) {
    spdlog::error("delivery: holding deliveries of webhook {} failed: {}", webhookId,
                  held.error().description);
    std::lock_guard lock(mu_);
    holds_.insert(webhookId);
    return;
  }
  if (deps_.metrics != nullptr && *held > 0) {
    deps_.metrics->deliveries.With({metrics::PlatformMetrics::kHeld})
        .Inc(static_cast<double>(*held));
  }
}

void DeliveryEngine::Impl::RunRetention(core::TimePoint now) {
  auto discarded = deps_.deliveries.DiscardHeldBefore(now - options_.heldRetention);
  if (!discarded.ok()) {
    spdlog::error("delivery: discarding expired held deliveries failed: {}",
                  discarded.error().description);
    return;
  }
  if (*discarded > 0) {
    spdlog::warn("delivery: discarded {} held deliveries older than the retention period",
                 *discarded);
    if (deps_.metrics != nullptr) {
      deps_.metrics->deliveries.With({metrics::PlatformMetrics::kDiscarded})
          .Inc(static_cast<double>(*discarded));
    }
  }
}

}  // namespace dynhook::delivery
