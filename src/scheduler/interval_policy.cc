#include "scheduler/interval_policy.h"

#include <algorithm>

namespace dynhook::scheduler {

Cadence CadenceFor(const webhooks::WebhookOptions& options,
                   const std::optional<oem::MakeInfo>& make, core::Duration minProbeInterval) {
  const core::Duration optimal =
      make && make->optimalInterval.count() > 0 ? make->optimalInterval : options.elevatedInterval;
  Cadence cadence;
  cadence.defaultInterval = options.defaultInterval;
  cadence.elevatedInterval = std::min(options.elevatedInterval, optimal);
  const bool chargeSignal = options.trigger.Path() == oem::DataPath::kCharge;
  const bool pushed = make && make->pushesChanges && chargeSignal;
  cadence.probeInterval = pushed ? core::Duration{0} : std::max(optimal, minProbeInterval);
  return cadence;
}

core::TimePoint NextAnchored(core::TimePoint createdAt, core::Duration interval,
                             core::TimePoint after) {
  if (interval.count() <= 0) return after + core::Duration{1};
  if (after < createdAt) return createdAt + interval;
  const int64_t k = (after - createdAt) / interval + 1;
  return createdAt + interval * k;
}

NextSchedule AfterFetch(const Cadence& cadence, core::TimePoint createdAt,
                        std::optional<bool> previous, std::optional<bool> observed,
                        core::TimePoint now) {
  NextSchedule next;
  next.triggerActive = observed ? observed : previous;
  if (next.triggerActive.value_or(false)) {
    next.interval = cadence.elevatedInterval;
    next.nextDueAt = now + cadence.elevatedInterval;
  } else {
    next.interval = cadence.defaultInterval;
    next.nextDueAt = NextAnchored(createdAt, cadence.defaultInterval, now);
  }
  return next;
}

core::TimePoint NextProbe(const Cadence& cadence, core::TimePoint now, core::TimePoint nextDueAt) {
  if (cadence.probeInterval.count() <= 0) return kNever;
  const core::TimePoint probe = now + cadence.probeInterval;
  return probe < nextDueAt ? probe : kNever;
}

bool TriggerChanged(std::optional<bool> previous, std::optional<bool> observed) {
  return observed && *observed != previous.value_or(false);
}

}  // namespace dynhook::scheduler
