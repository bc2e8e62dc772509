// Simulator: fleet administration, test controls and change detection (see simulator.h).
#include <algorithm>
#include <cctype>

#include "core/crypto.h"
#include "core/ids.h"
#include "oem/sim_hash.h"
#include "oem/sim_readings.h"
#include "oem/simulator.h"

namespace dynhook::oem {
namespace {

core::Error UnknownVehicle(const std::string& id) {
  return core::errors::NotFound("Unknown simulated vehicle '" + id + "'.");
}

std::string Lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string UuidFrom(uint64_t seed) {
  core::SeededRandom random(seed);
  return core::NewUuid(random);
}

struct Observed {
  bool pluggedIn;
  ChargeState chargeState;
  bool operator==(const Observed&) const = default;
};

Observed Observe(const VehicleModel& model, const Overrides& overrides, core::TimePoint t) {
  const VehicleState s = StateWithOverrides(model, overrides, t);
  return Observed{s.pluggedIn, s.chargeState};
}

}  // namespace

const std::vector<std::string>& Simulator::FaultNames() {
  static const std::vector<std::string> names = {
      "AUTHENTICATION_FAILED", "ACCOUNT_ISSUE",       "ASLEEP",    "UNREACHABLE",
      "UPSTREAM_TIMEOUT",      "UPSTREAM_RATE_LIMIT", "RATE_LIMIT"};
  return names;
}

std::optional<core::Error> Simulator::FaultError(std::string_view fault) {
  namespace e = core::errors;
  if (fault == "AUTHENTICATION_FAILED") {
    return e::ConnectedServicesAccount(
        "AUTHENTICATION_FAILED",
        "The OEM rejected the stored credentials: the owner changed the account password.");
  }
  if (fault == "ACCOUNT_ISSUE") {
    return e::ConnectedServicesAccount("ACCOUNT_ISSUE", "The owner's OEM account needs attention.");
  }
  if (fault == "ASLEEP") return e::VehicleState("ASLEEP", "The vehicle is asleep.");
  if (fault == "UNREACHABLE") {
    return e::VehicleState("UNREACHABLE", "The vehicle has no network connection.");
  }
  if (fault == "UPSTREAM_TIMEOUT") {
    return e::Upstream("NO_RESPONSE", "The OEM did not answer in time.");
  }
  if (fault == "UPSTREAM_RATE_LIMIT") {
    core::Error error = e::Upstream("RATE_LIMIT", "The OEM is rate limiting requests.");
    error.retryAfterSeconds = kFaultRetryAfterSeconds;
    return error;
  }
  if (fault == "RATE_LIMIT") return e::RateLimit("VEHICLE", kFaultRetryAfterSeconds);
  return std::nullopt;
}

core::Result<Simulator::CreatedAccount> Simulator::CreateAccount(std::string_view make,
                                                                 std::string_view username,
                                                                 std::string_view password,
                                                                 int vehicleCount) {
  const MakeSpec* spec = FindMake(make);
  if (!spec) return core::errors::Validation("Unknown make '" + std::string(make) + "'.");
  if (username.empty() || password.empty()) {
    return core::errors::Validation("username and password are required.");
  }
  if (vehicleCount < 1 || vehicleCount > kMaxVehiclesPerAccount) {
    return core::errors::Validation("vehicles must be between 1 and 50.");
  }
  const uint64_t login =
      sim::Mix(seed_, sim::HashString(spec->info.make + "\n" + std::string(username)));
  store::SimAccount account;
  account.id = UuidFrom(sim::Mix(login, 1));
  account.make = spec->info.make;
  account.username = std::string(username);
  account.salt = core::RandomHex(16);
  account.passwordHash = core::Sha256Hex(account.salt + std::string(password));
  account.createdAt = wallClock_.Now();
  std::vector<store::SimVehicle> records;
  for (int i = 0; i < vehicleCount; ++i) {
    store::SimVehicle v;
    v.seed = sim::Mix(login, 2, static_cast<uint64_t>(i));
    const GeneratedVehicle generated = GenerateVehicle(*spec, v.seed);
    v.id = UuidFrom(v.seed);
    v.accountId = account.id;
    v.make = spec->info.make;
    v.model = generated.model->name;
    v.year = generated.year;
    v.vin = generated.vin;
    v.stateOverrideJson = "{}";
    records.push_back(std::move(v));
  }
  std::lock_guard lock(mu_);
  const std::string key = account.make + "\n" + account.username;
  if (accountByLogin_.contains(key)) {
    return core::errors::Conflict("The " + spec->info.displayName + " account '" +
                                  account.username + "' already exists.");
  }
  if (auto status = store_.CreateSimAccount(account, records); !status) return status.take_error();
  CreatedAccount created{Account{account.id, account.make, account.username}, {}};
  for (const auto& record : records) {
    created.vehicles.push_back(ToVehicleInfo(record));
    vehicles_[record.id] = MakeEntry(record);
  }
  accountByLogin_[key] = account.id;
  accounts_[account.id] = std::move(account);
  return created;
}

core::Result<std::vector<Simulator::CreatedAccount>> Simulator::Seed(int accountsPerMake,
                                                                     int vehiclesPerAccount,
                                                                     std::string_view password) {
  std::vector<CreatedAccount> out;
  for (const auto& spec : Catalog()) {
    for (int i = 1; i <= accountsPerMake; ++i) {
      const std::string username = Lowercase(spec.info.make) + "-" + std::to_string(i);
      if (const auto id = FindAccountId(spec.info.make, username)) {
        std::lock_guard lock(mu_);
        out.push_back(CreatedAccount{Account{*id, spec.info.make, username}, VehiclesOf(*id)});
        continue;
      }
      auto created = CreateAccount(spec.info.make, username, password, vehiclesPerAccount);
      if (!created) return created.take_error();
      out.push_back(std::move(*created));
    }
  }
  return out;
}

core::Status Simulator::ChangePassword(const std::string& accountId, std::string_view newPassword) {
  if (newPassword.empty()) return core::errors::Validation("password is required.");
  std::lock_guard lock(mu_);
  const auto it = accounts_.find(accountId);
  if (it == accounts_.end()) return core::errors::NotFound("Unknown OEM account.");
  const std::string salt = core::RandomHex(16);
  const std::string hash = core::Sha256Hex(salt + std::string(newPassword));
  if (auto status = store_.UpdateSimAccountPassword(accountId, hash, salt); !status) return status;
  it->second.salt = salt;
  it->second.passwordHash = hash;
  return {};
}

std::vector<Account> Simulator::ListAccounts() const {
  std::lock_guard lock(mu_);
  std::vector<Account> out;
  for (const auto& [id, a] : accounts_) out.push_back(Account{a.id, a.make, a.username});
  return out;
}

std::vector<VehicleInfo> Simulator::ListAllVehicles() const {
  std::lock_guard lock(mu_);
  std::vector<VehicleInfo> out;
  for (const auto& [id, entry] : vehicles_) out.push_back(ToVehicleInfo(entry->record));
  return out;
}

core::Result<boost::json::object> Simulator::GetState(const std::string& vehicleId) const {
  const auto vehicle = Find(vehicleId);
  if (!vehicle) return UnknownVehicle(vehicleId);
  const VehicleState state =
      StateWithOverrides(*vehicle->model, vehicle->overrides, platformClock_.Now());
  return StateJson(vehicle->record, *vehicle->model, state, vehicle->overrides);
}

core::Status Simulator::UpdateOverrides(
    const std::string& vehicleId,
    const std::function<core::Status(const VehicleModel&, Overrides&)>& change) {
  const core::TimePoint now = platformClock_.Now();
  bool changed = false;
  {
    std::lock_guard lock(mu_);
    const auto it = vehicles_.find(vehicleId);
    if (it == vehicles_.end()) return UnknownVehicle(vehicleId);
    VehicleEntry& entry = *it->second;
    Overrides next = entry.overrides;
    if (auto status = change(*entry.model, next); !status) return status;
    const std::string json = SerializeOverrides(next);
    if (auto status = store_.SetSimVehicleOverride(vehicleId, json); !status) return status;
    changed = entry.make->info.pushesChanges &&
              Observe(*entry.model, entry.overrides, now) != Observe(*entry.model, next, now);
    entry.overrides = std::move(next);
    entry.record.stateOverrideJson = json;
  }
  if (changed) Notify({ChangeEvent{vehicleId, now}});
  return {};
}

core::Status Simulator::SetOverride(const std::string& vehicleId,
                                    const boost::json::object& patch) {
  const core::TimePoint now = platformClock_.Now();
  return UpdateOverrides(vehicleId, [&](const VehicleModel& model, Overrides& overrides) {
    return ApplyPatch(model, overrides, patch, now);
  });
}

core::Status Simulator::ClearOverride(const std::string& vehicleId) {
  return UpdateOverrides(vehicleId, [](const VehicleModel&, Overrides& overrides) {
    overrides = Overrides{};
    return core::Status{};
  });
}

core::Status Simulator::UpdateFault(const std::string& vehicleId, const std::string& fault) {
  std::lock_guard lock(mu_);
  const auto it = vehicles_.find(vehicleId);
  if (it == vehicles_.end()) return UnknownVehicle(vehicleId);
  if (auto status = store_.SetSimVehicleFault(vehicleId, fault); !status) return status;
  it->second->record.fault = fault;
  return {};
}

core::Status Simulator::SetFault(const std::string& vehicleId, std::string_view fault) {
  if (!FaultError(fault)) {
    std::string known;
    for (const auto& name : FaultNames()) known += (known.empty() ? "" : ", ") + name;
    return core::errors::Validation("Unknown fault '" + std::string(fault) + "'; known: " + known);
  }
  return UpdateFault(vehicleId, std::string(fault));
}

core::Status Simulator::ClearFault(const std::string& vehicleId) {
  return UpdateFault(vehicleId, "");
}

std::vector<ChangeEvent> Simulator::DetectChanges(core::TimePoint from, core::TimePoint to) const {
  std::vector<Snapshot> pushing;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, e] : vehicles_) {
      if (e->make->info.pushesChanges) {
        pushing.push_back(Snapshot{e->record, e->make, e->model.get(), e->overrides});
      }
    }
  }
  std::vector<ChangeEvent> events;
  const core::Duration tick(1);
  for (const auto& v : pushing) {
    auto candidates = v.model->ChargeTransitionCandidates(from, to);
    if (const auto full = PinnedFullAt(*v.model, v.overrides);
        full && *full > from && *full <= to) {
      candidates.push_back(*full);
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (const auto at : candidates) {
      if (Observe(*v.model, v.overrides, at - tick) != Observe(*v.model, v.overrides, at)) {
        events.push_back(ChangeEvent{v.record.id, at});
      }
    }
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const ChangeEvent& a, const ChangeEvent& b) { return a.at < b.at; });
  return events;
}

std::vector<ChangeEvent> Simulator::PollChanges() {
  const core::TimePoint now = platformClock_.Now();
  core::TimePoint from;
  {
    std::lock_guard lock(pollMu_);
    from = lastPoll_;
    lastPoll_ = std::max(lastPoll_, now);
  }
  std::vector<ChangeEvent> events = DetectChanges(from, now);
  Notify(events);
  return events;
}

}  // namespace dynhook::oem
