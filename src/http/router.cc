#include "http/router.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <optional>
#include <utility>

namespace dynhook::http {
namespace {

// Splits "/a/b/" into {"a","b"}: the trailing slash is ignored, inner empty segments are kept
// (so "//a" does not silently match "/a").
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return segments;
  size_t start = 0;
  while (true) {
    const size_t slash = path.find('/', start);
    segments.push_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

bool IsParam(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// The request's path segments, percent-decoded one by one (so "%2F" stays inside a segment).
// Uses the raw target when there is one; otherwise `path` is taken as already decoded.
std::optional<std::vector<std::string>> RequestSegments(const Request& request) {
  std::vector<std::string> out;
  if (request.target.empty() || request.target.front() != '/') {
    for (auto segment : SplitPath(request.path)) out.emplace_back(segment);
    return out;
  }
  const std::string_view target = request.target;
  for (auto segment : SplitPath(target.substr(0, target.find('?')))) {
    auto decoded = PercentDecode(segment, false);
    if (!decoded) return std::nullopt;
    out.push_back(std::move(*decoded));
  }
  return out;
}

std::string JoinPath(const std::vector<std::string>& segments, size_t from) {
  std::string out;
  for (size_t i = from; i < segments.size(); ++i) {
    if (i > from) out += '/';
    out += segments[i];
  }
  return out;
}

// The path for error messages: every segment percent-encoded, so it is always printable ASCII.
std::string DisplayPath(const std::vector<std::string>& segments) {
  std::string out;
  for (const auto& segment : segments) out += "/" + PercentEncode(segment);
  return out.empty() ? "/" : out;
}

// Runs the handler; an exception is a bug in the handler and becomes SERVER:INTERNAL.
Response RunHandler(const Handler& handler, const Request& request) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    spdlog::error("handler for {} {} threw: {} (request {})", request.method,
                  Printable(request.path), e.what(), request.requestId);
  } catch (...) {
    spdlog::error("handler for {} {} threw a non-std exception (request {})", request.method,
                  Printable(request.path), request.requestId);
  }
  return Response::Error(core::errors::Internal("The server failed to handle the request."),
                         request.requestId);
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler) {
  Route route;
  route.method = std::move(method);
  for (auto segment : SplitPath(pattern)) route.segments.emplace_back(segment);
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

void Router::AddPrefix(std::string prefix, Handler handler) {
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  prefixes_.push_back(PrefixRoute{std::move(prefix), std::move(handler)});
}

void Router::SetFallback(Handler handler) { fallback_ = std::move(handler); }

Response Router::Dispatch(Request& request) const {
  auto segments = RequestSegments(request);
  if (!segments) {
    return Response::Error(core::errors::Validation("The request path has a malformed escape."),
                           request.requestId);
  }
  std::string allow;  // methods of the routes whose pattern matches, for a 405
  if (const Handler* handler = MatchRoute(*segments, request, allow)) {
    return RunHandler(*handler, request);
  }
  if (allow.empty() && request.method == "GET") {
    if (const Handler* handler = MatchPrefix(*segments, request)) {
      return RunHandler(*handler, request);
    }
  }
  if (fallback_) {
    request.params.clear();
    return RunHandler(fallback_, request);
  }
  if (!allow.empty()) {
    Response response = Response::Error(
        core::errors::MethodNotAllowed("Method " + PercentEncode(request.method) +
                                       " is not allowed on this path. Allowed: " + allow + "."),
        request.requestId);
    response.SetHeader("Allow", allow);
    return response;
  }
  return Response::Error(
      core::errors::NotFound("No resource at path " + DisplayPath(*segments) + "."),
      request.requestId);
}

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const Route& route : routes_) {
    std::string pattern;
    for (const auto& segment : route.segments) pattern += "/" + segment;
    out.push_back(RouteInfo{route.method, pattern.empty() ? "/" : pattern});
  }
  return out;
}

std::vector<std::string> Router::Prefixes() const {
  std::vector<std::string> out;
  out.reserve(prefixes_.size());
  for (const PrefixRoute& prefix : prefixes_) out.push_back(prefix.prefix);
  return out;
}

const Handler* Router::MatchRoute(const std::vector<std::string>& segments, Request& request,
                                  std::string& allow) const {
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool matched = true;
    for (size_t i = 0; i < segments.size() && matched; ++i) {
      const std::string& want = route.segments[i];
      if (IsParam(want)) {
        params[want.substr(1, want.size() - 2)] = segments[i];
      } else {
        matched = want == segments[i];
      }
    }
    if (!matched) continue;
    if (route.method == request.method) {
      request.params = std::move(params);
      return &route.handler;
    }
    if (allow.find(route.method) == std::string::npos) {
      allow += allow.empty() ? route.method : ", " + route.method;
    }
  }
  return nullptr;
}

const Handler* Router::MatchPrefix(const std::vector<std::string>& segments,
                                   Request& request) const {
  for (const PrefixRoute& prefix : prefixes_) {
    const auto prefixSegments = SplitPath(prefix.prefix);
    if (prefixSegments.size() > segments.size()) continue;
    bool matched = true;
    for (size_t i = 0; i < prefixSegments.size() && matched; ++i) {
      matched = prefixSegments[i] == segments[i];
    }
    if (!matched) continue;
    request.params = {{"*", JoinPath(segments, prefixSegments.size())}};
    return &prefix.handler;
  }
  return nullptr;
}

}  // namespace dynhook::http
