#include "connect/connect_service.h"

#include "connect/authorize_flow.h"
#include "connect/token_endpoint.h"

namespace dynhook::connect {

void ConnectService::RegisterRoutes(http::Router& router) const {
  router.Add("GET", "/oauth/authorize",
             [this](const http::Request& request) { return HandleAuthorizeGet(deps_, request); });
  router.Add("POST", "/oauth/authorize",
             [this](const http::Request& request) { return HandleAuthorizePost(deps_, request); });
  router.Add("POST", "/oauth/token",
             [this](const http::Request& request) { return HandleToken(deps_, request); });
}

}  // namespace dynhook::connect
