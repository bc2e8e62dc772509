#include "scheduler/interval_policy.h"

#include <gtest/gtest.h>

namespace dynhook::scheduler {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const core::TimePoint t0 = core::FromMillis(1'795'000'000'000);

oem::MakeInfo Make(core::Duration optimal, bool push) {
  oem::MakeInfo make;
  make.make = "X";
  make.optimalInterval = optimal;
  make.pushesChanges = push;
  return make;
}

TEST(IntervalPolicy, NextAnchoredStaysOnTheSubscriptionGrid) {
  EXPECT_EQ(NextAnchored(t0, hours(1), t0), t0 + hours(1));
  EXPECT_EQ(NextAnchored(t0, hours(1), t0 + minutes(59)), t0 + hours(1));
  EXPECT_EQ(NextAnchored(t0, hours(1), t0 + hours(1)), t0 + hours(2));
  EXPECT_EQ(NextAnchored(t0, hours(1), t0 + hours(5) + minutes(1)), t0 + hours(6));
  EXPECT_EQ(NextAnchored(t0, hours(1), t0 - minutes(5)), t0 + hours(1));
}

TEST(IntervalPolicy, CadenceFollowsTheMake) {
  webhooks::WebhookOptions options;  // 1 h / 30 min
  const auto fast = CadenceFor(options, Make(minutes(1), true), minutes(5));
  EXPECT_EQ(fast.elevatedInterval, minutes(1));
  EXPECT_EQ(fast.probeInterval, core::Duration{0});  // push covers charge.isPluggedIn
  const auto slow = CadenceFor(options, Make(minutes(45), false), minutes(5));
  EXPECT_EQ(slow.elevatedInterval, minutes(30));
  EXPECT_EQ(slow.probeInterval, minutes(45));
  const auto mid = CadenceFor(options, Make(minutes(2), false), minutes(5));
  EXPECT_EQ(mid.probeInterval, minutes(5));  // never faster than the floor
  options.trigger.signal = "battery.percentRemaining";
  options.trigger.op = webhooks::Trigger::kBelow;
  options.trigger.operand = 0.2;
  EXPECT_EQ(CadenceFor(options, Make(minutes(1), true), minutes(5)).probeInterval, minutes(5));
  const auto unknown = CadenceFor(options, std::nullopt, minutes(5));
  EXPECT_EQ(unknown.elevatedInterval, minutes(30));
  EXPECT_EQ(unknown.probeInterval, minutes(30));
}

TEST(IntervalPolicy, AfterFetch) {
  Cadence cadence{hours(1), minutes(2), minutes(5)};
  auto next = AfterFetch(cadence, t0, false, true, t0 + minutes(7));
  EXPECT_EQ(next.nextDueAt, t0 + minutes(9));
  EXPECT_EQ(next.interval, minutes(2));
  EXPECT_EQ(next.triggerActive, true);
  next = AfterFetch(cadence, t0, true, false, t0 + minutes(7));
  EXPECT_EQ(next.nextDueAt, t0 + hours(1));
  EXPECT_EQ(next.interval, hours(1));
  next = AfterFetch(cadence, t0, true, std::nullopt, t0 + minutes(7));  // unknown: keeps state
  EXPECT_EQ(next.triggerActive, true);
  EXPECT_EQ(next.nextDueAt, t0 + minutes(9));
  next = AfterFetch(cadence, t0, std::nullopt, std::nullopt, t0);
  EXPECT_EQ(next.triggerActive, std::nullopt);
  EXPECT_EQ(next.nextDueAt, t0 + hours(1));
}

TEST(IntervalPolicy, ProbesOnlyWhenTheNextFetchIsFurther) {
  Cadence cadence{hours(1), minutes(30), minutes(30)};
  EXPECT_EQ(NextProbe(cadence, t0, t0 + hours(1)), t0 + minutes(30));
  EXPECT_EQ(NextProbe(cadence, t0, t0 + minutes(30)), kNever);
  cadence.probeInterval = core::Duration{0};
  EXPECT_EQ(NextProbe(cadence, t0, t0 + hours(1)), kNever);
  EXPECT_TRUE(TriggerChanged(std::nullopt, true));
  EXPECT_FALSE(TriggerChanged(std::nullopt, false));
  EXPECT_FALSE(TriggerChanged(true, std::nullopt));
  EXPECT_TRUE(TriggerChanged(true, false));
}

}  // namespace
}  // namespace dynhook::scheduler
