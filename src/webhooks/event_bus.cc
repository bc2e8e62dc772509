#include "webhooks/event_bus.h"

#include <algorithm>
#include <utility>

namespace dynhook::webhooks {

uint64_t EventBus::Subscribe(std::string applicationId, Listener listener) {
  std::lock_guard lock(mu_);
  const uint64_t token = next_++;
  entries_.push_back(
      Entry{token, std::move(applicationId), std::make_shared<Listener>(std::move(listener))});
  return token;
}

void EventBus::Unsubscribe(uint64_t token) {
  std::lock_guard lock(mu_);
  std::erase_if(entries_, [token](const Entry& entry) { return entry.token == token; });
}

void EventBus::Publish(const Event& event) {
  // Listeners run outside the lock, so one may (un)subscribe from inside its call.
  std::vector<std::shared_ptr<Listener>> matching;
  {
    std::lock_guard lock(mu_);
    for (const auto& entry : entries_) {
      if (entry.applicationId == event.applicationId) matching.push_back(entry.listener);
    }
  }
  for (const auto& listener : matching) (*listener)(event);
}

}  // namespace dynhook::webhooks
