// DeliveryEngine: launching attempts and applying their results (SPEC §4.4, §4.5).
#include <boost/json.hpp>
#include <string>
#include <utility>

#include "core/json.h"
#include "delivery/engine_impl.h"
#include "metrics/metrics.h"

namespace dynhook::delivery {

namespace {

// "HTTP 500", "timeout", ...: what a failed attempt's error and the webhook's reason say.
std::string DescribeFailure(const TransportResult& result) {
  if (!result.error.empty()) return result.error;
  return "HTTP " + std::to_string(result.statusCode);
}

int64_t Seconds(core::TimePoint t) { return core::ToMillis(t) / 1000; }

std::string DeliveryEventJson(const std::string& webhookId,
                              const std::vector<std::string>& vehicleIds,
                              const store::AttemptOutcome& outcome) {
  boost::json::array vehicles;
  for (const auto& id : vehicleIds) vehicles.emplace_back(id);
  boost::json::object event{
      {"type", "delivery"},
      {"deliveryId", outcome.attempt.deliveryId},
      {"webhookId", webhookId},
      {"status", outcome.newStatus},
      {"statusCode", outcome.attempt.statusCode},
      {"attempt", outcome.attempt.number},
      {"latencyMs", outcome.attempt.latencyMs},
      {"vehicleIds", std::move(vehicles)},
      {"at", core::FormatIso8601(outcome.attempt.at)},
  };
  if (!outcome.attempt.error.empty()) event["error"] = outcome.attempt.error;
  return core::Stringify(event);
}

}  // namespace

void DeliveryEngine::Impl::Launch(PlannedAttempt attempt) {
  if (!attempt.keys) {
    auto keys = deps_.keys ? deps_.keys(attempt.webhook)
                           : core::Result<SigningKeys>(core::errors::Internal("no key lookup"));
    if (!keys.ok()) {
      TransportResult failed;
      failed.error = "signing keys unavailable: " + keys.error().description;
      OnComplete(attempt.key, std::move(failed));
      return;
    }
    attempt.keys = std::move(*keys);
    std::lock_guard lock(mu_);
    auto it = endpoints_.find(attempt.key.webhookId);
    if (it != endpoints_.end()) {
      it->second.keys = attempt.keys;
      it->second.keysAt = attempt.key.startedAt;
    }
  }
  OutboundRequest request;
  request.url = std::move(attempt.url);
  request.timeout = options_.attemptTimeout;
  request.maxResponseBytes = 4096;
  request.headers = {
      {"Content-Type", "application/json"},
      {"User-Agent", options_.userAgent},
      {"SC-Signature", ScSignature(attempt.keys->managementToken, attempt.body)},
      {"SC-Event-Id", attempt.key.deliveryId},
  };
  if (!attempt.keys->standardWebhooksSecret.empty()) {
    const core::Clock& wall = deps_.wallClock != nullptr ? *deps_.wallClock : deps_.clock;
    for (auto& header :
         StandardWebhookHeaders(attempt.keys->standardWebhooksSecret, attempt.key.deliveryId,
                                Seconds(wall.Now()), attempt.body)) {
      request.headers.push_back(std::move(header));
    }
  }
  request.body = std::move(attempt.body);
  deps_.transport.Send(std::move(request),
                       [gate = gate_, key = std::move(attempt.key)](TransportResult result) {
                         std::lock_guard<std::recursive_mutex> lock(gate->mu);
                         if (gate->impl != nullptr) gate->impl->OnComplete(key, std::move(result));
                       });
}

void DeliveryEngine::Impl::OnComplete(const AttemptKey& key, TransportResult result) {
  thread_local int depth = 0;  // > 0: inside the Send of a launch made by a completion
  const core::TimePoint now = deps_.clock.Now();
  store::AttemptOutcome outcome;
  std::vector<PlannedAttempt> next;
  {
    std::lock_guard lock(mu_);
    outcome = ApplyResult(key, result, now);
    // Added under mu_ so outcomes reach the writer in the order they were decided (a hold
    // after a disable must not be overtaken by an earlier "pending").
    writer_.Add(outcome);
    if (--inFlight_ == 0) idle_.notify_all();
    if (auto it = endpoints_.find(key.webhookId); it != endpoints_.end()) {
      ContinueAfter(it->second, now, depth > 0, next);
    }
  }
  ++depth;
  for (auto& attempt : next) Launch(std::move(attempt));
  --depth;
  RecordMetrics(outcome);
  if (deps_.events != nullptr) {  // the event's JSON is only built for a listener
    Publish(webhooks::Event{key.applicationId, "delivery",
                            DeliveryEventJson(key.webhookId, key.vehicleIds, outcome)});
  }
}

store::AttemptOutcome DeliveryEngine::Impl::ApplyResult(const AttemptKey& key,
                                                        const TransportResult& result,
                                                        core::TimePoint now) {
  store::AttemptOutcome outcome;
  outcome.attempt = store::DeliveryAttempt{key.deliveryId,
                                           key.number,
                                           key.startedAt,
                                           result.statusCode,
                                           static_cast<int64_t>(result.latency.count()),
                                           result.ok() ? "" : DescribeFailure(result),
                                           result.responseExcerpt.substr(0, 4096)};
  outcome.lastError = outcome.attempt.error;
  outcome.nextAttemptAt = now;
  auto it = endpoints_.find(key.webhookId);
  EndpointQueue::Item* item =
      it == endpoints_.end() ? nullptr : it->second.queue.Find(key.sequence);
  if (item == nullptr) {  // the webhook was deleted meanwhile
    outcome.newStatus = result.ok() ? "succeeded" : "cancelled";
    return outcome;
  }
  Endpoint& endpoint = it->second;
  item->delivery.attemptCount = key.number;
  item->delivery.lastError = outcome.lastError;
  if (result.ok()) {
    outcome.newStatus = "succeeded";
    AdjustQueued(endpoint, [&] { endpoint.queue.Succeeded(key.sequence, now); });
  } else {
    ApplyFailure(endpoint, *item, result, now, outcome);
  }
  if (endpoint.deleted && endpoint.queue.size() == 0) endpoints_.erase(it);
  return outcome;
}

void DeliveryEngine::Impl::ApplyFailure(Endpoint& endpoint, EndpointQueue::Item& item,
                                        const TransportResult& result, core::TimePoint now,
                                        store::AttemptOutcome& outcome) {
  const int64_t sequence = item.delivery.sequence;
  ++item.failedRun;
  std::string disableReason;
  if (result.statusCode == 410) {
    disableReason = "endpoint answered 410 Gone";
  } else if (item.failedRun >= options_.maxAttempts) {
    disableReason = std::to_string(item.failedRun) +
                    " consecutive failed attempts; last: " + DescribeFailure(result);
  }
  if (endpoint.deleted) {
    outcome.newStatus = "cancelled";
  } else if (!disableReason.empty() || endpoint.Disabled()) {
    outcome.newStatus = "held";  // kept for replay after re-enabling (SPEC §4.5)
  }
  if (!outcome.newStatus.empty()) {
    AdjustQueued(endpoint, [&] { endpoint.queue.Remove(sequence); });
    if (!disableReason.empty() && !endpoint.Disabled() && !endpoint.deleted) {
      RequestDisable(endpoint, std::move(disableReason), now);
    }
    return;
  }
  outcome.newStatus = "pending";
  outcome.nextAttemptAt = now + backoff_.AfterFailure(item.failedRun, result.statusCode,
                                                      result.retryAfterSeconds, deps_.random);
  endpoint.queue.Failed(sequence, outcome.nextAttemptAt);
}

void DeliveryEngine::Impl::RequestDisable(Endpoint& endpoint, std::string reason,
                                          core::TimePoint now) {
  endpoint.webhook.status = "disabled";  // nothing more starts from now on
  endpoint.webhook.disabledReason = reason;
  endpoint.webhook.disabledAt = now;
  AdjustQueued(endpoint, [&] { endpoint.queue.DropWaiting(); });
  disables_.push_back(DisableRequest{endpoint.webhook.id, std::move(reason), now});
  WakeLoop();
}

void DeliveryEngine::Impl::RecordMetrics(const store::AttemptOutcome& outcome) {
  if (deps_.metrics == nullptr) return;
  const bool ok = outcome.newStatus == "succeeded" && outcome.attempt.error.empty();
  deps_.metrics->deliveries.With({ok ? "success" : "failure"}).Inc();
  deps_.metrics->attemptLatency.Get().Observe(static_cast<double>(outcome.attempt.latencyMs) /
                                              1000.0);
}

void DeliveryEngine::Impl::Publish(webhooks::Event event) {
  if (deps_.events != nullptr) deps_.events->Publish(event);
}

}  // namespace dynhook::delivery
