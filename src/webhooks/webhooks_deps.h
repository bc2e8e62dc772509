// WebhooksDeps: what the webhooks module's handlers borrow from the platform. Plain references
// owned by the app wiring, which outlives the router.
#pragma once

#include <chrono>

#include "core/clock.h"
#include "core/crypto.h"
#include "delivery/transport.h"
#include "store/store.h"
#include "webhooks/event_bus.h"
#include "webhooks/runtime.h"

namespace dynhook::webhooks {

struct WebhooksDeps {
  store::Store& store;                 // applications, grants, webhooks, subscriptions, deliveries
  delivery::Transport& transport;      // verification challenges
  const core::SecretBox& box;          // seals Standard Webhooks secrets (the engine opens them)
  const core::Clock& platformClock;    // createdAt, verifiedAt, disabledAt, subscription anchors
  const core::Clock& wallClock;        // access-token expiry (credentials keep wall time)
  bool allowPrivateCallbacks = false;  // `--allow-private-callbacks` (SPEC §7)
  WebhookRuntime runtime;
  EventBus* events = nullptr;  // optional: webhook state changes are published here
  std::chrono::milliseconds verifyTimeout{10'000};
};

}  // namespace dynhook::webhooks
