// ConnectService: Connect, dynhook's OAuth 2.0 authorization-code flow (SPEC §2), as HTTP
// routes:
//   GET  /oauth/authorize  the Connect page (HTML)
//   POST /oauth/authorize  the page's submission: 302 to redirect_uri with code or error
//   POST /oauth/token      code and refresh-token exchange (JSON)
// See authorize_flow.h and token_endpoint.h for the behaviour of each.
//
// Thread-safety: immutable after construction; the route handlers may run on any number of
// threads at once. The service must outlive the Router it registered its routes on.
#pragma once

#include "connect/connect_deps.h"
#include "http/router.h"

namespace dynhook::connect {

class ConnectService {
 public:
  explicit ConnectService(ConnectDeps deps) : deps_(deps) {}

  void RegisterRoutes(http::Router& router) const;

 private:
  ConnectDeps deps_;
};

}  // namespace dynhook::connect
