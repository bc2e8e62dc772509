// WebhookApi: the webhook management routes (SPEC §4.1), `Authorization: Bearer <AMT>`, scoped
// to the AMT's application (another application's webhook is RESOURCE_NOT_FOUND, 404):
//   POST   /api/webhooks                {"name","type":"dynamic","callbackUri",…options}
//          -> 201 webhook (+ "signingSecret" once, when standardWebhooks); verified at once,
//          the answer shows the outcome (status enabled, or pending_verification with
//          verificationError)
//   GET    /api/webhooks                -> {"webhooks":[webhook,…]} (oldest first)
//   GET    /api/webhooks/{id}           -> webhook
//   PATCH  /api/webhooks/{id}           {name?, callbackUri?, …options?} -> webhook (+ a new
//          "signingSecret" when standardWebhooks was just turned on)
//   DELETE /api/webhooks/{id}           -> {"status":"success"}
//   POST   /api/webhooks/{id}/verify    -> webhook, or 424 VALIDATION:VERIFICATION_FAILED
//   POST   /api/webhooks/{id}/enable?replay=held|discard -> webhook, or 424
//   POST   /api/webhooks/{id}/disable   -> webhook
// Webhook JSON: see webhook_json.h. Bodies of verify/enable/disable may be empty or {}.
//
// Thread-safety: immutable after construction; handlers run concurrently.
#pragma once

#include <memory>

#include "core/result.h"
#include "http/router.h"
#include "webhooks/webhook_service.h"
#include "webhooks/webhooks_deps.h"

namespace dynhook::webhooks {

class WebhookApi {
 public:
  explicit WebhookApi(WebhooksDeps deps)
      : deps_(deps), service_(std::make_shared<WebhookService>(std::move(deps))) {}

  // The handlers keep their own copy of this object; it may be a temporary.
  void RegisterRoutes(http::Router& router) const;

 private:
  core::Result<http::Response> Create(const http::Request& request) const;
  core::Result<http::Response> List(const http::Request& request) const;
  core::Result<http::Response> Get(const http::Request& request) const;
  core::Result<http::Response> Patch(const http::Request& request) const;
  core::Result<http::Response> Delete(const http::Request& request) const;
  core::Result<http::Response> Verify(const http::Request& request) const;
  core::Result<http::Response> Enable(const http::Request& request) const;
  core::Result<http::Response> Disable(const http::Request& request) const;

  // 200/201 with the rendered webhook, plus signingSecret when not empty.
  core::Result<http::Response> Answer(int status, const store::Webhook& webhook,
                                      const std::string& signingSecret = "") const;

  WebhooksDeps deps_;
  std::shared_ptr<const WebhookService> service_;
};

}  // namespace dynhook::webhooks
