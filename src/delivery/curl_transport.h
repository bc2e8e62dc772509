// CurlMultiTransport: the production Transport, on libcurl's multi interface.
//
// One background thread owns the curl multi handle and runs curl_multi_poll; Send() from any
// thread queues the request and wakes it (curl_multi_wakeup). Requests wait in a per-endpoint
// (scheme://host:port) FIFO so that at most `maxConnectionsPerHost` run against one endpoint
// and at most `maxTotalConnections` overall; a slow endpoint therefore only delays its own
// requests. Endpoints with work take turns for free global slots (round-robin), so every
// operation is O(1) in the number of queued requests. Connections stay in the multi handle's
// cache and are reused (HTTP/1.1 keep-alive); easy handles are pooled.
//
// Each request is a POST of `body` with exactly the caller's headers (User-Agent included;
// "Expect:" suppressed so there is no 100-continue pause). Redirects are not followed: a 3xx is
// reported with its Location. TLS peers and host names are verified. The response body is kept
// up to maxResponseBytes; the rest is read and dropped, and a response longer than
// `abortResponseBytes` aborts the transfer with error "response too large" (statusCode kept).
// Unless `allowPrivateAddresses`, every socket is checked at connect time with
// IsPublicAddress (SPEC §7, DNS rebinding) and a refused one fails with "blocked address".
//
// Errors (TransportResult::error) are short and stable: "timeout", "connection refused",
// "could not resolve host", "blocked address", "response too large", "tls: <detail>",
// "stopped", or "network: <detail>" for the rest.
//
// Time: `timeout` bounds the exchange once started; a request that waited in the queue longer
// than its timeout fails with "timeout" without being sent. `latency` is measured on a steady
// clock from Send() to completion. Retry-After HTTP dates are converted with `clock`.
//
// Thread-safety: Send, Stop and the stats accessors may be called from any thread. `done`
// callbacks run on the transport thread (except after Stop, when Send completes the request
// with "stopped" on the caller's thread); they may call Send but must not block for long.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "delivery/transport.h"

namespace dynhook::delivery {

struct QueuedRequest;  // curl_transfer.h

struct CurlTransportOptions {
  int maxTotalConnections = 512;  // requests in flight overall (and connection cache size)
  int maxConnectionsPerHost = 8;  // requests in flight per scheme://host:port
  std::chrono::milliseconds connectTimeout{5'000};
  size_t abortResponseBytes = 1024 * 1024;  // longer response bodies: "response too large"
  bool allowPrivateAddresses = false;       // --allow-private-callbacks (SPEC §7)
  const core::Clock* clock = nullptr;       // for Retry-After dates; nullptr: a RealClock
};

class CurlMultiTransport final : public Transport {
 public:
  // Starts the transport thread. Throws std::runtime_error when libcurl cannot be initialised
  // or the options are invalid (start-up configuration error).
  explicit CurlMultiTransport(CurlTransportOptions options = {});
  ~CurlMultiTransport() override;  // Stop()
  CurlMultiTransport(const CurlMultiTransport&) = delete;
  CurlMultiTransport& operator=(const CurlMultiTransport&) = delete;

  void Send(OutboundRequest request, std::function<void(TransportResult)> done) override;
  // Fails queued and in-flight requests with "stopped" and joins the thread. Idempotent. When
  // called from a `done` callback it only requests the stop; the destructor joins.
  void Stop() override;

  // Sockets opened so far for connections (after the address check; a connection reused by
  // several requests counts once).
  uint64_t ConnectionsOpened() const { return connectionsOpened_.load(); }
  // Requests accepted by Send and not yet completed.
  uint64_t Outstanding() const { return outstanding_.load(); }

 private:
  class Loop;  // the multi handle and the queues, owned by the transport thread

  void Run();

  CurlTransportOptions options_;
  std::unique_ptr<core::Clock> ownClock_;  // when options_.clock was nullptr
  std::unique_ptr<Loop> loop_;             // touched only by the transport thread after start
  std::atomic<uint64_t> connectionsOpened_{0};
  std::atomic<uint64_t> outstanding_{0};

  std::mutex mu_;
  std::vector<QueuedRequest> incoming_;  // guarded by mu_: sent, not yet taken by the thread
  bool stopping_ = false;                // guarded by mu_
  std::thread thread_;
  std::once_flag joined_;
};

}  // namespace dynhook::delivery
