// /api/admin: applications and the simulated OEM controls.
#include "api/admin_api.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/api_fixture.h"

namespace dynhook::api::test {
namespace {

namespace json = boost::json;

constexpr char kAppBody[] =
    R"({"name":"My app","redirectUris":["https://app.example.com/callback"]})";

class AdminApiTest : public ::testing::Test {
 protected:
  ApiTestEnv env_;
};

void ExpectStatus(const http::Response& response, int status, std::string_view type) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(TextOf(JsonOf(response), "type"), type) << response.body;
}

TEST_F(AdminApiTest, CreatesApplicationsAndShowsSecretsOnce) {
  auto created = env_.Admin("POST", "/api/admin/applications", kAppBody);
  ASSERT_EQ(created.status, 201) << created.body;
  const json::value app = JsonOf(created);
  for (auto field :
       {"id", "name", "clientId", "clientSecret", "managementToken", "redirectUris", "createdAt"}) {
    EXPECT_TRUE(app.as_object().contains(field)) << field;
  }
  EXPECT_EQ(app.at("name"), "My app");
  // The AMT works at once.
  auto connections =
      env_.Basic("GET", "/v2.0/management/connections", app.at("managementToken").as_string());
  EXPECT_EQ(connections.status, 200) << connections.body;

  auto listed = env_.Admin("GET", "/api/admin/applications");
  ASSERT_EQ(listed.status, 200);
  const json::value list = JsonOf(listed);
  ASSERT_EQ(list.at("applications").as_array().size(), 1u);
  const auto& entry = list.at("applications").at(0).as_object();
  EXPECT_EQ(entry.at("id"), app.at("id"));
  EXPECT_FALSE(entry.contains("clientSecret"));
  EXPECT_FALSE(entry.contains("managementToken"));
  EXPECT_EQ(listed.body.find(std::string(app.at("clientSecret").as_string())), std::string::npos);
}

TEST_F(AdminApiTest, ApplicationInputIsValidated) {
  for (const char* body :
       {"", "{", "[]", R"({"redirectUris":["https://a.example/cb"]})", R"({"name":"x"})",
        R"({"name":"x","redirectUris":"https://a.example/cb"})",
        R"({"name":"x","redirectUris":[1]})",
        R"j({"name":"x","redirectUris":["javascript:alert(1)"]})j",
        R"({"name":"","redirectUris":["https://a.example/cb"]})",
        R"({"name":5,"redirectUris":["https://a.example/cb"]})",
        R"({"name":"x","redirectUris":["https://a.example/cb"],"admin":true})"}) {
    SCOPED_TRACE(body);
    ExpectStatus(env_.Admin("POST", "/api/admin/applications", body), 400, "VALIDATION");
  }
}

TEST_F(AdminApiTest, RequiresTheAdminToken) {
  for (const http::Fields& headers :
       {http::Fields{}, http::Fields{{"Authorization", "Bearer wrong-token"}},
        http::Fields{{"Authorization", std::string("Basic ") + kAdminToken}},
        http::Fields{{"Authorization", std::string("Bearer ") + kAdminToken + "x"}}}) {
    ExpectStatus(env_.Call("GET", "/api/admin/applications", headers), 401, "AUTHENTICATION");
    ExpectStatus(env_.Call("POST", "/api/admin/sim/accounts", headers, "{}"), 401,
                 "AUTHENTICATION");
    ExpectStatus(env_.Call("PUT", "/api/admin/sim/vehicles/x/fault", headers, "{}"), 401,
                 "AUTHENTICATION");
  }
}

TEST(AdminApiDisabledTest, WithoutAnAdminTokenTheRoutesAreNotFound) {
  ApiTestEnv env("");
  auto response = env.Call("GET", "/api/admin/applications", {{"Authorization", "Bearer "}});
  ExpectStatus(response, 404, "RESOURCE_NOT_FOUND");
  ExpectStatus(env.Admin("GET", "/api/admin/applications"), 404, "RESOURCE_NOT_FOUND");
}

TEST_F(AdminApiTest, SimAccountsVehiclesStateAndFaults) {
  auto created = env_.Admin("POST", "/api/admin/sim/accounts",
                            R"({"make":"TESLA","username":"ada","password":"pw","vehicles":2})");
  ASSERT_EQ(created.status, 201) << created.body;
  const json::value account = JsonOf(created);
  ASSERT_EQ(account.at("vehicles").as_array().size(), 2u);
  const std::string vehicle(account.at("vehicles").at(0).as_string());

  auto listed = JsonOf(env_.Admin("GET", "/api/admin/sim/vehicles"));
  ASSERT_EQ(listed.at("vehicles").as_array().size(), 2u);
  const auto& first = listed.at("vehicles").at(0);
  EXPECT_EQ(first.at("make"), "TESLA");
  EXPECT_EQ(first.at("username"), "ada");
  EXPECT_TRUE(first.at("fault").is_null());

  const std::string state = "/api/admin/sim/vehicles/" + vehicle + "/state";
  auto pinned = env_.Admin("PUT", state, R"({"isPluggedIn":true})");
  ASSERT_EQ(pinned.status, 200) << pinned.body;
  EXPECT_EQ(JsonOf(pinned).at("isPluggedIn"), true);
  EXPECT_EQ(JsonOf(env_.Admin("GET", state)).at("isPluggedIn"), true);
  ExpectStatus(env_.Admin("PUT", state, R"({"isPluggedIn":"yes"})"), 400, "VALIDATION");
  ExpectStatus(env_.Admin("PUT", state, R"({"wings":true})"), 400, "VALIDATION");
  ExpectStatus(env_.Admin("PUT", state, "nope"), 400, "VALIDATION");
  EXPECT_EQ(env_.Admin("DELETE", state).status, 200);

  const std::string fault = "/api/admin/sim/vehicles/" + vehicle + "/fault";
  auto faulted = env_.Admin("PUT", fault, R"({"fault":"AUTHENTICATION_FAILED"})");
  ASSERT_EQ(faulted.status, 200) << faulted.body;
  EXPECT_EQ(JsonOf(faulted).at("fault"), "AUTHENTICATION_FAILED");
  EXPECT_EQ(env_.simulator().Read(vehicle, oem::DataPath::kOdometer).error().code,
            "AUTHENTICATION_FAILED");
  auto cleared = env_.Admin("DELETE", fault);
  ASSERT_EQ(cleared.status, 200);
  EXPECT_TRUE(JsonOf(cleared).at("fault").is_null());
  EXPECT_TRUE(env_.simulator().Read(vehicle, oem::DataPath::kOdometer).ok());
  ExpectStatus(env_.Admin("PUT", fault, R"({"fault":"GREMLINS"})"), 400, "VALIDATION");
  ExpectStatus(env_.Admin("PUT", fault, R"({"fault":1})"), 400, "VALIDATION");
}

TEST_F(AdminApiTest, SimInputIsValidated) {
  for (const char* body :
       {R"({"make":"TESLA","username":"a","password":"pw","vehicles":0})",
        R"({"make":"TESLA","username":"a","password":"pw","vehicles":51})",
        R"({"make":"TESLA","username":"a","password":"pw","vehicles":"2"})",
        R"({"make":"TESLA","username":"a","password":"pw","vehicles":1.5})",
        R"({"make":"DELOREAN","username":"a","password":"pw"})",
        R"({"make":"TESLA","password":"pw"})", R"({"make":"TESLA","username":"a","pw":"x"})"}) {
    SCOPED_TRACE(body);
    ExpectStatus(env_.Admin("POST", "/api/admin/sim/accounts", body), 400, "VALIDATION");
  }
  const char* body = R"({"make":"TESLA","username":"dup","password":"pw"})";
  EXPECT_EQ(env_.Admin("POST", "/api/admin/sim/accounts", body).status, 201);
  EXPECT_EQ(env_.Admin("POST", "/api/admin/sim/accounts", body).status, 409);

  ExpectStatus(env_.Admin("GET", "/api/admin/sim/vehicles/..%2F..%2Fetc/state"), 400, "VALIDATION");
  ExpectStatus(env_.Admin("GET", "/api/admin/sim/vehicles/" + std::string(5000, '1') + "/state"),
               400, "VALIDATION");
  auto unknown =
      env_.Admin("GET", "/api/admin/sim/vehicles/00000000-0000-4000-8000-000000000000/state");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
}

}  // namespace
}  // namespace dynhook::api::test
