// The /metrics route (SPEC §9): the registry rendered in the Prometheus text format 0.0.4.
// Unauthenticated, as Prometheus scrapes expect: it shows counts and latencies only, never an
// id, a token or a URL. Bind the server to a private interface (or put it behind a proxy) if
// even those numbers must stay private.
//
// Thread-safety: the handler runs on HTTP worker threads, possibly several at once; `refresh`
// must be thread-safe. The registry must outlive the router.
#pragma once

#include <functional>

#include "http/router.h"
#include "metrics/metrics.h"

namespace dynhook::metrics {

inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

// Adds `GET /metrics`. `refresh`, when given, runs before each render to update gauges that
// are sampled rather than counted (queue depth, due backlog, subscriptions by interval).
void RegisterMetricsRoute(http::Router& router, const Registry& registry,
                          std::function<void()> refresh = nullptr);

}  // namespace dynhook::metrics
