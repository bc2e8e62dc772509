// PlatformClient: what an application does against a running dynhook, over real HTTP, for
// end-to-end tests: create an application (admin API), connect a simulated owner through
// Connect and exchange the code, call any endpoint. Throws std::runtime_error when a step that
// must succeed does not (a test failure with the server's answer in the message).
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "app/http_call.h"

namespace dynhook::testing {

struct AppCredentials {
  std::string id, clientId, clientSecret, managementToken, redirectUri;
};

struct ConnectedOwner {
  std::string accessToken, refreshToken;
  std::vector<std::string> vehicleIds;
};

class PlatformClient {
 public:
  PlatformClient(std::string base, std::string adminToken)
      : base_(std::move(base)), adminToken_(std::move(adminToken)) {}

  AppCredentials CreateApplication(const std::string& redirectUri = "http://127.0.0.1:9/cb");
  ConnectedOwner Connect(const AppCredentials& app, const std::string& make,
                         const std::string& username,
                         const std::string& scope =
                             "read_vehicle_info read_battery "
                             "read_charge read_location read_odometer");

  app::HttpReply Call(const std::string& method, const std::string& path,
                      const std::vector<std::string>& headers = {},
                      const std::string& body = "") const;
  // Call with "Authorization: Bearer <token>" and a JSON body.
  app::HttpReply CallJson(const std::string& method, const std::string& path,
                          const std::string& bearer, const std::string& body = "") const;

  static std::string Form(const std::vector<std::pair<std::string, std::string>>& fields);
  static boost::json::object Json(const std::string& text);  // throws on bad JSON

 private:
  std::string base_, adminToken_;
};

}  // namespace dynhook::testing
