// ConnectFixture: a ConnectService on a Router, over a real in-memory SQLite store, a
// connector (a FakeConnector unless a subclass overrides CreateConnector) and a ManualClock,
// with one application ("Test App") and one OEM account (alice@example.com / s3cret, TESLA,
// two vehicles). Requests go straight to
// Router::Dispatch; helpers drive the authorize page and the token endpoint.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "connect/applications.h"
#include "connect/connect_service.h"
#include "connect/fake_connector.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/random.h"
#include "http/message.h"
#include "http/router.h"
#include "store/store.h"

namespace dynhook::connect::testing {

inline constexpr const char* kRedirectUri = "https://app.example/callback";
inline constexpr const char* kRedirectWithQuery = "https://app.example/cb?tenant=7";
inline constexpr const char* kUsername = "alice@example.com";
inline constexpr const char* kPassword = "s3cret";

class ConnectFixture : public ::testing::Test {
 public:
  // The query of a redirect's Location as fields; empty when there is none.
  static http::Fields LocationQuery(const http::Response& response);
  static std::string Header(const http::Response& response, std::string_view name);

 protected:
  void SetUp() override;
  // The connector under test, with alice's account added (sets aliceAccountId_).
  virtual oem::Connector& CreateConnector();

  // A request as the HTTP server would hand it to the router.
  http::Response Send(std::string method, const std::string& path, const http::Fields& query,
                      std::string body = {}, http::Fields headers = {});
  http::Response Get(const std::string& path, const http::Fields& query) {
    return Send("GET", path, query);
  }
  http::Response PostForm(const std::string& path, const http::Fields& form,
                          http::Fields headers = {});

  // The authorize parameters of a well-formed request; `overrides` replace or add fields
  // (an empty value removes the field).
  http::Fields AuthorizeParams(const std::map<std::string, std::string>& overrides = {}) const;
  // POST /oauth/authorize with AuthorizeParams(overrides) plus the login form fields.
  http::Response SubmitApproval(const std::map<std::string, std::string>& overrides = {},
                                const http::Fields& extra = {});
  // Approves with the default account and returns the code (fails the test otherwise).
  std::string ApproveAndGetCode(const std::map<std::string, std::string>& overrides = {},
                                const http::Fields& extra = {});

  // POST /oauth/token with Basic client authentication.
  http::Response Token(const http::Fields& form, const std::string& clientSecret = {});
  http::Response ExchangeCode(const std::string& code,
                              const std::string& redirectUri = kRedirectUri);
  http::Response Refresh(const std::string& refreshToken);

  std::string BasicAuth(const std::string& clientId, const std::string& secret) const;
  core::ManualClock clock_;
  core::SeededRandom random_{42};
  core::SecretBox box_{core::SecretBox::GenerateKey(random_)};
  std::unique_ptr<store::Store> store_;
  FakeConnector fake_;
  oem::Connector* connector_ = nullptr;
  NewApplication app_;
  std::string aliceAccountId_;
  std::unique_ptr<ConnectService> service_;
  http::Router router_;
  int requestCounter_ = 0;
};

}  // namespace dynhook::connect::testing
