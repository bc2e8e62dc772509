#include "api/api_fixture.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "api/admin_api.h"
#include "api/management_api.h"
#include "api/ops_api.h"
#include "api/vehicle_api.h"
#include "connect/applications.h"
#include "connect/connect_service.h"
#include "http/message.h"
#include "support/in_process_request.h"

namespace dynhook::api::test {
namespace {

std::string FormEncode(const http::Fields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += http::PercentEncode(name) + "=" + http::PercentEncode(value);
  }
  return out;
}

}  // namespace

ApiTestEnv::ApiTestEnv(std::string adminToken) : box_(core::SecretBox::GenerateKey()) {
  auto opened = store::OpenStore("sqlite::memory:");
  if (!opened) throw std::runtime_error(opened.error().description);
  store_ = std::move(opened).value();
  if (auto migrated = store_->Migrate(); !migrated) {
    throw std::runtime_error(migrated.error().description);
  }
  oem::SimulatorOptions options;
  options.rateLimitPerMinute = 0;
  simulator_ = std::make_unique<oem::Simulator>(*store_, platformClock_, wallClock_, 42, options);
  if (auto loaded = simulator_->Load(); !loaded) {
    throw std::runtime_error(loaded.error().description);
  }
  connect_ = std::make_unique<connect::ConnectService>(
      connect::ConnectDeps{*store_, *simulator_, wallClock_, core::DefaultRandom()});
  connect_->RegisterRoutes(router_);
  ApiDeps deps{*store_, *simulator_, wallClock_,
               [this](const std::string& app, const std::string& vehicle) {
                 disconnects_.emplace_back(app, vehicle);
               }};
  VehicleApi(deps).RegisterRoutes(router_);
  ManagementApi(deps).RegisterRoutes(router_);
  AdminApi(AdminDeps{*store_, simulator_.get(), box_, wallClock_, std::move(adminToken)})
      .RegisterRoutes(router_);
  OpsApi(*store_).RegisterRoutes(router_);
}

ApiTestEnv::~ApiTestEnv() = default;

TestApp ApiTestEnv::CreateApp(std::string name) {
  auto created =
      connect::CreateApplication(*store_, box_, wallClock_, std::move(name), {kRedirectUri});
  EXPECT_TRUE(created.ok()) << (created ? "" : created.error().description);
  if (!created) return {};
  return TestApp{created->app.id, created->app.clientId, created->clientSecret,
                 created->managementToken};
}

ConnectedUser ApiTestEnv::Connect(const TestApp& app, std::string_view scope, std::string_view make,
                                  int vehicles) {
  const std::string username = "driver" + std::to_string(++accounts_);
  auto account = simulator_->CreateAccount(make, username, "secret-pw", vehicles);
  EXPECT_TRUE(account.ok()) << (account ? "" : account.error().description);
  if (!account) return {};
  ConnectedUser user;
  user.accountId = account->account.id;
  for (const auto& vehicle : account->vehicles) user.vehicleIds.push_back(vehicle.id);

  const http::Fields form{{"response_type", "code"},
                          {"client_id", app.clientId},
                          {"redirect_uri", kRedirectUri},
                          {"scope", std::string(scope)},
                          {"state", "xyz"},
                          {"make", std::string(make)},
                          {"username", username},
                          {"password", "secret-pw"},
                          {"action", "approve"}};
  http::Response approved =
      Call("POST", "/oauth/authorize", {{"Content-Type", "application/x-www-form-urlencoded"}},
           FormEncode(form));
  const std::string location = HeaderOf(approved, "Location");
  EXPECT_EQ(approved.status, 302) << approved.body;
  auto query = http::ParseUrlEncoded(location.substr(location.find('?') + 1));
  auto code = query ? http::Find(*query, "code") : std::nullopt;
  EXPECT_TRUE(code.has_value()) << location;
  if (!code) return {};

  const http::Fields tokenForm{{"grant_type", "authorization_code"},
                               {"code", std::string(*code)},
                               {"redirect_uri", kRedirectUri}};
  http::Response token = Call(
      "POST", "/oauth/token",
      {{"Content-Type", "application/x-www-form-urlencoded"},
       {"Authorization", "Basic " + core::Base64Encode(app.clientId + ":" + app.clientSecret)}},
      FormEncode(tokenForm));
  EXPECT_EQ(token.status, 200) << token.body;
  const auto json = JsonOf(token);
  if (!json.is_object()) return {};
  user.accessToken = std::string(json.at("access_token").as_string());
  user.refreshToken = std::string(json.at("refresh_token").as_string());
  return user;
}

http::Response ApiTestEnv::Call(std::string method, std::string target, http::Fields headers,
                                std::string body) {
  http::Request request = dynhook::test::MakeRequest(std::move(method), std::move(target),
                                                     std::move(headers), std::move(body));
  return router_.Dispatch(request);
}

http::Response ApiTestEnv::Bearer(std::string method, std::string target, std::string_view token,
                                  std::string body, http::Fields headers) {
  headers.emplace_back("Authorization", "Bearer " + std::string(token));
  return Call(std::move(method), std::move(target), std::move(headers), std::move(body));
}

http::Response ApiTestEnv::Basic(std::string method, std::string target, std::string_view amt) {
  return Call(std::move(method), std::move(target),
              {{"Authorization", "Basic " + core::Base64Encode("default:" + std::string(amt))}});
}

http::Response ApiTestEnv::Admin(std::string method, std::string target, std::string body) {
  return Call(std::move(method), std::move(target),
              {{"Authorization", std::string("Bearer ") + kAdminToken}}, std::move(body));
}

boost::json::value JsonOf(const http::Response& response) {
  boost::system::error_code ec;
  auto value = boost::json::parse(response.body, ec);
  if (ec) return nullptr;
  return value;
}

std::string TextOf(const boost::json::value& body, std::string_view field) {
  if (!body.is_object()) return "";
  const auto* value = body.as_object().if_contains(field);
  if (value == nullptr || !value->is_string()) return "";
  return std::string(value->get_string());
}

std::string HeaderOf(const http::Response& response, std::string_view name) {
  auto value = http::FindHeader(response.headers, name);
  return value ? std::string(*value) : std::string();
}

}  // namespace dynhook::api::test
