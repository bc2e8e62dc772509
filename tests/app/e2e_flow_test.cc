// End to end over real HTTP against the real binary: an application is created through the
// admin API, an owner connects a simulated car through Connect, the application exchanges the
// code, lists vehicles, reads data, refreshes its token, and disconnects.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/http_call.h"
#include "core/crypto.h"
#include "core/json.h"
#include "http/message.h"
#include "server_process.h"

namespace dynhook::testing {
namespace {

constexpr const char* kRedirect = "http://127.0.0.1:9/callback";

boost::json::object Json(const std::string& text) {
  auto parsed = core::ParseJsonObject(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : boost::json::object{};
}

std::string Str(const boost::json::object& o, const char* key) {
  return o.contains(key) && o.at(key).is_string() ? std::string(o.at(key).as_string()) : "";
}

class E2eFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto app = Json(server_.CreateApplication(kRedirect));
    clientId_ = Str(app, "clientId");
    clientSecret_ = Str(app, "clientSecret");
    amt_ = Str(app, "managementToken");
    ASSERT_FALSE(clientId_.empty());
  }

  app::HttpReply Call(const std::string& method, const std::string& path,
                      std::vector<std::string> headers = {}, const std::string& body = "") {
    auto reply = app::HttpCall(method, server_.base() + path, headers, body);
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? *reply : app::HttpReply{};
  }

  std::string Form(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [k, v] : fields) {
      out += (out.empty() ? "" : "&") + http::PercentEncode(k) + "=" + http::PercentEncode(v);
    }
    return out;
  }

  // Approves Connect for a simulated owner and returns the authorization code.
  std::string Approve(const std::string& scope) {
    auto page = Call("GET", "/oauth/authorize?response_type=code&client_id=" + clientId_ +
                                "&redirect_uri=" + http::PercentEncode(kRedirect) + "&scope=" +
                                http::PercentEncode(scope) + "&mode=simulated&state=s1");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("<form"), std::string::npos);
    auto approved =
        Call("POST", "/oauth/authorize", {"Content-Type: application/x-www-form-urlencoded"},
             Form({{"response_type", "code"},
                   {"client_id", clientId_},
                   {"redirect_uri", kRedirect},
                   {"scope", scope},
                   {"mode", "simulated"},
                   {"make", "TESLA"},
                   {"state", "s1"},
                   {"username", "owner@example.com"},
                   {"password", "pw"},
                   {"action", "approve"}}));
    EXPECT_EQ(approved.status, 302) << approved.body;
    EXPECT_EQ(approved.location.rfind(kRedirect, 0), 0u) << approved.location;
    EXPECT_NE(approved.location.find("state=s1"), std::string::npos);
    const auto q = approved.location.find("code=");
    if (q == std::string::npos) return "";
    return approved.location.substr(q + 5, approved.location.find('&', q) - q - 5);
  }

  app::HttpReply Token(const std::string& body) {
    return Call("POST", "/oauth/token",
                {"Content-Type: application/x-www-form-urlencoded",
                 "Authorization: Basic " + core::Base64Encode(clientId_ + ":" + clientSecret_)},
                body);
  }

  ServerProcess server_;
  std::string clientId_, clientSecret_, amt_;
};

TEST_F(E2eFlow, ConnectTokenVehiclesDataRefreshDisconnect) {
  const std::string code = Approve("read_vehicle_info read_battery read_charge read_odometer");
  ASSERT_FALSE(code.empty());
  auto token = Token(
      Form({{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", kRedirect}}));
  ASSERT_EQ(token.status, 200) << token.body;
  auto tokens = Json(token.body);
  EXPECT_EQ(Str(tokens, "token_type"), "Bearer");
  EXPECT_EQ(tokens.at("expires_in").to_number<int>(), 7200);
  const std::string bearer = "Authorization: Bearer " + Str(tokens, "access_token");

  auto vehicles = Call("GET", "/v2.0/vehicles", {bearer});
  ASSERT_EQ(vehicles.status, 200) << vehicles.body;
  const auto list = Json(vehicles.body).at("vehicles").as_array();
  ASSERT_FALSE(list.empty());
  const std::string vid(list[0].as_string());

  auto battery = Call("GET", "/v2.0/vehicles/" + vid + "/battery", {bearer});
  ASSERT_EQ(battery.status, 200) << battery.body;
  const double pct = Json(battery.body).at("percentRemaining").to_number<double>();
  EXPECT_GE(pct, 0.0);
  EXPECT_LE(pct, 1.0);

  // Not granted: location.
  auto location = Call("GET", "/v2.0/vehicles/" + vid + "/location", {bearer});
  EXPECT_EQ(location.status, 403);
  EXPECT_EQ(Str(Json(location.body), "type"), "PERMISSION");

  auto refreshed = Token(
      Form({{"grant_type", "refresh_token"}, {"refresh_token", Str(tokens, "refresh_token")}}));
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const std::string bearer2 = "Authorization: Bearer " + Str(Json(refreshed.body), "access_token");
  EXPECT_EQ(Call("GET", "/v2.0/vehicles/" + vid + "/odometer", {bearer2}).status, 200);

  auto disconnect = Call("DELETE", "/v2.0/vehicles/" + vid + "/application", {bearer2});
  EXPECT_EQ(disconnect.status, 200) << disconnect.body;
  auto after = Call("GET", "/v2.0/vehicles/" + vid + "/odometer", {bearer2});
  EXPECT_GE(after.status, 400);
  EXPECT_LT(after.status, 500);
}

// The code is single-use; presenting it again also revokes what it gave (RFC 6749 §4.1.2).
TEST_F(E2eFlow, AReusedCodeIsRefusedAndItsTokensRevoked) {
  const std::string code = Approve("read_vehicle_info");
  const std::string form =
      Form({{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", kRedirect}});
  auto token = Token(form);
  ASSERT_EQ(token.status, 200) << token.body;
  const std::string bearer = "Authorization: Bearer " + Str(Json(token.body), "access_token");
  EXPECT_EQ(Call("GET", "/v2.0/vehicles", {bearer}).status, 200);
  auto again = Token(form);
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(Str(Json(again.body), "error"), "invalid_grant");
  EXPECT_EQ(Call("GET", "/v2.0/vehicles", {bearer}).status, 401);
}

TEST_F(E2eFlow, EveryErrorIsSmartcarJson) {
  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/nope"},
                                                        {"GET", "/v2.0/vehicles"},
                                                        {"PATCH", "/oauth/token"},
                                                        {"GET", "/v2.0/vehicles/../../etc/passwd"},
                                                        {"GET", "/api/admin/applications"}}) {
    auto reply = Call(method, path);
    EXPECT_GE(reply.status, 400) << path;
    EXPECT_LT(reply.status, 500) << path;
    auto body = Json(reply.body);
    EXPECT_TRUE(body.contains("type") && body.contains("requestId")) << path << reply.body;
  }
}

TEST_F(E2eFlow, HealthAndReadiness) {
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
  EXPECT_EQ(Call("GET", "/readyz").status, 200);
}

TEST_F(E2eFlow, SigtermStopsCleanly) { EXPECT_EQ(server_.Terminate(), 0); }

}  // namespace
}  // namespace dynhook::testing
