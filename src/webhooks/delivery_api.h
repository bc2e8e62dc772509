// DeliveryApi: the delivery log of the management API (SPEC §4.1), `Authorization: Bearer
// <AMT>`, scoped to the AMT's application:
//   GET  /api/webhooks/{id}/deliveries?status&limit(1–100, default 20)&cursor
//        -> {"deliveries":[delivery with "attempts",…],"paging":{"cursor":<next or null>}}
//        newest first; status one of pending|succeeded|held|discarded|cancelled
//   GET  /api/deliveries/{id}
//        -> delivery with "attempts" and "payload" (the body as JSON; "body" holds the exact
//           bytes when they are not JSON)
//   POST /api/deliveries/{id}/resend -> 202 {"deliveryId","queued":true} (WebhookRuntime::resend)
// Delivery JSON: see webhook_json.h.
//
// Thread-safety: immutable after construction; handlers run concurrently.
#pragma once

#include "core/result.h"
#include "http/router.h"
#include "webhooks/webhooks_deps.h"

namespace dynhook::webhooks {

inline constexpr int kDefaultDeliveriesPageSize = 20;
inline constexpr int kMaxDeliveriesPageSize = 100;
inline constexpr size_t kMaxCursorLength = 512;

class DeliveryApi {
 public:
  explicit DeliveryApi(WebhooksDeps deps) : deps_(std::move(deps)) {}

  void RegisterRoutes(http::Router& router) const;

 private:
  core::Result<http::Response> List(const http::Request& request) const;
  core::Result<http::Response> Get(const http::Request& request) const;
  core::Result<http::Response> Resend(const http::Request& request) const;
  core::Result<store::Delivery> FindOwnDelivery(const http::Request& request) const;

  WebhooksDeps deps_;
};

// Query parameter "cursor" (opaque, at most kMaxCursorLength characters) or "".
core::Result<std::string> QueryCursor(const http::Request& request);

}  // namespace dynhook::webhooks
