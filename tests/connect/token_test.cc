// POST /oauth/token through Router::Dispatch (see connect_fixture.h).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "connect/connect_fixture.h"
#include "core/crypto.h"

namespace dynhook::connect::testing {
namespace {

using TokenTest = ConnectFixture;

boost::json::object Body(const http::Response& response) {
  return boost::json::parse(response.body).as_object();
}

std::string Str(const boost::json::object& body, std::string_view key) {
  const auto* value = body.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

void ExpectOAuthError(const http::Response& response, int status, const std::string& error) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(ConnectFixture::Header(response, "Content-Type"), "application/json");
  EXPECT_EQ(ConnectFixture::Header(response, "Cache-Control"), "no-store");
  const auto body = Body(response);
  EXPECT_EQ(Str(body, "error"), error);
  EXPECT_FALSE(Str(body, "error_description").empty());
  // Smartcar's fields ride along for its SDKs.
  EXPECT_EQ(Str(body, "description"), Str(body, "error_description"));
  EXPECT_FALSE(Str(body, "type").empty());
  EXPECT_EQ(body.at("statusCode").as_int64(), status);
  EXPECT_FALSE(Str(body, "requestId").empty());
}

TEST_F(TokenTest, ExchangesACodeForATokenPair) {
  const std::string code = ApproveAndGetCode();
  http::Response response = ExchangeCode(code);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Header(response, "Cache-Control"), "no-store");
  EXPECT_EQ(Header(response, "Content-Type"), "application/json");
  const auto body = Body(response);
  EXPECT_EQ(body.size(), 5u);
  EXPECT_TRUE(Str(body, "access_token").starts_with("at_"));
  EXPECT_TRUE(Str(body, "refresh_token").starts_with("rt_"));
  EXPECT_EQ(Str(body, "token_type"), "Bearer");
  EXPECT_EQ(body.at("expires_in").as_int64(), 7200);
  EXPECT_EQ(body.at("refresh_expires_in").as_int64(), 5184000);

  // Stored by hash only, with the wall-clock lifetimes and the approved vehicles connected.
  auto access = store_->FindToken(core::Sha256Hex(Str(body, "access_token")));
  ASSERT_TRUE(access.ok());
  EXPECT_EQ(access->kind, store::TokenKind::kAccess);
  EXPECT_EQ(access->expiresAt, clock_.Now() + std::chrono::hours(2));
  auto refresh = store_->FindToken(core::Sha256Hex(Str(body, "refresh_token")));
  ASSERT_TRUE(refresh.ok());
  EXPECT_EQ(refresh->kind, store::TokenKind::kRefresh);
  EXPECT_EQ(refresh->expiresAt, clock_.Now() + std::chrono::hours(24 * 60));
  auto grant = store_->FindGrant(access->grantId);
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(grant->applicationId, app_.app.id);
  EXPECT_EQ(grant->scopes,
            (std::vector<std::string>{"read_vehicle_info", "read_battery", "read_charge"}));
  int total = 0;
  auto connections = store_->ListGrantConnections(grant->id, 10, 0, &total);
  ASSERT_TRUE(connections.ok());
  EXPECT_EQ(total, 2);
}

TEST_F(TokenTest, AcceptsClientCredentialsInTheForm) {
  const std::string code = ApproveAndGetCode();
  http::Response response = PostForm("/oauth/token", {{"grant_type", "authorization_code"},
                                                      {"code", code},
                                                      {"redirect_uri", kRedirectUri},
                                                      {"client_id", app_.app.clientId},
                                                      {"client_secret", app_.clientSecret}});
  EXPECT_EQ(response.status, 200) << response.body;
}

TEST_F(TokenTest, CodesAreSingleUse) {
  const std::string code = ApproveAndGetCode();
  ASSERT_EQ(ExchangeCode(code).status, 200);
  ExpectOAuthError(ExchangeCode(code), 400, "invalid_grant");
}

// RFC 6749 §4.1.2: a code presented twice may have been intercepted; the tokens it was
// exchanged for are revoked. Tokens of other codes are not touched.
TEST_F(TokenTest, AReusedCodeRevokesTheTokensItGave) {
  const auto first = Body(ExchangeCode(ApproveAndGetCode()));
  const std::string code = ApproveAndGetCode();
  const auto second = Body(ExchangeCode(code));
  ASSERT_TRUE(store_->FindToken(core::Sha256Hex(Str(second, "access_token"))).ok());
  ExpectOAuthError(ExchangeCode(code), 400, "invalid_grant");
  EXPECT_FALSE(store_->FindToken(core::Sha256Hex(Str(second, "access_token"))).ok());
  EXPECT_FALSE(store_->FindToken(core::Sha256Hex(Str(second, "refresh_token"))).ok());
  EXPECT_TRUE(store_->FindToken(core::Sha256Hex(Str(first, "access_token"))).ok());
  EXPECT_TRUE(store_->FindToken(core::Sha256Hex(Str(first, "refresh_token"))).ok());
  // An unknown code revokes nothing.
  ExpectOAuthError(ExchangeCode("not-a-code"), 400, "invalid_grant");
  EXPECT_TRUE(store_->FindToken(core::Sha256Hex(Str(first, "access_token"))).ok());
}

TEST_F(TokenTest, CodesExpireAfterTenMinutes) {
  std::string code = ApproveAndGetCode();
  clock_.Advance(std::chrono::minutes(9) + std::chrono::seconds(59));
  EXPECT_EQ(ExchangeCode(code).status, 200);
  code = ApproveAndGetCode();
  clock_.Advance(std::chrono::minutes(10));
  ExpectOAuthError(ExchangeCode(code), 400, "invalid_grant");
}

TEST_F(TokenTest, RedirectUriMustMatchTheAuthorizationRequest) {
  const std::string code = ApproveAndGetCode();
  ExpectOAuthError(ExchangeCode(code, kRedirectWithQuery), 400, "invalid_grant");
  // The attempt burnt the code.
  ExpectOAuthError(ExchangeCode(code), 400, "invalid_grant");
}

TEST_F(TokenTest, CodeMustBelongToTheAuthenticatedClient) {
  auto other = CreateApplication(*store_, box_, clock_, "Other App", {kRedirectUri}, random_);
  ASSERT_TRUE(other.ok());
  const std::string code = ApproveAndGetCode();
  http::Response response = PostForm(
      "/oauth/token",
      {{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", kRedirectUri}},
      {{"Authorization", BasicAuth(other->app.clientId, other->clientSecret)}});
  ExpectOAuthError(response, 400, "invalid_grant");
}

TEST_F(TokenTest, WrongClientSecretIsInvalidClient) {
  const std::string code = ApproveAndGetCode();
  http::Response response =
      Token({{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", kRedirectUri}},
            "sk_wrong");
  ExpectOAuthError(response, 401, "invalid_client");
  EXPECT_TRUE(Header(response, "WWW-Authenticate").starts_with("Basic"));
  EXPECT_EQ(Str(Body(response), "type"), "AUTHENTICATION");
  // The code survived the failed client authentication.
  EXPECT_EQ(ExchangeCode(code).status, 200);
}

TEST_F(TokenTest, MissingOrMalformedClientAuthenticationIsInvalidClient) {
  const http::Fields form = {{"grant_type", "refresh_token"}, {"refresh_token", "rt_x"}};
  ExpectOAuthError(PostForm("/oauth/token", form), 401, "invalid_client");
  ExpectOAuthError(PostForm("/oauth/token", form, {{"Authorization", "Basic !!!"}}), 401,
                   "invalid_client");
  ExpectOAuthError(PostForm("/oauth/token", form, {{"Authorization", "Bearer abc"}}), 401,
                   "invalid_client");
  ExpectOAuthError(
      PostForm("/oauth/token", form, {{"Authorization", "Basic " + core::Base64Encode("nocolon")}}),
      401, "invalid_client");
}

TEST_F(TokenTest, RequestErrors) {
  ExpectOAuthError(Token({{"grant_type", "password"}}), 400, "unsupported_grant_type");
  ExpectOAuthError(Token({}), 400, "invalid_request");
  ExpectOAuthError(Token({{"grant_type", "authorization_code"}, {"code", "ac_x"}}), 400,
                   "invalid_request");
  ExpectOAuthError(Token({{"grant_type", "refresh_token"}}), 400, "invalid_request");
  ExpectOAuthError(Token({{"grant_type", "authorization_code"},
                          {"code", "a"},
                          {"code", "b"},
                          {"redirect_uri", kRedirectUri}}),
                   400, "invalid_request");
  ExpectOAuthError(ExchangeCode("ac_unknown"), 400, "invalid_grant");
}

TEST_F(TokenTest, RefreshRotatesTheTokenPair) {
  const auto first = Body(ExchangeCode(ApproveAndGetCode()));
  const std::string oldRefresh = Str(first, "refresh_token");
  http::Response response = Refresh(oldRefresh);
  ASSERT_EQ(response.status, 200) << response.body;
  const auto second = Body(response);
  EXPECT_NE(Str(second, "access_token"), Str(first, "access_token"));
  EXPECT_NE(Str(second, "refresh_token"), oldRefresh);
  EXPECT_EQ(second.at("expires_in").as_int64(), 7200);

  // The new refresh token works.
  const auto third = Body(Refresh(Str(second, "refresh_token")));
  EXPECT_FALSE(Str(third, "access_token").empty());
  // The old one still works within a minute of its first use...
  clock_.Advance(std::chrono::seconds(59));
  EXPECT_EQ(Refresh(oldRefresh).status, 200);
  // ...and not after.
  clock_.Advance(std::chrono::seconds(2));
  ExpectOAuthError(Refresh(oldRefresh), 400, "invalid_grant");
  // Tokens of the same grant keep the grant.
  auto a = store_->FindToken(core::Sha256Hex(Str(first, "access_token")));
  auto b = store_->FindToken(core::Sha256Hex(Str(third, "access_token")));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->grantId, b->grantId);
}

TEST_F(TokenTest, RefreshTokenMustBelongToTheClientsApplication) {
  auto other = CreateApplication(*store_, box_, clock_, "Other App", {kRedirectUri}, random_);
  ASSERT_TRUE(other.ok());
  const auto tokens = Body(ExchangeCode(ApproveAndGetCode()));
  http::Response response =
      PostForm("/oauth/token",
               {{"grant_type", "refresh_token"}, {"refresh_token", Str(tokens, "refresh_token")}},
               {{"Authorization", BasicAuth(other->app.clientId, other->clientSecret)}});
  ExpectOAuthError(response, 400, "invalid_grant");
  // An access token is not a refresh token.
  ExpectOAuthError(Refresh(Str(tokens, "access_token")), 400, "invalid_grant");
  ExpectOAuthError(Refresh("rt_unknown"), 400, "invalid_grant");
}

TEST_F(TokenTest, RefreshTokensExpireAfterSixtyDays) {
  const auto tokens = Body(ExchangeCode(ApproveAndGetCode()));
  clock_.Advance(std::chrono::hours(24 * 60));
  ExpectOAuthError(Refresh(Str(tokens, "refresh_token")), 400, "invalid_grant");
}

TEST_F(TokenTest, OnlyPostIsRouted) {
  http::Response response = Get("/oauth/token", {});
  EXPECT_EQ(response.status, 405);
}

}  // namespace
}  // namespace dynhook::connect::testing
