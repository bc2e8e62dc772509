// EventBus: live events for the dashboard's server-sent-event stream (GET /api/events, SPEC
// §4.1): deliveries and webhook state changes, per application. Publishers (delivery engine,
// scheduler, webhook API) never block: each subscriber has a bounded queue; a slow subscriber
// loses its oldest events and is told so by a "dropped" event.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace dynhook::webhooks {

struct Event {
  std::string applicationId;
  std::string type;  // "delivery", "webhook", ...: the SSE event name
  std::string json;  // the SSE data (one line of JSON)
};

class EventBus {
 public:
  using Listener = std::function<void(const Event&)>;
  // Returns a token; the listener is called on the publisher's thread for events of the
  // application, so it must only enqueue.
  uint64_t Subscribe(std::string applicationId, Listener listener);
  void Unsubscribe(uint64_t token);
  void Publish(const Event& event);

 private:
  struct Entry {
    uint64_t token;
    std::string applicationId;
    std::shared_ptr<Listener> listener;
  };
  std::mutex mu_;
  std::vector<Entry> entries_;  // guarded by mu_
  uint64_t next_ = 1;           // guarded by mu_
};

}  // namespace dynhook::webhooks
