// Simulator: the built-in OEM connector (SPEC §5), a simulated fleet of accounts and vehicles.
//
// Persistent part: accounts (username, salted password hash, make), vehicles (make, model,
// year, VIN, seed) and the test controls (state pins, injected fault) live in a
// store::SimFleetStore; Load() reads them at start-up and every change is written through.
// Everything else is derived: a vehicle's state is a pure function of (vehicle seed, platform
// time, pins) — see oem/vehicle_model.h for the daily life of a vehicle and
// oem/sim_overrides.h for the pins — so reads are deterministic and cost microseconds.
//
// Reads and commands behave like an OEM cloud: they take `latency` of wall time, are rate
// limited per vehicle per wall minute (RATE_LIMIT:VEHICLE with retryAfterSeconds), answer
// COMPATIBILITY:VEHICLE_NOT_CAPABLE for data the make does not offer, and fail as the injected
// fault says (FaultNames()):
//   AUTHENTICATION_FAILED  CONNECTED_SERVICES_ACCOUNT:AUTHENTICATION_FAILED (owner changed the
//                          OEM password), ACCOUNT_ISSUE  CONNECTED_SERVICES_ACCOUNT:ACCOUNT_ISSUE,
//   ASLEEP  VEHICLE_STATE:ASLEEP,  UNREACHABLE  VEHICLE_STATE:UNREACHABLE,
//   UPSTREAM_TIMEOUT  UPSTREAM:NO_RESPONSE,  UPSTREAM_RATE_LIMIT  UPSTREAM:RATE_LIMIT,
//   RATE_LIMIT  RATE_LIMIT:VEHICLE (retry after 60 s).
// A vehicle pinned `asleep` answers the data it had when it fell asleep (SC-Data-Age then).
// An unknown vehicle is CONNECTED_SERVICES_ACCOUNT:VEHICLE_MISSING.
//
// Push (makes with pushesChanges): state is a function of time, so nothing "happens" on its
// own. The platform calls PollChanges() periodically (every few wall seconds); it reports, via
// the change listener, every plug-in/unplug/charge-state change of a pushing vehicle since the
// previous poll, stamped with the platform time it happened (DetectChanges computes them from
// the day plans, cheaply). A pin that changes the plug or charge state notifies the listener
// at once, from SetOverride/Execute.
//
// Thread-safety: every method may be called from any thread. One mutex guards the fleet maps
// and rate-limit windows; the listener is called without it held.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "oem/catalog.h"
#include "oem/connector.h"
#include "oem/sim_overrides.h"
#include "oem/vehicle_model.h"
#include "store/store.h"

namespace dynhook::oem {

struct SimulatorOptions {
  // Wall-time latency of every OEM call, uniformly in [minLatency, maxLatency] (deterministic
  // from the seed). 0 for tests; the app uses about 20-120 ms.
  core::Duration minLatency{0};
  core::Duration maxLatency{0};
  // Reads and commands per vehicle per wall-clock minute; 0 disables the limit.
  int rateLimitPerMinute = 60;
};

class Simulator final : public Connector {
 public:
  static constexpr int kMaxVehiclesPerAccount = 50;
  static constexpr int kFaultRetryAfterSeconds = 60;

  // `platformClock` drives the fleet (scaled time), `wallClock` the rate limits and account
  // creation times. The store and clocks must outlive the simulator.
  Simulator(store::SimFleetStore& store, const core::Clock& platformClock,
            const core::Clock& wallClock, uint64_t seed, SimulatorOptions options = {});

  // Reads the persisted fleet (call once before use). Vehicles of makes no longer in the
  // catalog are skipped.
  core::Status Load();

  // Connector.
  std::vector<MakeInfo> Makes() const override;
  std::optional<MakeInfo> Make(std::string_view make) const override;
  core::Result<Account> Authenticate(std::string_view make, std::string_view username,
                                     std::string_view password, bool createIfUnknown) override;
  core::Result<std::vector<VehicleInfo>> ListVehicles(const std::string& accountId) override;
  core::Result<VehicleInfo> GetVehicle(const std::string& vehicleId) override;
  core::Result<Reading> Read(const std::string& vehicleId, DataPath path) override;
  core::Status Execute(const std::string& vehicleId, Command command) override;
  void SetChangeListener(std::function<void(const ChangeEvent&)> listener) override;

  // Fleet administration (`/api/admin/sim`, `dynhook admin`).
  struct CreatedAccount {
    Account account;
    std::vector<VehicleInfo> vehicles;
  };
  // Validation for an unknown make, an empty username/password or vehicleCount outside 1..50;
  // Conflict when the make already has this username. Vehicles are deterministic in
  // (simulator seed, make, username).
  core::Result<CreatedAccount> CreateAccount(std::string_view make, std::string_view username,
                                             std::string_view password, int vehicleCount);
  // Ensures accounts "<make>-1".."<make>-N" (lowercase make) exist for every make, creating
  // the missing ones with `vehiclesPerAccount` vehicles and `password`. Idempotent.
  core::Result<std::vector<CreatedAccount>> Seed(int accountsPerMake, int vehiclesPerAccount,
                                                 std::string_view password);
  // As if the owner changed the OEM password (old password stops working).
  core::Status ChangePassword(const std::string& accountId, std::string_view newPassword);
  std::vector<Account> ListAccounts() const;
  std::vector<VehicleInfo> ListAllVehicles() const;

  // The vehicle's full current state (sim_readings.h StateJson); NotFound when unknown.
  core::Result<boost::json::object> GetState(const std::string& vehicleId) const;
  // Applies pins (sim_overrides.h ApplyPatch); Validation on a bad patch, NotFound when unknown.
  core::Status SetOverride(const std::string& vehicleId, const boost::json::object& patch);
  core::Status ClearOverride(const std::string& vehicleId);
  // Validation for a name not in FaultNames().
  core::Status SetFault(const std::string& vehicleId, std::string_view fault);
  core::Status ClearFault(const std::string& vehicleId);
  static const std::vector<std::string>& FaultNames();
  // The error a read fails with under `fault`; nullopt for an unknown name.
  static std::optional<core::Error> FaultError(std::string_view fault);

  // Plug/charge-state changes of pushing vehicles in (from, to], in time order. Pure: does not
  // call the listener. Windows longer than 31 days are cut to their last 31 days.
  std::vector<ChangeEvent> DetectChanges(core::TimePoint from, core::TimePoint to) const;
  // DetectChanges(previous poll or construction, platform now), each event passed to the
  // listener; returns them too.
  std::vector<ChangeEvent> PollChanges();

 private:
  struct VehicleEntry {
    store::SimVehicle record;  // stateOverrideJson and fault kept current
    const MakeSpec* make = nullptr;
    std::unique_ptr<const VehicleModel> model;  // immutable, never freed while running
    Overrides overrides;
  };
  struct Snapshot {
    store::SimVehicle record;
    const MakeSpec* make;
    const VehicleModel* model;
    Overrides overrides;
  };
  struct RateWindow {
    int64_t minute = 0;
    int count = 0;
  };

  std::unique_ptr<VehicleEntry> MakeEntry(const store::SimVehicle& record) const;
  std::optional<Snapshot> Find(const std::string& vehicleId) const;
  std::optional<core::Error> Admit(const Snapshot& vehicle, std::optional<DataPath> capability);
  std::optional<core::Error> TakeRateToken(const std::string& vehicleId);
  void SimulateLatency();
  core::Status UpdateOverrides(
      const std::string& vehicleId,
      const std::function<core::Status(const VehicleModel&, Overrides&)>& change);
  core::Status UpdateFault(const std::string& vehicleId, const std::string& fault);
  void Notify(const std::vector<ChangeEvent>& events);
  std::optional<std::string> FindAccountId(std::string_view make, std::string_view username) const;
  std::vector<VehicleInfo> VehiclesOf(const std::string& accountId) const;  // mu_ held

  store::SimFleetStore& store_;
  const core::Clock& platformClock_;
  const core::Clock& wallClock_;
  const uint64_t seed_;
  const SimulatorOptions options_;
  core::SeededRandom latencyRandom_;

  mutable std::mutex mu_;
  std::map<std::string, store::SimAccount> accounts_;              // by id; guarded by mu_
  std::map<std::string, std::string> accountByLogin_;              // "MAKE\nusername" -> id
  std::map<std::string, std::unique_ptr<VehicleEntry>> vehicles_;  // by id; guarded by mu_
  std::map<std::string, RateWindow> rateWindows_;                  // by vehicle; guarded by mu_

  std::mutex listenerMu_;
  std::function<void(const ChangeEvent&)> listener_;  // guarded by listenerMu_

  std::mutex pollMu_;
  core::TimePoint lastPoll_;  // guarded by pollMu_
};

// Converts a simulator vehicle record into the connector's view.
VehicleInfo ToVehicleInfo(const store::SimVehicle& record);

}  // namespace dynhook::oem
