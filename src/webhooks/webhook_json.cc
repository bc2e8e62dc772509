#include "webhooks/webhook_json.h"

#include <boost/json.hpp>
#include <string>

#include "core/clock.h"
#include "webhooks/options.h"

namespace dynhook::webhooks {
namespace {

boost::json::value TimeOrNull(const std::optional<core::TimePoint>& time) {
  if (!time) return nullptr;
  return boost::json::value(core::FormatIso8601(*time));
}

boost::json::value TextOrNull(const std::string& text) {
  if (text.empty()) return nullptr;
  return boost::json::value(text);
}

}  // namespace

core::Result<boost::json::object> WebhookJson(const store::Webhook& webhook,
                                              const WebhookCounts& counts) {
  auto options = DeserializeOptions(webhook.optionsJson);
  if (!options) {
    return core::errors::Internal("The stored options of webhook " + webhook.id +
                                  " are invalid: " + options.error().description);
  }
  boost::json::object out{{"id", webhook.id},
                          {"name", webhook.name},
                          {"type", webhook.type},
                          {"callbackUri", webhook.callbackUri},
                          {"status", webhook.status},
                          {"disabledReason", TextOrNull(webhook.disabledReason)},
                          {"disabledAt", TimeOrNull(webhook.disabledAt)},
                          {"createdAt", core::FormatIso8601(webhook.createdAt)},
                          {"verifiedAt", TimeOrNull(webhook.verifiedAt)},
                          {"verificationError", TextOrNull(webhook.verificationError)}};
  for (auto& member : ToJson(*options)) out[member.key()] = member.value();
  if (!out.contains("errorCallbackUri")) out["errorCallbackUri"] = nullptr;
  out["discardedCount"] = webhook.discardedCount;
  if (counts.subscriptionCount) out["subscriptionCount"] = *counts.subscriptionCount;
  if (counts.deliveriesLastHour) out["deliveriesLastHour"] = *counts.deliveriesLastHour;
  return out;
}

boost::json::object SubscriptionJson(const store::Subscription& subscription) {
  boost::json::value triggerActive = nullptr;
  if (subscription.triggerActive) triggerActive = *subscription.triggerActive;
  return {{"vehicleId", subscription.vehicleId},
          {"webhookId", subscription.webhookId},
          {"interval", core::FormatIsoDuration(subscription.interval)},
          {"nextDueAt", core::FormatIso8601(subscription.nextDueAt)},
          {"triggerActive", std::move(triggerActive)},
          {"subscribedAt", core::FormatIso8601(subscription.createdAt)},
          {"lastFetchAt", TimeOrNull(subscription.lastFetchAt)}};
}

boost::json::object AttemptJson(const store::DeliveryAttempt& attempt) {
  boost::json::value statusCode = nullptr;
  if (attempt.statusCode != 0) statusCode = attempt.statusCode;
  return {{"number", attempt.number},
          {"at", core::FormatIso8601(attempt.at)},
          {"statusCode", std::move(statusCode)},
          {"latencyMs", attempt.latencyMs},
          {"error", TextOrNull(attempt.error)},
          {"responseExcerpt", attempt.responseExcerpt}};
}

boost::json::object DeliveryJson(const store::Delivery& delivery,
                                 const std::vector<store::DeliveryAttempt>* attempts) {
  boost::json::array vehicles;
  for (const auto& id : delivery.vehicleIds) vehicles.emplace_back(id);
  boost::json::object out{{"id", delivery.id},
                          {"webhookId", delivery.webhookId},
                          {"sequence", delivery.sequence},
                          {"status", delivery.status},
                          {"eventName", delivery.eventName},
                          {"vehicleIds", std::move(vehicles)},
                          {"createdAt", core::FormatIso8601(delivery.createdAt)},
                          {"nextAttemptAt", core::FormatIso8601(delivery.nextAttemptAt)},
                          {"attemptCount", delivery.attemptCount},
                          {"lastError", TextOrNull(delivery.lastError)},
                          {"completedAt", TimeOrNull(delivery.completedAt)}};
  if (attempts) {
    boost::json::array list;
    for (const auto& attempt : *attempts) list.emplace_back(AttemptJson(attempt));
    out["attempts"] = std::move(list);
  }
  return out;
}

}  // namespace dynhook::webhooks
