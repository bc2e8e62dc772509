// Backoff: when a failed delivery is tried again (SPEC §4.5). Pure functions of the options,
// the attempt number and a random draw, so tests can check the bounds exactly.
//
//   RetryDelay(n) = min(backoffBase × 2^(n-1) × (1 + jitter × u), maxBackoff), u uniform in
//   [-1, 1), n = failed attempts so far (1 after the first failure): with the defaults about
//   30 s, 1, 2, 4, 8, 16 min.
//   Retry-After (429 or 503 only) replaces the computed delay, clamped to the schedule's bounds
//   [backoffBase, maxBackoff]: a receiver can ask for more time (up to maxBackoff) or for less
//   than the exponential schedule, but never for a retry sooner than the first scheduled one.
//
// Thread-safety: stateless; `random` must be thread-safe (core::Random implementations are).
#pragma once

#include <chrono>
#include <optional>

#include "core/clock.h"
#include "core/random.h"

namespace dynhook::delivery {

struct BackoffPolicy {
  core::Duration base{30'000};
  double jitter = 0.2;
  core::Duration max{3'600'000};

  // The delay without jitter for `failures` (>= 1) failed attempts, capped at `max`.
  core::Duration Nominal(int failures) const;
  // Nominal(failures) with ±jitter drawn from `random`, capped at `max`.
  core::Duration Delay(int failures, core::Random& random) const;
  // The delay after a failed attempt that answered `statusCode`: Retry-After (on 429/503,
  // clamped to [base, max]) when present, else Delay(failures).
  core::Duration AfterFailure(int failures, int statusCode, std::optional<int> retryAfterSeconds,
                              core::Random& random) const;
};

}  // namespace dynhook::delivery
