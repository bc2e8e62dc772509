// Connector: the seam between the platform and a car maker's cloud (SPEC §5). The built-in
// implementation is the fleet simulator (oem/simulator.h); a real OEM integration implements
// the same interface. Data comes back as Smartcar v2.0 response bodies in metric units
// (kilometres, kPa, litres); unit conversion is the API's job.
//
// Errors are core::Error values in Smartcar's taxonomy, exactly as they should reach the API
// user or the webhook payload: CONNECTED_SERVICES_ACCOUNT:AUTHENTICATION_FAILED for changed
// credentials, VEHICLE_STATE:ASLEEP/UNREACHABLE, UPSTREAM:NO_RESPONSE for a timeout,
// UPSTREAM:RATE_LIMIT or RATE_LIMIT:VEHICLE with retryAfterSeconds, COMPATIBILITY:
// VEHICLE_NOT_CAPABLE for data the make does not offer.
//
// Thread-safety: all methods may be called concurrently from any thread; they may block for
// the OEM's (simulated) latency.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace dynhook::oem {

// The readable data items, named by their Smartcar path.
enum class DataPath {
  kAttributes,  // "/"            {"id","make","model","year"}
  kBattery,     // "/battery"     {"percentRemaining","range"}          EV and PHEV
  kCharge,      // "/charge"      {"isPluggedIn","state"}                EV and PHEV
  kLocation,    // "/location"    {"latitude","longitude"}
  kOdometer,    // "/odometer"    {"distance"}
  kFuel,        // "/fuel"        {"range","percentRemaining","amountRemaining"}  ICE and PHEV
  kTires,       // "/tires/pressure" {"frontLeft","frontRight","backLeft","backRight"} (kPa)
  kEngineOil,   // "/engine/oil"  {"lifeRemaining"}                      ICE and PHEV
  kVin,         // "/vin"         {"vin"}
  kSecurity,    // "/security"    {"isLocked","doors":[…],…}
};

std::string_view PathOf(DataPath path);                        // "/battery"
std::optional<DataPath> ParseDataPath(std::string_view path);  // "/battery" or "battery"
// The permission a data path needs ("read_battery"); "read_vehicle_info" for attributes.
std::string_view PermissionOf(DataPath path);

struct MakeInfo {
  std::string make;         // "TESLA"
  std::string displayName;  // "Tesla"
  bool electric = false;    // battery + charge
  bool combustion = false;  // fuel + engine oil
  std::vector<DataPath> capabilities;
  core::Duration optimalInterval;  // the make's fastest sensible data interval
  bool pushesChanges = false;      // streams state changes (see SetChangeListener)
};

struct VehicleInfo {
  std::string id;  // platform vehicle id (UUID)
  std::string accountId;
  std::string make;
  std::string model;
  int year = 0;
  std::string vin;
};

struct Account {
  std::string id;
  std::string make;
  std::string username;
};

struct Reading {
  boost::json::object body;   // Smartcar body, metric units
  core::TimePoint dataAge;    // when the vehicle recorded it (SC-Data-Age)
  core::TimePoint fetchedAt;  // when the connector got it (SC-Fetched-At)
};

enum class Command { kLock, kUnlock, kStartCharge, kStopCharge };

// A state change the OEM pushed (SPEC §4.3): the platform re-evaluates webhook triggers.
struct ChangeEvent {
  std::string vehicleId;
  core::TimePoint at;
};

class Connector {
 public:
  virtual ~Connector() = default;

  virtual std::vector<MakeInfo> Makes() const = 0;
  virtual std::optional<MakeInfo> Make(std::string_view make) const = 0;

  // Logs in to an OEM account. CONNECTED_SERVICES_ACCOUNT:AUTHENTICATION_FAILED on a wrong
  // password or unknown user, unless `createIfUnknown` (Connect's simulated mode), which creates
  // an account of `make` (or a random make when empty) with 1–3 vehicles.
  virtual core::Result<Account> Authenticate(std::string_view make, std::string_view username,
                                             std::string_view password, bool createIfUnknown) = 0;
  virtual core::Result<std::vector<VehicleInfo>> ListVehicles(const std::string& accountId) = 0;
  virtual core::Result<VehicleInfo> GetVehicle(const std::string& vehicleId) = 0;

  // Reads one data item now (with the OEM's latency and faults).
  virtual core::Result<Reading> Read(const std::string& vehicleId, DataPath path) = 0;
  virtual core::Status Execute(const std::string& vehicleId, Command command) = 0;

  // Push channel: the listener is called (on a connector thread) when a vehicle's state changes
  // in a way a webhook trigger may care about (plugged in/out, charge state). Connectors whose
  // makes do not push never call it. Pass nullptr to remove.
  virtual void SetChangeListener(std::function<void(const ChangeEvent&)> listener) = 0;
};

}  // namespace dynhook::oem
