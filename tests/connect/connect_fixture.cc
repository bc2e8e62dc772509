#include "connect/connect_fixture.h"

#include <utility>

namespace dynhook::connect::testing {
namespace {

std::string EncodeFields(const http::Fields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += http::PercentEncode(name) + "=" + http::PercentEncode(value);
  }
  return out;
}

}  // namespace

void ConnectFixture::SetUp() {
  auto opened = store::OpenStore("sqlite::memory:");
  ASSERT_TRUE(opened.ok()) << opened.error().description;
  store_ = std::move(*opened);
  ASSERT_TRUE(store_->Migrate().ok());
  auto created = CreateApplication(*store_, box_, clock_, "Test App",
                                   {kRedirectUri, kRedirectWithQuery}, random_);
  ASSERT_TRUE(created.ok()) << created.error().description;
  app_ = std::move(*created);
  connector_ = &CreateConnector();
  service_ = std::make_unique<ConnectService>(ConnectDeps{*store_, *connector_, clock_, random_});
  service_->RegisterRoutes(router_);
}

oem::Connector& ConnectFixture::CreateConnector() {
  aliceAccountId_ = fake_.AddAccount("TESLA", kUsername, kPassword, 2);
  return fake_;
}

http::Response ConnectFixture::Send(std::string method, const std::string& path,
                                    const http::Fields& query, std::string body,
                                    http::Fields headers) {
  http::Request request;
  request.method = std::move(method);
  request.path = path;
  request.target = query.empty() ? path : path + "?" + EncodeFields(query);
  request.query = query;
  request.headers = std::move(headers);
  request.body = std::move(body);
  request.requestId = "req-" + std::to_string(++requestCounter_);
  request.remoteAddress = "127.0.0.1";
  return router_.Dispatch(request);
}

http::Response ConnectFixture::PostForm(const std::string& path, const http::Fields& form,
                                        http::Fields headers) {
  headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  return Send("POST", path, {}, EncodeFields(form), std::move(headers));
}

http::Fields ConnectFixture::AuthorizeParams(
    const std::map<std::string, std::string>& overrides) const {
  std::map<std::string, std::string> values = {
      {"response_type", "code"},
      {"client_id", app_.app.clientId},
      {"redirect_uri", kRedirectUri},
      {"scope", "required:read_vehicle_info read_battery read_charge"},
      {"state", "st-123"},
      {"mode", "live"},
  };
  for (const auto& [name, value] : overrides) values[name] = value;
  http::Fields fields;
  for (const auto& [name, value] : values) {
    if (!value.empty()) fields.emplace_back(name, value);
  }
  return fields;
}

http::Response ConnectFixture::SubmitApproval(const std::map<std::string, std::string>& overrides,
                                              const http::Fields& extra) {
  http::Fields form = AuthorizeParams(overrides);
  bool hasLogin = false;
  for (const auto& [name, value] : extra) hasLogin = hasLogin || name == "username";
  if (!hasLogin) {
    form.emplace_back("brand", "TESLA");
    form.emplace_back("username", kUsername);
    form.emplace_back("password", kPassword);
  }
  for (const auto& field : extra) form.push_back(field);
  bool hasAction = false;
  for (const auto& [name, value] : form) hasAction = hasAction || name == "action";
  if (!hasAction) form.emplace_back("action", "approve");
  return PostForm("/oauth/authorize", form);
}

std::string ConnectFixture::ApproveAndGetCode(const std::map<std::string, std::string>& overrides,
                                              const http::Fields& extra) {
  http::Response response = SubmitApproval(overrides, extra);
  EXPECT_EQ(response.status, 302) << response.body;
  const http::Fields query = LocationQuery(response);
  return std::string(http::Find(query, "code").value_or(""));
}

std::string ConnectFixture::BasicAuth(const std::string& clientId,
                                      const std::string& secret) const {
  return "Basic " + core::Base64Encode(clientId + ":" + secret);
}

http::Response ConnectFixture::Token(const http::Fields& form, const std::string& clientSecret) {
  const std::string secret = clientSecret.empty() ? app_.clientSecret : clientSecret;
  return PostForm("/oauth/token", form, {{"Authorization", BasicAuth(app_.app.clientId, secret)}});
}

http::Response ConnectFixture::ExchangeCode(const std::string& code,
                                            const std::string& redirectUri) {
  return Token(
      {{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", redirectUri}});
}

http::Response ConnectFixture::Refresh(const std::string& refreshToken) {
  return Token({{"grant_type", "refresh_token"}, {"refresh_token", refreshToken}});
}

http::Fields ConnectFixture::LocationQuery(const http::Response& response) {
  const std::string location = Header(response, "Location");
  const size_t question = location.find('?');
  if (question == std::string::npos) return {};
  return http::ParseUrlEncoded(location.substr(question + 1)).value_or(http::Fields{});
}

std::string ConnectFixture::Header(const http::Response& response, std::string_view name) {
  return std::string(http::FindHeader(response.headers, name).value_or(""));
}

}  // namespace dynhook::connect::testing
