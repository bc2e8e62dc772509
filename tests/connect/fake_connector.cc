#include "connect/fake_connector.h"

#include <algorithm>

namespace dynhook::connect::testing {
namespace {

oem::MakeInfo MakeOf(std::string make, std::string displayName, bool electric) {
  oem::MakeInfo info;
  info.make = std::move(make);
  info.displayName = std::move(displayName);
  info.electric = electric;
  info.combustion = !electric;
  info.optimalInterval = std::chrono::minutes(5);
  return info;
}

core::Error WrongCredentials() {
  return core::errors::ConnectedServicesAccount("AUTHENTICATION_FAILED",
                                                "The username or password is incorrect.");
}

}  // namespace

std::string FakeConnector::AddAccount(const std::string& make, const std::string& username,
                                      const std::string& password, int vehicles) {
  std::lock_guard lock(mu_);
  return AddLocked(make, username, password, vehicles);
}

std::string FakeConnector::AddLocked(const std::string& make, const std::string& username,
                                     const std::string& password, int vehicles) {
  FakeAccount account;
  account.account = {"acct-" + std::to_string(nextId_++), make, username};
  account.password = password;
  for (int i = 0; i < vehicles; ++i) {
    const std::string n = std::to_string(nextId_++);
    account.vehicles.push_back(
        {"veh-" + n, account.account.id, make, "Model " + n, 2024, "VIN0000000000000" + n});
  }
  accounts_.push_back(account);
  return account.account.id;
}

std::vector<oem::VehicleInfo> FakeConnector::VehiclesOf(const std::string& accountId) const {
  std::lock_guard lock(mu_);
  for (const auto& account : accounts_) {
    if (account.account.id == accountId) return account.vehicles;
  }
  return {};
}

size_t FakeConnector::AccountCount() const {
  std::lock_guard lock(mu_);
  return accounts_.size();
}

std::vector<oem::MakeInfo> FakeConnector::Makes() const {
  return {MakeOf("TESLA", "Tesla", true), MakeOf("FORD", "Ford", false)};
}

std::optional<oem::MakeInfo> FakeConnector::Make(std::string_view make) const {
  for (auto& info : Makes()) {
    if (info.make == make) return info;
  }
  return std::nullopt;
}

core::Result<oem::Account> FakeConnector::Authenticate(std::string_view make,
                                                       std::string_view username,
                                                       std::string_view password,
                                                       bool createIfUnknown) {
  std::lock_guard lock(mu_);
  for (const auto& account : accounts_) {
    if (account.account.username != username) continue;
    if (!make.empty() && account.account.make != make) continue;
    if (account.password != password) return WrongCredentials();
    return account.account;
  }
  if (!createIfUnknown) return WrongCredentials();
  AddLocked(make.empty() ? "TESLA" : std::string(make), std::string(username),
            std::string(password), 2);
  return accounts_.back().account;
}

core::Result<std::vector<oem::VehicleInfo>> FakeConnector::ListVehicles(
    const std::string& accountId) {
  std::lock_guard lock(mu_);
  for (const auto& account : accounts_) {
    if (account.account.id == accountId) return account.vehicles;
  }
  return core::errors::NotFound("no such account");
}

core::Result<oem::VehicleInfo> FakeConnector::GetVehicle(const std::string& vehicleId) {
  std::lock_guard lock(mu_);
  for (const auto& account : accounts_) {
    for (const auto& vehicle : account.vehicles) {
      if (vehicle.id == vehicleId) return vehicle;
    }
  }
  return core::errors::NotFound("no such vehicle");
}

core::Result<oem::Reading> FakeConnector::Read(const std::string&, oem::DataPath) {
  return core::errors::Compatibility("VEHICLE_NOT_CAPABLE", "The fake connector has no data.");
}

core::Status FakeConnector::Execute(const std::string&, oem::Command) {
  return core::errors::Compatibility("VEHICLE_NOT_CAPABLE", "The fake connector has no commands.");
}

void FakeConnector::SetChangeListener(std::function<void(const oem::ChangeEvent&)>) {}

}  // namespace dynhook::connect::testing
