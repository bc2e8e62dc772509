// Housekeeping of Connect's credentials: expired authorization codes and tokens are deleted,
// so the tables hold live credentials only (token rotation adds a pair every refresh).
// Credentials keep wall-clock time (SPEC §1: --time-scale does not apply to them).
#pragma once

#include <cstdint>
#include <functional>

#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace dynhook::connect {

// Deletes what expired before `now`, `chunk` rows of each table per transaction, until none is
// left or `stopping()` says so. Returns how many rows went.
core::Result<int64_t> PurgeExpiredCredentials(store::GrantStore& store, core::TimePoint now,
                                              int chunk, const std::function<bool()>& stopping);

}  // namespace dynhook::connect
