#include "platform_client.h"

#include <stdexcept>

#include "core/crypto.h"
#include "core/json.h"
#include "http/message.h"

namespace dynhook::testing {
namespace {

std::string Str(const boost::json::object& o, const char* key) {
  return o.contains(key) && o.at(key).is_string() ? std::string(o.at(key).as_string()) : "";
}

}  // namespace

boost::json::object PlatformClient::Json(const std::string& text) {
  auto parsed = core::ParseJsonObject(text);
  if (!parsed) throw std::runtime_error("not a JSON object: " + text);
  return *parsed;
}

std::string PlatformClient::Form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    out += (out.empty() ? "" : "&") + http::PercentEncode(k) + "=" + http::PercentEncode(v);
  }
  return out;
}

app::HttpReply PlatformClient::Call(const std::string& method, const std::string& path,
                                    const std::vector<std::string>& headers,
                                    const std::string& body) const {
  auto reply = app::HttpCall(method, base_ + path, headers, body);
  if (!reply) throw std::runtime_error(method + " " + path + ": " + reply.error().description);
  return *reply;
}

app::HttpReply PlatformClient::CallJson(const std::string& method, const std::string& path,
                                        const std::string& bearer, const std::string& body) const {
  return Call(method, path, {"Authorization: Bearer " + bearer, "Content-Type: application/json"},
              body);
}

AppCredentials PlatformClient::CreateApplication(const std::string& redirectUri) {
  auto reply = CallJson("POST", "/api/admin/applications", adminToken_,
                        R"({"name":"test app","redirectUris":[")" + redirectUri + R"("]})");
  if (reply.status != 201) throw std::runtime_error("create application: " + reply.body);
  const auto o = Json(reply.body);
  return {Str(o, "id"), Str(o, "clientId"), Str(o, "clientSecret"), Str(o, "managementToken"),
          redirectUri};
}

ConnectedOwner PlatformClient::Connect(const AppCredentials& app, const std::string& make,
                                       const std::string& username, const std::string& scope) {
  auto approved =
      Call("POST", "/oauth/authorize", {"Content-Type: application/x-www-form-urlencoded"},
           Form({{"response_type", "code"},
                 {"client_id", app.clientId},
                 {"redirect_uri", app.redirectUri},
                 {"scope", scope},
                 {"mode", "simulated"},
                 {"make", make},
                 {"state", "s"},
                 {"username", username},
                 {"password", "pw"},
                 {"action", "approve"}}));
  const auto at = approved.location.find("code=");
  if (approved.status != 302 || at == std::string::npos) {
    throw std::runtime_error("Connect approval failed: " + approved.body);
  }
  const std::string code =
      approved.location.substr(at + 5, approved.location.find('&', at) - at - 5);
  auto token =
      Call("POST", "/oauth/token",
           {"Content-Type: application/x-www-form-urlencoded",
            "Authorization: Basic " + core::Base64Encode(app.clientId + ":" + app.clientSecret)},
           Form({{"grant_type", "authorization_code"},
                 {"code", code},
                 {"redirect_uri", app.redirectUri}}));
  if (token.status != 200) throw std::runtime_error("token exchange failed: " + token.body);
  const auto tokens = Json(token.body);
  ConnectedOwner owner{Str(tokens, "access_token"), Str(tokens, "refresh_token"), {}};
  auto list = CallJson("GET", "/v2.0/vehicles?limit=50", owner.accessToken);
  const auto vehicles = Json(list.body);
  for (const auto& id : vehicles.at("vehicles").as_array()) {
    owner.vehicleIds.emplace_back(id.as_string());
  }
  return owner;
}

}  // namespace dynhook::testing
