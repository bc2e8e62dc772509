#include "core/clock.h"

#include <cctype>
#include <cstdio>

namespace dynhook::core {

TimePoint RealClock::Now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

ScaledClock::ScaledClock(double scale)
    : scale_(scale),
      startSteady_(std::chrono::steady_clock::now()),
      startWall_(RealClock().Now()) {}

TimePoint ScaledClock::Now() const {
  const auto elapsed =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - startSteady_);
  return startWall_ + Duration(static_cast<int64_t>(elapsed.count() * scale_));
}

ManualClock::ManualClock(TimePoint start) : nowMs_(ToMillis(start)) {}

std::string FormatIso8601(TimePoint t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const auto ms = (t - day).count();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long long>(ms / 3'600'000),
                static_cast<long long>(ms / 60'000 % 60), static_cast<long long>(ms / 1000 % 60),
                static_cast<long long>(ms % 1000));
  return buf;
}

namespace {

bool ReadDigits(std::string_view& s, int n, int& out) {
  if (s.size() < static_cast<size_t>(n)) return false;
  out = 0;
  for (int i = 0; i < n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  s.remove_prefix(n);
  return true;
}

bool Expect(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

std::optional<TimePoint> ParseIso8601(std::string_view s) {
  int y, mo, d, h, mi, sec, ms = 0;
  if (!ReadDigits(s, 4, y) || !Expect(s, '-') || !ReadDigits(s, 2, mo) || !Expect(s, '-') ||
      !ReadDigits(s, 2, d) || !Expect(s, 'T') || !ReadDigits(s, 2, h) || !Expect(s, ':') ||
      !ReadDigits(s, 2, mi) || !Expect(s, ':') || !ReadDigits(s, 2, sec)) {
    return std::nullopt;
  }
  if (!s.empty() && s.front() == '.') {
    s.remove_prefix(1);
    int digits = 0;
    ms = 0;
    while (!s.empty() && std::isdigit(static_cast<unsigned char>(s.front()))) {
      if (digits < 3) ms = ms * 10 + (s.front() - '0');
      ++digits;
      s.remove_prefix(1);
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 3; ++i) ms *= 10;
  }
  int offsetMinutes = 0;
  if (Expect(s, 'Z')) {
  } else if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    const int sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
    int oh, om;
    if (!ReadDigits(s, 2, oh) || !Expect(s, ':') || !ReadDigits(s, 2, om)) return std::nullopt;
    offsetMinutes = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (!s.empty()) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mo),
                                        std::chrono::day(d)};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  return TimePoint(std::chrono::sys_days(ymd)) + std::chrono::hours(h) +
         std::chrono::minutes(mi - offsetMinutes) + std::chrono::seconds(sec) + Duration(ms);
}

std::optional<Duration> ParseIsoDuration(std::string_view s) {
  if (!Expect(s, 'P') || s.empty()) return std::nullopt;
  int64_t total = 0;
  bool inTime = false, any = false;
  while (!s.empty()) {
    if (s.front() == 'T') {
      if (inTime) return std::nullopt;
      inTime = true;
      s.remove_prefix(1);
      continue;
    }
    int64_t n = 0;
    size_t digits = 0;
    while (!s.empty() && std::isdigit(static_cast<unsigned char>(s.front())) && digits < 9) {
      n = n * 10 + (s.front() - '0');
      s.remove_prefix(1);
      ++digits;
    }
    if (digits == 0 || s.empty()) return std::nullopt;
    int64_t fractionMs = 0;
    if (inTime && s.front() == '.') {  // fractional seconds, millisecond precision: "PT1.5S"
      s.remove_prefix(1);
      int64_t scale = 100;
      size_t fractionDigits = 0;
      while (!s.empty() && std::isdigit(static_cast<unsigned char>(s.front()))) {
        fractionMs += (s.front() - '0') * scale;
        scale /= 10;
        s.remove_prefix(1);
        ++fractionDigits;
      }
      if (fractionDigits == 0 || s.empty() || s.front() != 'S') return std::nullopt;
    }
    total += fractionMs;
    const char unit = s.front();
    s.remove_prefix(1);
    if (!inTime && unit == 'D')
      total += n * 86'400'000;
    else if (!inTime && unit == 'W')
      total += n * 7 * 86'400'000;
    else if (inTime && unit == 'H')
      total += n * 3'600'000;
    else if (inTime && unit == 'M')
      total += n * 60'000;
    else if (inTime && unit == 'S')
      total += n * 1000;
    else
      return std::nullopt;
    any = true;
  }
  if (!any) return std::nullopt;
  return Duration(total);
}

std::string FormatIsoDuration(Duration d) {
  int64_t ms = d.count();
  std::string out = "PT";
  if (ms >= 3'600'000) out += std::to_string(ms / 3'600'000) + "H", ms %= 3'600'000;
  if (ms >= 60'000) out += std::to_string(ms / 60'000) + "M", ms %= 60'000;
  if (ms > 0 || out == "PT") {
    out += std::to_string(ms / 1000);
    if (ms % 1000) {
      char buf[8];
      std::snprintf(buf, sizeof buf, ".%03lld", static_cast<long long>(ms % 1000));
      out += buf;
    }
    out += "S";
  }
  return out;
}

}  // namespace dynhook::core
