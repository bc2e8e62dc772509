// Scopes: the permissions an application can request through Connect (SPEC §2) and the
// parsing of Smartcar's `scope` parameter: a space-separated list of permission names, each
// optionally prefixed with `required:` (Connect then shows it as required rather than
// optional; dynhook grants every listed permission either way).
// Thread-safe: pure functions over constant tables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dynhook::connect {

struct RequestedPermission {
  std::string name;  // "read_battery"
  bool required = false;
};

// Every permission dynhook knows, in the order SPEC §2 lists them.
const std::vector<std::string_view>& AllPermissions();
bool IsKnownPermission(std::string_view name);
// A sentence for the Connect page ("Your vehicle's battery level and range"); empty for an
// unknown name.
std::string_view DescribePermission(std::string_view name);

// Parses a `scope` value. Names may be separated by any run of spaces; duplicates are merged
// (required if any occurrence is). VALIDATION:PARAMETER when the scope is empty, a name is
// unknown (the description names it) or there are more than 100 entries.
core::Result<std::vector<RequestedPermission>> ParseScope(std::string_view scope);
// The permission names alone, in request order (what a grant stores).
std::vector<std::string> PermissionNames(const std::vector<RequestedPermission>& permissions);

}  // namespace dynhook::connect
