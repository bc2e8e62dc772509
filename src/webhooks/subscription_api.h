// SubscriptionApi: vehicles subscribing to and leaving webhooks (SPEC §3, §4.1, §4.3).
//   POST   /v2.0/vehicles/{id}/webhooks/{webhookId}   `Bearer <access token>`, body empty or {}
//          -> {"vehicleId","webhookId"}. The vehicle must be connected under the token's grant
//          (AUTHENTICATION 401 otherwise, as the vehicle API answers), the webhook must belong
//          to the grant's application (RESOURCE_NOT_FOUND 404 otherwise). Idempotent: a repeat
//          keeps the existing subscription and its schedule; only a new one reaches
//          WebhookRuntime::subscribed (first delivery at once, then intervals.default).
//   DELETE /v2.0/vehicles/{id}/webhooks/{webhookId}   `Bearer <AMT>`, body empty or {}
//          -> {"status":"success"}; 404 when the webhook is not the application's or the
//          vehicle is not subscribed to it.
//   GET    /api/webhooks/{id}/subscriptions?limit(1–100, default 50)&cursor   `Bearer <AMT>`
//          -> {"subscriptions":[subscription,…],"paging":{"cursor":<next or null>}}
// and the api::DisconnectHook that unsubscribes a disconnected vehicle (MakeDisconnectHook).
//
// Thread-safety: immutable after construction; handlers run concurrently.
#pragma once

#include "api/deps.h"
#include "core/result.h"
#include "http/router.h"
#include "webhooks/webhooks_deps.h"

namespace dynhook::webhooks {

inline constexpr int kDefaultSubscriptionsPageSize = 50;
inline constexpr int kMaxSubscriptionsPageSize = 100;

class SubscriptionApi {
 public:
  explicit SubscriptionApi(WebhooksDeps deps) : deps_(std::move(deps)) {}

  void RegisterRoutes(http::Router& router) const;

 private:
  core::Result<http::Response> Subscribe(const http::Request& request) const;
  core::Result<http::Response> Unsubscribe(const http::Request& request) const;
  core::Result<http::Response> List(const http::Request& request) const;

  WebhooksDeps deps_;
};

// For api::ApiDeps::onDisconnect: removes every subscription of the vehicle to the
// application's webhooks and tells deps.runtime.unsubscribed about each. Failures are logged
// (the hook must not throw; the connection is already gone).
api::DisconnectHook MakeDisconnectHook(WebhooksDeps deps);

}  // namespace dynhook::webhooks
