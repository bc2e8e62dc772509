// ServeConfig: every setting of `dynhook serve` in one plain struct with its documented default
// (SPEC §1). Filled in one place (cli_options.cc) from, in increasing precedence, the defaults
// here, a TOML file (--config), DYNHOOK_* environment variables and command-line flags; then
// validated once by Validate() before anything starts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"

namespace dynhook::app {

struct ServeConfig {
  std::string listen = "127.0.0.1:8080";                      // HOST:PORT; port 0 picks a free port
  std::string database = "sqlite:./dynhook-data/dynhook.db";  // or postgresql://…
  double timeScale = 1.0;              // platform clock speed relative to wall time
  bool allowPrivateCallbacks = false;  // permit loopback/private callback URIs (SPEC §7)
  std::string adminToken;              // bearer token for /api/admin/*; empty: admin API off
  std::string nodeId;                  // default: hostname + pid
  std::string logFormat;               // "json" | "text"; default: text on a TTY
  std::string logLevel = "info";       // trace, debug, info, warn, error
  std::string dataDir;                 // default: the SQLite file's folder, else ./dynhook-data
  std::string secretKey;  // 64 hex chars sealing stored secrets; default: <dataDir>/secret.key
  std::string connector = "simulator";  // the OEM connector; only the simulator exists so far
  uint64_t simSeed = 20261126;          // the simulated fleet's seed
  int simLatencyMinMs = 20;             // simulated OEM latency range (wall milliseconds)
  int simLatencyMaxMs = 120;
  int workerThreads = 16;             // HTTP handler threads (handlers may wait on the OEM)
  size_t maxBodyBytes = 1024 * 1024;  // request body limit

  // Delivery (SPEC §4.5). Durations other than the timeout are platform time (--time-scale).
  int deliveryTimeoutMs = 15'000;    // one attempt, wall time
  int deliveryRetries = 6;           // retries after the first attempt, then disable
  int64_t backoffBaseMs = 30'000;    // first retry's delay; doubles per retry (±20 %)
  int64_t backoffMaxMs = 3'600'000;  // longest delay between attempts (Retry-After too)
  int deliveryConcurrency = 8;       // attempts in flight per webhook
  int heldRetentionHours = 7 * 24;   // held deliveries older than this are discarded
  int deliveryHistoryDays = 30;      // finished deliveries older are purged; 0 keeps all

  // Checks ranges and formats; a VALIDATION error naming the bad setting otherwise.
  core::Status Validate() const;

  // Parsed pieces of `listen`.
  std::string ListenHost() const;
  uint16_t ListenPort() const;
  // The effective data folder (see dataDir).
  std::string EffectiveDataDir() const;
  std::string EffectiveNodeId() const;
};

}  // namespace dynhook::app
