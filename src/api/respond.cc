#include "api/respond.h"

#include <utility>

#include "core/json.h"

namespace dynhook::api {

http::Handler Wrap(ResultHandler handler) {
  return [handler = std::move(handler)](const http::Request& request) {
    core::Result<http::Response> result = handler(request);
    if (!result) return http::Response::Error(result.error(), request.requestId);
    return std::move(result).value();
  };
}

http::Response JsonResponse(int status, const boost::json::value& body) {
  return http::Response::Json(status, core::Stringify(body));
}

}  // namespace dynhook::api
