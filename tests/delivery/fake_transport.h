// FakeTransport: a Transport for engine tests, driven by a lambda. For each request the
// responder returns the result, or nullopt to park the request until the test completes it
// (a slow or dead endpoint). Results are delivered synchronously inside Send (the default) or,
// with SetAsync(true), in order on the fake's own thread, like a real transport.
//
// Thread-safety: every method may be called from any thread; callbacks never run under the
// fake's lock.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "delivery/transport.h"

namespace dynhook::delivery::test {

inline TransportResult HttpResult(int status, std::optional<int> retryAfter = std::nullopt) {
  TransportResult result;
  result.statusCode = status;
  result.latency = std::chrono::milliseconds(12);
  result.responseExcerpt = "status " + std::to_string(status);
  result.retryAfterSeconds = retryAfter;
  return result;
}

inline TransportResult ErrorResult(std::string error) {
  TransportResult result;
  result.error = std::move(error);
  return result;
}

class FakeTransport final : public Transport {
 public:
  using Responder = std::function<std::optional<TransportResult>(const OutboundRequest&)>;
  using Done = std::function<void(TransportResult)>;

  FakeTransport() = default;
  ~FakeTransport() override { Stop(); }

  void SetResponder(Responder responder) {
    std::lock_guard lock(mu_);
    responder_ = std::move(responder);
  }
  void SetAsync(bool async) {
    std::lock_guard lock(mu_);
    async_ = async;
    if (async_ && !worker_.joinable()) worker_ = std::thread([this] { Work(); });
  }

  void Send(OutboundRequest request, Done done) override {
    Responder responder;
    {
      std::lock_guard lock(mu_);
      requests_.push_back(request);
      responder = responder_;
    }
    std::optional<TransportResult> result =
        responder ? responder(request) : std::optional<TransportResult>(HttpResult(200));
    std::unique_lock lock(mu_);
    if (!result) {
      parked_.push_back(Parked{std::move(request), std::move(done)});
    } else if (async_ && !stopped_) {
      queue_.emplace_back(std::move(done), std::move(*result));
      changed_.notify_all();
    } else {
      lock.unlock();
      done(std::move(*result));
    }
  }

  void Stop() override {
    std::vector<Parked> parked;
    std::thread worker;
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
      parked.swap(parked_);
      worker.swap(worker_);
    }
    changed_.notify_all();
    if (worker.joinable()) worker.join();
    for (auto& p : parked) p.done(ErrorResult("transport stopped"));
  }

  std::vector<OutboundRequest> Requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  size_t Count() const {
    std::lock_guard lock(mu_);
    return requests_.size();
  }
  size_t ParkedCount() const {
    std::lock_guard lock(mu_);
    return parked_.size();
  }
  std::vector<OutboundRequest> ParkedRequests() const {
    std::lock_guard lock(mu_);
    std::vector<OutboundRequest> out;
    for (const auto& p : parked_) out.push_back(p.request);
    return out;
  }
  // Completes the parked request at `index` (synchronously, on the caller's thread).
  void CompleteParked(size_t index, TransportResult result) {
    Done done;
    {
      std::lock_guard lock(mu_);
      done = std::move(parked_.at(index).done);
      parked_.erase(parked_.begin() + static_cast<std::ptrdiff_t>(index));
    }
    done(std::move(result));
  }

 private:
  struct Parked {
    OutboundRequest request;
    Done done;
  };

  void Work() {
    std::unique_lock lock(mu_);
    while (true) {
      changed_.wait(lock, [this] { return stopped_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopped and drained
      auto [done, result] = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      done(std::move(result));
      lock.lock();
    }
  }

  mutable std::mutex mu_;
  std::condition_variable changed_;                     // queue_ or stopped_ changed
  Responder responder_;                                 // guarded by mu_
  bool async_ = false;                                  // guarded by mu_
  bool stopped_ = false;                                // guarded by mu_
  std::vector<OutboundRequest> requests_;               // guarded by mu_
  std::vector<Parked> parked_;                          // guarded by mu_
  std::deque<std::pair<Done, TransportResult>> queue_;  // guarded by mu_
  std::thread worker_;
};

}  // namespace dynhook::delivery::test
