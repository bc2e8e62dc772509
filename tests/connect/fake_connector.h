// FakeConnector: a tiny in-memory oem::Connector for the Connect tests: two makes, accounts
// added by the test, `createIfUnknown` creating an account with two vehicles. Deterministic;
// vehicle data reads are not supported (Connect never reads data). Thread-safe (one mutex).
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "oem/connector.h"

namespace dynhook::connect::testing {

class FakeConnector final : public oem::Connector {
 public:
  // Adds an account of `make` with `vehicles` vehicles; returns the account id.
  std::string AddAccount(const std::string& make, const std::string& username,
                         const std::string& password, int vehicles);
  std::vector<oem::VehicleInfo> VehiclesOf(const std::string& accountId) const;
  size_t AccountCount() const;

  std::vector<oem::MakeInfo> Makes() const override;
  std::optional<oem::MakeInfo> Make(std::string_view make) const override;
  core::Result<oem::Account> Authenticate(std::string_view make, std::string_view username,
                                          std::string_view password, bool createIfUnknown) override;
  core::Result<std::vector<oem::VehicleInfo>> ListVehicles(const std::string& accountId) override;
  core::Result<oem::VehicleInfo> GetVehicle(const std::string& vehicleId) override;
  core::Result<oem::Reading> Read(const std::string& vehicleId, oem::DataPath path) override;
  core::Status Execute(const std::string& vehicleId, oem::Command command) override;
  void SetChangeListener(std::function<void(const oem::ChangeEvent&)> listener) override;

 private:
  struct FakeAccount {
    oem::Account account;
    std::string password;
    std::vector<oem::VehicleInfo> vehicles;
  };
  std::string AddLocked(const std::string& make, const std::string& username,
                        const std::string& password, int vehicles);

  mutable std::mutex mu_;
  std::vector<FakeAccount> accounts_;  // guarded by mu_
  int nextId_ = 1;                     // guarded by mu_
};

}  // namespace dynhook::connect::testing
