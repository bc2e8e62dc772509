// Router: the route table. Patterns are literal segments and `{name}` parameters:
//   router.Add("GET", "/v2.0/vehicles/{id}/battery", handler);
// Matching ignores a trailing slash. An unknown path answers RESOURCE_NOT_FOUND (404); a known
// path with another method answers 405 with an `Allow` header, in Smartcar's error format.
// Built once at start-up, then read-only: safe to use from any number of threads.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace dynhook::http {

// Handlers run on a worker thread and may block (store, OEM calls). They must not throw for
// expected failures: return Response::Error. An escaping exception becomes SERVER:INTERNAL.
using Handler = std::function<Response(const Request&)>;

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler);
  // Routes every path under `prefix` (e.g. "/dashboard") with method GET to `handler`;
  // the rest of the path is in params["*"].
  void AddPrefix(std::string prefix, Handler handler);
  // Answers every request that no route or prefix matches (any method), instead of the
  // 404/405 errors. For catch-all servers such as the tests' fake receiver.
  void SetFallback(Handler handler);

  // Finds the route, fills request.params and runs the handler; answers the 404/405 errors.
  Response Dispatch(Request& request) const;

  // The route table as registered, for describing it (GET /openapi.json) and checking that
  // description: read-only, in registration order.
  struct RouteInfo {
    std::string method;   // "GET"
    std::string pattern;  // "/v2.0/vehicles/{id}/battery": normalised, no trailing slash
  };
  std::vector<RouteInfo> Routes() const;
  // The AddPrefix prefixes ("/dashboard", no trailing slash); they answer GET only.
  std::vector<std::string> Prefixes() const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{name}" for parameters
    Handler handler;
  };
  struct PrefixRoute {
    std::string prefix;
    Handler handler;
  };
  // The handler of the route matching path and method (filling request.params), or nullptr;
  // `allow` collects the methods of routes matching the path only.
  const Handler* MatchRoute(const std::vector<std::string>& segments, Request& request,
                            std::string& allow) const;
  const Handler* MatchPrefix(const std::vector<std::string>& segments, Request& request) const;

  std::vector<Route> routes_;
  std::vector<PrefixRoute> prefixes_;
  Handler fallback_;
};

}  // namespace dynhook::http
