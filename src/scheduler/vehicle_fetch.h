// VehicleFetch: reading a vehicle's data items from the OEM connector for the scheduler
// (SPEC §4.4 "fetching from the OEM is retried (with backoff) on transient errors").
//
// Transient errors (UPSTREAM:*, VEHICLE_STATE:UNREACHABLE, RATE_LIMIT:*, SERVER:*) are retried
// up to `attempts` times with backoff × 2^n of wall time between attempts. Everything else is
// final at once: CONNECTED_SERVICES_ACCOUNT:* (the owner must act; it also ends the vehicle's
// other reads, which would fail the same way), COMPATIBILITY:*, PERMISSION, VEHICLE_STATE:ASLEEP
// and the rest. The last error is what the payload item carries.
//
// RunParallel is the scheduler's small fetch pool: OEM calls block for the OEM's latency, so
// vehicles are fetched `threads` at a time.
// Thread-safety: stateless; FetchVehicle may run concurrently for different vehicles.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "oem/connector.h"

namespace dynhook::scheduler {

struct FetchPolicy {
  int attempts = 3;
  std::chrono::milliseconds backoff{200};  // wall time before the 2nd attempt, doubled after
};

using Readings = std::map<oem::DataPath, core::Result<oem::Reading>>;
// Called once per connector call with "success" or the error's Name() (for metrics).
using FetchObserver = std::function<void(std::string_view outcome)>;

bool IsTransient(const core::Error& error);

// Reads every path of `paths` not already in `readings` into it.
void FetchVehicle(oem::Connector& connector, const std::string& vehicleId,
                  const std::vector<oem::DataPath>& paths, const FetchPolicy& policy,
                  Readings& readings, const FetchObserver& observer = {});

// Runs fn(0) .. fn(count - 1) on up to `threads` threads (the caller's included); returns when
// all are done. fn must not throw.
void RunParallel(size_t count, int threads, const std::function<void(size_t)>& fn);

}  // namespace dynhook::scheduler
