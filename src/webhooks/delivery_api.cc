#include "webhooks/delivery_api.h"

#include <array>
#include <boost/json.hpp>
#include <memory>
#include <string_view>
#include <utility>

#include "api/input.h"
#include "api/respond.h"
#include "core/json.h"
#include "webhooks/caller.h"
#include "webhooks/webhook_json.h"

namespace dynhook::webhooks {
namespace {

// Stored bodies are at most maxPayloadBytes (10 MiB); parsed with room to spare.
constexpr size_t kMaxPayloadJsonBytes = 16 * 1024 * 1024;

constexpr std::array<std::string_view, 5> kStatuses = {"pending", "succeeded", "held", "discarded",
                                                       "cancelled"};

core::Result<std::string> QueryStatus(const http::Request& request) {
  const auto status = request.Query("status");
  if (!status) return std::string();
  for (auto known : kStatuses) {
    if (*status == known) return std::string(known);
  }
  return core::errors::Validation(
      "Query parameter 'status' must be one of pending, succeeded, held, discarded, cancelled.");
}

}  // namespace

core::Result<std::string> QueryCursor(const http::Request& request) {
  const std::string_view cursor = request.Query("cursor").value_or("");
  if (cursor.size() > kMaxCursorLength) {
    return core::errors::Validation("Query parameter 'cursor' is not a valid cursor.");
  }
  return std::string(cursor);
}

void DeliveryApi::RegisterRoutes(http::Router& router) const {
  auto self = std::make_shared<const DeliveryApi>(*this);
  router.Add("GET", "/api/webhooks/{id}/deliveries",
             api::Wrap([self](const auto& r) { return self->List(r); }));
  router.Add("GET", "/api/deliveries/{id}",
             api::Wrap([self](const auto& r) { return self->Get(r); }));
  router.Add("POST", "/api/deliveries/{id}/resend",
             api::Wrap([self](const auto& r) { return self->Resend(r); }));
}

core::Result<http::Response> DeliveryApi::List(const http::Request& request) const {
  auto target = AuthenticateForWebhook(deps_.store, request);
  if (!target) return target.take_error();
  auto status = QueryStatus(request);
  if (!status) return status.take_error();
  auto limit =
      api::QueryInteger(request, "limit", kDefaultDeliveriesPageSize, 1, kMaxDeliveriesPageSize);
  if (!limit) return limit.take_error();
  auto cursor = QueryCursor(request);
  if (!cursor) return cursor.take_error();
  auto page = deps_.store.ListDeliveries(target->webhook.id, *status, *limit, *cursor);
  if (!page) return page.take_error();
  boost::json::array list;
  for (const auto& delivery : page->items) {
    auto attempts = deps_.store.ListAttempts(delivery.id);
    if (!attempts) return attempts.take_error();
    list.emplace_back(DeliveryJson(delivery, &*attempts));
  }
  boost::json::value next = nullptr;
  if (!page->nextCursor.empty()) next = page->nextCursor;
  return api::JsonResponse(200, boost::json::object{{"deliveries", std::move(list)},
                                                    {"paging", {{"cursor", std::move(next)}}}});
}

core::Result<store::Delivery> DeliveryApi::FindOwnDelivery(const http::Request& request) const {
  auto caller = AuthenticateCaller(deps_.store, request);
  if (!caller) return caller.take_error();
  auto id = api::PathUuid(request, "id", "delivery id");
  if (!id) return id.take_error();
  auto delivery = deps_.store.FindDelivery(caller->app.id, *id);
  if (!delivery && delivery.error().type == "RESOURCE_NOT_FOUND") {
    return core::errors::NotFound("No delivery with id " + *id + ".");
  }
  return delivery;
}

core::Result<http::Response> DeliveryApi::Get(const http::Request& request) const {
  auto delivery = FindOwnDelivery(request);
  if (!delivery) return delivery.take_error();
  auto attempts = deps_.store.ListAttempts(delivery->id);
  if (!attempts) return attempts.take_error();
  boost::json::object out = DeliveryJson(*delivery, &*attempts);
  auto payload = core::ParseJson(delivery->body, core::ParseLimits{64, kMaxPayloadJsonBytes});
  if (payload) {
    out["payload"] = std::move(*payload);
  } else {
    out["payload"] = nullptr;
    out["body"] = delivery->body;
  }
  return api::JsonResponse(200, out);
}

core::Result<http::Response> DeliveryApi::Resend(const http::Request& request) const {
  auto delivery = FindOwnDelivery(request);
  if (!delivery) return delivery.take_error();
  if (auto ok = api::ParseBody(request, {}, true); !ok) return ok.take_error();
  if (!deps_.runtime.resend) {
    return core::errors::Internal("Resending is not available on this server.");
  }
  if (auto resent = deps_.runtime.resend(*delivery); !resent) return resent.take_error();
  return api::JsonResponse(202,
                           boost::json::object{{"deliveryId", delivery->id}, {"queued", true}});
}

}  // namespace dynhook::webhooks
