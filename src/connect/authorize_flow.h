// The handlers of GET and POST /oauth/authorize (SPEC §2): render the Connect page, and on
// submission log in to the OEM account through the connector, pick the vehicles and issue an
// authorization code (random, stored only as its hash, valid 10 minutes of wall time).
// Internal to the connect module; ConnectService registers them. Thread-safe (ConnectDeps is).
#pragma once

#include <string>
#include <vector>

#include "connect/connect_deps.h"
#include "core/result.h"
#include "http/message.h"
#include "oem/connector.h"

namespace dynhook::connect {

http::Response HandleAuthorizeGet(const ConnectDeps& deps, const http::Request& request);
http::Response HandleAuthorizePost(const ConnectDeps& deps, const http::Request& request);

// The vehicle ids an approval covers. `requested` (the form's `vehicle` values) must all belong
// to the account; empty means every vehicle of the account. With `singleSelectVin` the one
// vehicle with that VIN; with `singleSelect` only the first. VALIDATION error, with a message
// fit for the Connect page, when nothing can be selected.
core::Result<std::vector<std::string>> SelectVehicles(
    const std::vector<oem::VehicleInfo>& accountVehicles, const std::vector<std::string>& requested,
    bool singleSelect, const std::string& singleSelectVin);

}  // namespace dynhook::connect
