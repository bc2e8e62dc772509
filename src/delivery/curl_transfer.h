// CurlTransfer: one pooled libcurl easy handle and the state of the request it is running, for
// CurlMultiTransport (internal to the delivery module). The options that never change (TLS
// verification, no redirects, HTTP/1.1, callbacks, connect timeout, size limit) are set once
// when the handle is created; Prepare sets the per-request ones. Finish turns the outcome into
// a TransportResult, mapping CURLcode to the transport's short error strings (the one place
// that does so).
//
// Thread-safety: owned by the transport thread; the libcurl callbacks run on it too.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/clock.h"
#include "delivery/transport.h"

namespace dynhook::delivery {

// Settings shared by every transfer of one transport.
struct TransferSettings {
  std::chrono::milliseconds connectTimeout{5'000};
  size_t abortResponseBytes = 1024 * 1024;
  bool allowPrivateAddresses = false;
  const core::Clock* clock = nullptr;                  // Retry-After dates
  std::atomic<uint64_t>* connectionsOpened = nullptr;  // incremented per socket opened
};

// A request accepted by Send, before it gets a handle.
struct QueuedRequest {
  OutboundRequest request;
  std::function<void(TransportResult)> done;
  std::chrono::steady_clock::time_point sentAt;
};

struct HostQueue;  // the queue a transfer's request came from (curl_transport.cc)

class CurlTransfer {
 public:
  // Throws std::runtime_error when libcurl cannot create a handle.
  explicit CurlTransfer(const TransferSettings& settings);
  ~CurlTransfer();
  CurlTransfer(const CurlTransfer&) = delete;
  CurlTransfer& operator=(const CurlTransfer&) = delete;

  CURL* easy() const { return easy_; }
  static CurlTransfer* From(CURL* easy);

  // Takes the request; false (with `error` set) when libcurl refuses an option.
  bool Prepare(OutboundRequest request, std::function<void(TransportResult)> done,
               std::chrono::steady_clock::time_point sentAt, HostQueue* endpoint,
               std::string* error);
  // The result of the finished exchange; the handle is ready for the next Prepare. `done` is
  // moved out for the caller to run after its own bookkeeping.
  TransportResult Finish(CURLcode code, std::function<void(TransportResult)>* done);
  // Completes without a result from libcurl (Stop): the handle is cleared likewise.
  TransportResult Abandon(std::string error, std::function<void(TransportResult)>* done);

  HostQueue* endpoint() const { return endpoint_; }

 private:
  static size_t OnBody(char* data, size_t size, size_t count, void* self);
  static size_t OnHeader(char* data, size_t size, size_t count, void* self);
  static curl_socket_t OnOpenSocket(void* self, curlsocktype purpose, curl_sockaddr* address);
  void ParseHeader(std::string_view line);
  std::string ErrorFor(CURLcode code) const;
  void Clear();

  const TransferSettings& settings_;
  CURL* easy_ = nullptr;
  curl_slist* headers_ = nullptr;
  OutboundRequest request_;
  std::function<void(TransportResult)> done_;
  std::chrono::steady_clock::time_point sentAt_;
  HostQueue* endpoint_ = nullptr;
  std::string excerpt_;
  size_t bodyBytes_ = 0;
  bool tooLarge_ = false;
  bool blocked_ = false;
  std::optional<int> retryAfter_;
  std::optional<std::string> location_;
  char errorBuffer_[CURL_ERROR_SIZE] = {};
};

// Retry-After value as seconds from `now`: delta-seconds or an HTTP date (IMF-fixdate, RFC 850
// or asctime). nullopt when unparseable; dates in the past give 0.
std::optional<int> ParseRetryAfter(std::string_view value, core::TimePoint now);

}  // namespace dynhook::delivery
