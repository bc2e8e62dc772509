// Authentication of management-API callers: `Authorization: Bearer <AMT>` -> the application,
// plus the AMT itself (it keys the verification challenge's answer and SC-Signature), and
// the lookup of a webhook scoped to that application.
// Thread-safe: a free function over the thread-safe store.
#pragma once

#include <string>

#include "core/result.h"
#include "http/message.h"
#include "store/records.h"
#include "store/store.h"
#include "store/webhook_store.h"

namespace dynhook::webhooks {

struct Caller {
  store::Application app;
  std::string managementToken;
};

// AUTHENTICATION (401) for a missing, malformed or unknown token (api::AuthenticateApplication).
core::Result<Caller> AuthenticateCaller(store::Store& store, const http::Request& request);

// The application's webhook; RESOURCE_NOT_FOUND (404) when it does not exist or belongs to
// another application (the two are indistinguishable to the caller).
core::Result<store::Webhook> FindWebhookOf(store::WebhookStore& webhooks,
                                           const std::string& applicationId,
                                           const std::string& webhookId);

// The caller and the webhook named by path parameter `param` (a UUID: VALIDATION otherwise).
struct CallerWebhook {
  Caller caller;
  store::Webhook webhook;
};
core::Result<CallerWebhook> AuthenticateForWebhook(store::Store& store,
                                                   const http::Request& request,
                                                   const std::string& param = "id");

}  // namespace dynhook::webhooks
