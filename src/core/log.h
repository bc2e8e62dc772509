// Process-wide logging set-up on spdlog. After InitLogging, use spdlog's free functions
// (spdlog::info(...)) or LogWithFields for structured events. Two formats (SPEC §1
// `--log-format`):
//   json: one JSON object per line, {"time":"2026-11-26T10:00:00.123Z","level":"info",
//         "msg":"…", <fields>…}, every string escaped with JsonQuote so a message can never
//         break the line;
//   text: `2026-11-26T10:00:00.123Z info  message key=value`, coloured only when the output
//         is a terminal.
// Levels in JSON: trace, debug, info, warn, error, critical.
// Secrets never go to logs (SPEC §7): anything derived from input that may carry a token
// goes through Redact first.
// Thread-safety: InitLogging is for start-up (or a test's set-up), before other threads log;
// the logger it installs is synchronous and thread-safe. Redact is a pure function.
#pragma once

#include <spdlog/common.h>
#include <spdlog/formatter.h>

#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dynhook::core {

enum class LogFormat { kText, kJson };

struct LogOptions {
  LogFormat format = LogFormat::kText;
  // A ParseLogLevel name; InitLogging throws std::invalid_argument on an unknown one (a
  // start-up configuration error: validate it with ParseLogLevel first).
  std::string level = "info";
  // Where lines go; nullptr means stderr. Tests pass an ostream sink.
  spdlog::sink_ptr sink;
};

// Installs spdlog's default logger per `options` (replacing any previous one).
// Lines go to stderr by default, leaving stdout for a command's own output.
void InitLogging(const LogOptions& options);

// The `--log-format` default: text when stderr is a terminal, json otherwise.
LogFormat DefaultLogFormat();
// "json" / "text"; nullopt for anything else.
std::optional<LogFormat> ParseLogFormat(std::string_view name);
// "trace", "debug", "info", "warn" (or "warning"), "error", "critical", "off".
std::optional<spdlog::level::level_enum> ParseLogLevel(std::string_view name);

// The JSON-lines formatter InitLogging uses (exposed for custom sinks).
std::unique_ptr<spdlog::formatter> MakeJsonLogFormatter();

// Logs `msg` on the default logger with structured fields: extra members of the JSON line
// (after "msg", in order; a field named time/level/msg is still emitted, after them), or
// ` key=value` pairs (values as JSON) in text. Field values are logged as given: Redact them
// first when they come from input.
void LogWithFields(spdlog::level::level_enum level, std::string_view msg,
                   const boost::json::object& fields);

// Masks secrets in `text` before it is logged: tokens starting (at a word boundary) with amt_,
// sk_, rt_, at_ or whsec_ keep their prefix and lose the rest ("amt_[REDACTED]"); the word after
// "Bearer " and runs of 32 or more hex digits become "[REDACTED]". UUIDs stay readable.
std::string Redact(std::string_view text);

}  // namespace dynhook::core
