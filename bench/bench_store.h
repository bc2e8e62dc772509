// What the benchmarks share: a SQLite store on disk (as `serve` opens it) holding one
// application with one enabled webhook, and deliveries built the way the scheduler builds them
// (time-ordered eventIds, one vehicle each). Aborts on any failure: a benchmark has no figure
// to give then.
#pragma once

#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "store/store.h"

namespace dynhook::bench {

struct BenchStore {
  std::unique_ptr<store::Store> store;
  store::Webhook webhook;
};

inline BenchStore OpenBenchStore(const std::string& path, const std::string& callbackUri,
                                 const core::Clock& clock) {
  auto opened = store::OpenStore("sqlite:" + path);
  if (!opened || !(*opened)->Migrate()) std::abort();
  BenchStore bench{std::move(*opened), {}};
  store::Application app{core::NewUuid(), "bench", core::NewUuid(),         "h",
                         core::NewUuid(), "s",     {"http://127.0.0.1/cb"}, clock.Now()};
  bench.webhook.id = core::NewUuid();
  bench.webhook.applicationId = app.id;
  bench.webhook.name = "bench";
  bench.webhook.callbackUri = callbackUri;
  bench.webhook.status = "enabled";
  bench.webhook.createdAt = bench.webhook.updatedAt = clock.Now();
  if (!bench.store->CreateApplication(app) || !bench.store->CreateWebhook(bench.webhook)) {
    std::abort();
  }
  return bench;
}

// `n` deliveries of `webhook`, each body made by `body(eventId)`.
inline std::vector<store::Delivery> MakeDeliveries(
    const store::Webhook& webhook, int n, const core::Clock& clock,
    const std::function<std::string(const std::string&)>& body) {
  std::vector<store::Delivery> all;
  all.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    store::Delivery d;
    d.id = core::NewTimeOrderedUuid();  // as scheduler/payload.cc makes eventIds
    d.webhookId = webhook.id;
    d.body = body(d.id);
    d.vehicleIds = {core::NewUuid()};
    d.createdAt = d.nextAttemptAt = clock.Now();
    all.push_back(std::move(d));
  }
  return all;
}

}  // namespace dynhook::bench
