// The Connect flow against the real fleet simulator (oem::Simulator) instead of the fake.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "connect/connect_fixture.h"
#include "core/crypto.h"
#include "oem/simulator.h"

namespace dynhook::connect::testing {
namespace {

class SimulatorConnectTest : public ConnectFixture {
 protected:
  oem::Connector& CreateConnector() override {
    simulator_ = std::make_unique<oem::Simulator>(*store_, clock_, clock_, 99);
    EXPECT_TRUE(simulator_->Load().ok());
    auto created = simulator_->CreateAccount("TESLA", kUsername, kPassword, 2);
    EXPECT_TRUE(created.ok());
    if (created.ok()) aliceAccountId_ = created->account.id;
    return *simulator_;
  }

  // Exchanges `code` and returns the vehicles the new grant connected.
  std::vector<store::Connection> Connections(const std::string& code) {
    http::Response response = ExchangeCode(code);
    EXPECT_EQ(response.status, 200) << response.body;
    const auto body = boost::json::parse(response.body).as_object();
    auto token =
        store_->FindToken(core::Sha256Hex(std::string(body.at("access_token").as_string())));
    EXPECT_TRUE(token.ok());
    if (!token.ok()) return {};
    int total = 0;
    auto connections = store_->ListGrantConnections(token->grantId, 50, 0, &total);
    EXPECT_TRUE(connections.ok());
    return connections.ok() ? *connections : std::vector<store::Connection>{};
  }

  std::unique_ptr<oem::Simulator> simulator_;
};

TEST_F(SimulatorConnectTest, PageListsTheSimulatorsMakes) {
  http::Response response = Get("/oauth/authorize", AuthorizeParams());
  ASSERT_EQ(response.status, 200);
  for (const auto& make : simulator_->Makes()) {
    EXPECT_NE(response.body.find("<option value=\"" + make.make + "\""), std::string::npos)
        << make.make;
  }
}

TEST_F(SimulatorConnectTest, LiveApprovalConnectsTheAccountsVehicles) {
  const auto connections = Connections(ApproveAndGetCode());
  ASSERT_EQ(connections.size(), 2u);
  for (const auto& connection : connections) {
    auto vehicle = simulator_->GetVehicle(connection.vehicleId);
    ASSERT_TRUE(vehicle.ok());
    EXPECT_EQ(vehicle->accountId, aliceAccountId_);
    EXPECT_EQ(connection.mode, "live");
  }
}

TEST_F(SimulatorConnectTest, WrongPasswordAndUnknownLiveUserReRender) {
  http::Response response =
      SubmitApproval({}, {{"brand", "TESLA"}, {"username", kUsername}, {"password", "nope"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("incorrect"), std::string::npos);
  response =
      SubmitApproval({}, {{"brand", "TESLA"}, {"username", "x@example.com"}, {"password", "pw"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(simulator_->ListAccounts().size(), 1u);
}

TEST_F(SimulatorConnectTest, SimulatedModeCreatesAnAccountOfTheChosenMake) {
  const std::string make = simulator_->Makes().back().make;
  const std::string code = ApproveAndGetCode({{"mode", "simulated"}, {"make", make}},
                                             {{"username", "new@example.com"}, {"password", "pw"}});
  ASSERT_FALSE(code.empty());
  EXPECT_EQ(simulator_->ListAccounts().size(), 2u);
  const auto connections = Connections(code);
  ASSERT_GE(connections.size(), 1u);
  ASSERT_LE(connections.size(), 3u);
  for (const auto& connection : connections) {
    EXPECT_EQ(connection.mode, "simulated");
    auto vehicle = simulator_->GetVehicle(connection.vehicleId);
    ASSERT_TRUE(vehicle.ok());
    EXPECT_EQ(vehicle->make, make);
  }
  // Logging in again with the same credentials reuses the account.
  ASSERT_FALSE(ApproveAndGetCode({{"mode", "simulated"}, {"make", make}},
                                 {{"username", "new@example.com"}, {"password", "pw"}})
                   .empty());
  EXPECT_EQ(simulator_->ListAccounts().size(), 2u);
}

TEST_F(SimulatorConnectTest, SingleSelectByVin) {
  auto vehicles = simulator_->ListVehicles(aliceAccountId_);
  ASSERT_TRUE(vehicles.ok());
  ASSERT_EQ(vehicles->size(), 2u);
  const auto& wanted = (*vehicles)[1];
  const auto connections = Connections(
      ApproveAndGetCode({{"single_select", "true"}, {"single_select_vin", wanted.vin}}));
  ASSERT_EQ(connections.size(), 1u);
  EXPECT_EQ(connections[0].vehicleId, wanted.id);
}

}  // namespace
}  // namespace dynhook::connect::testing
