// GET/POST /oauth/authorize through Router::Dispatch (see connect_fixture.h).
#include <gtest/gtest.h>

#include "connect/authorize_page.h"
#include "connect/connect_fixture.h"
#include "connect/scopes.h"
#include "core/crypto.h"

namespace dynhook::connect::testing {
namespace {

using AuthorizeTest = ConnectFixture;

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST_F(AuthorizeTest, RendersTheConnectPage) {
  http::Response response = Get("/oauth/authorize", AuthorizeParams());
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Header(response, "Content-Type"), "text/html; charset=utf-8");
  const std::string& page = response.body;
  EXPECT_TRUE(Contains(page, "<main>"));
  EXPECT_TRUE(Contains(page, "Test App"));
  EXPECT_TRUE(Contains(page, "<label for=\"username\">"));
  EXPECT_TRUE(Contains(page, "<label for=\"password\">"));
  EXPECT_TRUE(Contains(page, "<label for=\"brand\">"));
  EXPECT_TRUE(Contains(page, ">Tesla</option>"));
  EXPECT_TRUE(Contains(page, ">Ford</option>"));
  EXPECT_TRUE(Contains(page, HtmlEscape(DescribePermission("read_battery"))));
  EXPECT_TRUE(Contains(page, "name=\"action\" value=\"approve\""));
  EXPECT_TRUE(Contains(page, "name=\"action\" value=\"deny\""));
  EXPECT_TRUE(Contains(page, "<input type=\"hidden\" name=\"state\" value=\"st-123\">"));
  EXPECT_TRUE(Contains(page, "name=\"client_id\" value=\"" + app_.app.clientId + "\""));
  EXPECT_FALSE(Contains(page, "<script"));
}

TEST_F(AuthorizeTest, SendsSecurityHeaders) {
  http::Response response = Get("/oauth/authorize", AuthorizeParams());
  const std::string csp = Header(response, "Content-Security-Policy");
  EXPECT_TRUE(Contains(csp, "default-src 'none'"));
  EXPECT_TRUE(Contains(csp, "frame-ancestors 'none'"));
  EXPECT_FALSE(Contains(csp, "script-src"));
  EXPECT_FALSE(Contains(csp, "unsafe-inline"));
  EXPECT_EQ(Header(response, "X-Frame-Options"), "DENY");
  EXPECT_EQ(Header(response, "Cache-Control"), "no-store");
  EXPECT_EQ(Header(response, "Referrer-Policy"), "no-referrer");
}

TEST_F(AuthorizeTest, EscapesEveryInterpolatedValue) {
  auto evil = CreateApplication(*store_, box_, clock_, "<script>alert(\"x\")</script>",
                                {kRedirectUri}, random_);
  ASSERT_TRUE(evil.ok());
  http::Response response =
      Get("/oauth/authorize", AuthorizeParams({{"client_id", evil->app.clientId},
                                               {"state", "\"><script>alert(1)</script>"},
                                               {"user", "<b>u'ser</b>"}}));
  ASSERT_EQ(response.status, 200);
  EXPECT_FALSE(Contains(response.body, "<script>"));
  EXPECT_FALSE(Contains(response.body, "<b>"));
  EXPECT_TRUE(Contains(response.body, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
  EXPECT_TRUE(Contains(response.body, "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_TRUE(Contains(response.body, "&lt;b&gt;u&#39;ser&lt;/b&gt;"));
}

TEST_F(AuthorizeTest, LocksTheBrandWhenMakeIsGiven) {
  http::Response response = Get("/oauth/authorize", AuthorizeParams({{"make", "tesla"}}));
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(Contains(response.body, "<option value=\"TESLA\" selected>Tesla</option>"));
  EXPECT_FALSE(Contains(response.body, ">Ford</option>"));
  // An unknown make just shows the brand list.
  response = Get("/oauth/authorize", AuthorizeParams({{"make", "DELOREAN"}}));
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(Contains(response.body, ">Ford</option>"));
}

TEST_F(AuthorizeTest, UnknownClientOrRedirectIsAnErrorPageNeverARedirect) {
  const std::vector<std::map<std::string, std::string>> cases = {
      {{"client_id", "00000000-0000-4000-8000-000000000000"}},
      {{"client_id", ""}},
      {{"redirect_uri", "https://evil.example/callback"}},
      {{"redirect_uri", "https://app.example/callback/"}},
      {{"redirect_uri", "https://app.example/callback?x=1"}},
      {{"redirect_uri", ""}},
      // Even with other problems present, an untrusted redirect URI is never used.
      {{"redirect_uri", "https://evil.example/cb"}, {"response_type", "token"}},
  };
  for (const auto& overrides : cases) {
    for (const char* method : {"GET", "POST"}) {
      http::Response response = std::string(method) == "GET"
                                    ? Get("/oauth/authorize", AuthorizeParams(overrides))
                                    : SubmitApproval(overrides);
      EXPECT_EQ(response.status, 400) << method << " " << response.body;
      EXPECT_TRUE(Header(response, "Location").empty());
      EXPECT_EQ(Header(response, "Content-Type"), "text/html; charset=utf-8");
      EXPECT_EQ(Header(response, "X-Frame-Options"), "DENY");
    }
  }
}

TEST_F(AuthorizeTest, OtherProblemsRedirectWithAnError) {
  struct Case {
    std::map<std::string, std::string> overrides;
    std::string error;
  };
  const std::vector<Case> cases = {
      {{{"response_type", "token"}}, "invalid_request"},
      {{{"response_type", ""}}, "invalid_request"},
      {{{"mode", "production"}}, "invalid_request"},
      {{{"scope", "read_battery read_mind"}}, "invalid_scope"},
      {{{"scope", ""}}, "invalid_scope"},
  };
  for (const auto& c : cases) {
    http::Response response = Get("/oauth/authorize", AuthorizeParams(c.overrides));
    ASSERT_EQ(response.status, 302) << response.body;
    EXPECT_TRUE(Header(response, "Location").starts_with(std::string(kRedirectUri) + "?"));
    const http::Fields query = LocationQuery(response);
    EXPECT_EQ(http::Find(query, "error").value_or(""), c.error);
    EXPECT_FALSE(http::Find(query, "error_description").value_or("").empty());
    EXPECT_EQ(http::Find(query, "state").value_or(""), "st-123");
  }
}

TEST_F(AuthorizeTest, DenyRedirectsWithAccessDeniedAndState) {
  http::Response response = SubmitApproval({}, {{"action", "deny"}});
  ASSERT_EQ(response.status, 302);
  const http::Fields query = LocationQuery(response);
  EXPECT_EQ(http::Find(query, "error").value_or(""), "access_denied");
  EXPECT_FALSE(http::Find(query, "error_description").value_or("").empty());
  EXPECT_EQ(http::Find(query, "state").value_or(""), "st-123");
  EXPECT_FALSE(http::Find(query, "code").has_value());
}

TEST_F(AuthorizeTest, WrongPasswordReRendersWithoutEchoingIt) {
  const std::string password = "hunter2-very-secret";
  http::Response response =
      SubmitApproval({}, {{"brand", "TESLA"}, {"username", kUsername}, {"password", password}});
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(Header(response, "Location").empty());
  EXPECT_TRUE(Contains(response.body, "role=\"alert\""));
  EXPECT_TRUE(Contains(response.body, "incorrect"));
  EXPECT_FALSE(Contains(response.body, password));
  EXPECT_TRUE(Contains(response.body, "value=\"alice@example.com\""));  // username kept
  EXPECT_TRUE(Contains(response.body, "name=\"state\" value=\"st-123\""));
  EXPECT_EQ(Header(response, "Cache-Control"), "no-store");
}

TEST_F(AuthorizeTest, LiveModeDoesNotCreateAccounts) {
  http::Response response =
      SubmitApproval({}, {{"brand", "TESLA"}, {"username", "bob@example.com"}, {"password", "pw"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(fake_.AccountCount(), 1u);
}

TEST_F(AuthorizeTest, MissingCredentialsReRender) {
  http::Response response =
      SubmitApproval({}, {{"brand", "TESLA"}, {"username", kUsername}, {"password", ""}});
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(Contains(response.body, "role=\"alert\""));
}

TEST_F(AuthorizeTest, ApproveRedirectsWithACodeAndState) {
  http::Response response = SubmitApproval();
  ASSERT_EQ(response.status, 302) << response.body;
  const std::string location = Header(response, "Location");
  EXPECT_TRUE(location.starts_with(std::string(kRedirectUri) + "?code=ac_")) << location;
  const http::Fields query = LocationQuery(response);
  EXPECT_EQ(http::Find(query, "state").value_or(""), "st-123");
  const std::string code(http::Find(query, "code").value_or(""));
  // Only the hash is stored: the code itself is consumable by its hash, and only once.
  auto consumed = store_->ConsumeAuthorizationCode(core::Sha256Hex(code), clock_.Now());
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(consumed->applicationId, app_.app.id);
  EXPECT_EQ(consumed->oemAccountId, aliceAccountId_);
  EXPECT_EQ(consumed->vehicleIds.size(), 2u);
  EXPECT_EQ(consumed->scopes,
            (std::vector<std::string>{"read_vehicle_info", "read_battery", "read_charge"}));
  EXPECT_EQ(consumed->mode, "live");
  EXPECT_EQ(consumed->redirectUri, kRedirectUri);
  EXPECT_EQ(consumed->expiresAt, clock_.Now() + std::chrono::minutes(10));
}

TEST_F(AuthorizeTest, KeepsTheRedirectUrisQueryAndEncodesTheState) {
  http::Response response =
      SubmitApproval({{"redirect_uri", kRedirectWithQuery}, {"state", "a b&c=d/é"}});
  ASSERT_EQ(response.status, 302) << response.body;
  const std::string location = Header(response, "Location");
  EXPECT_TRUE(location.starts_with(std::string(kRedirectWithQuery) + "&code=")) << location;
  const http::Fields query = LocationQuery(response);
  EXPECT_EQ(http::Find(query, "tenant").value_or(""), "7");
  EXPECT_EQ(http::Find(query, "state").value_or(""), "a b&c=d/é");
}

TEST_F(AuthorizeTest, ApprovedVehiclesMustBelongToTheAccount) {
  const auto vehicles = fake_.VehiclesOf(aliceAccountId_);
  ASSERT_EQ(vehicles.size(), 2u);
  const std::string code = ApproveAndGetCode({}, {{"vehicle", vehicles[1].id}});
  auto consumed = store_->ConsumeAuthorizationCode(core::Sha256Hex(code), clock_.Now());
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(consumed->vehicleIds, std::vector<std::string>{vehicles[1].id});

  const std::string other = fake_.AddAccount("TESLA", "carol@example.com", "pw", 1);
  http::Response response = SubmitApproval({}, {{"vehicle", fake_.VehiclesOf(other)[0].id}});
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(Contains(response.body, "does not belong"));
}

TEST_F(AuthorizeTest, SingleSelectKeepsOneVehicle) {
  const auto vehicles = fake_.VehiclesOf(aliceAccountId_);
  std::string code = ApproveAndGetCode({{"single_select", "true"}});
  auto consumed = store_->ConsumeAuthorizationCode(core::Sha256Hex(code), clock_.Now());
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(consumed->vehicleIds, std::vector<std::string>{vehicles[0].id});

  code = ApproveAndGetCode({{"single_select", "true"}, {"single_select_vin", vehicles[1].vin}});
  consumed = store_->ConsumeAuthorizationCode(core::Sha256Hex(code), clock_.Now());
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(consumed->vehicleIds, std::vector<std::string>{vehicles[1].id});

  http::Response response =
      SubmitApproval({{"single_select", "true"}, {"single_select_vin", "NOSUCHVIN"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(Contains(response.body, "NOSUCHVIN"));
}

TEST_F(AuthorizeTest, SimulatedModeCreatesAnUnknownAccount) {
  const std::string code = ApproveAndGetCode({{"mode", "simulated"}, {"make", "FORD"}},
                                             {{"username", "new@example.com"}, {"password", "pw"}});
  ASSERT_FALSE(code.empty());
  EXPECT_EQ(fake_.AccountCount(), 2u);
  auto consumed = store_->ConsumeAuthorizationCode(core::Sha256Hex(code), clock_.Now());
  ASSERT_TRUE(consumed.ok());
  EXPECT_EQ(consumed->mode, "simulated");
  EXPECT_NE(consumed->oemAccountId, aliceAccountId_);
  ASSERT_FALSE(consumed->vehicleIds.empty());
  const auto vehicles = fake_.VehiclesOf(consumed->oemAccountId);
  ASSERT_FALSE(vehicles.empty());
  EXPECT_EQ(vehicles[0].make, "FORD");
}

TEST_F(AuthorizeTest, SameAccountAndApplicationKeepTheSameUser) {
  const std::string first = ApproveAndGetCode();
  const std::string second = ApproveAndGetCode();
  auto a = store_->ConsumeAuthorizationCode(core::Sha256Hex(first), clock_.Now());
  auto b = store_->ConsumeAuthorizationCode(core::Sha256Hex(second), clock_.Now());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(first, second);
  EXPECT_EQ(a->userId, b->userId);
}

TEST_F(AuthorizeTest, MalformedFormIsAnErrorPage) {
  http::Response response = Send("POST", "/oauth/authorize", {}, "client_id=%zz");
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(Header(response, "Location").empty());
}

}  // namespace
}  // namespace dynhook::connect::testing
