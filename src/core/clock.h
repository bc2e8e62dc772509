// Clock: the one seam through which the platform reads time (STYLE.md principle 3). Nothing
// calls std::chrono::system_clock directly. Three implementations:
//   RealClock   - wall time; credentials and rate limits use it (SPEC §1: they keep wall time).
//   ScaledClock - platform time that runs `scale` times faster than wall time from the moment
//                 it is created (`--time-scale`); delivery intervals, backoff and the simulated
//                 fleet use it.
//   ManualClock - tests set and advance it explicitly; never moves on its own.
// All implementations are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dynhook::core {

using Duration = std::chrono::milliseconds;
using TimePoint = std::chrono::sys_time<Duration>;  // milliseconds since the Unix epoch (UTC)

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // How many platform milliseconds pass per wall millisecond (1 for RealClock). Lets code that
  // must wait in wall time (a timer) convert a platform duration.
  virtual double Scale() const { return 1.0; }
};

class RealClock final : public Clock {
 public:
  TimePoint Now() const override;
};

class ScaledClock final : public Clock {
 public:
  // Platform time equals wall time at construction, then runs `scale` times faster.
  explicit ScaledClock(double scale);
  TimePoint Now() const override;
  double Scale() const override { return scale_; }

 private:
  double scale_;
  std::chrono::steady_clock::time_point startSteady_;
  TimePoint startWall_;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint(Duration(1'795'000'000'000)));  // 2026-11-18
  TimePoint Now() const override { return TimePoint(Duration(nowMs_.load())); }
  void Set(TimePoint t) { nowMs_.store(t.time_since_epoch().count()); }
  void Advance(Duration d) { nowMs_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> nowMs_;
};

inline int64_t ToMillis(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromMillis(int64_t ms) { return TimePoint(Duration(ms)); }

// "2026-11-26T10:00:00.000Z" (what JavaScript's Date.prototype.toISOString prints).
std::string FormatIso8601(TimePoint t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z" and numeric offsets "+HH:MM".
std::optional<TimePoint> ParseIso8601(std::string_view text);
// ISO-8601 durations as used in webhook options: "PT1H", "PT30M", "PT90S", "P1D", "PT1H30M".
std::optional<Duration> ParseIsoDuration(std::string_view text);
std::string FormatIsoDuration(Duration d);

}  // namespace dynhook::core
