// ReceiverOptions: the settings of `dynhook receiver` (SPEC §1.2), a sample callback server
// for integrators. Plain values with documented defaults, filled from flags and DYNHOOK_*
// environment variables (AddReceiverOptions in receiver/cli.h) and validated once by Validate().
//
// Simulated failures apply to payload deliveries only: verification challenges are always
// answered, so a webhook can be verified against a receiver that then fails its deliveries
// (to watch retries, backoff and automatic disabling). The effective failure probability is
// `failRate` when given, else 1 when `status` is given (always fail), else 0.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"

namespace dynhook::receiver {

struct ReceiverOptions {
  std::string listen = "127.0.0.1:8090";  // HOST:PORT; port 0 picks a free port
  std::string amt;                        // the application's management token (required)
  std::optional<double> failRate;         // --fail-rate P in [0, 1]
  std::optional<int> status;              // --status CODE in [300, 599]; failures answer it
  int delayMs = 0;                        // --delay MS in [0, 600000]: wall delay per request
  std::optional<uint64_t> seed;           // --seed N: deterministic failures (default random)
  std::string logFormat;                  // "json" | "text" | "" (text on a TTY, else json)
  std::string logLevel = "info";
  int workerThreads = 4;
  size_t maxBodyBytes = 8 * 1024 * 1024;

  // Clear VALIDATION errors naming the flag ("--fail-rate must be between 0 and 1").
  core::Status Validate() const;

  // Parsed pieces of `listen` (valid after Validate()). "[::1]:80" gives host "::1".
  std::string ListenHost() const;
  uint16_t ListenPort() const;
  // The status a simulated failure answers (status, default 500) and its probability.
  int FailureStatus() const { return status.value_or(500); }
  double FailureProbability() const { return failRate ? *failRate : status ? 1.0 : 0.0; }
};

}  // namespace dynhook::receiver
