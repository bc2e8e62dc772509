// Transport: the seam through which webhook POSTs leave the platform (STYLE.md principle 2).
// CurlMultiTransport (delivery/curl_transport.h) is the real one: libcurl's multi interface on
// one thread, connections reused per endpoint, no redirects followed, timeouts, the response
// read capped, and a connect-time address check (SPEC §7, DNS rebinding). Tests use fakes.
//
// Thread-safety: Send may be called from any thread; `done` runs on the transport's own thread
// and must not block for long.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dynhook::delivery {

struct OutboundRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type etc. included
  std::string body;
  std::chrono::milliseconds timeout{15'000};  // whole exchange
  size_t maxResponseBytes = 4096;             // excerpt kept; the rest is read and dropped
};

struct TransportResult {
  int statusCode = 0;                    // 0: no HTTP response
  std::string error;                     // "" when an HTTP response arrived; else "timeout",
                                         // "connection refused", "blocked address", "tls: …", …
  std::string responseExcerpt;           // at most maxResponseBytes of the body
  std::chrono::milliseconds latency{0};  // wall time from send to completion
  std::optional<int> retryAfterSeconds;  // parsed Retry-After (delta-seconds or HTTP date)
  std::optional<std::string> location;   // Location header of a 3xx (never followed)

  bool ok() const { return error.empty() && statusCode >= 200 && statusCode < 300; }
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual void Send(OutboundRequest request, std::function<void(TransportResult)> done) = 0;
  // Completes every outstanding request (with an error) and stops; idempotent.
  virtual void Stop() = 0;
};

// Sends one request and waits for its result (verification challenges, the receiver tests).
TransportResult SendAndWait(Transport& transport, OutboundRequest request);

}  // namespace dynhook::delivery
