#include "webhooks/caller.h"

#include <utility>

#include "api/auth.h"
#include "api/input.h"

namespace dynhook::webhooks {

core::Result<Caller> AuthenticateCaller(store::Store& store, const http::Request& request) {
  auto app = api::AuthenticateApplication(store, request);
  if (!app) return app.take_error();
  // AuthenticateApplication succeeded, so the header holds a well-formed Bearer credential.
  auto token = api::ParseAuthorization(request, "Bearer");
  return Caller{std::move(*app), std::string(token.value_or(""))};
}

core::Result<store::Webhook> FindWebhookOf(store::WebhookStore& webhooks,
                                           const std::string& applicationId,
                                           const std::string& webhookId) {
  auto webhook = webhooks.FindWebhook(applicationId, webhookId);
  if (!webhook && webhook.error().type == "RESOURCE_NOT_FOUND") {
    return core::errors::NotFound("No webhook with id " + webhookId + ".");
  }
  return webhook;
}

core::Result<CallerWebhook> AuthenticateForWebhook(store::Store& store,
                                                   const http::Request& request,
                                                   const std::string& param) {
  auto caller = AuthenticateCaller(store, request);
  if (!caller) return caller.take_error();
  auto id = api::PathUuid(request, param, "webhook");
  if (!id) return id.take_error();
  auto webhook = FindWebhookOf(store, caller->app.id, *id);
  if (!webhook) return webhook.take_error();
  return CallerWebhook{std::move(*caller), std::move(*webhook)};
}

}  // namespace dynhook::webhooks
