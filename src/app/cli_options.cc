#include "app/cli_options.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace dynhook::app {
namespace {

std::string EnvName(std::string flag) {
  std::string out = "DYNHOOK_";
  for (char c : flag) out.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(c)));
  return out;
}

template <class T>
CLI::Option* Bind(CLI::App& command, const std::string& flag, T& target, const std::string& help) {
  return command.add_option("--" + flag, target, help)
      ->envname(EnvName(flag))
      ->capture_default_str();
}

core::Error ConfigError(const std::string& source, const std::string& what) {
  return core::errors::Validation("config file " + source + ": " + what);
}

// Sets `target` from a TOML node of the matching type.
template <class T>
core::Status Assign(const toml::node& node, const std::string& key, const std::string& source,
                    T& target) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (auto v = node.value<std::string>()) return target = *v, core::Status();
  } else if constexpr (std::is_same_v<T, bool>) {
    if (auto v = node.value<bool>()) return target = *v, core::Status();
  } else if constexpr (std::is_floating_point_v<T>) {
    if (auto v = node.value<double>()) return target = static_cast<T>(*v), core::Status();
  } else {
    if (auto v = node.value<int64_t>(); v && *v >= 0) {
      return target = static_cast<T>(*v), core::Status();
    }
  }
  return ConfigError(source, "wrong type for '" + key + "'");
}

}  // namespace

void AddStoreOptions(CLI::App& command, ServeConfig& c) {
  command.add_option("--config", "TOML file with any of these settings (flag names as keys)")
      ->envname("DYNHOOK_CONFIG");
  Bind(command, "database", c.database, "sqlite:PATH or postgresql://…");
  Bind(command, "data-dir", c.dataDir, "data folder (default: the SQLite file's folder)");
  Bind(command, "secret-key", c.secretKey,
       "64 hex chars sealing stored secrets "
       "(default: generated into <data-dir>/secret.key)");
  Bind(command, "log-format", c.logFormat, "json or text (default: text on a TTY)")
      ->check(CLI::IsMember({"json", "text"}));
  Bind(command, "log-level", c.logLevel, "trace, debug, info, warn, error, off");
}

void AddServeOptions(CLI::App& command, ServeConfig& c) {
  AddStoreOptions(command, c);
  Bind(command, "listen", c.listen, "HOST:PORT to listen on (port 0 picks a free port)");
  Bind(command, "time-scale", c.timeScale, "platform clock speed relative to wall time");
  command
      .add_flag("--allow-private-callbacks", c.allowPrivateCallbacks,
                "permit callback URIs on loopback/private addresses")
      ->envname("DYNHOOK_ALLOW_PRIVATE_CALLBACKS");
  Bind(command, "admin-token", c.adminToken, "bearer token for /api/admin/* (empty: off)");
  Bind(command, "node-id", c.nodeId, "this node's identity in a cluster (default: host-pid)");
  Bind(command, "sim-seed", c.simSeed, "seed of the simulated fleet");
  Bind(command, "sim-latency-min-ms", c.simLatencyMinMs, "simulated OEM latency, lower bound");
  Bind(command, "sim-latency-max-ms", c.simLatencyMaxMs, "simulated OEM latency, upper bound");
  Bind(command, "worker-threads", c.workerThreads, "HTTP handler threads");
  Bind(command, "max-body-bytes", c.maxBodyBytes, "request body size limit");
  Bind(command, "delivery-timeout-ms", c.deliveryTimeoutMs, "timeout of one delivery attempt");
  Bind(command, "delivery-retries", c.deliveryRetries,
       "retries after a failed attempt before the webhook is disabled");
  Bind(command, "backoff-base-ms", c.backoffBaseMs, "first retry delay (doubles per retry)");
  Bind(command, "backoff-max-ms", c.backoffMaxMs, "longest delay between two attempts");
  Bind(command, "delivery-concurrency", c.deliveryConcurrency, "attempts in flight per webhook");
  Bind(command, "held-retention-hours", c.heldRetentionHours,
       "held deliveries older than this are discarded (counted on the webhook)");
  Bind(command, "delivery-history-days", c.deliveryHistoryDays,
       "finished deliveries older than this are deleted (0: keep all)");
}

core::Status ApplyConfigFile(int argc, const char* const* argv, ServeConfig& config) {
  std::string path;
  if (const char* env = std::getenv("DYNHOOK_CONFIG")) path = env;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--config" && i + 1 < argc) path = argv[i + 1];
    if (arg.rfind("--config=", 0) == 0) path = std::string(arg.substr(9));
  }
  if (path.empty()) return {};
  std::ifstream in(path);
  if (!in) return ConfigError(path, "cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  return ApplyTomlText(text.str(), path, config);
}

core::Status ApplyTomlText(std::string_view text, const std::string& source, ServeConfig& c) {
  toml::table table;
  try {
    table = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return ConfigError(source, std::string(e.description()));
  }
  for (const auto& [rawKey, node] : table) {
    std::string key(rawKey.str());
    for (char& ch : key) ch = ch == '_' ? '-' : ch;
    core::Status s;
    if (key == "listen")
      s = Assign(node, key, source, c.listen);
    else if (key == "database")
      s = Assign(node, key, source, c.database);
    else if (key == "data-dir")
      s = Assign(node, key, source, c.dataDir);
    else if (key == "secret-key")
      s = Assign(node, key, source, c.secretKey);
    else if (key == "time-scale")
      s = Assign(node, key, source, c.timeScale);
    else if (key == "allow-private-callbacks")
      s = Assign(node, key, source, c.allowPrivateCallbacks);
    else if (key == "admin-token")
      s = Assign(node, key, source, c.adminToken);
    else if (key == "node-id")
      s = Assign(node, key, source, c.nodeId);
    else if (key == "log-format")
      s = Assign(node, key, source, c.logFormat);
    else if (key == "log-level")
      s = Assign(node, key, source, c.logLevel);
    else if (key == "sim-seed")
      s = Assign(node, key, source, c.simSeed);
    else if (key == "sim-latency-min-ms")
      s = Assign(node, key, source, c.simLatencyMinMs);
    else if (key == "sim-latency-max-ms")
      s = Assign(node, key, source, c.simLatencyMaxMs);
    else if (key == "worker-threads")
      s = Assign(node, key, source, c.workerThreads);
    else if (key == "max-body-bytes")
      s = Assign(node, key, source, c.maxBodyBytes);
    else if (key == "delivery-timeout-ms")
      s = Assign(node, key, source, c.deliveryTimeoutMs);
    else if (key == "delivery-retries")
      s = Assign(node, key, source, c.deliveryRetries);
    else if (key == "backoff-base-ms")
      s = Assign(node, key, source, c.backoffBaseMs);
    else if (key == "backoff-max-ms")
      s = Assign(node, key, source, c.backoffMaxMs);
    else if (key == "delivery-concurrency")
      s = Assign(node, key, source, c.deliveryConcurrency);
    else if (key == "held-retention-hours")
      s = Assign(node, key, source, c.heldRetentionHours);
    else if (key == "delivery-history-days")
      s = Assign(node, key, source, c.deliveryHistoryDays);
    else
      return ConfigError(source, "unknown setting '" + std::string(rawKey.str()) + "'");
    if (!s) return s;
  }
  return {};
}

}  // namespace dynhook::app
