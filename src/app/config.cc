#include "app/config.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>

namespace dynhook::app {
namespace {

std::optional<uint16_t> ParsePort(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > 65535) return std::nullopt;
  return static_cast<uint16_t>(value);
}

core::Error Bad(const std::string& setting, const std::string& why) {
  return core::errors::Validation("invalid setting " + setting + ": " + why);
}

}  // namespace

std::string ServeConfig::ListenHost() const {
  const auto colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host;
}

uint16_t ServeConfig::ListenPort() const {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return 0;
  return ParsePort(std::string_view(listen).substr(colon + 1)).value_or(0);
}

std::string ServeConfig::EffectiveDataDir() const {
  if (!dataDir.empty()) return dataDir;
  constexpr std::string_view kSqlite = "sqlite:";
  if (database.rfind(kSqlite, 0) == 0 && database != "sqlite::memory:") {
    const std::filesystem::path file(database.substr(kSqlite.size()));
    const auto parent = file.parent_path();
    return parent.empty() ? "." : parent.string();
  }
  return "./dynhook-data";
}

std::string ServeConfig::EffectiveNodeId() const {
  if (!nodeId.empty()) return nodeId;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "node") + "-" + std::to_string(getpid());
}

core::Status ServeConfig::Validate() const {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 ||
      !ParsePort(std::string_view(listen).substr(colon + 1))) {
    return Bad("listen", "expected HOST:PORT, got '" + listen + "'");
  }
  if (database.rfind("sqlite:", 0) != 0 && database.rfind("postgresql://", 0) != 0 &&
      database.rfind("postgres://", 0) != 0) {
    return Bad("database", "expected sqlite:PATH or postgresql://…");
  }
  if (!(timeScale > 0 && timeScale <= 1e6)) return Bad("time-scale", "must be in (0, 1000000]");
  if (!logFormat.empty() && logFormat != "json" && logFormat != "text") {
    return Bad("log-format", "expected json or text");
  }
  static constexpr std::array<std::string_view, 6> kLevels = {"trace", "debug", "info",
                                                              "warn",  "error", "off"};
  if (std::find(kLevels.begin(), kLevels.end(), logLevel) == kLevels.end()) {
    return Bad("log-level", "expected trace, debug, info, warn, error or off");
  }
  if (!secretKey.empty() && secretKey.size() != 64) {
    return Bad("secret-key", "expected 64 hex characters (32 bytes)");
  }
  if (connector != "simulator") return Bad("connector", "only 'simulator' is available");
  if (simLatencyMinMs < 0 || simLatencyMaxMs < simLatencyMinMs || simLatencyMaxMs > 60'000) {
    return Bad("sim-latency", "need 0 <= min <= max <= 60000 ms");
  }
  if (workerThreads < 1 || workerThreads > 1024) return Bad("worker-threads", "1..1024");
  if (deliveryTimeoutMs < 1'000 || deliveryTimeoutMs > 300'000) {
    return Bad("delivery-timeout-ms", "1000..300000");
  }
  if (deliveryRetries < 0 || deliveryRetries > 20) return Bad("delivery-retries", "0..20");
  if (backoffBaseMs < 100 || backoffBaseMs > 86'400'000) {
    return Bad("backoff-base-ms", "100..86400000");
  }
  if (backoffMaxMs < backoffBaseMs || backoffMaxMs > 7 * 86'400'000LL) {
    return Bad("backoff-max-ms", "backoff-base-ms..604800000");
  }
  if (deliveryConcurrency < 1 || deliveryConcurrency > 256) {
    return Bad("delivery-concurrency", "1..256");
  }
  if (heldRetentionHours < 1 || heldRetentionHours > 24 * 366) {
    return Bad("held-retention-hours", "1..8784");
  }
  if (deliveryHistoryDays < 0 || deliveryHistoryDays > 3'660) {
    return Bad("delivery-history-days", "0 (keep all)..3660");
  }
  if (maxBodyBytes < 1024 || maxBodyBytes > 64 * 1024 * 1024) {
    return Bad("max-body-bytes", "1 KiB..64 MiB");
  }
  return {};
}

}  // namespace dynhook::app
