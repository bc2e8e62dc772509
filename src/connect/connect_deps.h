// ConnectDeps: what the Connect flow (authorize page, token endpoint) borrows from the
// platform. All referenced objects must outlive the ConnectService and are thread-safe.
#pragma once

#include "core/clock.h"
#include "core/random.h"
#include "oem/connector.h"
#include "store/store.h"

namespace dynhook::connect {

struct ConnectDeps {
  store::Store& store;
  oem::Connector& connector;
  const core::Clock& wallClock;  // credentials keep wall-clock time (SPEC §1), not platform time
  core::Random& random;          // authorization codes, tokens, user ids
};

}  // namespace dynhook::connect
