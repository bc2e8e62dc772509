// The JSON representations of the management API (SPEC §4.1), in one place so the API, the
// event stream and the dashboard show the same shapes. Times are ISO-8601 (toISOString form),
// absent values are null, durations ISO-8601 ("PT30M").
//
//   webhook:      {"id","name","type","callbackUri","status","disabledReason","disabledAt",
//                  "createdAt","verifiedAt","verificationError","data","trigger","intervals",
//                  "maxPayloadBytes","standardWebhooks","errorCallbackUri","discardedCount",
//                  "subscriptionCount","deliveriesLastHour"}
//   subscription: {"vehicleId","webhookId","interval","nextDueAt","triggerActive",
//                  "subscribedAt","lastFetchAt"}
//   delivery:     {"id","webhookId","sequence","status","eventName","vehicleIds","createdAt",
//                  "nextAttemptAt","attemptCount","lastError","completedAt","attempts":[…]}
//                 ("attempts" only when given; "payload" added by the one-delivery endpoint)
//   attempt:      {"number","at","statusCode","latencyMs","error","responseExcerpt"}
// Stateless and thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/result.h"
#include "store/webhook_records.h"

namespace dynhook::webhooks {

// Counts shown with a webhook (nullopt: the member is omitted).
struct WebhookCounts {
  std::optional<int64_t> subscriptionCount;
  std::optional<int64_t> deliveriesLastHour;
};

// SERVER:INTERNAL when the stored options no longer parse.
core::Result<boost::json::object> WebhookJson(const store::Webhook& webhook,
                                              const WebhookCounts& counts = {});
boost::json::object SubscriptionJson(const store::Subscription& subscription);
boost::json::object AttemptJson(const store::DeliveryAttempt& attempt);
boost::json::object DeliveryJson(const store::Delivery& delivery,
                                 const std::vector<store::DeliveryAttempt>* attempts = nullptr);

}  // namespace dynhook::webhooks
