#include "webhooks/webhook_service.h"

#include <array>
#include <boost/json.hpp>
#include <utility>

#include "core/crypto.h"
#include "core/ids.h"
#include "core/json.h"
#include "webhooks/caller.h"
#include "webhooks/options.h"
#include "webhooks/webhook_json.h"

namespace dynhook::webhooks {
namespace {

constexpr size_t kSigningSecretBytes = 32;
constexpr core::Duration kLastHour{3'600'000};

// The members the delivery engine's "webhook" events also carry (type, webhookId, status,
// disabledReason), then the action and the full webhook.
boost::json::object WebhookEvent(const store::Webhook& webhook, std::string_view action,
                                 boost::json::object json) {
  return {{"type", "webhook"},        {"webhookId", webhook.id},
          {"status", webhook.status}, {"disabledReason", webhook.disabledReason},
          {"action", action},         {"webhook", std::move(json)}};
}

}  // namespace

std::string NewSigningSecret(core::Random& random) {
  std::array<uint8_t, kSigningSecretBytes> bytes{};
  random.Fill(bytes);
  return "whsec_" + core::Base64Encode(std::string_view(reinterpret_cast<const char*>(bytes.data()),
                                                        bytes.size()));
}

core::Error VerificationFailed(const std::string& reason) {
  core::Error error;
  error.type = "VALIDATION";
  error.code = "VERIFICATION_FAILED";
  error.status = 424;
  error.description = "The callback URI did not pass verification: " + reason + ".";
  error.resolution = "RETRY_LATER";
  error.suggestedUserMessage =
      "Make sure the callback answers the challenge with its HMAC-SHA256, keyed with the "
      "application's management token, then verify again.";
  return error;
}

core::Result<store::Webhook> WebhookService::Find(const std::string& applicationId,
                                                  const std::string& webhookId) const {
  return FindWebhookOf(deps_.store, applicationId, webhookId);
}

core::Result<WebhookChange> WebhookService::Create(const std::string& applicationId,
                                                   std::string_view amt, WebhookInput input) const {
  const core::TimePoint now = deps_.platformClock.Now();
  WebhookChange change;
  store::Webhook& webhook = change.webhook;
  webhook.id = core::NewUuid();
  webhook.applicationId = applicationId;
  webhook.name = std::move(input.name).value_or("");
  webhook.callbackUri = std::move(input.callbackUri).value_or("");
  webhook.optionsJson = SerializeOptions(input.options);
  if (input.options.standardWebhooks) {
    change.signingSecret = NewSigningSecret();
    webhook.signingSecretSealed = deps_.box.Seal(change.signingSecret);
  }
  webhook.createdAt = webhook.updatedAt = now;
  if (auto created = deps_.store.CreateWebhook(webhook); !created) {
    return created.take_error();
  }
  Publish(webhook, "created");
  if (deps_.runtime.webhookChanged) deps_.runtime.webhookChanged(webhook.id);
  auto verified = RecordVerification(webhook, verifier_.Verify(webhook, amt));
  if (!verified) return verified.take_error();
  webhook = std::move(*verified);
  return change;
}

core::Result<WebhookChange> WebhookService::Update(const store::Webhook& current,
                                                   std::string_view amt,
                                                   const WebhookInput& input) const {
  WebhookChange change{current, ""};
  store::Webhook& webhook = change.webhook;
  if (input.name) webhook.name = *input.name;
  const bool newCallback = input.callbackUri && *input.callbackUri != current.callbackUri;
  if (newCallback) {
    webhook.callbackUri = *input.callbackUri;
    webhook.verifiedAt.reset();
    if (webhook.status == "enabled") webhook.status = "pending_verification";
  }
  if (!input.options.standardWebhooks) {
    webhook.signingSecretSealed.clear();
  } else if (webhook.signingSecretSealed.empty()) {
    change.signingSecret = NewSigningSecret();
    webhook.signingSecretSealed = deps_.box.Seal(change.signingSecret);
  }
  webhook.optionsJson = SerializeOptions(input.options);
  webhook.updatedAt = deps_.platformClock.Now();
  if (auto saved = Save(webhook, "updated"); !saved) return saved.take_error();
  if (!newCallback) return change;
  auto verified = RecordVerification(webhook, verifier_.Verify(webhook, amt));
  if (!verified) return verified.take_error();
  webhook = std::move(*verified);
  return change;
}

core::Status WebhookService::Delete(const store::Webhook& webhook) const {
  if (auto deleted = deps_.store.DeleteWebhook(webhook.applicationId, webhook.id); !deleted) {
    return deleted;
  }
  if (deps_.runtime.webhookChanged) deps_.runtime.webhookChanged(webhook.id);
  if (deps_.events) {
    store::Webhook gone = webhook;
    gone.status = "deleted";
    deps_.events->Publish(
        {webhook.applicationId, "webhook",
         core::Stringify(WebhookEvent(gone, "deleted", boost::json::object{{"id", webhook.id}}))});
  }
  return {};
}

core::Result<store::Webhook> WebhookService::Verify(const store::Webhook& webhook,
                                                    std::string_view amt) const {
  const VerificationResult result = verifier_.Verify(webhook, amt);
  auto recorded = RecordVerification(webhook, result);
  if (!recorded) return recorded;
  if (!result.verified) return VerificationFailed(result.reason);
  return recorded;
}

core::Result<store::Webhook> WebhookService::Enable(const store::Webhook& webhook,
                                                    std::string_view amt, bool replay) const {
  auto verified = Verify(webhook, amt);
  if (!verified) return verified;
  store::Webhook enabled = std::move(*verified);
  enabled.status = "enabled";
  enabled.disabledReason.clear();
  enabled.disabledAt.reset();
  enabled.updatedAt = deps_.platformClock.Now();
  if (auto saved = Save(enabled, "enabled"); !saved) return saved.take_error();
  if (deps_.runtime.enable) {
    if (auto released = deps_.runtime.enable(enabled.id, replay); !released) {
      return released.take_error();
    }
  }
  // Discarding held deliveries changes discardedCount.
  return Find(enabled.applicationId, enabled.id);
}

core::Result<store::Webhook> WebhookService::Disable(const store::Webhook& webhook) const {
  store::Webhook disabled = webhook;
  if (disabled.status != "disabled") {
    disabled.status = "disabled";
    disabled.disabledReason = "disabled by the application";
    disabled.disabledAt = disabled.updatedAt = deps_.platformClock.Now();
  }
  if (auto saved = Save(disabled, "disabled"); !saved) return saved.take_error();
  return disabled;
}

core::Result<boost::json::object> WebhookService::Render(const store::Webhook& webhook) const {
  WebhookCounts counts;
  auto subscriptions = deps_.store.CountSubscriptions(webhook.id);
  if (!subscriptions) return subscriptions.take_error();
  counts.subscriptionCount = *subscriptions;
  auto deliveries = deps_.store.CountDeliveries(webhook.id, deps_.platformClock.Now() - kLastHour);
  if (!deliveries) return deliveries.take_error();
  counts.deliveriesLastHour =
      deliveries->succeeded + deliveries->pending + deliveries->held + deliveries->discarded;
  return WebhookJson(webhook, counts);
}

core::Result<store::Webhook> WebhookService::RecordVerification(
    const store::Webhook& webhook, const VerificationResult& result) const {
  auto fresh = Find(webhook.applicationId, webhook.id);
  if (!fresh) return fresh;
  ApplyVerification(*fresh, result, deps_.platformClock.Now());
  if (auto saved = Save(*fresh, result.verified ? "verified" : "verification_failed"); !saved) {
    return saved.take_error();
  }
  return fresh;
}

core::Status WebhookService::Save(const store::Webhook& webhook, std::string_view action) const {
  if (auto updated = deps_.store.UpdateWebhook(webhook); !updated) return updated;
  if (deps_.runtime.webhookChanged) deps_.runtime.webhookChanged(webhook.id);
  Publish(webhook, action);
  return {};
}

void WebhookService::Publish(const store::Webhook& webhook, std::string_view action) const {
  if (!deps_.events) return;
  auto json = WebhookJson(webhook);
  if (!json) return;
  deps_.events->Publish({webhook.applicationId, "webhook",
                         core::Stringify(WebhookEvent(webhook, action, std::move(*json)))});
}

}  // namespace dynhook::webhooks
