// GET/DELETE /v2.0/management/connections with Basic default:AMT.
#include "api/management_api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "api/api_fixture.h"

namespace dynhook::api::test {
namespace {

namespace json = boost::json;

class ManagementApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app_ = env_.CreateApp("A");
    other_ = env_.CreateApp("B");
    alice_ = env_.Connect(app_, kAllScopes, "TESLA", 2);
    bob_ = env_.Connect(app_, kAllScopes, "VOLVO", 3);
    carol_ = env_.Connect(other_, kAllScopes, "TESLA", 1);
    ASSERT_FALSE(carol_.accessToken.empty());
  }

  std::string UserIdOf(const ConnectedUser& user) {
    return std::string(
        JsonOf(env_.Bearer("GET", "/v2.0/user", user.accessToken)).at("id").as_string());
  }

  ApiTestEnv env_;
  TestApp app_, other_;
  ConnectedUser alice_, bob_, carol_;
};

TEST_F(ManagementApiTest, PagesThroughEveryConnectionWithACursor) {
  std::set<std::string> seen;
  std::string target = "/v2.0/management/connections?limit=2";
  for (int page = 0; page < 10; ++page) {
    auto response = env_.Basic("GET", target, app_.managementToken);
    ASSERT_EQ(response.status, 200) << response.body;
    const json::value body = JsonOf(response);
    const auto& connections = body.at("connections").as_array();
    EXPECT_LE(connections.size(), 2u);
    for (const auto& connection : connections) {
      EXPECT_TRUE(seen.insert(std::string(connection.at("vehicleId").as_string())).second);
      EXPECT_EQ(connection.at("userId").as_string().size(), 36u);
      EXPECT_TRUE(core::ParseIso8601(connection.at("connectedAt").as_string()).has_value());
      EXPECT_TRUE(connection.at("mode").is_string());
    }
    const json::value& cursor = body.at("paging").at("cursor");
    if (cursor.is_null()) break;
    target =
        "/v2.0/management/connections?limit=2&cursor=" + http::PercentEncode(cursor.as_string());
  }
  EXPECT_EQ(seen.size(), 5u);  // alice's 2 + bob's 3; never app B's
}

TEST_F(ManagementApiTest, FiltersByUserAndVehicle) {
  auto byUser = JsonOf(env_.Basic("GET", "/v2.0/management/connections?user_id=" + UserIdOf(bob_),
                                  app_.managementToken));
  EXPECT_EQ(byUser.at("connections").as_array().size(), 3u);
  auto byVehicle =
      JsonOf(env_.Basic("GET", "/v2.0/management/connections?vehicle_id=" + alice_.vehicleIds[1],
                        app_.managementToken));
  ASSERT_EQ(byVehicle.at("connections").as_array().size(), 1u);
  EXPECT_EQ(TextOf(byVehicle.at("connections").at(0), "vehicleId"), alice_.vehicleIds[1]);
  EXPECT_TRUE(byVehicle.at("paging").at("cursor").is_null());
  auto foreign =
      JsonOf(env_.Basic("GET", "/v2.0/management/connections?vehicle_id=" + carol_.vehicleIds[0],
                        app_.managementToken));
  EXPECT_EQ(foreign.at("connections").as_array().size(), 0u);
}

TEST_F(ManagementApiTest, DeleteByUserRemovesTheirConnectionsOnly) {
  const std::string bobId = UserIdOf(bob_);
  auto response =
      env_.Basic("DELETE", "/v2.0/management/connections?user_id=" + bobId, app_.managementToken);
  ASSERT_EQ(response.status, 200) << response.body;
  const json::value body = JsonOf(response);
  const auto& removed = body.at("connections").as_array();
  ASSERT_EQ(removed.size(), 3u);
  for (const auto& connection : removed) {
    EXPECT_EQ(TextOf(connection, "userId"), bobId);
    EXPECT_EQ(connection.as_object().size(), 2u);
  }
  EXPECT_EQ(env_.disconnects().size(), 3u);
  EXPECT_EQ(
      env_.Bearer("GET", "/v2.0/vehicles/" + bob_.vehicleIds[0] + "/odometer", bob_.accessToken)
          .status,
      401);
  EXPECT_EQ(
      env_.Bearer("GET", "/v2.0/vehicles/" + alice_.vehicleIds[0] + "/odometer", alice_.accessToken)
          .status,
      200);
  auto left = JsonOf(env_.Basic("GET", "/v2.0/management/connections", app_.managementToken));
  EXPECT_EQ(left.at("connections").as_array().size(), 2u);
}

TEST_F(ManagementApiTest, DeleteByVehicleOfAnotherApplicationRemovesNothing) {
  auto response =
      env_.Basic("DELETE", "/v2.0/management/connections?vehicle_id=" + carol_.vehicleIds[0],
                 app_.managementToken);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"connections":[]})");
  EXPECT_EQ(
      env_.Bearer("GET", "/v2.0/vehicles/" + carol_.vehicleIds[0] + "/odometer", carol_.accessToken)
          .status,
      200);
}

TEST_F(ManagementApiTest, ValidatesTheQuery) {
  const std::string base = "/v2.0/management/connections";
  const std::string user = "user_id=" + UserIdOf(alice_);
  const std::string vehicle = "vehicle_id=" + alice_.vehicleIds[0];
  for (const std::string& query :
       {std::string("limit=101"), std::string("limit=0"), std::string("limit=abc"),
        std::string("cursor=bm90LWEtY3Vyc29y"), std::string("cursor=!!!"),
        std::string("cursor=") + std::string(600, 'a'), std::string("user_id=../../x"),
        std::string("vehicle_id=123")}) {
    SCOPED_TRACE(query);
    auto response = env_.Basic("GET", base + "?" + query, app_.managementToken);
    EXPECT_EQ(response.status, 400) << response.body;
    EXPECT_EQ(JsonOf(response).at("type"), "VALIDATION");
  }
  for (const std::string& query : {std::string(""), user + "&" + vehicle}) {
    SCOPED_TRACE(query);
    auto response = env_.Basic("DELETE", base + "?" + query, app_.managementToken);
    EXPECT_EQ(response.status, 400) << response.body;
  }
}

TEST_F(ManagementApiTest, RequiresBasicDefaultAmt) {
  const std::string path = "/v2.0/management/connections";
  EXPECT_EQ(env_.Call("GET", path).status, 401);
  EXPECT_EQ(env_.Bearer("GET", path, app_.managementToken).status, 401);
  EXPECT_EQ(env_.Basic("GET", path, "amt_wrong").status, 401);
  EXPECT_EQ(env_.Basic("GET", path, alice_.accessToken).status, 401);
  const auto wrongUser = "Basic " + core::Base64Encode("admin:" + app_.managementToken);
  EXPECT_EQ(env_.Call("GET", path, {{"Authorization", wrongUser}}).status, 401);
  EXPECT_EQ(env_.Call("GET", path, {{"Authorization", "Basic !!!"}}).status, 401);
  EXPECT_EQ(env_.Call("DELETE", path + "?user_id=" + UserIdOf(alice_)).status, 401);
  auto response = env_.Basic("GET", path, other_.managementToken);
  EXPECT_EQ(JsonOf(response).at("connections").as_array().size(), 1u);
}

}  // namespace
}  // namespace dynhook::api::test
