// POST /v2.0/vehicles/{id}/batch: independent sub-requests, input validation.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/api_fixture.h"

namespace dynhook::api::test {
namespace {

namespace json = boost::json;

class BatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app_ = env_.CreateApp();
    user_ = env_.Connect(app_, "read_vehicle_info read_odometer read_battery", "TESLA", 1);
    ASSERT_FALSE(user_.accessToken.empty());
  }

  http::Response Batch(std::string body, http::Fields headers = {}) {
    return env_.Bearer("POST", "/v2.0/vehicles/" + user_.vehicleIds.at(0) + "/batch",
                       user_.accessToken, std::move(body), std::move(headers));
  }

  ApiTestEnv env_;
  TestApp app_;
  ConnectedUser user_;
};

TEST_F(BatchTest, MixesSuccessPermissionFailureAndUnknownPaths) {
  auto response = Batch(
      R"({"requests":[{"path":"/odometer"},{"path":"/location"},{"path":"/"},{"path":"/nope"}]})");
  ASSERT_EQ(response.status, 200) << response.body;
  const json::array items = JsonOf(response).at("responses").as_array();
  ASSERT_EQ(items.size(), 4u);

  EXPECT_EQ(items[0].at("path"), "/odometer");
  EXPECT_EQ(items[0].at("code"), 200);
  EXPECT_TRUE(items[0].at("body").as_object().contains("distance"));
  EXPECT_TRUE(items[0].at("headers").as_object().contains("sc-data-age"));
  EXPECT_EQ(items[0].at("headers").at("sc-unit-system"), "metric");

  EXPECT_EQ(items[1].at("path"), "/location");
  EXPECT_EQ(items[1].at("code"), 403);
  EXPECT_EQ(items[1].at("body").at("type"), "PERMISSION");
  EXPECT_EQ(items[1].at("body").at("statusCode"), 403);

  EXPECT_EQ(items[2].at("code"), 200);
  EXPECT_EQ(items[2].at("body").at("make"), "TESLA");

  EXPECT_EQ(items[3].at("code"), 404);
  EXPECT_EQ(items[3].at("body").at("type"), "RESOURCE_NOT_FOUND");
  for (const auto& item : items) {
    EXPECT_EQ(item.as_object().size(), 4u);  // path, code, body, headers
  }
}

TEST_F(BatchTest, ItemsFollowTheUnitSystemOfTheRequestOrTheirOwnHeaders) {
  auto response = Batch(
      R"({"requests":[{"path":"/odometer","headers":{"SC-Unit-System":"imperial"}},{"path":"/battery"}]})");
  ASSERT_EQ(response.status, 200) << response.body;
  const json::array items = JsonOf(response).at("responses").as_array();
  EXPECT_EQ(items[0].at("headers").at("sc-unit-system"), "imperial");
  EXPECT_EQ(items[1].at("headers").at("sc-unit-system"), "metric");

  auto imperial = Batch(R"({"requests":[{"path":"/battery"}]})", {{"SC-Unit-System", "imperial"}});
  EXPECT_EQ(JsonOf(imperial).at("responses").at(0).at("headers").at("sc-unit-system"), "imperial");
}

TEST_F(BatchTest, AnOemFaultFailsEachItemWithTheOemError) {
  ASSERT_TRUE(env_.simulator().SetFault(user_.vehicleIds.at(0), "AUTHENTICATION_FAILED").ok());
  auto response = Batch(R"({"requests":[{"path":"/odometer"},{"path":"/battery"}]})");
  ASSERT_EQ(response.status, 200);
  const json::value body = JsonOf(response);
  for (const auto& item : body.at("responses").as_array()) {
    EXPECT_EQ(item.at("code"), 400);
    EXPECT_EQ(item.at("body").at("code"), "AUTHENTICATION_FAILED");
  }
}

TEST_F(BatchTest, InvalidRequestsAreRejectedAsAWhole) {
  std::string tooMany = R"({"requests":[)";
  for (int i = 0; i < 21; ++i)
    tooMany += std::string(i ? "," : "") + R"({"path":"/x)" + std::to_string(i) + R"("})";
  tooMany += "]}";
  for (const std::string& body : std::vector<std::string>{
           "", "{", "[]", R"({})", R"({"requests":[]})", R"({"requests":{}})",
           R"({"requests":["/odometer"]})", R"({"requests":[{}]})", R"({"requests":[{"path":5}]})",
           R"({"requests":[{"path":"/odometer","extra":1}]})",
           R"({"requests":[{"path":"/odometer"}],"other":1})",
           R"({"requests":[{"path":"/odometer"},{"path":"odometer"}]})",
           R"({"requests":[{"path":"/odometer","headers":[]}]})",
           R"({"requests":[{"path":"/odometer","headers":{"sc-unit-system":1}}]})",
           R"({"requests":[{"path":"/odometer","headers":{"sc-unit-system":"parsecs"}}]})",
           R"({"requests":[{"path":")" + std::string(300, 'a') + R"("}]})", tooMany}) {
    SCOPED_TRACE(body.substr(0, 80));
    auto response = Batch(body);
    EXPECT_EQ(response.status, 400) << response.body;
    EXPECT_EQ(JsonOf(response).at("type"), "VALIDATION");
  }
}

TEST_F(BatchTest, RequiresAValidTokenForTheVehicle) {
  auto response = env_.Call("POST", "/v2.0/vehicles/" + user_.vehicleIds.at(0) + "/batch", {},
                            R"({"requests":[{"path":"/odometer"}]})");
  EXPECT_EQ(response.status, 401);
}

}  // namespace
}  // namespace dynhook::api::test
