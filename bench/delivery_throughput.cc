// Delivery throughput benchmark (issue: "deliveries per second to a minimal loopback receiver
// with durable state, next to the raw POST rate a load generator reaches against the same
// receiver on the same machine").
//
// Both runs POST the same ~1 KiB signed JSON body to the same minimal receiver (dynhook's own
// HTTP server answering 200 "{}") on 127.0.0.1, with the same number of connections:
//   raw     - a load generator: CurlMultiTransport alone, N requests, nothing written anywhere
//   engine  - the platform path: N deliveries committed to a SQLite store on disk (WAL,
//             synchronous=FULL) with CommitFetch in batches, then delivered by DeliveryEngine,
//             every attempt recorded (RecordAttempts) before the run counts as finished
// The two runs alternate `rounds` times (each engine round on a new database) and the table
// shows every round and the medians, so a noisy moment of the machine does not decide the ratio.
// Usage: delivery_throughput [deliveries=20000] [connections=8] [rounds=5] [raw|engine]
// (the last argument runs only that part, for a profiler). Prints a table; exits 0. Run from
// a Release-ish build (the default preset).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "bench_store.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/random.h"
#include "delivery/curl_transport.h"
#include "delivery/engine.h"
#include "http/server.h"
#include "store/store.h"

using namespace dynhook;
using Clock = std::chrono::steady_clock;

namespace {

std::string Body(const std::string& eventId) {
  std::string vehicles;
  for (int i = 0; i < 3; ++i) {
    vehicles += std::string(i ? "," : "") + R"({"vehicleId":")" + core::NewUuid() +
                R"(","requestId":")" + core::NewUuid() +
                R"(","data":[{"path":"/battery","code":200,"body":{"range":283.24,)"
                R"("percentRemaining":0.58},"headers":{"sc-data-age":"2026-11-26T10:00:00.000Z",)"
                R"("sc-unit-system":"metric"}}]})";
  }
  return R"({"version":"2.0","eventId":")" + eventId +
         R"(","webhookId":"bench","eventName":"dynamic","mode":"simulated","payload":{"vehicles":[)" +
         vehicles + "]}}";
}

struct Receiver {
  std::shared_ptr<http::Router> router = std::make_shared<http::Router>();
  std::unique_ptr<http::Server> server;
  std::atomic<uint64_t> received{0};
  Receiver() {
    router->Add("POST", "/hook", [this](const http::Request&) {
      received.fetch_add(1, std::memory_order_relaxed);
      return http::Response::Json(200, "{}");
    });
    http::ServerOptions options;
    options.port = 0;
    options.workerThreads = 2;
    server = std::make_unique<http::Server>(options, router);
    if (!server->Start()) std::abort();
  }
  std::string Url() const { return "http://" + server->address() + "/hook"; }
};

delivery::CurlTransportOptions TransportOptions(int connections) {
  delivery::CurlTransportOptions options;
  options.allowPrivateAddresses = true;
  options.maxConnectionsPerHost = connections;
  return options;
}

double RunRaw(const std::string& url, int n, int connections) {
  delivery::CurlMultiTransport transport(TransportOptions(connections));
  std::atomic<int> done{0}, failed{0};
  std::promise<void> all;
  std::vector<std::string> bodies;  // made before the clock starts, as in the engine run
  for (int i = 0; i < n; ++i) bodies.push_back(Body(core::NewUuid()));
  const auto start = Clock::now();
  for (int i = 0; i < n; ++i) {
    delivery::OutboundRequest request;
    request.url = url;
    request.headers = {{"Content-Type", "application/json"}, {"User-Agent", "bench"}};
    request.body = std::move(bodies[static_cast<size_t>(i)]);
    transport.Send(std::move(request), [&](delivery::TransportResult result) {
      if (!result.ok()) failed.fetch_add(1);
      if (done.fetch_add(1) + 1 == n) all.set_value();
    });
  }
  all.get_future().wait();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (failed.load()) std::fprintf(stderr, "raw: %d requests failed\n", failed.load());
  return seconds;
}

double RunEngine(const std::string& url, int n, int connections, const std::string& dir) {
  const core::RealClock clock;
  auto fixture = bench::OpenBenchStore(dir + "/bench.db", url, clock);
  auto& store = *fixture.store;
  const store::Webhook& webhook = fixture.webhook;

  delivery::CurlMultiTransport transport(TransportOptions(connections));
  delivery::EngineOptions options;
  options.perEndpointConcurrency = connections;
  delivery::DeliveryEngine engine(
      delivery::EngineDeps{store, store, transport, clock, core::DefaultRandom(),
                           [](const store::Webhook&) -> core::Result<delivery::SigningKeys> {
                             return delivery::SigningKeys{"amt_bench", ""};
                           }},
      options);
  if (!engine.Load()) std::abort();
  engine.RunInBackground();
  // The deliveries a scheduler would have built (made before the clock starts).
  std::vector<store::Delivery> all = bench::MakeDeliveries(webhook, n, clock, Body);
  const auto start = Clock::now();
  constexpr int kBatch = 500;  // the scheduler commits a tick's deliveries together
  for (int first = 0; first < n; first += kBatch) {
    std::vector<store::Delivery> batch(
        std::make_move_iterator(all.begin() + first),
        std::make_move_iterator(all.begin() + std::min(n, first + kBatch)));
    if (!store.CommitFetch(batch, {})) std::abort();
    engine.Enqueue(std::move(batch));
  }
  // Finished when nothing is queued or in flight and every outcome is written (WaitIdle); the
  // store is checked afterwards (outside the timed part) to confirm all N succeeded.
  for (int i = 0; i < 12000; ++i) {
    if (engine.QueueDepth() == 0 && engine.InFlight() == 0 &&
        engine.WaitIdle(std::chrono::seconds(10))) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  auto counts = store.CountDeliveries(webhook.id, core::FromMillis(0));
  if (!counts || counts->succeeded < n) {
    std::fprintf(stderr, "engine: not all %d deliveries succeeded; no figure\n", n);
    std::exit(1);
  }
  engine.Stop();
  return seconds;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int connections = argc > 2 ? std::atoi(argv[2]) : 8;
  const int rounds = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  const std::string only = argc > 4 ? argv[4] : "";
  const auto dir = std::filesystem::temp_directory_path() / ("dynhook-bench-" + core::NewUuid());
  Receiver receiver;
  RunRaw(receiver.Url(), 2000, connections);  // warm-up
  std::vector<double> raw, engine;
  std::printf("| round | raw POSTs/s | engine deliveries/s (durable) | engine / raw |\n");
  std::printf("|---|---:|---:|---:|\n");
  for (int round = 1; round <= rounds; ++round) {
    if (only != "engine") raw.push_back(n / RunRaw(receiver.Url(), n, connections));
    if (only != "raw") {
      const auto roundDir = dir / std::to_string(round);
      std::filesystem::create_directories(roundDir);
      engine.push_back(n / RunEngine(receiver.Url(), n, connections, roundDir.string()));
    }
    const double r = raw.empty() ? 0 : raw.back(), e = engine.empty() ? 0 : engine.back();
    std::printf("| %d | %.0f | %.0f | %.2f |\n", round, r, e, r > 0 ? e / r : 0);
  }
  std::filesystem::remove_all(dir);
  const double r = raw.empty() ? 0 : Median(raw), e = engine.empty() ? 0 : Median(engine);
  std::printf("| median | %.0f | %.0f | %.2f |\n", r, e, r > 0 ? e / r : 0);
  std::printf("\n%d deliveries per round, %d connections, %d rounds\n", n, connections, rounds);
  return 0;
}
