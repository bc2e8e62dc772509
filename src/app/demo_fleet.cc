#include "app/demo_fleet.h"

#include <boost/json.hpp>
#include <iomanip>
#include <sstream>

#include "app/http_call.h"
#include "connect/applications.h"
#include "core/crypto.h"
#include "core/json.h"
#include "http/message.h"

namespace dynhook::app {
namespace {

constexpr const char* kScopes =
    "read_vehicle_info read_battery read_charge read_fuel read_location read_odometer";

std::string Colour(bool on, const char* code, const std::string& text) {
  return on ? std::string("\x1b[") + code + "m" + text + "\x1b[0m" : text;
}

// The value of `name` in the query of a redirect Location.
std::string QueryValue(const std::string& location, const std::string& name) {
  const auto q = location.find('?');
  if (q == std::string::npos) return "";
  auto fields = http::ParseUrlEncoded(std::string_view(location).substr(q + 1));
  if (!fields) return "";
  auto v = http::Find(*fields, name);
  return v ? std::string(*v) : "";
}

std::string Form(std::initializer_list<std::pair<std::string, std::string>> fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += http::PercentEncode(k) + "=" + http::PercentEncode(v);
  }
  return out;
}

}  // namespace

core::Result<std::unique_ptr<DemoFleet>> DemoFleet::Create(Platform& platform, bool colour) {
  std::unique_ptr<DemoFleet> fleet(new DemoFleet(platform, colour));
  fleet->base_ = "http://" + platform.address();
  fleet->redirectUri_ = fleet->base_ + "/demo/callback";
  auto app =
      connect::CreateApplication(platform.store(), platform.secretBox(), platform.wallClock(),
                                 "dynhook demo", {fleet->redirectUri_});
  if (!app) return app.take_error();
  fleet->clientId_ = app->app.clientId;
  fleet->clientSecret_ = app->clientSecret;
  fleet->amt_ = app->managementToken;
  for (const auto& [make, user] :
       {std::pair{"TESLA", "ada@example.com"}, std::pair{"BMW", "grace@example.com"},
        std::pair{"TOYOTA", "linus@example.com"}}) {
    if (auto ok = fleet->Connect(make, user); !ok) return ok.take_error();
  }
  return fleet;
}

DemoFleet::~DemoFleet() { StopReporting(); }

core::Status DemoFleet::Connect(const std::string& make, const std::string& username) {
  auto approved = HttpCall("POST", base_ + "/oauth/authorize",
                           {"Content-Type: application/x-www-form-urlencoded"},
                           Form({{"response_type", "code"},
                                 {"client_id", clientId_},
                                 {"redirect_uri", redirectUri_},
                                 {"scope", kScopes},
                                 {"mode", "simulated"},
                                 {"make", make},
                                 {"state", "demo"},
                                 {"username", username},
                                 {"password", "demo-password"},
                                 {"action", "approve"}}));
  if (!approved) return approved.take_error();
  const std::string code = QueryValue(approved->location, "code");
  if (approved->status != 302 || code.empty()) {
    return core::errors::Internal("Connect did not approve the demo owner " + username);
  }
  auto token = HttpCall(
      "POST", base_ + "/oauth/token",
      {"Content-Type: application/x-www-form-urlencoded",
       "Authorization: Basic " + core::Base64Encode(clientId_ + ":" + clientSecret_)},
      Form({{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", redirectUri_}}));
  if (!token) return token.take_error();
  auto parsed = core::ParseJsonObject(token->body);
  if (!parsed || !parsed->contains("access_token")) {
    return core::errors::Internal("token exchange failed: " + token->body);
  }
  const std::string access(parsed->at("access_token").as_string());
  auto list = HttpCall("GET", base_ + "/v2.0/vehicles", {"Authorization: Bearer " + access});
  if (!list) return list.take_error();
  auto ids = core::ParseJsonObject(list->body);
  if (!ids || !ids->contains("vehicles")) return core::errors::Internal("vehicle list failed");
  for (const auto& id : ids->at("vehicles").as_array()) {
    vehicles_.push_back({std::string(id.as_string()), make, access});
  }
  return {};
}

void DemoFleet::PrintIntroduction(std::ostream& out) const {
  out << "\n"
      << Colour(colour_, "1", "dynhook demo") << " — one platform hour every " << std::fixed
      << std::setprecision(0) << 3600.0 / platform_.platformClock().Scale() << " s\n"
      << "  API base URL:      " << base_ << "\n"
      << "  client id:         " << clientId_ << "\n"
      << "  client secret:     " << clientSecret_ << "\n"
      << "  management token:  " << amt_ << "\n"
      << "  connected:         " << vehicles_.size() << " simulated vehicles\n"
      << "  try:  curl -H 'Authorization: Bearer " << vehicles_.front().accessToken << "' " << base_
      << "/v2.0/vehicles/" << vehicles_.front().id << "/battery\n\n";
}

std::string DemoFleet::DescribeVehicle(const Vehicle& v) {
  const std::string auth = "Authorization: Bearer " + v.accessToken;
  std::string text;
  for (const char* path : {"/battery", "/charge", "/fuel"}) {
    auto reply = HttpCall("GET", base_ + "/v2.0/vehicles/" + v.id + path, {auth});
    if (!reply) continue;
    auto body = core::ParseJsonObject(reply->body);
    if (!body) continue;
    if (reply->status != 200) {
      if (reply->status == 501) continue;  // the make has no such data
      return Colour(colour_, "31",
                    std::string(body->at("type").as_string()) + ":" +
                        std::string(body->at("code").as_string()));
    }
    if (body->contains("percentRemaining")) {
      std::ostringstream pct;
      pct << std::string(path + 1) << " " << std::fixed << std::setprecision(0)
          << body->at("percentRemaining").to_number<double>() * 100 << "%  ";
      text += pct.str();
    }
    if (body->contains("state")) {
      text += std::string(body->at("isPluggedIn").as_bool() ? "plugged in, " : "unplugged, ") +
              std::string(body->at("state").as_string()) + "  ";
    }
  }
  return text;
}

void DemoFleet::RunScript(int hour) {
  const std::string admin = "Authorization: Bearer demo-admin-token";
  const auto state = [&](const Vehicle& v) { return base_ + "/api/admin/sim/vehicles/" + v.id; };
  if (hour == 2) {
    (void)HttpCall("PUT", state(vehicles_[0]) + "/state", {admin, "Content-Type: application/json"},
                   R"({"isPluggedIn":true})");
  } else if (hour == 6) {
    (void)HttpCall("DELETE", state(vehicles_[0]) + "/state", {admin});
  } else if (hour == 4 && vehicles_.size() > 1) {
    (void)HttpCall("PUT", state(vehicles_.back()) + "/fault",
                   {admin, "Content-Type: application/json"},
                   R"({"fault":"AUTHENTICATION_FAILED"})");
  }
}

void DemoFleet::StartReporting(std::ostream& out) {
  reporter_ = std::thread([this, &out] { ReportLoop(out); });
}

void DemoFleet::StopReporting() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (reporter_.joinable()) reporter_.join();
}

void DemoFleet::ReportLoop(std::ostream& out) {
  const auto period = std::chrono::duration<double>(3600.0 / platform_.platformClock().Scale());
  for (int hour = 0;; ++hour) {
    RunScript(hour);
    const auto now = core::FormatIso8601(platform_.platformClock().Now()).substr(0, 16);
    for (const auto& v : vehicles_) {
      out << Colour(colour_, "2", now) << "  " << std::left << std::setw(7) << v.make << " "
          << v.id.substr(0, 8) << "  " << DescribeVehicle(v) << "\n";
    }
    out.flush();
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, period, [this] { return stop_; })) return;
  }
}

}  // namespace dynhook::app
