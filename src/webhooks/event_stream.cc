#include "webhooks/event_stream.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

#include "api/respond.h"
#include "webhooks/caller.h"

namespace dynhook::webhooks {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct Stream {
  uint64_t token = 0;
  std::shared_ptr<http::StreamSink> sink;
  std::deque<Event> queue;  // guarded by State::mu
  size_t dropped = 0;       // guarded by State::mu
};

// What the pump writes to one stream in one round (taken under the lock, written outside).
struct Batch {
  std::shared_ptr<Stream> stream;
  std::string text;
};

}  // namespace

struct EventStreams::State {
  EventStreamOptions options;
  mutable std::mutex mu;
  std::condition_variable wake;                  // events queued, or stopping
  std::vector<std::shared_ptr<Stream>> streams;  // guarded by mu
  bool pending = false;                          // guarded by mu: some queue is non-empty
  bool stopping = false;                         // guarded by mu
};

std::string FormatSse(const Event& event) {
  return "event: " + event.type + "\ndata: " + event.json + "\n\n";
}

EventStreams::EventStreams(EventBus& bus, EventStreamOptions options)
    : bus_(bus), state_(std::make_shared<State>()) {
  state_->options = options;
  pump_ = std::thread([this] { Pump(); });
}

EventStreams::~EventStreams() { Stop(); }

void EventStreams::Open(const std::string& applicationId, std::shared_ptr<http::StreamSink> sink) {
  sink->Write(": connected\n\n");
  auto stream = std::make_shared<Stream>();
  stream->sink = std::move(sink);
  std::weak_ptr<State> weakState = state_;
  std::weak_ptr<Stream> weakStream = stream;
  stream->token = bus_.Subscribe(applicationId, [weakState, weakStream](const Event& event) {
    auto state = weakState.lock();
    auto target = weakStream.lock();
    if (!state || !target) return;
    std::lock_guard lock(state->mu);
    target->queue.push_back(event);
    if (target->queue.size() > state->options.maxQueuedEvents) {
      target->queue.pop_front();
      ++target->dropped;
    }
    state->pending = true;
    state->wake.notify_one();
  });
  std::lock_guard lock(state_->mu);
  if (state_->stopping) {
    bus_.Unsubscribe(stream->token);
    stream->sink->Close();
    return;
  }
  state_->streams.push_back(std::move(stream));
}

void EventStreams::Stop() {
  std::vector<std::shared_ptr<Stream>> streams;
  {
    std::lock_guard lock(state_->mu);
    state_->stopping = true;
    streams.swap(state_->streams);
  }
  state_->wake.notify_all();
  if (pump_.joinable()) pump_.join();
  for (const auto& stream : streams) {
    bus_.Unsubscribe(stream->token);
    stream->sink->Close();
  }
}

size_t EventStreams::OpenStreams() const {
  std::lock_guard lock(state_->mu);
  return state_->streams.size();
}

void EventStreams::Pump() {
  auto nextKeepAlive = SteadyClock::now() + state_->options.keepAlive;
  std::unique_lock lock(state_->mu);
  while (!state_->stopping) {
    state_->wake.wait_until(lock, nextKeepAlive,
                            [&] { return state_->stopping || state_->pending; });
    if (state_->stopping) break;
    const bool keepAlive = SteadyClock::now() >= nextKeepAlive;
    if (keepAlive) nextKeepAlive = SteadyClock::now() + state_->options.keepAlive;
    state_->pending = false;
    std::vector<Batch> batches;
    for (const auto& stream : state_->streams) {
      Batch batch{stream, ""};
      if (stream->dropped > 0) {
        batch.text +=
            "event: dropped\ndata: {\"count\":" + std::to_string(stream->dropped) + "}\n\n";
        stream->dropped = 0;
      }
      for (const auto& event : stream->queue) batch.text += FormatSse(event);
      stream->queue.clear();
      if (keepAlive) batch.text += ": keep-alive\n\n";
      if (!batch.text.empty() || !stream->sink->IsOpen()) batches.push_back(std::move(batch));
    }
    lock.unlock();
    std::vector<std::shared_ptr<Stream>> gone;
    for (auto& batch : batches) {
      // An empty chunk would end the chunked body: a closed sink is just forgotten.
      if (batch.text.empty() || !batch.stream->sink->Write(std::move(batch.text))) {
        gone.push_back(batch.stream);
      }
    }
    for (const auto& stream : gone) bus_.Unsubscribe(stream->token);
    lock.lock();
    std::erase_if(state_->streams, [&](const std::shared_ptr<Stream>& stream) {
      return std::find(gone.begin(), gone.end(), stream) != gone.end();
    });
  }
}

void EventStreamApi::RegisterRoutes(http::Router& router) const {
  router.Add("GET", "/api/events",
             api::Wrap([&store = store_, streams = streams_](
                           const http::Request& request) -> core::Result<http::Response> {
               auto caller = AuthenticateCaller(store, request);
               if (!caller) return caller.take_error();
               std::string applicationId = caller->app.id;
               auto response = http::Response::Stream(
                   200, "text/event-stream",
                   [streams, applicationId](std::shared_ptr<http::StreamSink> sink) {
                     streams->Open(applicationId, std::move(sink));
                   });
               response.SetHeader("Cache-Control", "no-cache");
               response.SetHeader("X-Accel-Buffering", "no");
               return response;
             }));
}

}  // namespace dynhook::webhooks
