// EventStreams: the server-sent-event streams of GET /api/events (SPEC §4.1, §8): every open
// stream receives its application's EventBus events as
//   event: <type>\ndata: <json>\n\n
// ("webhook" events from the management API, "delivery" events from the delivery engine), a
// ": keep-alive" comment every `keepAlive` of wall time so proxies and browsers keep the
// connection, and — when it fell `maxQueuedEvents` behind and lost its oldest events —
//   event: dropped\ndata: {"count":N}\n\n
// Publishers never block on a stream: the bus listener only queues (bounded) and one pump
// thread writes to the sinks (whose writes are themselves non-blocking). A stream whose client
// went away is forgotten at the next write or keep-alive.
//
// EventStreamApi registers the route:
//   GET /api/events   `Authorization: Bearer <AMT>` -> 200 text/event-stream
//
// Thread-safety: Open/Stop/OpenStreams may be called from any thread. The EventBus must
// outlive the EventStreams.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>

#include "http/message.h"
#include "http/router.h"
#include "store/store.h"
#include "webhooks/event_bus.h"

namespace dynhook::webhooks {

struct EventStreamOptions {
  std::chrono::milliseconds keepAlive{15'000};  // wall time between keep-alive comments
  size_t maxQueuedEvents = 1000;                // per stream, before the oldest are dropped
};

class EventStreams {
 public:
  explicit EventStreams(EventBus& bus, EventStreamOptions options = {});
  ~EventStreams();  // Stop()
  EventStreams(const EventStreams&) = delete;
  EventStreams& operator=(const EventStreams&) = delete;

  // Starts streaming `applicationId`'s events to `sink`. Does not block.
  void Open(const std::string& applicationId, std::shared_ptr<http::StreamSink> sink);
  // Closes every stream and ends the pump thread; idempotent.
  void Stop();
  size_t OpenStreams() const;

 private:
  struct State;
  void Pump();

  EventBus& bus_;
  std::shared_ptr<State> state_;  // shared with the bus listeners
  std::thread pump_;
};

// The SSE framing of one event.
std::string FormatSse(const Event& event);

class EventStreamApi {
 public:
  EventStreamApi(store::Store& store, std::shared_ptr<EventStreams> streams)
      : store_(store), streams_(std::move(streams)) {}

  void RegisterRoutes(http::Router& router) const;

 private:
  store::Store& store_;
  std::shared_ptr<EventStreams> streams_;
};

}  // namespace dynhook::webhooks
