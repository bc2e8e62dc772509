#include "scheduler/vehicle_fetch.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

namespace dynhook::scheduler {
namespace {

core::Result<oem::Reading> ReadWithRetry(oem::Connector& connector, const std::string& vehicleId,
                                         oem::DataPath path, const FetchPolicy& policy,
                                         const FetchObserver& observer) {
  std::chrono::milliseconds backoff = policy.backoff;
  for (int attempt = 1;; ++attempt) {
    auto reading = connector.Read(vehicleId, path);
    if (observer) observer(reading ? std::string_view("success") : reading.error().Name());
    if (reading || !IsTransient(reading.error()) || attempt >= policy.attempts) return reading;
    if (backoff.count() > 0) std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
}

}  // namespace

bool IsTransient(const core::Error& error) {
  return error.type == "UPSTREAM" || error.type == "RATE_LIMIT" || error.type == "SERVER" ||
         (error.type == "VEHICLE_STATE" && error.code == "UNREACHABLE");
}

void FetchVehicle(oem::Connector& connector, const std::string& vehicleId,
                  const std::vector<oem::DataPath>& paths, const FetchPolicy& policy,
                  Readings& readings, const FetchObserver& observer) {
  std::optional<core::Error> accountError;  // ends the vehicle's other reads
  for (oem::DataPath path : paths) {
    if (readings.contains(path)) continue;
    if (accountError) {
      readings.emplace(path, *accountError);
      continue;
    }
    auto reading = ReadWithRetry(connector, vehicleId, path, policy, observer);
    if (!reading && reading.error().type == "CONNECTED_SERVICES_ACCOUNT") {
      accountError = reading.error();
    }
    readings.emplace(path, std::move(reading));
  }
}

void RunParallel(size_t count, int threads, const std::function<void(size_t)>& fn) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < count; i = next++) fn(i);
  };
  const size_t extra =
      std::min<size_t>(count, static_cast<size_t>(std::max(threads, 1))) - (count > 0 ? 1 : 0);
  std::vector<std::thread> pool;
  pool.reserve(extra);
  for (size_t i = 0; i < extra; ++i) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
}

}  // namespace dynhook::scheduler
