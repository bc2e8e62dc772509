#include "app/platform.h"

#include <spdlog/spdlog.h>

#include "api/admin_api.h"
#include "api/management_api.h"
#include "api/ops_api.h"
#include "api/vehicle_api.h"
#include "app/secret_key.h"
#include "connect/connect_service.h"
#include "http/server.h"
#include "oem/simulator.h"
#include "store/store.h"

namespace dynhook::app {

// Declaration order is construction order: everything a part borrows is declared before it.
struct Platform::Parts {
  ServeConfig config;
  std::unique_ptr<core::Clock> ownedPlatformClock;
  std::unique_ptr<core::Clock> ownedWallClock;
  const core::Clock* platformClock = nullptr;
  const core::Clock* wallClock = nullptr;
  std::unique_ptr<core::SecretBox> box;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<oem::Simulator> simulator;
  std::unique_ptr<connect::ConnectService> connect;  // its routes borrow it
  std::shared_ptr<http::Router> router;
  std::unique_ptr<http::Server> server;
};

namespace {

core::Status SetUpClocks(Platform::Parts& parts, const PlatformOverrides& overrides) {
  if (overrides.platformClock) {
    parts.platformClock = overrides.platformClock;
  } else {
    parts.ownedPlatformClock = std::make_unique<core::ScaledClock>(parts.config.timeScale);
    parts.platformClock = parts.ownedPlatformClock.get();
  }
  if (overrides.wallClock) {
    parts.wallClock = overrides.wallClock;
  } else {
    parts.ownedWallClock = std::make_unique<core::RealClock>();
    parts.wallClock = parts.ownedWallClock.get();
  }
  return {};
}

core::Status OpenStore(Platform::Parts& parts) {
  auto store = store::OpenStore(parts.config.database);
  if (!store) return store.take_error();
  if (auto migrated = (*store)->Migrate(); !migrated) return migrated;
  parts.store = std::move(store).value();
  auto key = LoadOrCreateSecretKey(parts.config);
  if (!key) return key.take_error();
  parts.box = std::make_unique<core::SecretBox>(*key);
  return {};
}

core::Status StartSimulator(Platform::Parts& parts) {
  oem::SimulatorOptions options;
  options.minLatency = std::chrono::milliseconds(parts.config.simLatencyMinMs);
  options.maxLatency = std::chrono::milliseconds(parts.config.simLatencyMaxMs);
  parts.simulator = std::make_unique<oem::Simulator>(
      *parts.store, *parts.platformClock, *parts.wallClock, parts.config.simSeed, options);
  return parts.simulator->Load();
}

void BuildRoutes(Platform::Parts& parts) {
  auto router = std::make_shared<http::Router>();
  parts.connect = std::make_unique<connect::ConnectService>(connect::ConnectDeps{
      *parts.store, *parts.simulator, *parts.wallClock, core::DefaultRandom()});
  parts.connect->RegisterRoutes(*router);
  const api::ApiDeps apiDeps{*parts.store, *parts.simulator, *parts.wallClock, nullptr};
  api::VehicleApi(apiDeps).RegisterRoutes(*router);
  api::ManagementApi(apiDeps).RegisterRoutes(*router);
  api::AdminApi(api::AdminDeps{*parts.store, parts.simulator.get(), *parts.box, *parts.wallClock,
                               parts.config.adminToken})
      .RegisterRoutes(*router);
  api::OpsApi(*parts.store).RegisterRoutes(*router);
  parts.router = std::move(router);
}

}  // namespace

core::Result<std::unique_ptr<Platform>> Platform::Create(const ServeConfig& config,
                                                         PlatformOverrides overrides) {
  if (auto valid = config.Validate(); !valid) return valid.take_error();
  auto parts = std::make_unique<Parts>();
  parts->config = config;
  for (auto step : {SetUpClocks(*parts, overrides), OpenStore(*parts)}) {
    if (!step) return step.take_error();
  }
  if (auto sim = StartSimulator(*parts); !sim) return sim.take_error();
  BuildRoutes(*parts);
  http::ServerOptions options;
  options.host = config.ListenHost();
  options.port = config.ListenPort();
  options.workerThreads = config.workerThreads;
  options.maxBodyBytes = config.maxBodyBytes;
  parts->server = std::make_unique<http::Server>(options, parts->router);
  return std::unique_ptr<Platform>(new Platform(std::move(parts)));
}

Platform::Platform(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Platform::~Platform() { Stop(); }

core::Status Platform::Start() {
  auto started = parts_->server->Start();
  if (started) spdlog::info("dynhook {} serving on {}", DYNHOOK_VERSION, address());
  return started;
}

void Platform::Stop() {
  if (parts_ && parts_->server) parts_->server->Stop();
}

void Platform::Wait() { parts_->server->Wait(); }

std::string Platform::address() const { return parts_->server->address(); }
store::Store& Platform::store() { return *parts_->store; }
oem::Simulator& Platform::simulator() { return *parts_->simulator; }
const core::SecretBox& Platform::secretBox() const { return *parts_->box; }
const core::Clock& Platform::platformClock() const { return *parts_->platformClock; }
const core::Clock& Platform::wallClock() const { return *parts_->wallClock; }

}  // namespace dynhook::app
