// Identifiers: RFC 4122 version-4 UUIDs in their canonical lowercase form.
#pragma once

#include <string>
#include <string_view>

#include "core/random.h"

namespace dynhook::core {

std::string NewUuid(Random& random = DefaultRandom());
bool IsUuid(std::string_view text);  // canonical 8-4-4-4-12 hex, any version

}  // namespace dynhook::core
