// Platform: one running dynhook node, assembled from the modules — clocks, store, OEM
// connector (the simulator), Connect, the vehicle/management/admin APIs and the HTTP server.
// `dynhook serve`, `dynhook demo` and the end-to-end tests all start it the same way.
//
// Threading: Create/Start/Stop/Wait from one owning thread; the parts it owns are thread-safe.
#pragma once

#include <memory>
#include <string>

#include "app/config.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/result.h"

namespace dynhook::store {
class Store;
}
namespace dynhook::oem {
class Simulator;
}

namespace dynhook::app {

// Test seams: clocks to use instead of the ones the config implies (borrowed; must outlive
// the Platform).
struct PlatformOverrides {
  const core::Clock* platformClock = nullptr;
  const core::Clock* wallClock = nullptr;
};

class Platform {
 public:
  // Opens and migrates the store, loads the simulated fleet, builds the routes. Does not listen.
  static core::Result<std::unique_ptr<Platform>> Create(const ServeConfig& config,
                                                        PlatformOverrides overrides = {});
  ~Platform();

  core::Status Start();  // binds and serves; see address()
  void Stop();           // graceful
  void Wait();           // until stopped

  std::string address() const;  // "127.0.0.1:PORT" once started
  store::Store& store();
  oem::Simulator& simulator();
  const core::SecretBox& secretBox() const;
  const core::Clock& platformClock() const;
  const core::Clock& wallClock() const;

  struct Parts;  // the assembled modules; defined in platform.cc

 private:
  explicit Platform(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
  bool stopped_ = false;
};

}  // namespace dynhook::app
