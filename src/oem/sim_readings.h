// Turns a simulated vehicle's state into what the simulator answers: Smartcar v2.0 response
// bodies (metric units, sensibly rounded) and the admin API's full-state view.
// Pure functions, thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "oem/connector.h"
#include "oem/sim_overrides.h"
#include "oem/vehicle_model.h"
#include "store/records.h"

namespace dynhook::oem {

// The body of `path` (see DataPath in connector.h for the shapes).
boost::json::object ReadingBody(DataPath path, const store::SimVehicle& vehicle,
                                const VehicleModel& model, const VehicleState& state);

// Everything about the vehicle for `GET /api/admin/sim/vehicles/{id}/state`: identity, the
// effective state (pin names as in sim_overrides.h, so a GET answer's fields can be PUT back),
// the pins and the injected fault.
boost::json::object StateJson(const store::SimVehicle& vehicle, const VehicleModel& model,
                              const VehicleState& state, const Overrides& overrides);

double RoundTo(double value, int decimals);

}  // namespace dynhook::oem
