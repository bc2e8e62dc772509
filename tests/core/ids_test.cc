#include "core/ids.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

namespace dynhook::core {
namespace {

TEST(Uuid, IsVersion4AndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto id = NewUuid();
    ASSERT_TRUE(IsUuid(id)) << id;
    EXPECT_EQ(id[14], '4');
    EXPECT_TRUE(std::string("89ab").find(id[19]) != std::string::npos);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Uuid, SeededRandomIsDeterministic) {
  SeededRandom a(7), b(7);
  EXPECT_EQ(NewUuid(a), NewUuid(b));
}

TEST(Uuid, TimeOrderedIsVersion7WithTheUnixMillisFirst) {
  // RFC 9562 appendix A.6: Tuesday, February 22, 2022 2:22:22.00 PM GMT-05:00.
  SeededRandom random(1);
  const auto id = NewTimeOrderedUuid(1645557742000, random);
  ASSERT_TRUE(IsUuid(id)) << id;
  EXPECT_EQ(id.substr(0, 13), "017f22e2-79b0");
  EXPECT_EQ(id[14], '7');
  EXPECT_TRUE(std::string("89ab").find(id[19]) != std::string::npos);
}

TEST(Uuid, TimeOrderedSortsByMillisecondWhateverTheRandomBits) {
  SeededRandom random(2);
  std::string previous;
  for (int64_t ms = 1'700'000'000'000; ms < 1'700'000'000'300; ++ms) {
    const auto id = NewTimeOrderedUuid(ms, random);
    EXPECT_LT(previous, id) << ms;
    previous = id;
  }
  std::set<std::string> sameMillisecond;
  for (int i = 0; i < 1000; ++i) sameMillisecond.insert(NewTimeOrderedUuid(42, random));
  EXPECT_EQ(sameMillisecond.size(), 1000u);
}

TEST(Uuid, TimeOrderedNowUsesTheSystemClock) {
  using namespace std::chrono;
  const auto millis = [] {
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  };
  SeededRandom random(3);
  const std::string before = NewTimeOrderedUuid(millis(), random);
  const std::string id = NewTimeOrderedUuid();
  const std::string after = NewTimeOrderedUuid(millis() + 1, random);
  EXPECT_LE(before.substr(0, 13), id.substr(0, 13));
  EXPECT_LT(id, after);
}

TEST(Uuid, IsUuidRejectsOtherShapes) {
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("../../etc/passwd"));
  EXPECT_FALSE(IsUuid("123e4567-e89b-12d3-a456-42661417400"));
  EXPECT_FALSE(IsUuid("123e4567xe89b-12d3-a456-426614174000"));
  EXPECT_TRUE(IsUuid("123e4567-e89b-12d3-a456-426614174000"));
}

}  // namespace
}  // namespace dynhook::core
