// What the Smartcar-compatible API handlers borrow from the rest of the platform. Plain
// references, owned by the app wiring, which outlives the router.
//
// DisconnectHook is the extension point for modules that must react when a vehicle leaves an
// application (SPEC §3: disconnect "unsubscribes the vehicle from every webhook of the
// application"). It is called after the connection is gone from the store, once per removed
// (application, vehicle) pair, on the request's worker thread; it must not throw.
#pragma once

#include <functional>
#include <string>

#include "core/clock.h"
#include "oem/connector.h"
#include "store/store.h"

namespace dynhook::api {

using DisconnectHook =
    std::function<void(const std::string& applicationId, const std::string& vehicleId)>;

struct ApiDeps {
  store::Store& store;
  oem::Connector& connector;
  const core::Clock& wallClock;  // token expiry (credentials keep wall-clock time, SPEC §1)
  DisconnectHook onDisconnect;   // optional
};

}  // namespace dynhook::api
