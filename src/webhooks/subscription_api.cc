#include "webhooks/subscription_api.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <memory>
#include <utility>

#include "api/auth.h"
#include "api/input.h"
#include "api/respond.h"
#include "webhooks/caller.h"
#include "webhooks/delivery_api.h"
#include "webhooks/options.h"
#include "webhooks/webhook_json.h"

namespace dynhook::webhooks {
namespace {

constexpr const char* kVehicleWebhook = "/v2.0/vehicles/{id}/webhooks/{webhookId}";

}  // namespace

void SubscriptionApi::RegisterRoutes(http::Router& router) const {
  auto self = std::make_shared<const SubscriptionApi>(*this);
  router.Add("POST", kVehicleWebhook,
             api::Wrap([self](const auto& r) { return self->Subscribe(r); }));
  router.Add("DELETE", kVehicleWebhook,
             api::Wrap([self](const auto& r) { return self->Unsubscribe(r); }));
  router.Add("GET", "/api/webhooks/{id}/subscriptions",
             api::Wrap([self](const auto& r) { return self->List(r); }));
}

core::Result<http::Response> SubscriptionApi::Subscribe(const http::Request& request) const {
  auto grant = api::AuthenticateVehicleToken(deps_.store, request, deps_.wallClock);
  if (!grant) return grant.take_error();
  auto vehicleId = api::PathUuid(request, "id", "vehicle id");
  if (!vehicleId) return vehicleId.take_error();
  auto webhookId = api::PathUuid(request, "webhookId", "webhook id");
  if (!webhookId) return webhookId.take_error();
  if (auto connection = deps_.store.FindConnection(grant->id, *vehicleId); !connection) {
    if (connection.error().type != "RESOURCE_NOT_FOUND") return connection.take_error();
    return core::errors::Authentication("The access token does not grant access to vehicle " +
                                        *vehicleId + ".");
  }
  if (auto body = api::ParseBody(request, {}, true); !body) return body.take_error();
  auto webhook = FindWebhookOf(deps_.store, grant->applicationId, *webhookId);
  if (!webhook) return webhook.take_error();
  auto options = DeserializeOptions(webhook->optionsJson);
  if (!options) return core::errors::Internal("The stored options of the webhook are invalid.");
  const core::TimePoint now = deps_.platformClock.Now();
  store::Subscription subscription;
  subscription.webhookId = webhook->id;
  subscription.vehicleId = *vehicleId;
  subscription.applicationId = grant->applicationId;
  subscription.grantId = grant->id;
  subscription.createdAt = subscription.nextDueAt = now;  // first delivery at once
  subscription.interval = options->defaultInterval;
  bool created = false;
  auto stored = deps_.store.UpsertSubscription(subscription, &created);
  if (!stored) return stored.take_error();
  if (created && deps_.runtime.subscribed) deps_.runtime.subscribed(*stored);
  return api::JsonResponse(
      200, boost::json::object{{"vehicleId", *vehicleId}, {"webhookId", webhook->id}});
}

core::Result<http::Response> SubscriptionApi::Unsubscribe(const http::Request& request) const {
  auto target = AuthenticateForWebhook(deps_.store, request, "webhookId");
  if (!target) return target.take_error();
  auto vehicleId = api::PathUuid(request, "id", "vehicle id");
  if (!vehicleId) return vehicleId.take_error();
  if (auto body = api::ParseBody(request, {}, true); !body) return body.take_error();
  auto removed = deps_.store.DeleteSubscription(target->webhook.id, *vehicleId);
  if (!removed) return removed.take_error();
  if (!*removed) {
    return core::errors::NotFound("Vehicle " + *vehicleId + " is not subscribed to webhook " +
                                  target->webhook.id + ".");
  }
  if (deps_.runtime.unsubscribed) deps_.runtime.unsubscribed(target->webhook.id, *vehicleId);
  return api::JsonResponse(200, boost::json::object{{"status", "success"}});
}

core::Result<http::Response> SubscriptionApi::List(const http::Request& request) const {
  auto target = AuthenticateForWebhook(deps_.store, request);
  if (!target) return target.take_error();
  auto limit = api::QueryInteger(request, "limit", kDefaultSubscriptionsPageSize, 1,
                                 kMaxSubscriptionsPageSize);
  if (!limit) return limit.take_error();
  auto cursor = QueryCursor(request);
  if (!cursor) return cursor.take_error();
  auto page = deps_.store.ListSubscriptions(target->webhook.id, *limit, *cursor);
  if (!page) return page.take_error();
  boost::json::array list;
  for (const auto& subscription : page->items) list.emplace_back(SubscriptionJson(subscription));
  boost::json::value next = nullptr;
  if (!page->nextCursor.empty()) next = page->nextCursor;
  return api::JsonResponse(200, boost::json::object{{"subscriptions", std::move(list)},
                                                    {"paging", {{"cursor", std::move(next)}}}});
}

api::DisconnectHook MakeDisconnectHook(WebhooksDeps deps) {
  return [deps = std::move(deps)](const std::string& applicationId, const std::string& vehicleId) {
    auto removed = deps.store.DeleteVehicleSubscriptions(applicationId, vehicleId);
    if (!removed) {
      spdlog::error("cannot unsubscribe disconnected vehicle {} from application {}: {}", vehicleId,
                    applicationId, removed.error().description);
      return;
    }
    if (!deps.runtime.unsubscribed) return;
    for (const auto& subscription : *removed) {
      deps.runtime.unsubscribed(subscription.webhookId, subscription.vehicleId);
    }
  };
}

}  // namespace dynhook::webhooks
