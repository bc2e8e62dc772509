// ApiTestEnv: an in-process platform for API tests, driven through Router::Dispatch (no
// network): a migrated sqlite::memory: store, the fleet simulator on manual platform and wall
// clocks (no latency, no rate limit), Connect, and the api module's routes. Helpers create an
// application, run Connect end to end (POST /oauth/authorize then POST /oauth/token) and call
// endpoints with the right credentials. Other suites link it (the webhooks tests build on it).
// Not thread-safe: one test thread.
#pragma once

#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/deps.h"
#include "connect/connect_service.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "http/router.h"
#include "oem/simulator.h"
#include "store/store.h"

namespace dynhook::api::test {

inline constexpr char kAdminToken[] = "admin-test-token";
inline constexpr char kRedirectUri[] = "https://app.example.com/callback";
inline constexpr char kAllScopes[] =
    "read_vehicle_info read_battery read_charge read_location read_odometer read_vin read_fuel "
    "read_tires read_engine_oil read_security control_security control_charge";

struct TestApp {
  std::string id;
  std::string clientId;
  std::string clientSecret;
  std::string managementToken;
};

struct ConnectedUser {
  std::string accessToken;
  std::string refreshToken;
  std::string accountId;
  std::vector<std::string> vehicleIds;  // every vehicle of the account, all approved
};

class ApiTestEnv {
 public:
  explicit ApiTestEnv(std::string adminToken = kAdminToken);
  ~ApiTestEnv();

  store::Store& store() { return *store_; }
  oem::Simulator& simulator() { return *simulator_; }
  core::ManualClock& wallClock() { return wallClock_; }
  core::ManualClock& platformClock() { return platformClock_; }
  // (applicationId, vehicleId) pairs the DisconnectHook received.
  const std::vector<std::pair<std::string, std::string>>& disconnects() const {
    return disconnects_;
  }

  TestApp CreateApp(std::string name = "Test app");
  // Creates a simulated OEM account of `make` with `vehicles` vehicles and connects it to `app`
  // with `scope`. Fails the test (and returns an empty user) when any step fails.
  ConnectedUser Connect(const TestApp& app, std::string_view scope = kAllScopes,
                        std::string_view make = "TESLA", int vehicles = 1);

  // Dispatches a request built from `target` ("/v2.0/vehicles?limit=5").
  http::Response Call(std::string method, std::string target, http::Fields headers = {},
                      std::string body = "");
  // Call with `Authorization: Bearer <token>`.
  http::Response Bearer(std::string method, std::string target, std::string_view token,
                        std::string body = "", http::Fields headers = {});
  // Call with `Authorization: Basic base64("default:" + amt)`.
  http::Response Basic(std::string method, std::string target, std::string_view amt);
  // Call with the admin token.
  http::Response Admin(std::string method, std::string target, std::string body = "");

 private:
  core::ManualClock wallClock_;
  core::ManualClock platformClock_;
  core::SecretBox box_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<oem::Simulator> simulator_;
  std::unique_ptr<connect::ConnectService> connect_;  // its handlers point at it
  http::Router router_;
  std::vector<std::pair<std::string, std::string>> disconnects_;
  int accounts_ = 0;
};

// The response body parsed as JSON (null when it is not JSON).
boost::json::value JsonOf(const http::Response& response);
// body[field] when body is an object holding a string there, "" otherwise.
std::string TextOf(const boost::json::value& body, std::string_view field);
// A response header's value, "" when absent.
std::string HeaderOf(const http::Response& response, std::string_view name);

}  // namespace dynhook::api::test
