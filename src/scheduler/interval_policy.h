// IntervalPolicy: the arithmetic of the dynamic schedule (SPEC §4.3), as pure functions so the
// scheduler's decisions can be tested without a fleet:
//   - default cadence anchored at the subscription: the next due is createdAt + k×default, the
//     first such time after the fetch (a restart after hours is due once, then back on the grid);
//   - while the trigger holds: every min(intervals.elevated, the make's optimal interval), from
//     the fetch;
//   - change detection: a make that pushes charge changes needs no probing for charge.* signals;
//     otherwise the trigger signal is probed every max(optimal interval, minProbeInterval) while
//     the next full fetch is further away than that.
// Thread-safety: stateless.
#pragma once

#include <optional>

#include "core/clock.h"
#include "oem/connector.h"
#include "webhooks/options.h"

namespace dynhook::scheduler {

inline constexpr core::TimePoint kNever = core::TimePoint::max();

// What the schedule of one (webhook, vehicle) pair is made of.
struct Cadence {
  core::Duration defaultInterval{3'600'000};
  core::Duration elevatedInterval{1'800'000};  // already min(elevated, optimal)
  core::Duration probeInterval{0};             // 0: no probing (push covers the signal)
};

// `make` may be nullopt (vehicle unknown to the connector): optimal = options' elevated
// interval, no push.
Cadence CadenceFor(const webhooks::WebhookOptions& options,
                   const std::optional<oem::MakeInfo>& make, core::Duration minProbeInterval);

// Smallest createdAt + k×interval (k >= 1) strictly after `after`.
core::TimePoint NextAnchored(core::TimePoint createdAt, core::Duration interval,
                             core::TimePoint after);

struct NextSchedule {
  core::TimePoint nextDueAt;
  core::Duration interval;
  std::optional<bool> triggerActive;  // what is persisted
};

// After a full fetch at `now` that observed the trigger as `observed` (nullopt: could not be
// evaluated, the previous state stands).
NextSchedule AfterFetch(const Cadence& cadence, core::TimePoint createdAt,
                        std::optional<bool> previous, std::optional<bool> observed,
                        core::TimePoint now);

// When to probe next after a fetch or probe at `now`: now + probeInterval if probing is on and
// that comes before the next full fetch; kNever otherwise.
core::TimePoint NextProbe(const Cadence& cadence, core::TimePoint now, core::TimePoint nextDueAt);

// Whether a probe's observation is a change of trigger state (nullopt observations never are;
// an unknown previous state counts as "not holding").
bool TriggerChanged(std::optional<bool> previous, std::optional<bool> observed);

}  // namespace dynhook::scheduler
