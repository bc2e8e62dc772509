// Helpers shared by the SqliteStore files for turning records into columns and back.
// Lists (scopes, vehicle ids, redirect URIs) are stored as JSON arrays of strings.
// Thread-safety: free functions without shared state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dynhook::store {

std::string EncodeList(const std::vector<std::string>& items);
// SERVER:INTERNAL when the column does not hold a JSON array of strings (a corrupt row).
core::Result<std::vector<std::string>> DecodeList(std::string_view json, std::string_view column);

}  // namespace dynhook::store
