// The Smartcar v2.0 vehicle endpoints, end to end through Connect and the simulator.
#include "api/vehicle_api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>

#include "api/api_fixture.h"
#include "core/clock.h"

namespace dynhook::api::test {
namespace {

namespace json = boost::json;

class VehicleApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app_ = env_.CreateApp();
    user_ = env_.Connect(app_);
    ASSERT_FALSE(user_.accessToken.empty());
    vehicle_ = user_.vehicleIds.at(0);
  }

  http::Response Get(const std::string& path, http::Fields headers = {}) {
    return env_.Bearer("GET", "/v2.0/vehicles/" + vehicle_ + path, user_.accessToken, "",
                       std::move(headers));
  }
  http::Response Post(const std::string& path, std::string body) {
    return env_.Bearer("POST", "/v2.0/vehicles/" + vehicle_ + path, user_.accessToken,
                       std::move(body));
  }

  ApiTestEnv env_;
  TestApp app_;
  ConnectedUser user_;
  std::string vehicle_;
};

void ExpectError(const http::Response& response, int status, std::string_view type,
                 std::string_view code = {}) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(HeaderOf(response, "Content-Type"), "application/json");
  const json::value body = JsonOf(response);
  ASSERT_TRUE(body.is_object()) << response.body;
  EXPECT_EQ(TextOf(body, "type"), type) << response.body;
  if (!code.empty()) {
    EXPECT_EQ(TextOf(body, "code"), code) << response.body;
  }
  EXPECT_EQ(body.at("statusCode"), status);
  EXPECT_TRUE(body.as_object().contains("requestId"));
  EXPECT_TRUE(body.as_object().contains("resolution"));
}

double Number(const json::value& body, std::string_view field) {
  return body.at(field).to_number<double>();
}

TEST_F(VehicleApiTest, UserAnswersTheGrantsUserId) {
  auto response = env_.Bearer("GET", "/v2.0/user", user_.accessToken);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(JsonOf(response).at("id").as_string().size(), 36u);
}

TEST_F(VehicleApiTest, VehiclesPagesWithLimitAndOffset) {
  ConnectedUser three = env_.Connect(app_, kAllScopes, "VOLVO", 3);
  auto all = env_.Bearer("GET", "/v2.0/vehicles/", three.accessToken);  // trailing slash
  ASSERT_EQ(all.status, 200) << all.body;
  const json::value body = JsonOf(all);
  EXPECT_EQ(body.at("paging"), (json::object{{"count", 3}, {"offset", 0}}));
  ASSERT_EQ(body.at("vehicles").as_array().size(), 3u);

  auto page = env_.Bearer("GET", "/v2.0/vehicles?limit=2&offset=1", three.accessToken);
  ASSERT_EQ(page.status, 200);
  const json::value second = JsonOf(page);
  EXPECT_EQ(second.at("paging"), (json::object{{"count", 3}, {"offset", 1}}));
  ASSERT_EQ(second.at("vehicles").as_array().size(), 2u);
  EXPECT_EQ(second.at("vehicles").at(0), body.at("vehicles").at(1));
}

TEST_F(VehicleApiTest, AttributesHaveANumericYear) {
  auto response = Get("");
  ASSERT_EQ(response.status, 200) << response.body;
  const json::value body = JsonOf(response);
  EXPECT_EQ(TextOf(body, "id"), vehicle_);
  EXPECT_EQ(body.at("make"), "TESLA");
  EXPECT_TRUE(body.at("model").is_string());
  EXPECT_TRUE(body.at("year").is_int64()) << response.body;
}

TEST_F(VehicleApiTest, ElectricVehicleDataShapesAndHeaders) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> shapes = {
      {"/battery", {"percentRemaining", "range"}},
      {"/charge", {"isPluggedIn", "state"}},
      {"/location", {"latitude", "longitude"}},
      {"/odometer", {"distance"}},
      {"/tires/pressure", {"frontLeft", "frontRight", "backLeft", "backRight"}},
      {"/vin", {"vin"}},
      {"/security", {"isLocked"}},
  };
  for (const auto& [path, fields] : shapes) {
    SCOPED_TRACE(path);
    auto response = Get(path);
    ASSERT_EQ(response.status, 200) << response.body;
    const json::value body = JsonOf(response);
    for (const auto& field : fields) EXPECT_TRUE(body.as_object().contains(field)) << field;
    EXPECT_TRUE(core::ParseIso8601(HeaderOf(response, "SC-Data-Age")).has_value());
    EXPECT_TRUE(core::ParseIso8601(HeaderOf(response, "SC-Fetched-At")).has_value());
    EXPECT_EQ(HeaderOf(response, "SC-Unit-System"), "metric");
  }
}

TEST_F(VehicleApiTest, CombustionVehicleHasFuelAndOilButNoBattery) {
  ConnectedUser ice = env_.Connect(app_, kAllScopes, "TOYOTA", 1);
  const std::string base = "/v2.0/vehicles/" + ice.vehicleIds.at(0);
  auto fuel = env_.Bearer("GET", base + "/fuel", ice.accessToken);
  ASSERT_EQ(fuel.status, 200) << fuel.body;
  for (auto field : {"range", "percentRemaining", "amountRemaining"}) {
    EXPECT_TRUE(JsonOf(fuel).as_object().contains(field)) << field;
  }
  auto oil = env_.Bearer("GET", base + "/engine/oil", ice.accessToken);
  ASSERT_EQ(oil.status, 200) << oil.body;
  EXPECT_TRUE(JsonOf(oil).as_object().contains("lifeRemaining"));
  ExpectError(env_.Bearer("GET", base + "/battery", ice.accessToken), 501, "COMPATIBILITY",
              "VEHICLE_NOT_CAPABLE");
}

TEST_F(VehicleApiTest, ImperialUnitsConvertDistancesPressuresAndVolumes) {
  const http::Fields imperial{{"SC-Unit-System", "imperial"}};
  auto metricOdo = JsonOf(Get("/odometer"));
  auto imperialResponse = Get("/odometer", imperial);
  EXPECT_EQ(HeaderOf(imperialResponse, "SC-Unit-System"), "imperial");
  EXPECT_NEAR(Number(JsonOf(imperialResponse), "distance"),
              Number(metricOdo, "distance") / 1.609344, 1e-6);
  auto metricBattery = JsonOf(Get("/battery"));
  auto imperialBattery = JsonOf(Get("/battery", imperial));
  EXPECT_NEAR(Number(imperialBattery, "range"), Number(metricBattery, "range") / 1.609344, 1e-6);
  EXPECT_EQ(imperialBattery.at("percentRemaining"), metricBattery.at("percentRemaining"));
  auto metricTires = JsonOf(Get("/tires/pressure"));
  auto imperialTires = JsonOf(Get("/tires/pressure", imperial));
  EXPECT_NEAR(Number(imperialTires, "frontLeft"), Number(metricTires, "frontLeft") / 6.894757,
              1e-4);

  ConnectedUser ice = env_.Connect(app_, kAllScopes, "FORD", 1);
  const std::string fuelPath = "/v2.0/vehicles/" + ice.vehicleIds.at(0) + "/fuel";
  auto metricFuel = JsonOf(env_.Bearer("GET", fuelPath, ice.accessToken));
  auto imperialFuel = JsonOf(env_.Bearer("GET", fuelPath, ice.accessToken, "", imperial));
  EXPECT_NEAR(Number(imperialFuel, "amountRemaining"),
              Number(metricFuel, "amountRemaining") / 3.785411784, 1e-6);
  EXPECT_NEAR(Number(imperialFuel, "range"), Number(metricFuel, "range") / 1.609344, 1e-6);
}

TEST_F(VehicleApiTest, UnknownUnitSystemIsAValidationError) {
  ExpectError(Get("/odometer", {{"SC-Unit-System", "furlongs"}}), 400, "VALIDATION", "PARAMETER");
}

TEST_F(VehicleApiTest, MissingPermissionIsForbiddenOnlyWhereNeeded) {
  ConnectedUser limited = env_.Connect(app_, "read_vehicle_info read_odometer", "TESLA", 1);
  const std::string base = "/v2.0/vehicles/" + limited.vehicleIds.at(0);
  ExpectError(env_.Bearer("GET", base + "/location", limited.accessToken), 403, "PERMISSION");
  EXPECT_EQ(env_.Bearer("GET", base + "/odometer", limited.accessToken).status, 200);
  EXPECT_EQ(env_.Bearer("GET", base, limited.accessToken).status, 200);
  ExpectError(env_.Bearer("POST", base + "/security", limited.accessToken, R"({"action":"LOCK"})"),
              403, "PERMISSION");
  ExpectError(env_.Bearer("POST", base + "/charge", limited.accessToken, R"({"action":"START"})"),
              403, "PERMISSION");
}

TEST_F(VehicleApiTest, PermissionsListsTheGrantWithPaging) {
  auto response = Get("/permissions");
  ASSERT_EQ(response.status, 200) << response.body;
  const json::value body = JsonOf(response);
  EXPECT_EQ(body.at("permissions").as_array().size(), 12u);
  EXPECT_EQ(body.at("paging"), (json::object{{"count", 12}, {"offset", 0}}));
  auto page = JsonOf(Get("/permissions?limit=2&offset=1"));
  ASSERT_EQ(page.at("permissions").as_array().size(), 2u);
  EXPECT_EQ(page.at("permissions").at(0), body.at("permissions").at(1));
}

TEST_F(VehicleApiTest, LockUnlockAndChargeCommands) {
  auto lock = Post("/security", R"({"action":"LOCK"})");
  ASSERT_EQ(lock.status, 200) << lock.body;
  EXPECT_EQ(lock.body, R"({"status":"success"})");
  EXPECT_EQ(JsonOf(Get("/security")).at("isLocked"), true);
  ASSERT_EQ(Post("/security", R"({"action":"UNLOCK"})").status, 200);
  EXPECT_EQ(JsonOf(Get("/security")).at("isLocked"), false);
  ASSERT_TRUE(env_.simulator().SetOverride(vehicle_, {{"isPluggedIn", true}}).ok());
  auto start = Post("/charge", R"({"action":"START"})");
  EXPECT_EQ(start.status, 200) << start.body;
  auto stop = Post("/charge", R"({"action":"STOP"})");
  EXPECT_EQ(stop.status, 200) << stop.body;
}

TEST_F(VehicleApiTest, CommandBodiesAreValidated) {
  for (const char* body : {"", "not json", "[]", R"({"action":1})", R"({"action":"OPEN"})", R"({})",
                           R"({"action":"LOCK","extra":true})", R"({"action":null})"}) {
    SCOPED_TRACE(body);
    ExpectError(Post("/security", body), 400, "VALIDATION", "PARAMETER");
  }
  ExpectError(Post("/charge", R"({"action":"LOCK"})"), 400, "VALIDATION");
}

TEST_F(VehicleApiTest, EveryInjectedFaultReachesTheClientUnchanged) {
  for (const std::string& fault : oem::Simulator::FaultNames()) {
    SCOPED_TRACE(fault);
    ASSERT_TRUE(env_.simulator().SetFault(vehicle_, fault).ok());
    const core::Error expected = *oem::Simulator::FaultError(fault);
    auto response = Get("/odometer");
    ExpectError(response, expected.status, expected.type, expected.code);
    if (expected.retryAfterSeconds) {
      EXPECT_EQ(HeaderOf(response, "Retry-After"), std::to_string(*expected.retryAfterSeconds));
    }
    ASSERT_TRUE(env_.simulator().ClearFault(vehicle_).ok());
  }
  ASSERT_TRUE(env_.simulator().SetFault(vehicle_, "AUTHENTICATION_FAILED").ok());
  ExpectError(Get("/battery"), 400, "CONNECTED_SERVICES_ACCOUNT", "AUTHENTICATION_FAILED");
  EXPECT_EQ(JsonOf(Get("/battery")).at("resolution").at("type"), "REAUTHENTICATE");
}

TEST_F(VehicleApiTest, DisconnectEndsAccessAndRunsTheHook) {
  auto response =
      env_.Bearer("DELETE", "/v2.0/vehicles/" + vehicle_ + "/application", user_.accessToken);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, R"({"status":"success"})");
  ASSERT_EQ(env_.disconnects().size(), 1u);
  EXPECT_EQ(env_.disconnects()[0], std::make_pair(app_.id, vehicle_));
  ExpectError(Get("/odometer"), 401, "AUTHENTICATION");
  auto vehicles = JsonOf(env_.Bearer("GET", "/v2.0/vehicles", user_.accessToken));
  EXPECT_EQ(vehicles.at("vehicles").as_array().size(), 0u);
}

TEST_F(VehicleApiTest, AnotherUsersVehicleIsNotReachable) {
  ConnectedUser other = env_.Connect(app_);
  ExpectError(env_.Bearer("GET", "/v2.0/vehicles/" + other.vehicleIds.at(0) + "/odometer",
                          user_.accessToken),
              401, "AUTHENTICATION");
}

TEST_F(VehicleApiTest, BadCredentialsAreAuthenticationErrors) {
  const std::string path = "/v2.0/vehicles/" + vehicle_ + "/odometer";
  ExpectError(env_.Call("GET", path), 401, "AUTHENTICATION");
  for (const std::string& header : std::vector<std::string>{
           "Bearer", "Bearer ", "bearer", "Token " + user_.accessToken,
           "Bearer  " + user_.accessToken, "Bearer " + user_.accessToken + " x",
           "Bearer not-a-token", "Bearer \x01\x02", "Basic " + user_.accessToken,
           "Bearer " + user_.refreshToken, "Bearer " + std::string(5000, 'a')}) {
    SCOPED_TRACE(header);
    ExpectError(env_.Call("GET", path, {{"Authorization", header}}), 401, "AUTHENTICATION");
  }
  EXPECT_EQ(env_.Call("GET", path, {{"Authorization", "bEaReR " + user_.accessToken}}).status, 200);
  env_.wallClock().Advance(std::chrono::hours(2) + std::chrono::seconds(1));
  ExpectError(Get("/odometer"), 401, "AUTHENTICATION");
}

TEST_F(VehicleApiTest, BadQueryParametersAreValidationErrors) {
  for (const char* query :
       {"limit=abc", "limit=1000", "limit=51", "limit=0", "limit=-1", "offset=-1", "limit=1.5",
        "limit=", "offset=99999999999999", "limit=%2B5", "limit=0x10"}) {
    SCOPED_TRACE(query);
    ExpectError(env_.Bearer("GET", std::string("/v2.0/vehicles?") + query, user_.accessToken), 400,
                "VALIDATION", "PARAMETER");
  }
  ExpectError(Get("/permissions?limit=abc"), 400, "VALIDATION");
}

TEST_F(VehicleApiTest, MalformedVehicleIdsAreRejected) {
  for (const std::string& id : std::vector<std::string>{
           std::string("..%2F..%2Fetc%2Fpasswd"), std::string("not-a-uuid"),
           std::string(10000, 'a'), std::string("%00"), vehicle_ + "x", std::string("%E2%80%AE")}) {
    SCOPED_TRACE(id.substr(0, 40));
    ExpectError(env_.Bearer("GET", "/v2.0/vehicles/" + id + "/odometer", user_.accessToken), 400,
                "VALIDATION");
  }
  ExpectError(env_.Bearer("GET", "/v2.0/vehicles/../user", user_.accessToken), 404,
              "RESOURCE_NOT_FOUND");
}

TEST_F(VehicleApiTest, UnknownPathsAndMethodsAreSmartcarErrors) {
  ExpectError(Get("/nope"), 404, "RESOURCE_NOT_FOUND", "PATH");
  ExpectError(env_.Bearer("PUT", "/v2.0/vehicles/" + vehicle_ + "/odometer", user_.accessToken),
              405, "RESOURCE_NOT_FOUND");
}

}  // namespace
}  // namespace dynhook::api::test
