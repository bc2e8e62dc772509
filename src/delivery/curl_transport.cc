#include "delivery/curl_transport.h"

#include <curl/curl.h>

#include <deque>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "delivery/curl_transfer.h"

namespace dynhook::delivery {

using SteadyClock = std::chrono::steady_clock;

// The requests for one scheme://host:port and how many of them are in flight.
struct HostQueue {
  std::string key;
  std::deque<QueuedRequest> waiting;
  int inFlight = 0;
  bool awaitingSlot = false;  // listed in Loop::ready_
};

namespace {

constexpr int kPollMs = 1000;  // only a safety net: Send and Stop wake the poll

// "https://host:port" of a URL (the key libcurl's per-host connection limit also uses).
std::string_view EndpointKey(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return url;
  auto end = url.find_first_of("/?#", scheme + 3);
  return end == std::string_view::npos ? url : url.substr(0, end);
}

struct KeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
};

void Complete(std::function<void(TransportResult)>& done, TransportResult result) {
  if (done) done(std::move(result));
}

}  // namespace

// Everything the transport thread owns: the multi handle's transfers and the queues.
class CurlMultiTransport::Loop {
 public:
  Loop(CurlMultiTransport& owner, TransferSettings settings)
      : owner_(owner), settings_(std::move(settings)), multi_(curl_multi_init()) {
    if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
    const auto& options = owner_.options_;
    curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                      static_cast<long>(options.maxTotalConnections));
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS,
                      static_cast<long>(options.maxConnectionsPerHost));
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options.maxTotalConnections));
  }
  ~Loop() {
    for (auto& transfer : transfers_) curl_multi_remove_handle(multi_, transfer->easy());
    transfers_.clear();
    curl_multi_cleanup(multi_);
  }

  // Thread-safe (libcurl documents curl_multi_wakeup as callable from any thread).
  void Wakeup() { curl_multi_wakeup(multi_); }

  // One round: run libcurl, complete what finished, start what may start, then wait for
  // socket activity, a timeout or a wakeup. `moreQueued` says whether requests were sent from
  // this thread (by a completion) meanwhile: then the round only polls, without waiting.
  void RunOnce(const std::function<bool()>& moreQueued) {
    int running = 0;
    curl_multi_perform(multi_, &running);
    CollectFinished();
    Pump();
    curl_multi_poll(multi_, nullptr, 0, moreQueued() ? 0 : kPollMs, nullptr);
  }

  void Accept(QueuedRequest queued) {
    auto it = endpoints_.find(EndpointKey(queued.request.url));
    if (it == endpoints_.end()) {
      std::string key(EndpointKey(queued.request.url));
      auto endpoint = std::make_unique<HostQueue>();
      endpoint->key = key;
      it = endpoints_.emplace(std::move(key), std::move(endpoint)).first;
    }
    it->second->waiting.push_back(std::move(queued));
    MarkReady(*it->second);
  }

  // Starts waiting requests while global slots are free, endpoints taking turns.
  void Pump() {
    while (inFlight_ < owner_.options_.maxTotalConnections && !ready_.empty()) {
      HostQueue* endpoint = ready_.front();
      ready_.pop_front();
      endpoint->awaitingSlot = false;
      QueuedRequest queued = std::move(endpoint->waiting.front());
      endpoint->waiting.pop_front();
      if (SteadyClock::now() - queued.sentAt > queued.request.timeout) {
        Finish(queued, "timeout");  // waited its whole timeout for a connection
      } else {
        Start(*endpoint, std::move(queued));
      }
      MarkReady(*endpoint);
      ForgetIfIdle(*endpoint);
    }
  }

  void CollectFinished() {
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      CurlTransfer* transfer = CurlTransfer::From(message->easy_handle);
      curl_multi_remove_handle(multi_, message->easy_handle);
      std::function<void(TransportResult)> done;
      HostQueue* endpoint = transfer->endpoint();
      TransportResult result = transfer->Finish(message->data.result, &done);
      Release(*endpoint, transfer);
      --owner_.outstanding_;
      Complete(done, std::move(result));
    }
  }

  // Stop: every queued and in-flight request completes with "stopped".
  void FailAll() {
    for (auto& transfer : transfers_) {
      if (transfer->endpoint() == nullptr) continue;
      curl_multi_remove_handle(multi_, transfer->easy());
      std::function<void(TransportResult)> done;
      HostQueue* endpoint = transfer->endpoint();
      TransportResult result = transfer->Abandon("stopped", &done);
      Release(*endpoint, transfer.get());
      --owner_.outstanding_;
      Complete(done, std::move(result));
    }
    ready_.clear();
    for (auto& [key, endpoint] : endpoints_) {
      while (!endpoint->waiting.empty()) {
        QueuedRequest queued = std::move(endpoint->waiting.front());
        endpoint->waiting.pop_front();
        Finish(queued, "stopped");
      }
    }
    endpoints_.clear();
  }

 private:
  void MarkReady(HostQueue& endpoint) {
    if (endpoint.awaitingSlot || endpoint.waiting.empty()) return;
    if (endpoint.inFlight >= owner_.options_.maxConnectionsPerHost) return;
    endpoint.awaitingSlot = true;
    ready_.push_back(&endpoint);
  }

  void ForgetIfIdle(HostQueue& endpoint) {
    if (endpoint.inFlight == 0 && endpoint.waiting.empty() && !endpoint.awaitingSlot) {
      endpoints_.erase(endpoint.key);
    }
  }

  void Start(HostQueue& endpoint, QueuedRequest queued) {
    CurlTransfer* transfer = Acquire();
    std::string error;
    if (!transfer->Prepare(std::move(queued.request), std::move(queued.done), queued.sentAt,
                           &endpoint, &error) ||
        curl_multi_add_handle(multi_, transfer->easy()) != CURLM_OK) {
      std::function<void(TransportResult)> done;
      TransportResult result = transfer->Abandon(error.empty() ? "internal error" : error, &done);
      free_.push_back(transfer);
      --owner_.outstanding_;
      Complete(done, std::move(result));
      return;
    }
    ++endpoint.inFlight;
    ++inFlight_;
  }

  void Release(HostQueue& endpoint, CurlTransfer* transfer) {
    free_.push_back(transfer);
    --endpoint.inFlight;
    --inFlight_;
    MarkReady(endpoint);
    ForgetIfIdle(endpoint);
  }

  CurlTransfer* Acquire() {
    if (free_.empty()) {
      transfers_.push_back(std::make_unique<CurlTransfer>(settings_));
      return transfers_.back().get();
    }
    CurlTransfer* transfer = free_.back();
    free_.pop_back();
    return transfer;
  }

  void Finish(QueuedRequest& queued, std::string error) {
    TransportResult result;
    result.error = std::move(error);
    result.latency =
        std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - queued.sentAt);
    --owner_.outstanding_;
    Complete(queued.done, std::move(result));
  }

  CurlMultiTransport& owner_;
  TransferSettings settings_;
  CURLM* multi_;
  std::vector<std::unique_ptr<CurlTransfer>> transfers_;  // the pool: every handle created
  std::vector<CurlTransfer*> free_;                       // handles not in the multi
  std::unordered_map<std::string, std::unique_ptr<HostQueue>, KeyHash, std::equal_to<>>
      endpoints_;                 // endpoints with queued or in-flight requests
  std::deque<HostQueue*> ready_;  // endpoints with a waiting request and a free per-host slot
  int inFlight_ = 0;
};

CurlMultiTransport::CurlMultiTransport(CurlTransportOptions options)
    : options_(std::move(options)) {
  if (options_.maxTotalConnections < 1 || options_.maxConnectionsPerHost < 1) {
    throw std::invalid_argument("CurlMultiTransport: connection limits must be positive");
  }
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialised) throw std::runtime_error("curl_global_init failed");
  if (options_.clock == nullptr) {
    ownClock_ = std::make_unique<core::RealClock>();
    options_.clock = ownClock_.get();
  }
  TransferSettings settings{options_.connectTimeout, options_.abortResponseBytes,
                            options_.allowPrivateAddresses, options_.clock, &connectionsOpened_};
  loop_ = std::make_unique<Loop>(*this, settings);
  thread_ = std::thread([this] { Run(); });
}

CurlMultiTransport::~CurlMultiTransport() {
  Stop();
  if (thread_.joinable()) thread_.join();
}

void CurlMultiTransport::Send(OutboundRequest request, std::function<void(TransportResult)> done) {
  QueuedRequest queued{std::move(request), std::move(done), SteadyClock::now()};
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      ++outstanding_;
      // The transport thread itself (a completion sending the next request) needs no wakeup:
      // it looks at incoming_ before it waits.
      bool wake = incoming_.empty() && std::this_thread::get_id() != thread_.get_id();
      incoming_.push_back(std::move(queued));
      if (wake) loop_->Wakeup();
      return;
    }
  }
  TransportResult result;
  result.error = "stopped";
  Complete(queued.done, std::move(result));
}

void CurlMultiTransport::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  loop_->Wakeup();
  if (std::this_thread::get_id() == thread_.get_id()) return;  // from a callback
  std::call_once(joined_, [this] {
    if (thread_.joinable()) thread_.join();
  });
}

void CurlMultiTransport::Run() {
  std::vector<QueuedRequest> batch;
  for (;;) {
    bool stopping = false;
    {
      std::lock_guard lock(mu_);
      batch.swap(incoming_);
      stopping = stopping_;
    }
    for (auto& queued : batch) loop_->Accept(std::move(queued));
    batch.clear();
    if (stopping) break;
    loop_->RunOnce([this] {
      std::lock_guard lock(mu_);
      return !incoming_.empty();
    });
  }
  loop_->FailAll();
}

}  // namespace dynhook::delivery
