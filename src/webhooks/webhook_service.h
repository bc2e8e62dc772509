// WebhookService: the operations behind /api/webhooks (SPEC §4.1, §4.2), independent of HTTP.
// Every operation is scoped by the caller to one application (the webhook was found with
// Find(applicationId, id)); store changes are followed by the WebhookRuntime notice and a
// "webhook" event on the EventBus:
//   Event{applicationId, "webhook", {"type":"webhook","webhookId","status","disabledReason",
//         "action":"created"|"updated"|"verified"|"verification_failed"|"enabled"|
//         "disabled"|"deleted","webhook":<webhook JSON>}}
// — the first four members as in the delivery engine's own "webhook" events (which have no
// action); for "deleted", status is "deleted" and the webhook is {"id"} only.
// Verification runs synchronously (it blocks the calling worker for up to verifyTimeout) and
// is recorded on a freshly read row, so a concurrent change (the engine disabling the
// webhook) is not overwritten by a stale copy.
//
// Thread-safety: immutable after construction; operations run concurrently on worker threads.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/webhook_records.h"
#include "webhooks/verifier.h"
#include "webhooks/webhook_input.h"
#include "webhooks/webhooks_deps.h"

namespace dynhook::webhooks {

// A webhook as stored, plus its Standard Webhooks secret when it was generated just now
// ("" otherwise): the API shows the secret this one time only.
struct WebhookChange {
  store::Webhook webhook;
  std::string signingSecret;
};

// "whsec_" + base64 of 32 random bytes.
std::string NewSigningSecret(core::Random& random = core::DefaultRandom());

// The 424 answer of a failed verification: VALIDATION:VERIFICATION_FAILED with the reason.
core::Error VerificationFailed(const std::string& reason);

class WebhookService {
 public:
  explicit WebhookService(WebhooksDeps deps)
      : deps_(std::move(deps)), verifier_(deps_.transport, deps_.verifyTimeout) {}

  // RESOURCE_NOT_FOUND unless the webhook exists and belongs to the application.
  core::Result<store::Webhook> Find(const std::string& applicationId,
                                    const std::string& webhookId) const;
  // Stores a new webhook, then verifies it (`amt` answers the challenge).
  core::Result<WebhookChange> Create(const std::string& applicationId, std::string_view amt,
                                     WebhookInput input) const;
  // PATCH: rename, new options; a new callbackUri re-verifies (enabled -> pending first).
  core::Result<WebhookChange> Update(const store::Webhook& current, std::string_view amt,
                                     const WebhookInput& input) const;
  core::Status Delete(const store::Webhook& webhook) const;
  // POST /verify: the webhook after recording the outcome, or VerificationFailed (424).
  core::Result<store::Webhook> Verify(const store::Webhook& webhook, std::string_view amt) const;
  // POST /enable: verify (424 on failure, the webhook stays as it was), then enabled and the
  // runtime's enable(id, replay).
  core::Result<store::Webhook> Enable(const store::Webhook& webhook, std::string_view amt,
                                      bool replay) const;
  core::Result<store::Webhook> Disable(const store::Webhook& webhook) const;

  // The webhook's JSON with subscriptionCount and deliveriesLastHour.
  core::Result<boost::json::object> Render(const store::Webhook& webhook) const;

 private:
  // Rereads the webhook, records `result` on it, stores it, notifies.
  core::Result<store::Webhook> RecordVerification(const store::Webhook& webhook,
                                                  const VerificationResult& result) const;
  core::Status Save(const store::Webhook& webhook, std::string_view action) const;
  void Publish(const store::Webhook& webhook, std::string_view action) const;

  WebhooksDeps deps_;
  Verifier verifier_;
};

}  // namespace dynhook::webhooks
