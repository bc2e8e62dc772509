// Store contract: the simulated OEM fleet.
#include "store/store_contract.h"

namespace dynhook::store::testing {
namespace {

SimAccount MakeAccount(const std::string& id, const std::string& make,
                       const std::string& username) {
  SimAccount account;
  account.id = id;
  account.make = make;
  account.username = username;
  account.passwordHash = "hash-" + id;
  account.salt = "salt-" + id;
  account.createdAt = core::FromMillis(1'795'000'000'000);
  return account;
}

SimVehicle MakeVehicle(const std::string& id, const std::string& accountId) {
  SimVehicle vehicle;
  vehicle.id = id;
  vehicle.accountId = accountId;
  vehicle.make = "TESLA";
  vehicle.model = "Model 3";
  vehicle.year = 2024;
  vehicle.vin = "5YJ3E1EA7KF000001";
  vehicle.seed = 0xfedcba9876543210ULL;  // above INT64_MAX: must round-trip
  vehicle.stateOverrideJson = "{}";
  return vehicle;
}

TEST_P(StoreContractTest, SimAccountsAndVehiclesRoundTrip) {
  ASSERT_TRUE(store_
                  ->CreateSimAccount(MakeAccount("acc-1", "TESLA", "alice"),
                                     {MakeVehicle("veh-1", "acc-1"), MakeVehicle("veh-2", "acc-1")})
                  .ok());
  auto accounts = store_->ListSimAccounts();
  ASSERT_TRUE(accounts.ok());
  ASSERT_EQ(accounts->size(), 1u);
  EXPECT_EQ((*accounts)[0].username, "alice");
  EXPECT_EQ((*accounts)[0].passwordHash, "hash-acc-1");
  EXPECT_EQ((*accounts)[0].salt, "salt-acc-1");
  EXPECT_EQ((*accounts)[0].createdAt, core::FromMillis(1'795'000'000'000));

  auto vehicles = store_->ListSimVehicles();
  ASSERT_TRUE(vehicles.ok());
  ASSERT_EQ(vehicles->size(), 2u);
  const SimVehicle& v = (*vehicles)[0];
  EXPECT_EQ(v.id, "veh-1");
  EXPECT_EQ(v.accountId, "acc-1");
  EXPECT_EQ(v.model, "Model 3");
  EXPECT_EQ(v.year, 2024);
  EXPECT_EQ(v.vin, "5YJ3E1EA7KF000001");
  EXPECT_EQ(v.seed, 0xfedcba9876543210ULL);
  EXPECT_EQ(v.stateOverrideJson, "{}");
  EXPECT_EQ(v.fault, "");
}

TEST_P(StoreContractTest, SimAccountUsernameIsUniquePerMake) {
  ASSERT_TRUE(store_->CreateSimAccount(MakeAccount("acc-1", "TESLA", "alice"), {}).ok());
  auto duplicate = store_->CreateSimAccount(MakeAccount("acc-2", "TESLA", "alice"),
                                            {MakeVehicle("veh-9", "acc-2")});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().Name(), "VALIDATION:CONFLICT");
  EXPECT_TRUE(store_->ListSimVehicles()->empty());  // atomic: the vehicle is not kept
  EXPECT_TRUE(store_->CreateSimAccount(MakeAccount("acc-3", "VOLVO", "alice"), {}).ok());
}

TEST_P(StoreContractTest, SimUpdatesChangeOneRecordOrReportNotFound) {
  ASSERT_TRUE(store_
                  ->CreateSimAccount(MakeAccount("acc-1", "TESLA", "alice"),
                                     {MakeVehicle("veh-1", "acc-1")})
                  .ok());
  ASSERT_TRUE(store_->UpdateSimAccountPassword("acc-1", "new-hash", "new-salt").ok());
  ASSERT_TRUE(store_->SetSimVehicleOverride("veh-1", R"({"isPluggedIn":true})").ok());
  ASSERT_TRUE(store_->SetSimVehicleFault("veh-1", "AUTHENTICATION_FAILED").ok());
  EXPECT_EQ((*store_->ListSimAccounts())[0].passwordHash, "new-hash");
  EXPECT_EQ((*store_->ListSimAccounts())[0].salt, "new-salt");
  const SimVehicle vehicle = (*store_->ListSimVehicles())[0];
  EXPECT_EQ(vehicle.stateOverrideJson, R"({"isPluggedIn":true})");
  EXPECT_EQ(vehicle.fault, "AUTHENTICATION_FAILED");

  ASSERT_TRUE(store_->SetSimVehicleFault("veh-1", "").ok());
  EXPECT_EQ((*store_->ListSimVehicles())[0].fault, "");
  EXPECT_EQ(store_->UpdateSimAccountPassword("acc-x", "h", "s").error().type, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(store_->SetSimVehicleOverride("veh-x", "{}").error().type, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(store_->SetSimVehicleFault("veh-x", "ASLEEP").error().type, "RESOURCE_NOT_FOUND");
}

}  // namespace
}  // namespace dynhook::store::testing
