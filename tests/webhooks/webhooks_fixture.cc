#include "webhooks/webhooks_fixture.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/json.h"
#include "support/in_process_request.h"
#include "webhooks/delivery_api.h"
#include "webhooks/subscription_api.h"
#include "webhooks/verifier.h"
#include "webhooks/webhook_api.h"

namespace dynhook::webhooks::test {
namespace {

// The challenge of a verification request, "" when the body is not one.
std::string ChallengeOf(const http::Request& request) {
  auto body = core::ParseJson(request.body);
  if (!body || !body->is_object()) return "";
  const auto* payload = body->as_object().if_contains("payload");
  if (!payload || !payload->is_object()) return "";
  const auto* challenge = payload->as_object().if_contains("challenge");
  return challenge && challenge->is_string() ? std::string(challenge->get_string()) : "";
}

}  // namespace

WebhookRuntime RuntimeRecorder::Runtime() {
  WebhookRuntime runtime;
  runtime.subscribed = [this](const store::Subscription& s) {
    std::lock_guard lock(mu_);
    subscribed_.push_back(s);
  };
  runtime.unsubscribed = [this](const std::string& webhookId, const std::string& vehicleId) {
    std::lock_guard lock(mu_);
    unsubscribed_.emplace_back(webhookId, vehicleId);
  };
  runtime.webhookChanged = [this](const std::string& webhookId) {
    std::lock_guard lock(mu_);
    changed_.push_back(webhookId);
  };
  runtime.enable = [this](const std::string& webhookId, bool replay) -> core::Status {
    std::lock_guard lock(mu_);
    enabled_.emplace_back(webhookId, replay);
    if (enableError_) return *enableError_;
    return {};
  };
  runtime.resend = [this](const store::Delivery& delivery) -> core::Status {
    std::lock_guard lock(mu_);
    resent_.push_back(delivery.id);
    return {};
  };
  return runtime;
}

std::vector<store::Subscription> RuntimeRecorder::Subscribed() const {
  std::lock_guard lock(mu_);
  return subscribed_;
}
std::vector<std::pair<std::string, std::string>> RuntimeRecorder::Unsubscribed() const {
  std::lock_guard lock(mu_);
  return unsubscribed_;
}
std::vector<std::string> RuntimeRecorder::Changed() const {
  std::lock_guard lock(mu_);
  return changed_;
}
std::vector<std::pair<std::string, bool>> RuntimeRecorder::Enabled() const {
  std::lock_guard lock(mu_);
  return enabled_;
}
std::vector<std::string> RuntimeRecorder::Resent() const {
  std::lock_guard lock(mu_);
  return resent_;
}
void RuntimeRecorder::FailEnable(core::Error error) {
  std::lock_guard lock(mu_);
  enableError_ = std::move(error);
}

dynhook::test::FakeReceiver::Handler AnswerChallenges(std::string amt) {
  return [amt = std::move(amt)](const http::Request& request) {
    const std::string answer = ChallengeAnswer(amt, ChallengeOf(request));
    return http::Response::Json(200, core::Stringify(boost::json::object{{"challenge", answer}}));
  };
}

dynhook::test::FakeReceiver::Handler AnswerWrongly() {
  return AnswerChallenges("amt_not_the_right_token");
}

dynhook::test::FakeReceiver::Handler AnswerStatus(int status) {
  return [status](const http::Request&) { return http::Response::Json(status, "{}"); };
}

dynhook::test::FakeReceiver::Handler AnswerText(std::string body) {
  return [body = std::move(body)](const http::Request&) {
    http::Response response;
    response.body = body;
    response.SetHeader("Content-Type", "text/plain");
    return response;
  };
}

dynhook::test::FakeReceiver::Handler AnswerLate(std::string amt, std::chrono::milliseconds delay) {
  auto answer = AnswerChallenges(std::move(amt));
  return [answer, delay](const http::Request& request) {
    std::this_thread::sleep_for(delay);
    return answer(request);
  };
}

WebhooksTestEnv::WebhooksTestEnv(EnvOptions options)
    : options_(options),
      api_(std::make_unique<api::test::ApiTestEnv>()),
      box_(core::SecretBox::GenerateKey()) {
  delivery::CurlTransportOptions transport;
  transport.allowPrivateAddresses = true;  // the fake receivers listen on 127.0.0.1
  transport_ = std::make_unique<delivery::CurlMultiTransport>(transport);
  streams_ = std::make_shared<EventStreams>(events_, options_.streams);
  router_ = std::make_shared<http::Router>();
  WebhookApi(Deps()).RegisterRoutes(*router_);
  DeliveryApi(Deps()).RegisterRoutes(*router_);
  SubscriptionApi(Deps()).RegisterRoutes(*router_);
  EventStreamApi(store(), streams_).RegisterRoutes(*router_);
}

WebhooksTestEnv::~WebhooksTestEnv() {
  streams_->Stop();
  transport_->Stop();
}

WebhooksDeps WebhooksTestEnv::Deps() {
  return WebhooksDeps{store(),
                      *transport_,
                      box_,
                      api_->platformClock(),
                      api_->wallClock(),
                      options_.allowPrivateCallbacks,
                      runtime_.Runtime(),
                      &events_,
                      options_.verifyTimeout};
}

http::Response WebhooksTestEnv::Call(std::string method, std::string target, http::Fields headers,
                                     std::string body) {
  http::Request request = dynhook::test::MakeRequest(std::move(method), std::move(target),
                                                     std::move(headers), std::move(body));
  return router_->Dispatch(request);
}

http::Response WebhooksTestEnv::Bearer(std::string method, std::string target,
                                       std::string_view token, std::string body) {
  return Call(std::move(method), std::move(target),
              {{"Authorization", "Bearer " + std::string(token)}}, std::move(body));
}

http::Response WebhooksTestEnv::CreateWebhook(std::string_view amt, std::string_view uri,
                                              boost::json::object extra) {
  boost::json::object body{{"name", "Hook"}, {"type", "dynamic"}, {"callbackUri", uri}};
  for (auto& member : extra) body[member.key()] = member.value();
  return Bearer("POST", "/api/webhooks", amt, core::Stringify(body));
}

std::string WebhooksTestEnv::CreateWebhookId(std::string_view amt, std::string_view uri,
                                             boost::json::object extra) {
  http::Response response = CreateWebhook(amt, uri, std::move(extra));
  EXPECT_EQ(response.status, 201) << response.body;
  return TextOf(JsonOf(response), "id");
}

}  // namespace dynhook::webhooks::test
