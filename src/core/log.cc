#include "core/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <utility>

#include "core/json.h"

namespace dynhook::core {
namespace {

// The format InitLogging installed; LogWithFields renders fields for it.
std::atomic<LogFormat> gFormat{LogFormat::kText};

// The fields of the LogWithFields call in progress on this thread. The installed logger is
// synchronous, so its formatter runs on the calling thread while this is set.
thread_local const boost::json::object* tFields = nullptr;

constexpr const char* kTextPattern = "%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ %v";

std::string_view LevelName(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

void AppendUtcTime(std::string& out, std::chrono::system_clock::time_point time) {
  using std::chrono::milliseconds;
  const auto ms = std::chrono::floor<milliseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  const int millis = static_cast<int>(ms - static_cast<int64_t>(seconds) * 1000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char buf[64];
  const int n =
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  out.append(buf, static_cast<size_t>(n));
}

class JsonLogFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string line;
    line.reserve(96 + msg.payload.size());
    line.append("{\"time\":\"");
    AppendUtcTime(line, msg.time);
    line.append("\",\"level\":\"").append(LevelName(msg.level)).append("\"");
    if (msg.logger_name.size() != 0) {
      line.append(",\"logger\":")
          .append(JsonQuote(std::string_view(msg.logger_name.data(), msg.logger_name.size())));
    }
    line.append(",\"msg\":")
        .append(JsonQuote(std::string_view(msg.payload.data(), msg.payload.size())));
    if (tFields != nullptr) {
      for (const auto& field : *tFields) {
        line.push_back(',');
        line.append(JsonQuote(std::string_view(field.key().data(), field.key().size())));
        line.push_back(':');
        AppendJson(line, field.value());
      }
    }
    line.append("}\n");
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLogFormatter>();
  }
};

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsTokenChar(char c) { return IsWordChar(c) || c == '-'; }
bool IsCredentialChar(char c) {  // bearer/basic credentials: base64, JWTs, opaque tokens
  return IsTokenChar(c) || c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
}
bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

bool StartsWithNoCase(std::string_view text, size_t at, std::string_view prefix) {
  if (text.size() - at < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != prefix[i]) return false;
  }
  return true;
}

size_t SkipWhile(std::string_view text, size_t at, bool (*pred)(char)) {
  while (at < text.size() && pred(text[at])) ++at;
  return at;
}

// At a word boundary: a prefixed token ("amt_…") or an authorization scheme and its credential.
// Appends the masked form and returns the end of what it replaced, or `at` when nothing matched.
size_t RedactAtBoundary(std::string_view text, size_t at, std::string& out) {
  static constexpr std::string_view kPrefixes[] = {"amt_", "whsec_", "sk_", "rt_", "at_"};
  constexpr size_t kMinTokenBody = 8;
  for (std::string_view prefix : kPrefixes) {
    if (text.substr(at, prefix.size()) != prefix) continue;
    const size_t end = SkipWhile(text, at + prefix.size(), IsTokenChar);
    if (end - at - prefix.size() < kMinTokenBody) continue;
    out.append(prefix).append("[REDACTED]");
    return end;
  }
  for (std::string_view scheme : {std::string_view("bearer "), std::string_view("basic ")}) {
    if (!StartsWithNoCase(text, at, scheme)) continue;
    size_t start = at + scheme.size();
    while (start < text.size() && text[start] == ' ') ++start;
    const size_t end = SkipWhile(text, start, IsCredentialChar);
    if (end == start) continue;
    out.append(text.substr(at, start - at)).append("[REDACTED]");
    return end;
  }
  return at;
}

}  // namespace

void InitLogging(const LogOptions& options) {
  spdlog::sink_ptr sink = options.sink;
  if (!sink) {
    sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(spdlog::color_mode::automatic);
  }
  if (options.format == LogFormat::kJson) {
    sink->set_formatter(MakeJsonLogFormatter());
  } else {
    sink->set_formatter(
        std::make_unique<spdlog::pattern_formatter>(kTextPattern, spdlog::pattern_time_type::utc));
  }
  auto logger = std::make_shared<spdlog::logger>("", std::move(sink));
  const auto level = ParseLogLevel(options.level);
  if (!level) throw std::invalid_argument("unknown log level: " + options.level);
  logger->set_level(*level);
  logger->flush_on(spdlog::level::warn);
  gFormat.store(options.format);
  spdlog::set_default_logger(std::move(logger));
}

LogFormat DefaultLogFormat() {
  return ::isatty(STDERR_FILENO) ? LogFormat::kText : LogFormat::kJson;
}

std::optional<LogFormat> ParseLogFormat(std::string_view name) {
  if (name == "json") return LogFormat::kJson;
  if (name == "text") return LogFormat::kText;
  return std::nullopt;
}

std::optional<spdlog::level::level_enum> ParseLogLevel(std::string_view name) {
  using spdlog::level::level_enum;
  static constexpr std::pair<std::string_view, level_enum> kLevels[] = {
      {"trace", level_enum::trace},       {"debug", level_enum::debug},  {"info", level_enum::info},
      {"warn", level_enum::warn},         {"warning", level_enum::warn}, {"error", level_enum::err},
      {"critical", level_enum::critical}, {"off", level_enum::off}};
  for (const auto& [levelName, level] : kLevels) {
    if (name == levelName) return level;
  }
  return std::nullopt;
}

std::unique_ptr<spdlog::formatter> MakeJsonLogFormatter() {
  return std::make_unique<JsonLogFormatter>();
}

void LogWithFields(spdlog::level::level_enum level, std::string_view msg,
                   const boost::json::object& fields) {
  auto logger = spdlog::default_logger();
  if (!logger->should_log(level)) return;
  if (gFormat.load() == LogFormat::kJson) {
    tFields = &fields;
    logger->log(level, msg);
    tFields = nullptr;
    return;
  }
  std::string line(msg);
  for (const auto& field : fields) {
    line.append(" ").append(field.key().data(), field.key().size()).append("=");
    if (field.value().is_string()) {
      line.append(field.value().get_string().data(), field.value().get_string().size());
    } else {
      AppendJson(line, field.value());
    }
  }
  logger->log(level, line);
}

std::string Redact(std::string_view text) {
  constexpr size_t kMinHexRun = 32;
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (i == 0 || !IsWordChar(text[i - 1])) {
      const size_t end = RedactAtBoundary(text, i, out);
      if (end != i) {
        i = end;
        continue;
      }
    }
    if (IsHex(text[i]) && (i == 0 || !IsHex(text[i - 1]))) {
      const size_t end = SkipWhile(text, i, IsHex);
      if (end - i >= kMinHexRun) {
        out.append("[REDACTED]");
      } else {
        out.append(text.substr(i, end - i));
      }
      i = end;
      continue;
    }
    out.push_back(text[i++]);
  }
  return out;
}

}  // namespace dynhook::core
