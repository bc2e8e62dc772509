#include "oem/simulator.h"

#include <algorithm>
#include <thread>

#include "core/crypto.h"
#include "oem/sim_hash.h"
#include "oem/sim_readings.h"

namespace dynhook::oem {
namespace {

core::Error VehicleMissing() {
  return core::errors::ConnectedServicesAccount("VEHICLE_MISSING",
                                                "The vehicle is not in the OEM account.");
}

core::Error LoginFailed() {
  return core::errors::ConnectedServicesAccount("AUTHENTICATION_FAILED",
                                                "Invalid OEM username or password.");
}

bool Supports(const MakeSpec& make, DataPath path) {
  const auto& caps = make.info.capabilities;
  return std::find(caps.begin(), caps.end(), path) != caps.end();
}

std::optional<DataPath> CapabilityOf(Command command) {
  switch (command) {
    case Command::kLock:
    case Command::kUnlock:
      return DataPath::kSecurity;
    case Command::kStartCharge:
    case Command::kStopCharge:
      return DataPath::kCharge;
  }
  return std::nullopt;
}

}  // namespace

VehicleInfo ToVehicleInfo(const store::SimVehicle& r) {
  return VehicleInfo{r.id, r.accountId, r.make, r.model, r.year, r.vin};
}

Simulator::Simulator(store::SimFleetStore& store, const core::Clock& platformClock,
                     const core::Clock& wallClock, uint64_t seed, SimulatorOptions options)
    : store_(store),
      platformClock_(platformClock),
      wallClock_(wallClock),
      seed_(seed),
      options_(options),
      latencyRandom_(sim::Mix(seed, 0x1a7e)),
      lastPoll_(platformClock.Now()) {}

std::unique_ptr<Simulator::VehicleEntry> Simulator::MakeEntry(
    const store::SimVehicle& record) const {
  const MakeSpec* make = FindMake(record.make);
  if (!make) return nullptr;
  const ModelSpec* model = nullptr;
  for (const auto& m : make->models) {
    if (m.name == record.model) model = &m;
  }
  if (!model) model = GenerateVehicle(*make, record.seed).model;
  auto entry = std::make_unique<VehicleEntry>();
  entry->record = record;
  entry->make = make;
  entry->model = std::make_unique<const VehicleModel>(*make, *model, record.year, record.seed);
  entry->overrides = ParseStoredOverrides(record.stateOverrideJson);
  return entry;
}

core::Status Simulator::Load() {
  auto accounts = store_.ListSimAccounts();
  if (!accounts) return accounts.take_error();
  auto vehicles = store_.ListSimVehicles();
  if (!vehicles) return vehicles.take_error();
  std::lock_guard lock(mu_);
  for (auto& account : *accounts) {
    accountByLogin_[account.make + "\n" + account.username] = account.id;
    accounts_[account.id] = std::move(account);
  }
  for (const auto& record : *vehicles) {
    if (auto entry = MakeEntry(record)) vehicles_[record.id] = std::move(entry);
  }
  return {};
}

std::vector<MakeInfo> Simulator::Makes() const {
  std::vector<MakeInfo> out;
  for (const auto& spec : Catalog()) out.push_back(spec.info);
  return out;
}

std::optional<MakeInfo> Simulator::Make(std::string_view make) const {
  const MakeSpec* spec = FindMake(make);
  if (!spec) return std::nullopt;
  return spec->info;
}

core::Result<Account> Simulator::Authenticate(std::string_view make, std::string_view username,
                                              std::string_view password, bool createIfUnknown) {
  SimulateLatency();
  if (!make.empty() && !FindMake(make)) {
    return core::errors::Compatibility("MAKE_NOT_COMPATIBLE",
                                       "The simulator has no make '" + std::string(make) + "'.");
  }
  if (const auto id = FindAccountId(make, username)) {
    std::lock_guard lock(mu_);
    const store::SimAccount& account = accounts_.at(*id);
    const std::string hash = core::Sha256Hex(account.salt + std::string(password));
    if (!core::ConstantTimeEquals(hash, account.passwordHash)) return LoginFailed();
    return Account{account.id, account.make, account.username};
  }
  if (!createIfUnknown || username.empty() || password.empty()) return LoginFailed();
  const uint64_t h = sim::Mix(seed_, sim::HashString(username));
  const MakeSpec& spec = make.empty() ? Catalog()[h % Catalog().size()] : *FindMake(make);
  const int count = 1 + static_cast<int>(sim::Mix(h, 7) % 3);
  auto created = CreateAccount(spec.info.make, username, password, count);
  if (!created) return created.take_error();
  return created->account;
}

std::optional<std::string> Simulator::FindAccountId(std::string_view make,
                                                    std::string_view username) const {
  std::lock_guard lock(mu_);
  for (const auto& spec : Catalog()) {
    if (!make.empty() && FindMake(make) != &spec) continue;
    const auto it = accountByLogin_.find(spec.info.make + "\n" + std::string(username));
    if (it != accountByLogin_.end()) return it->second;
  }
  return std::nullopt;
}

std::vector<VehicleInfo> Simulator::VehiclesOf(const std::string& accountId) const {
  std::vector<VehicleInfo> out;
  for (const auto& [id, entry] : vehicles_) {
    if (entry->record.accountId == accountId) out.push_back(ToVehicleInfo(entry->record));
  }
  return out;
}

core::Result<std::vector<VehicleInfo>> Simulator::ListVehicles(const std::string& accountId) {
  SimulateLatency();
  std::lock_guard lock(mu_);
  if (!accounts_.contains(accountId)) {
    return core::errors::NotFound("Unknown OEM account.");
  }
  return VehiclesOf(accountId);
}

core::Result<VehicleInfo> Simulator::GetVehicle(const std::string& vehicleId) {
  const auto vehicle = Find(vehicleId);
  if (!vehicle) return VehicleMissing();
  return ToVehicleInfo(vehicle->record);
}

std::optional<Simulator::Snapshot> Simulator::Find(const std::string& vehicleId) const {
  std::lock_guard lock(mu_);
  const auto it = vehicles_.find(vehicleId);
  if (it == vehicles_.end()) return std::nullopt;
  const VehicleEntry& e = *it->second;
  return Snapshot{e.record, e.make, e.model.get(), e.overrides};
}

std::optional<core::Error> Simulator::Admit(const Snapshot& vehicle,
                                            std::optional<DataPath> capability) {
  if (capability && !Supports(*vehicle.make, *capability)) {
    return core::errors::Compatibility("VEHICLE_NOT_CAPABLE",
                                       vehicle.make->info.displayName + " vehicles do not offer " +
                                           std::string(PathOf(*capability)) + ".");
  }
  if (!vehicle.record.fault.empty()) {
    if (auto error = FaultError(vehicle.record.fault)) return error;
  }
  return TakeRateToken(vehicle.record.id);
}

std::optional<core::Error> Simulator::TakeRateToken(const std::string& vehicleId) {
  if (options_.rateLimitPerMinute <= 0) return std::nullopt;
  const int64_t nowMs = core::ToMillis(wallClock_.Now());
  const int64_t minute = nowMs >= 0 ? nowMs / 60'000 : (nowMs - 59'999) / 60'000;
  std::lock_guard lock(mu_);
  RateWindow& window = rateWindows_[vehicleId];
  if (window.minute != minute) window = RateWindow{minute, 0};
  if (window.count >= options_.rateLimitPerMinute) {
    const int64_t leftMs = (minute + 1) * 60'000 - nowMs;
    return core::errors::RateLimit("VEHICLE",
                                   static_cast<int>(std::max<int64_t>(1, (leftMs + 999) / 1000)));
  }
  ++window.count;
  return std::nullopt;
}

void Simulator::SimulateLatency() {
  if (options_.maxLatency <= core::Duration::zero()) return;
  const auto spread = std::max(core::Duration::zero(), options_.maxLatency - options_.minLatency);
  const auto delay =
      options_.minLatency + core::Duration(static_cast<int64_t>(
                                latencyRandom_.NextDouble() * static_cast<double>(spread.count())));
  std::this_thread::sleep_for(delay);
}

core::Result<Reading> Simulator::Read(const std::string& vehicleId, DataPath path) {
  SimulateLatency();
  const auto vehicle = Find(vehicleId);
  if (!vehicle) return VehicleMissing();
  if (auto error = Admit(*vehicle, path)) return *std::move(error);
  const core::TimePoint now = platformClock_.Now();
  VehicleState state = StateWithOverrides(*vehicle->model, vehicle->overrides, now);
  core::TimePoint dataAge = now;
  if (state.asleep) {  // a sleeping vehicle answers what it knew when it fell asleep
    dataAge = std::min(now, vehicle->overrides.asleep->at);
    state = StateWithOverrides(*vehicle->model, vehicle->overrides, dataAge);
  }
  return Reading{ReadingBody(path, vehicle->record, *vehicle->model, state), dataAge, now};
}

core::Status Simulator::Execute(const std::string& vehicleId, Command command) {
  SimulateLatency();
  const auto vehicle = Find(vehicleId);
  if (!vehicle) return VehicleMissing();
  if (auto error = Admit(*vehicle, CapabilityOf(command))) return *std::move(error);
  const auto now = platformClock_.Now();
  const VehicleState state = StateWithOverrides(*vehicle->model, vehicle->overrides, now);
  boost::json::object patch;
  switch (command) {
    case Command::kLock:
    case Command::kUnlock:
      patch["isLocked"] = command == Command::kLock;
      break;
    case Command::kStartCharge:
    case Command::kStopCharge:
      if (!state.pluggedIn) {
        return core::errors::VehicleState("CHARGING_PLUG_NOT_CONNECTED",
                                          "The charging cable is not plugged in.");
      }
      patch["isPluggedIn"] = true;
      patch["chargeState"] = command == Command::kStopCharge ? boost::json::value("NOT_CHARGING")
                                                             : boost::json::value(nullptr);
      break;
  }
  return SetOverride(vehicleId, patch);
}

void Simulator::SetChangeListener(std::function<void(const ChangeEvent&)> listener) {
  std::lock_guard lock(listenerMu_);
  listener_ = std::move(listener);
}

void Simulator::Notify(const std::vector<ChangeEvent>& events) {
  if (events.empty()) return;
  std::function<void(const ChangeEvent&)> listener;
  {
    std::lock_guard lock(listenerMu_);
    listener = listener_;
  }
  if (!listener) return;
  for (const auto& event : events) listener(event);
}

}  // namespace dynhook::oem
