// Store write benchmark: the two writes every delivery costs, alone (no HTTP, no engine).
//
//   commit  - CommitFetch: N deliveries (the same ~1 KiB body as delivery_throughput) in
//             batches of `batch`, as the scheduler writes them before anything is attempted
//   record  - RecordAttempts: one successful attempt outcome per delivery, in batches of
//             `batch`, as the delivery engine's outcome writer records them
//   purge   - PurgeFinishedBefore: all N (now finished) deliveries deleted with their bodies
//             and attempts, in chunks of 2000, as the HistoryPurger does
// on a SQLite store on disk (WAL, synchronous=FULL). Shows how much of the durable delivery
// path's CPU goes to the store, and what a schema or batching change buys.
// Usage: store_writes [deliveries=20000] [batch=500]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_store.h"
#include "core/clock.h"
#include "core/ids.h"
#include "store/store.h"

using namespace dynhook;
using Clock = std::chrono::steady_clock;

namespace {

std::string Body(const std::string& eventId) {
  std::string body = R"({"version":"2.0","eventId":")" + eventId + R"(","payload":")";
  body.append(1000, 'x');
  return body + R"("})";
}

template <typename F>
double Seconds(F&& run) {
  const auto start = Clock::now();
  run();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int batch = argc > 2 ? std::max(1, std::atoi(argv[2])) : 500;
  const auto dir = std::filesystem::temp_directory_path() / ("dynhook-bench-" + core::NewUuid());
  std::filesystem::create_directories(dir);
  const core::RealClock clock;
  auto fixture = bench::OpenBenchStore((dir / "bench.db").string(), "http://127.0.0.1/hook", clock);
  auto& store = *fixture.store;
  const store::Webhook& webhook = fixture.webhook;
  std::vector<store::Delivery> all = bench::MakeDeliveries(webhook, n, clock, Body);
  std::vector<store::AttemptOutcome> outcomes;
  for (const auto& d : all) {
    store::AttemptOutcome outcome;
    outcome.attempt = store::DeliveryAttempt{d.id, 1, clock.Now(), 200, 1, "", "{}"};
    outcome.newStatus = "succeeded";
    outcome.nextAttemptAt = clock.Now();
    outcomes.push_back(std::move(outcome));
  }

  const double commit = Seconds([&] {
    for (int first = 0; first < n; first += batch) {
      std::vector<store::Delivery> part(all.begin() + first,
                                        all.begin() + std::min(n, first + batch));
      if (!store.CommitFetch(part, {})) std::abort();
    }
  });
  const double record = Seconds([&] {
    for (int first = 0; first < n; first += batch) {
      std::vector<store::AttemptOutcome> part(outcomes.begin() + first,
                                              outcomes.begin() + std::min(n, first + batch));
      if (!store.RecordAttempts(part, clock.Now())) std::abort();
    }
  });
  auto counts = store.CountDeliveries(webhook.id, core::FromMillis(0));
  if (!counts || counts->succeeded != n) {
    std::fprintf(stderr, "not all recorded; no figure\n");
    return 1;
  }
  int64_t purged = 0;
  const double purge = Seconds([&] {
    const core::TimePoint cutoff = clock.Now() + std::chrono::hours(1);
    while (true) {
      auto chunk = store.PurgeFinishedBefore(cutoff, 2000);
      if (!chunk) std::abort();
      purged += *chunk;
      if (*chunk < 2000) break;
    }
  });
  if (purged != n) {
    std::fprintf(stderr, "purged %lld of %d; no figure\n", static_cast<long long>(purged), n);
    return 1;
  }
  std::filesystem::remove_all(dir);

  std::printf("| write | deliveries | batch | seconds | per second |\n");
  std::printf("|---|---:|---:|---:|---:|\n");
  std::printf("| CommitFetch | %d | %d | %.3f | %.0f |\n", n, batch, commit, n / commit);
  std::printf("| RecordAttempts | %d | %d | %.3f | %.0f |\n", n, batch, record, n / record);
  std::printf("| PurgeFinishedBefore | %d | 2000 | %.3f | %.0f |\n", n, purge, n / purge);
  return 0;
}
