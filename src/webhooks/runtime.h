// WebhookRuntime: how the webhooks module tells the running machinery (the scheduler and the
// delivery engine) about changes it made in the store. The app wiring fills it from
// scheduler::Scheduler and delivery::DeliveryEngine; tests fill it with recorders. Every member
// is optional (an empty function is skipped). Each is called AFTER the store shows the change,
// on the request's worker thread; none may throw.
//
//   subscribed      a NEW subscription (not a repeated, idempotent subscribe):
//   Scheduler::Subscribed unsubscribed    a subscription removed (unsubscribe, disconnect):
//   Scheduler::Unsubscribed webhookChanged  the webhook's row changed or it was deleted (created,
//   verified, options,
//                   callback, enabled, disabled, deleted): Scheduler::WebhookChanged and
//                   DeliveryEngine::WebhookChanged. Disabling by hand relies on the engine
//                   holding the webhook's pending deliveries when it sees the row disabled.
//   enable          POST /enable after a successful verification, with the webhook already
//                   stored as enabled (and webhookChanged already called):
//                   DeliveryEngine::EnableWebhook(id, replay) — releases held deliveries
//   resend          POST /api/deliveries/{id}/resend: DeliveryEngine::Resend
#pragma once

#include <functional>
#include <string>

#include "core/result.h"
#include "store/webhook_records.h"

namespace dynhook::webhooks {

struct WebhookRuntime {
  std::function<void(const store::Subscription&)> subscribed;
  std::function<void(const std::string& webhookId, const std::string& vehicleId)> unsubscribed;
  std::function<void(const std::string& webhookId)> webhookChanged;
  std::function<core::Status(const std::string& webhookId, bool replay)> enable;
  std::function<core::Status(const store::Delivery&)> resend;
};

}  // namespace dynhook::webhooks
