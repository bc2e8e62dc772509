#include "app/platform.h"

#include <spdlog/spdlog.h>

#include "api/admin_api.h"
#include "api/management_api.h"
#include "api/ops_api.h"
#include "api/vehicle_api.h"
#include "app/secret_key.h"
#include "connect/applications.h"
#include "connect/connect_service.h"
#include "connect/credential_purge.h"
#include "core/periodic_task.h"
#include "dashboard/dashboard_routes.h"
#include "delivery/curl_transport.h"
#include "delivery/engine.h"
#include "delivery/history_purger.h"
#include "http/server.h"
#include "metrics/metrics.h"
#include "metrics/metrics_api.h"
#include "oem/simulator.h"
#include "scheduler/scheduler.h"
#include "store/store.h"
#include "webhooks/delivery_api.h"
#include "webhooks/event_bus.h"
#include "webhooks/event_stream.h"
#include "webhooks/subscription_api.h"
#include "webhooks/webhook_api.h"

namespace dynhook::app {

// Declaration order is construction order: everything a part borrows is declared before it,
// so destruction stops users before what they use.
struct Platform::Parts {
  ServeConfig config;
  std::unique_ptr<core::Clock> ownedPlatformClock;
  std::unique_ptr<core::Clock> ownedWallClock;
  const core::Clock* platformClock = nullptr;
  const core::Clock* wallClock = nullptr;
  std::unique_ptr<core::SecretBox> box;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<oem::Simulator> simulator;
  metrics::Registry registry;
  std::unique_ptr<metrics::PlatformMetrics> metrics;
  webhooks::EventBus events;
  std::shared_ptr<webhooks::EventStreams> streams;
  std::unique_ptr<delivery::CurlMultiTransport> transport;
  std::unique_ptr<delivery::DeliveryEngine> engine;
  std::unique_ptr<delivery::HistoryPurger> purger;  // null when history is kept forever
  std::unique_ptr<scheduler::Scheduler> scheduler;
  // Housekeeping threads: the simulator's push channel (SPEC §4.3: OEM push) every wall second,
  // expired credentials every ten minutes.
  std::unique_ptr<core::PeriodicTask> pushPoller;
  std::unique_ptr<core::PeriodicTask> credentialPurge;
  std::unique_ptr<connect::ConnectService> connect;  // its routes borrow it
  std::shared_ptr<http::Router> router;
  std::unique_ptr<http::Server> server;
};

namespace {

void SetUpClocks(Platform::Parts& parts, const PlatformOverrides& overrides) {
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

// The AMT (SC-Signature) and the Standard Webhooks secret of a webhook, opened on demand.
delivery::KeyLookup SigningKeys(Platform::Parts& parts) {
  return [&parts](const store::Webhook& webhook) -> core::Result<delivery::SigningKeys> {
    auto app = parts.store->FindApplicationById(webhook.applicationId);
    if (!app) return app.take_error();
    auto amt = connect::OpenManagementToken(*app, *parts.box);
    if (!amt) return amt.take_error();
    delivery::SigningKeys keys{*amt, ""};
    if (!webhook.signingSecretSealed.empty()) {
      auto secret = parts.box->Open(webhook.signingSecretSealed);
      if (!secret) return core::errors::Internal("a webhook signing secret does not open");
      keys.standardWebhooksSecret = *secret;
    }
    return keys;
  };
}

void PurgeCredentials(Platform::Parts& parts) {
  auto purged = connect::PurgeExpiredCredentials(
      *parts.store, parts.wallClock->Now(), 2'000,
      [&parts] { return parts.credentialPurge && parts.credentialPurge->Stopping(); });
  if (!purged) {
    spdlog::error("connect: purging expired credentials failed: {}", purged.error().description);
  } else if (*purged > 0) {
    spdlog::info("connect: purged {} expired authorization codes and tokens", *purged);
  }
}

delivery::EngineOptions EngineOptionsFor(const ServeConfig& config) {
  delivery::EngineOptions options;
  options.attemptTimeout = std::chrono::milliseconds(config.deliveryTimeoutMs);
  options.maxAttempts = config.deliveryRetries + 1;
  options.backoffBase = std::chrono::milliseconds(config.backoffBaseMs);
  options.maxBackoff = std::chrono::milliseconds(config.backoffMaxMs);
  options.perEndpointConcurrency = config.deliveryConcurrency;
  options.heldRetention = std::chrono::hours(config.heldRetentionHours);
  return options;
}

core::Status StartWebhooks(Platform::Parts& parts) {
  parts.metrics = std::make_unique<metrics::PlatformMetrics>(parts.registry);
  parts.streams = std::make_shared<webhooks::EventStreams>(parts.events);
  const ServeConfig& config = parts.config;
  delivery::CurlTransportOptions transportOptions;
  transportOptions.allowPrivateAddresses = config.allowPrivateCallbacks;
  transportOptions.maxConnectionsPerHost = config.deliveryConcurrency;
  transportOptions.clock = parts.wallClock;
  parts.transport = std::make_unique<delivery::CurlMultiTransport>(transportOptions);
  parts.engine = std::make_unique<delivery::DeliveryEngine>(
      delivery::EngineDeps{*parts.store, *parts.store, *parts.transport, *parts.platformClock,
                           core::DefaultRandom(), SigningKeys(parts), parts.metrics.get(),
                           &parts.events, parts.wallClock},
      EngineOptionsFor(config));
  if (auto loaded = parts.engine->Load(); !loaded) return loaded;
  if (config.deliveryHistoryDays > 0) {
    delivery::HistoryOptions history;
    history.history = std::chrono::hours(24LL * config.deliveryHistoryDays);
    parts.purger =
        std::make_unique<delivery::HistoryPurger>(*parts.store, *parts.platformClock, history);
  }
  auto* engine = parts.engine.get();
  parts.scheduler = std::make_unique<scheduler::Scheduler>(scheduler::SchedulerDeps{
      *parts.store, *parts.store, *parts.store, *parts.store, *parts.simulator,
      *parts.platformClock,
      [engine](std::vector<store::Delivery> deliveries) { engine->Enqueue(std::move(deliveries)); },
      parts.metrics.get()});
  if (auto loaded = parts.scheduler->Load(); !loaded) return loaded;
  auto* scheduler = parts.scheduler.get();
  parts.simulator->SetChangeListener(
      [scheduler](const oem::ChangeEvent& event) { scheduler->OnVehicleChanged(event.vehicleId); });
  return {};
}

webhooks::WebhooksDeps WebhookDeps(Platform::Parts& parts) {
  auto* engine = parts.engine.get();
  auto* scheduler = parts.scheduler.get();
  webhooks::WebhookRuntime runtime{
      [scheduler](const store::Subscription& s) { scheduler->Subscribed(s); },
      [scheduler](const std::string& webhookId, const std::string& vehicleId) {
        scheduler->Unsubscribed(webhookId, vehicleId);
      },
      [scheduler, engine](const std::string& webhookId) {
        scheduler->WebhookChanged(webhookId);
        engine->WebhookChanged(webhookId);
      },
      [scheduler, engine](const std::string& webhookId, bool replay) {
        auto status = engine->EnableWebhook(webhookId, replay);
        scheduler->WebhookChanged(webhookId);
        return status;
      },
      [engine](const store::Delivery& delivery) { return engine->Resend(delivery); }};
  return webhooks::WebhooksDeps{*parts.store,       *parts.transport,
                                *parts.box,         *parts.platformClock,
                                *parts.wallClock,   parts.config.allowPrivateCallbacks,
                                std::move(runtime), &parts.events};
}

void BuildRoutes(Platform::Parts& parts) {
  auto router = std::make_shared<http::Router>();
  parts.connect = std::make_unique<connect::ConnectService>(connect::ConnectDeps{
      *parts.store, *parts.simulator, *parts.wallClock, core::DefaultRandom()});
  parts.connect->RegisterRoutes(*router);
  const auto hooks = WebhookDeps(parts);
  const api::ApiDeps apiDeps{*parts.store, *parts.simulator, *parts.wallClock,
                             webhooks::MakeDisconnectHook(hooks)};
  api::VehicleApi(apiDeps).RegisterRoutes(*router);
  api::ManagementApi(apiDeps).RegisterRoutes(*router);
  api::AdminApi(api::AdminDeps{*parts.store, parts.simulator.get(), *parts.box, *parts.wallClock,
                               parts.config.adminToken})
      .RegisterRoutes(*router);
  api::OpsApi(*parts.store, !parts.config.adminToken.empty()).RegisterRoutes(*router);
  webhooks::WebhookApi(hooks).RegisterRoutes(*router);
  webhooks::SubscriptionApi(hooks).RegisterRoutes(*router);
  webhooks::DeliveryApi(hooks).RegisterRoutes(*router);
  webhooks::EventStreamApi(*parts.store, parts.streams).RegisterRoutes(*router);
  dashboard::RegisterRoutes(*router);
  auto* engine = parts.engine.get();
  auto* scheduler = parts.scheduler.get();
  auto* metrics = parts.metrics.get();
  metrics::RegisterMetricsRoute(*router, parts.registry, [engine, scheduler, metrics] {
    metrics->queueDepth.Get().Set(static_cast<double>(engine->QueueDepth()));
    metrics->dueBacklog.Get().Set(static_cast<double>(scheduler->DueBacklog()));
  });
  parts.router = std::move(router);
}

}  // namespace

core::Result<std::unique_ptr<Platform>> Platform::Create(const ServeConfig& config,
                                                         PlatformOverrides overrides) {
  if (auto valid = config.Validate(); !valid) return valid.take_error();
  auto parts = std::make_unique<Parts>();
  parts->config = config;
  SetUpClocks(*parts, overrides);
  for (auto* step : {&OpenStore, &StartSimulator, &StartWebhooks}) {
    if (auto done = (*step)(*parts); !done) return done.take_error();
  }
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
  if (!started) return started;
  parts_->engine->RunInBackground();
  parts_->scheduler->RunInBackground();
  if (parts_->purger) parts_->purger->Start();
  parts_->pushPoller = std::make_unique<core::PeriodicTask>(
      std::chrono::seconds(1), [simulator = parts_->simulator.get()] { simulator->PollChanges(); });
  parts_->pushPoller->Start();
  parts_->credentialPurge = std::make_unique<core::PeriodicTask>(
      std::chrono::minutes(10), [parts = parts_.get()] { PurgeCredentials(*parts); });
  parts_->credentialPurge->Start();
  spdlog::info("dynhook {} serving on {}", DYNHOOK_VERSION, address());
  return started;
}

void Platform::Stop() {
  if (!parts_ || stopped_) return;
  stopped_ = true;
  parts_->server->Stop();
  parts_->pushPoller.reset();
  if (parts_->credentialPurge) parts_->credentialPurge->Stop();  // before the pointer changes
  parts_->credentialPurge.reset();
  parts_->simulator->SetChangeListener(nullptr);
  parts_->scheduler->Stop();
  if (parts_->purger) parts_->purger->Stop();
  parts_->streams->Stop();
  parts_->engine->Stop();
  parts_->transport->Stop();
}

void Platform::Wait() { parts_->server->Wait(); }

std::string Platform::address() const { return parts_->server->address(); }
store::Store& Platform::store() { return *parts_->store; }
oem::Simulator& Platform::simulator() { return *parts_->simulator; }
const core::SecretBox& Platform::secretBox() const { return *parts_->box; }
const core::Clock& Platform::platformClock() const { return *parts_->platformClock; }
const core::Clock& Platform::wallClock() const { return *parts_->wallClock; }

}  // namespace dynhook::app
