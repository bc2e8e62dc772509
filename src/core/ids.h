// Identifiers: UUIDs in their canonical lowercase form, random (version 4) or time-ordered
// (version 7).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/random.h"

namespace dynhook::core {

std::string NewUuid(Random& random = DefaultRandom());

// RFC 9562 version 7: 48 bits of Unix time in milliseconds, then 74 random bits. Ids made in a
// later millisecond sort later (as text too), so an index keyed by them grows at its end
// instead of at random pages: delivery ids (eventIds) are made this way, which halves what
// SQLite writes per delivery (docs/benchmarks.md). Ids of the same millisecond are unordered.
std::string NewTimeOrderedUuid(int64_t unixMillis, Random& random = DefaultRandom());
std::string NewTimeOrderedUuid(Random& random = DefaultRandom());  // now, system clock
bool IsUuid(std::string_view text);  // canonical 8-4-4-4-12 hex, any version

}  // namespace dynhook::core
