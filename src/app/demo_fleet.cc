#include "app/demo_fleet.h"

#include <boost/json.hpp>
#include <iomanip>
#include <sstream>

#include "app/http_call.h"
#include "connect/applications.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/json.h"
#include "http/message.h"

namespace dynhook::app {
namespace {

constexpr const char* kScopes =
    "read_vehicle_info read_battery read_charge read_fuel read_location read_odometer";

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

// A stream that swallows what it is given (the receiver's own JSON lines).
class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

std::string Percent(const boost::json::value& v) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(0) << v.to_number<double>() * 100 << "%";
  return text.str();
}

}  // namespace

std::string DemoFleet::Colour(const char* code, const std::string& text) const {
  return colour_ ? std::string("\x1b[") + code + "m" + text + "\x1b[0m" : text;
}

core::Result<std::unique_ptr<DemoFleet>> DemoFleet::Create(Platform& platform, std::ostream& out,
                                                           bool colour) {
  std::unique_ptr<DemoFleet> fleet(new DemoFleet(platform, out, colour));
  fleet->base_ = "http://" + platform.address();
  fleet->redirectUri_ = fleet->base_ + "/demo/callback";
  auto app =
      connect::CreateApplication(platform.store(), platform.secretBox(), platform.wallClock(),
                                 "dynhook demo", {fleet->redirectUri_});
  if (!app) return app.take_error();
  fleet->clientId_ = app->app.clientId;
  fleet->clientSecret_ = app->clientSecret;
  fleet->amt_ = app->managementToken;
  out << "  connecting three simulated owners through Connect..." << std::endl;
  // Makes whose optimal data interval is 30 min, so "elevated" is visibly twice an hour.
  for (const auto& [make, user] :
       {std::pair{"BMW", "ada@example.com"}, std::pair{"CHEVROLET", "grace@example.com"},
        std::pair{"TOYOTA", "linus@example.com"}}) {
    if (auto ok = fleet->Connect(make, user); !ok) return ok.take_error();
  }
  out << "  starting the sample receiver and registering the webhook..." << std::endl;
  if (auto ok = fleet->StartReceiver(); !ok) return ok.take_error();
  if (auto ok = fleet->CreateWebhook(); !ok) return ok.take_error();
  return fleet;
}

DemoFleet::~DemoFleet() {
  StopScript();
  if (receiver_) receiver_->Stop();
}

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
    makes_[std::string(id.as_string())] = make;
  }
  return {};
}

core::Status DemoFleet::StartReceiver() {
  receiver::ReceiverOptions options;
  options.listen = "127.0.0.1:0";
  options.amt = amt_;
  discard_ = std::make_unique<std::ostream>(new NullBuffer);
  receiver_ = std::make_unique<receiver::Receiver>(options, *discard_, platform_.platformClock());
  receiver_->SetObserver(
      [this](const http::Request&, const boost::json::object& body) { PrintDelivery(body); });
  return receiver_->Start();
}

core::Status DemoFleet::CreateWebhook() {
  const std::string amt = "Authorization: Bearer " + amt_;
  auto created = HttpCall("POST", base_ + "/api/webhooks", {amt, "Content-Type: application/json"},
                          core::Stringify(boost::json::object{
                              {"name", "demo receiver"},
                              {"type", "dynamic"},
                              {"callbackUri", receiver_->Url("/webhooks/dynhook")},
                              {"data", boost::json::array{"/battery", "/charge", "/fuel"}}}));
  if (!created) return created.take_error();
  auto webhook = core::ParseJsonObject(created->body);
  if (created->status != 201 || !webhook) {
    return core::errors::Internal("creating the demo webhook failed: " + created->body);
  }
  webhookId_ = std::string(webhook->at("id").as_string());
  for (const auto& v : vehicles_) {
    auto sub = HttpCall("POST", base_ + "/v2.0/vehicles/" + v.id + "/webhooks/" + webhookId_,
                        {"Authorization: Bearer " + v.accessToken}, "");
    if (!sub || sub->status != 200) {
      return core::errors::Internal("subscribing a demo vehicle failed");
    }
  }
  return {};
}

void DemoFleet::PrintIntroduction() const {
  out_ << "\n"
       << Colour("1", "dynhook demo") << " — one platform hour every " << std::fixed
       << std::setprecision(0) << 3600.0 / platform_.platformClock().Scale() << " s\n"
       << "  API base URL:      " << base_ << "\n"
       << "  admin token:       demo-admin-token\n"
       << "  client id:         " << clientId_ << "\n"
       << "  client secret:     " << clientSecret_ << "\n"
       << "  management token:  " << amt_ << "\n"
       << "  webhook:           " << webhookId_ << " -> " << receiver_->Url("/webhooks/dynhook")
       << "\n"
       << "  subscribed:        " << vehicles_.size() << " simulated vehicles (BMW plug-in "
       << "hybrid, Chevrolet EV, Toyota)\n"
       << "  dashboard:         " << base_
       << "/dashboard  (log in with the management token; "
          "admin token demo-admin-token for the Vehicles page)\n"
       << "  metrics:           " << base_ << "/metrics\n"
       << "  try:  curl -H 'Authorization: Bearer " << amt_ << "' " << base_ << "/api/webhooks/"
       << webhookId_ << "/subscriptions\n\n"
       << "Each line is one delivery the receiver got (time on the platform clock). Ctrl-C "
          "stops.\n\n";
}

void DemoFleet::Say(const std::string& text) {
  std::lock_guard lock(mu_);
  out_ << Colour("1;36", "▸ " + text) << std::endl;
}

void DemoFleet::PrintDelivery(const boost::json::object& body) {
  const auto now = platform_.platformClock().Now();
  std::ostringstream line;
  // The eventId's tail: its head is the creation time (time-ordered ids), shared by neighbours.
  const std::string eventId(body.at("eventId").as_string());
  line << Colour("2", core::FormatIso8601(now).substr(11, 5)) << "  delivery "
       << eventId.substr(eventId.size() > 8 ? eventId.size() - 8 : 0);
  bool late = false;
  for (const auto& entry : body.at("payload").at("vehicles").as_array()) {
    const auto& vehicle = entry.as_object();
    const std::string id(vehicle.at("vehicleId").as_string());
    line << "  [" << makes_[id] << " " << id.substr(0, 4);
    for (const auto& item : vehicle.at("data").as_array()) {
      const auto& data = item.as_object();
      const auto& b = data.at("body").as_object();
      if (data.at("code").to_number<int>() != 200) {
        if (data.at("code").to_number<int>() == 501) continue;  // not this make's data
        line << " "
             << Colour("31", std::string(b.at("type").as_string()) + ":" +
                                 std::string(b.at("code").as_string()));
        break;
      }
      const std::string path(data.at("path").as_string());
      if (path == "/battery") line << " battery " << Percent(b.at("percentRemaining"));
      if (path == "/fuel") line << " fuel " << Percent(b.at("percentRemaining"));
      if (path == "/charge") {
        line << (b.at("isPluggedIn").as_bool() ? " plugged-in " : " unplugged ")
             << std::string(b.at("state").as_string());
      }
      if (data.contains("headers")) {
        const auto age =
            core::ParseIso8601(std::string(data.at("headers").at("sc-data-age").as_string()));
        late = late || (age && now - *age > std::chrono::minutes(5));
      }
    }
    line << "]";
  }
  if (late) line << Colour("33", "  (late: delivered after retries)");
  std::lock_guard lock(mu_);
  out_ << line.str() << std::endl;
}

void DemoFleet::Act(int minute) {
  const std::string admin = "Authorization: Bearer demo-admin-token";
  const auto sim = [&](const Vehicle& v) { return base_ + "/api/admin/sim/vehicles/" + v.id; };
  const Vehicle& bmw = vehicles_.front();
  const Vehicle& toyota = vehicles_.back();
  switch (minute) {
    case 60:
      Say("plugging in the BMW " + bmw.id.substr(0, 4) +
          ": deliveries every 30 min while it charges");
      (void)HttpCall("PUT", sim(bmw) + "/state", {admin, "Content-Type: application/json"},
                     R"({"isPluggedIn":true})");
      break;
    case 180:
      Say("unplugging the BMW " + bmw.id.substr(0, 4) + ": back to hourly");
      (void)HttpCall("PUT", sim(bmw) + "/state", {admin, "Content-Type: application/json"},
                     R"({"isPluggedIn":false})");
      break;
    case 200:
      Say("the Toyota owner changed their OEM password");
      (void)HttpCall("PUT", sim(toyota) + "/fault", {admin, "Content-Type: application/json"},
                     R"({"fault":"AUTHENTICATION_FAILED"})");
      break;
    case 270:
      Say("the receiver goes down (answers 503): dynhook retries with backoff");
      receiver_->SetFailureMode(1.0, 503);
      break;
    case 300:
      Say("the receiver is back: the retried deliveries arrive, in order");
      receiver_->SetFailureMode(std::nullopt, std::nullopt);
      break;
    default:
      break;
  }
}

void DemoFleet::StartScript() {
  script_ = std::thread([this] { RunScript(); });
}

void DemoFleet::StopScript() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (script_.joinable()) script_.join();
}

void DemoFleet::RunScript() {
  const auto& clock = platform_.platformClock();
  const auto start = clock.Now();
  const auto step = std::chrono::duration<double>(600.0 / clock.Scale());  // 10 platform min
  for (int minute = 10;; minute += 10) {
    {
      std::unique_lock lock(mu_);
      if (wake_.wait_for(lock, step, [this] { return stop_; })) return;
    }
    // Act on the platform clock, whatever the wall-time drift of the waits.
    const int elapsed = static_cast<int>(
        std::chrono::duration_cast<std::chrono::minutes>(clock.Now() - start).count());
    for (; minute <= elapsed; minute += 10) Act(minute);
    minute -= 10;
  }
}

}  // namespace dynhook::app
