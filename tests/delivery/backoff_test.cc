// BackoffPolicy: the exponential schedule, jitter bounds, the cap and Retry-After clamping.
#include "delivery/backoff.h"

#include <gtest/gtest.h>

namespace dynhook::delivery {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, DefaultScheduleIsThirtySecondsDoubling) {
  BackoffPolicy policy;
  const int64_t expected[] = {30'000, 60'000, 120'000, 240'000, 480'000, 960'000};
  for (int n = 1; n <= 6; ++n) EXPECT_EQ(policy.Nominal(n).count(), expected[n - 1]);
  EXPECT_EQ(policy.Nominal(30).count(), 3'600'000);  // capped
}

TEST(BackoffTest, JitterStaysWithinTwentyPercentAndCoversTheRange) {
  BackoffPolicy policy;
  core::SeededRandom random(1);
  int64_t low = INT64_MAX, high = 0;
  for (int i = 0; i < 2000; ++i) {
    const int64_t d = policy.Delay(3, random).count();
    low = std::min(low, d);
    high = std::max(high, d);
  }
  EXPECT_GE(low, 96'000);
  EXPECT_LE(high, 144'000);
  EXPECT_LT(low, 100'000);
  EXPECT_GT(high, 140'000);
}

TEST(BackoffTest, RetryAfterOnlyFor429And503AndClamped) {
  BackoffPolicy policy;
  core::SeededRandom random(2);
  EXPECT_EQ(policy.AfterFailure(1, 429, 90, random), milliseconds(90'000));
  EXPECT_EQ(policy.AfterFailure(5, 503, 5, random), milliseconds(30'000));
  EXPECT_EQ(policy.AfterFailure(1, 429, 1'000'000, random), milliseconds(3'600'000));
  EXPECT_EQ(policy.AfterFailure(1, 503, -4, random), milliseconds(30'000));
  const auto other = policy.AfterFailure(1, 500, 90, random).count();
  EXPECT_GE(other, 24'000);
  EXPECT_LE(other, 36'000);
}

}  // namespace
}  // namespace dynhook::delivery
