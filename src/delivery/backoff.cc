#include "delivery/backoff.h"

#include <algorithm>
#include <cmath>

namespace dynhook::delivery {

core::Duration BackoffPolicy::Nominal(int failures) const {
  const int exponent = std::clamp(failures, 1, 40) - 1;
  const double ms = static_cast<double>(base.count()) * std::ldexp(1.0, exponent);
  return core::Duration(static_cast<int64_t>(std::min(ms, static_cast<double>(max.count()))));
}

core::Duration BackoffPolicy::Delay(int failures, core::Random& random) const {
  const double u = random.NextDouble() * 2.0 - 1.0;  // [-1, 1)
  const double nominal = static_cast<double>(Nominal(failures).count());
  const double ms = nominal * (1.0 + jitter * u);
  return core::Duration(
      static_cast<int64_t>(std::clamp(ms, 0.0, static_cast<double>(max.count()))));
}

core::Duration BackoffPolicy::AfterFailure(int failures, int statusCode,
                                           std::optional<int> retryAfterSeconds,
                                           core::Random& random) const {
  if ((statusCode == 429 || statusCode == 503) && retryAfterSeconds) {
    const int64_t asked = static_cast<int64_t>(std::max(*retryAfterSeconds, 0)) * 1000;
    return core::Duration(std::clamp<int64_t>(asked, base.count(), std::max(base, max).count()));
  }
  return Delay(failures, random);
}

}  // namespace dynhook::delivery
