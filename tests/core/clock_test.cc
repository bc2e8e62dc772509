#include "core/clock.h"

#include <gtest/gtest.h>

namespace dynhook::core {
namespace {

TEST(Iso8601, FormatsLikeJavaScriptToIsoString) {
  EXPECT_EQ(FormatIso8601(FromMillis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(FromMillis(1795000000123)), "2026-11-18T11:06:40.123Z");
}

TEST(Iso8601, ParsesWhatItFormatsAndOffsets) {
  const auto t = FromMillis(1795000000123);
  EXPECT_EQ(ParseIso8601(FormatIso8601(t)), t);
  EXPECT_EQ(ParseIso8601("2026-11-18T12:06:40.123+01:00"), t);
  EXPECT_EQ(ParseIso8601("2026-11-18T11:06:40Z"), FromMillis(1795000000000));
}

TEST(Iso8601, RejectsMalformed) {
  for (const char* bad :
       {"", "2026", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-18T24:00:00Z",
        "2026-11-18T09:46:40", "2026-11-18T09:46:40Zx", "2026-11-18T09:46:40.Z"}) {
    EXPECT_FALSE(ParseIso8601(bad).has_value()) << bad;
  }
}

TEST(IsoDuration, ParsesCommonForms) {
  EXPECT_EQ(ParseIsoDuration("PT1H"), std::chrono::hours(1));
  EXPECT_EQ(ParseIsoDuration("PT30M"), std::chrono::minutes(30));
  EXPECT_EQ(ParseIsoDuration("PT1H30M"), std::chrono::minutes(90));
  EXPECT_EQ(ParseIsoDuration("P1D"), std::chrono::hours(24));
  EXPECT_EQ(ParseIsoDuration("PT45S"), std::chrono::seconds(45));
  for (const char* bad : {"", "P", "PT", "1H", "PT1X", "P1H", "PTH", "PT1H1H1"}) {
    EXPECT_FALSE(ParseIsoDuration(bad).has_value()) << bad;
  }
}

TEST(IsoDuration, FormatRoundTrips) {
  for (auto d :
       {Duration(3'600'000), Duration(1'800'000), Duration(90'000), Duration(1500), Duration(0)}) {
    EXPECT_EQ(ParseIsoDuration(FormatIsoDuration(d)).value_or(Duration(-1)), d)
        << FormatIsoDuration(d);
  }
  EXPECT_EQ(FormatIsoDuration(std::chrono::minutes(30)), "PT30M");
}

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock(FromMillis(1000));
  EXPECT_EQ(clock.Now(), FromMillis(1000));
  clock.Advance(std::chrono::minutes(1));
  EXPECT_EQ(clock.Now(), FromMillis(61000));
  clock.Set(FromMillis(5));
  EXPECT_EQ(clock.Now(), FromMillis(5));
}

TEST(ScaledClock, RunsFasterThanWallTime) {
  ScaledClock clock(3600.0);
  const auto a = clock.Now();
  // Busy-wait a bounded number of iterations for the steady clock to move at least 1 ms.
  auto b = a;
  for (int i = 0; i < 100'000'000 && b - a < std::chrono::seconds(3); ++i) b = clock.Now();
  EXPECT_GE(b - a, std::chrono::seconds(3));  // >= 1 ms of wall time scaled by 3600
  EXPECT_EQ(clock.Scale(), 3600.0);
}

}  // namespace
}  // namespace dynhook::core
