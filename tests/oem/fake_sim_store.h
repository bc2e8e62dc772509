// FakeSimFleetStore: an in-memory store::SimFleetStore for the simulator's tests, with a switch
// that makes the next writes fail (SERVER:INTERNAL) to exercise the error paths.
// Thread-safe (one mutex).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"

namespace dynhook::oem::testing {

class FakeSimFleetStore final : public store::SimFleetStore {
 public:
  core::Status CreateSimAccount(const store::SimAccount& account,
                                const std::vector<store::SimVehicle>& vehicles) override {
    std::lock_guard lock(mu_);
    if (auto failure = TakeFailure()) return *failure;
    for (const auto& [id, a] : accounts_) {
      if (a.make == account.make && a.username == account.username) {
        return core::errors::Conflict("duplicate account");
      }
    }
    accounts_[account.id] = account;
    for (const auto& v : vehicles) vehicles_[v.id] = v;
    return {};
  }
  core::Result<std::vector<store::SimAccount>> ListSimAccounts() override {
    std::lock_guard lock(mu_);
    std::vector<store::SimAccount> out;
    for (const auto& [id, a] : accounts_) out.push_back(a);
    return out;
  }
  core::Result<std::vector<store::SimVehicle>> ListSimVehicles() override {
    std::lock_guard lock(mu_);
    std::vector<store::SimVehicle> out;
    for (const auto& [id, v] : vehicles_) out.push_back(v);
    return out;
  }
  core::Status UpdateSimAccountPassword(const std::string& accountId, const std::string& hash,
                                        const std::string& salt) override {
    std::lock_guard lock(mu_);
    if (auto failure = TakeFailure()) return *failure;
    auto it = accounts_.find(accountId);
    if (it == accounts_.end()) return core::errors::NotFound("no account");
    it->second.passwordHash = hash;
    it->second.salt = salt;
    return {};
  }
  core::Status SetSimVehicleOverride(const std::string& vehicleId,
                                     const std::string& json) override {
    std::lock_guard lock(mu_);
    if (auto failure = TakeFailure()) return *failure;
    auto it = vehicles_.find(vehicleId);
    if (it == vehicles_.end()) return core::errors::NotFound("no vehicle");
    it->second.stateOverrideJson = json;
    return {};
  }
  core::Status SetSimVehicleFault(const std::string& vehicleId, const std::string& fault) override {
    std::lock_guard lock(mu_);
    if (auto failure = TakeFailure()) return *failure;
    auto it = vehicles_.find(vehicleId);
    if (it == vehicles_.end()) return core::errors::NotFound("no vehicle");
    it->second.fault = fault;
    return {};
  }

  void FailNextWrites(int count) {
    std::lock_guard lock(mu_);
    failures_ = count;
  }
  store::SimVehicle Vehicle(const std::string& id) {
    std::lock_guard lock(mu_);
    return vehicles_.at(id);
  }

 private:
  std::optional<core::Error> TakeFailure() {
    if (failures_ <= 0) return std::nullopt;
    --failures_;
    return core::errors::Internal("injected store failure");
  }

  std::mutex mu_;
  std::map<std::string, store::SimAccount> accounts_;  // guarded by mu_
  std::map<std::string, store::SimVehicle> vehicles_;  // guarded by mu_
  int failures_ = 0;                                   // guarded by mu_
};

}  // namespace dynhook::oem::testing
