// ManagementApi: Smartcar's management connections endpoints (SPEC §3), authenticated with
// `Authorization: Basic base64("default:" + AMT)` and scoped to that application:
//   GET    /v2.0/management/connections?user_id&vehicle_id&limit(1–100, default 10)&cursor
//          -> {"connections":[{"userId","vehicleId","connectedAt","mode"}],
//              "paging":{"cursor":<next page's cursor, null on the last page>}}
//          in the store's stable keyset order (oldest connection first), so pages never shift.
//   DELETE /v2.0/management/connections?user_id=…  or  ?vehicle_id=… (exactly one)
//          -> {"connections":[{"userId","vehicleId"}]}; runs the DisconnectHook for each.
// Ids in the query must be UUIDs; anything else is VALIDATION 400.
//
// Thread-safety: immutable after construction; handlers run concurrently.
#pragma once

#include "api/deps.h"
#include "core/result.h"
#include "http/router.h"
#include "store/store.h"

namespace dynhook::api {

inline constexpr int kMaxConnectionsPageSize = 100;
inline constexpr int kDefaultConnectionsPageSize = 10;
inline constexpr size_t kMaxCursorLength = 512;

class ManagementApi {
 public:
  // Uses deps.store and deps.onDisconnect.
  explicit ManagementApi(ApiDeps deps) : deps_(std::move(deps)) {}

  // The handlers keep their own copy of this object; it may be a temporary.
  void RegisterRoutes(http::Router& router) const;

 private:
  core::Result<http::Response> List(const http::Request& request) const;
  core::Result<http::Response> Delete(const http::Request& request) const;

  ApiDeps deps_;
};

}  // namespace dynhook::api
