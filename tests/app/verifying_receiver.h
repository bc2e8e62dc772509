// VerifyingReceiver: a callback endpoint for end-to-end tests on 127.0.0.1 (free port). It
// answers dynhook's verification challenge as an integrator must (HMAC-SHA256 of the challenge
// keyed with the application's AMT, set with SetAmt once the application exists) and every
// other event with the HTTP status `onEvent(request)` returns. A body that is not JSON gets 400.
// Thread-safe: events arrive on server threads; `onEvent` must be thread-safe itself.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <mutex>
#include <string>
#include <utility>

#include "core/crypto.h"
#include "core/json.h"
#include "support/fake_receiver.h"

namespace dynhook::testing {

class VerifyingReceiver {
 public:
  using OnEvent = std::function<int(const http::Request&)>;

  explicit VerifyingReceiver(OnEvent onEvent)
      : onEvent_(std::move(onEvent)),
        server_([this](const http::Request& r) { return Handle(r); }) {}

  void SetAmt(std::string amt) {
    std::lock_guard lock(mu_);
    amt_ = std::move(amt);
  }
  std::string Url() const { return server_.Url("/hook"); }

 private:
  http::Response Handle(const http::Request& request) {
    auto body = core::ParseJsonObject(request.body);
    if (!body) return http::Response::Json(400, "{}");
    if (body->contains("eventName") && body->at("eventName") == "verify") {
      std::lock_guard lock(mu_);
      const auto& challenge = body->at("payload").as_object().at("challenge").as_string();
      return http::Response::Json(
          200, core::Stringify(boost::json::object{
                   {"challenge", core::HmacSha256Hex(amt_, std::string(challenge))}}));
    }
    return http::Response::Json(onEvent_(request), "{}");
  }

  std::mutex mu_;
  std::string amt_;  // guarded by mu_
  const OnEvent onEvent_;
  test::FakeReceiver server_;  // last: stopped before the rest goes
};

}  // namespace dynhook::testing
