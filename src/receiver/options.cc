#include "receiver/options.h"

#include <charconv>
#include <cmath>

#include "core/log.h"

namespace dynhook::receiver {
namespace {

std::optional<uint16_t> ParsePort(std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || value > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

core::Status Invalid(const std::string& description) {
  return core::errors::Validation(description);
}

}  // namespace

std::string ReceiverOptions::ListenHost() const {
  const auto colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return host;
}

uint16_t ReceiverOptions::ListenPort() const {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return 0;
  return ParsePort(std::string_view(listen).substr(colon + 1)).value_or(0);
}

core::Status ReceiverOptions::Validate() const {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 ||
      !ParsePort(std::string_view(listen).substr(colon + 1))) {
    return Invalid("--listen must be HOST:PORT (port 0 picks a free port), got '" + listen + "'");
  }
  if (amt.empty()) {
    return Invalid("--amt is required: the application's management token, which signs payloads");
  }
  if (failRate && !(*failRate >= 0 && *failRate <= 1)) {
    return Invalid("--fail-rate must be a probability between 0 and 1");
  }
  if (status && (*status < 300 || *status > 599)) {
    return Invalid("--status must be an HTTP status from 300 to 599 (the failure to simulate)");
  }
  if (delayMs < 0 || delayMs > 600'000) {
    return Invalid("--delay must be between 0 and 600000 milliseconds");
  }
  if (!logFormat.empty() && !core::ParseLogFormat(logFormat)) {
    return Invalid("--log-format must be json or text");
  }
  if (!core::ParseLogLevel(logLevel)) {
    return Invalid("--log-level must be trace, debug, info, warn, error, critical or off");
  }
  if (workerThreads < 1 || workerThreads > 256) {
    return Invalid("--worker-threads must be between 1 and 256");
  }
  return {};
}

}  // namespace dynhook::receiver
