#include "receiver/cli.h"

#include <spdlog/spdlog.h>

#include "core/log.h"
#include "receiver/receiver.h"

namespace dynhook::receiver {
namespace {

// "--fail-rate" -> "DYNHOOK_FAIL_RATE"
std::string EnvName(const std::string& flag) {
  std::string name = "DYNHOOK_";
  for (const char c : flag) {
    name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

template <class T>
CLI::Option* Bind(CLI::App& command, const std::string& flag, T& target, const std::string& help) {
  return command.add_option("--" + flag, target, help)->envname(EnvName(flag));
}

// An optional value: set only when the flag (or its variable) is given.
template <class T>
CLI::Option* BindOptional(CLI::App& command, const std::string& flag, std::optional<T>& target,
                          const std::string& help) {
  return command
      .add_option_function<T>(
          "--" + flag, [&target](const T& value) { target = value; }, help)
      ->envname(EnvName(flag));
}

}  // namespace

void AddReceiverOptions(CLI::App& command, ReceiverOptions& o) {
  Bind(command, "listen", o.listen, "HOST:PORT to listen on (port 0 picks a free port)");
  Bind(command, "amt", o.amt, "the application's management token (verifies SC-Signature)");
  BindOptional(command, "fail-rate", o.failRate,
               "probability (0..1) of answering a payload with --status (default 500)");
  BindOptional(command, "status", o.status,
               "HTTP status of simulated failures (300..599); alone: every payload fails");
  Bind(command, "delay", o.delayMs, "milliseconds to wait before answering each request");
  BindOptional(command, "seed", o.seed, "seed making --fail-rate draws deterministic");
  Bind(command, "log-format", o.logFormat, "json or text (default: text on a TTY)");
  Bind(command, "log-level", o.logLevel, "trace, debug, info, warn, error, off");
}

int RunReceiver(const ReceiverOptions& options, std::ostream& out, std::ostream& err,
                const std::function<void()>& waitForStop) {
  if (auto valid = options.Validate(); !valid) {
    err << "dynhook receiver: " << valid.error().description << "\n";
    return 2;
  }
  core::LogOptions log;
  log.format = options.logFormat.empty() ? core::DefaultLogFormat()
                                         : *core::ParseLogFormat(options.logFormat);
  log.level = options.logLevel;
  core::InitLogging(log);

  Receiver receiver(options, out);
  if (auto started = receiver.Start(); !started) {
    err << "dynhook receiver: " << started.error().description << "\n";
    return 1;
  }
  out << "listening on http://" << receiver.address() << std::endl;
  waitForStop();
  spdlog::info("receiver: stopping after {} accepted payloads", receiver.AcceptedCount());
  receiver.Stop();
  return 0;
}

}  // namespace dynhook::receiver
