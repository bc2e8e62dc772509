// The /api/webhooks routes in process (Router::Dispatch) over a real sqlite::memory: store,
// with verification against FakeReceivers through a real CurlMultiTransport.
#include "webhooks/webhook_api.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "webhooks/webhooks_fixture.h"

namespace dynhook::webhooks {
namespace {

using dynhook::test::FakeReceiver;
using test::JsonOf;
using test::TextOf;

class WebhookApiTest : public ::testing::Test {
 protected:
  WebhookApiTest() : app_(env_.api().CreateApp("Fleet app")) {}

  boost::json::object Get(const std::string& id) {
    auto response = env_.Bearer("GET", "/api/webhooks/" + id, app_.managementToken);
    EXPECT_EQ(response.status, 200) << response.body;
    auto json = JsonOf(response);
    return json.is_object() ? json.as_object() : boost::json::object{};
  }

  test::WebhooksTestEnv env_;
  api::test::TestApp app_;
};

TEST_F(WebhookApiTest, CreateVerifiesAndEnables) {
  FakeReceiver receiver(test::AnswerChallenges(app_.managementToken));
  auto response = env_.CreateWebhook(app_.managementToken, receiver.Url("/hook"));
  ASSERT_EQ(response.status, 201) << response.body;
  auto json = JsonOf(response).as_object();
  EXPECT_EQ(json.at("status"), "enabled");
  EXPECT_EQ(json.at("name"), "Hook");
  EXPECT_EQ(json.at("type"), "dynamic");
  EXPECT_EQ(TextOf(json, "callbackUri"), receiver.Url("/hook"));
  EXPECT_TRUE(json.at("verifiedAt").is_string());
  EXPECT_TRUE(json.at("verificationError").is_null());
  EXPECT_TRUE(json.at("disabledReason").is_null());
  EXPECT_EQ(json.at("data"), boost::json::array({"/battery", "/charge", "/location"}));
  EXPECT_EQ(json.at("trigger").at("signal"), "charge.isPluggedIn");
  EXPECT_EQ(json.at("intervals").at("default"), "PT1H");
  EXPECT_EQ(json.at("maxPayloadBytes"), 262144);
  EXPECT_EQ(json.at("standardWebhooks"), false);
  EXPECT_TRUE(json.at("errorCallbackUri").is_null());
  EXPECT_EQ(json.at("subscriptionCount"), 0);
  EXPECT_EQ(json.at("deliveriesLastHour"), 0);
  EXPECT_EQ(json.at("discardedCount"), 0);
  EXPECT_FALSE(json.contains("signingSecret"));
  EXPECT_EQ(receiver.RequestCount(), 1u);
  const std::string id = TextOf(json, "id");
  auto changed = env_.runtime().Changed();
  EXPECT_NE(std::find(changed.begin(), changed.end(), id), changed.end());
  EXPECT_EQ(Get(id).at("status"), "enabled");
}

TEST_F(WebhookApiTest, CreateWithAWrongAnswerStaysPending) {
  FakeReceiver receiver(test::AnswerWrongly());
  auto response = env_.CreateWebhook(app_.managementToken, receiver.Url());
  ASSERT_EQ(response.status, 201) << response.body;
  auto json = JsonOf(response);
  EXPECT_EQ(TextOf(json, "status"), "pending_verification");
  EXPECT_EQ(TextOf(json, "verificationError"), "wrong challenge answer");
  EXPECT_TRUE(json.at("verifiedAt").is_null());
}

TEST_F(WebhookApiTest, VerifyAnswers424WithTheReasonThen200) {
  FakeReceiver receiver(test::AnswerStatus(500));
  const std::string id = env_.CreateWebhookId(app_.managementToken, receiver.Url());
  auto failed = env_.Bearer("POST", "/api/webhooks/" + id + "/verify", app_.managementToken);
  EXPECT_EQ(failed.status, 424);
  auto error = JsonOf(failed);
  EXPECT_EQ(TextOf(error, "type"), "VALIDATION");
  EXPECT_EQ(TextOf(error, "code"), "VERIFICATION_FAILED");
  EXPECT_NE(TextOf(error, "description").find("callback answered HTTP 500"), std::string::npos);
  EXPECT_EQ(error.at("statusCode"), 424);
  EXPECT_EQ(Get(id).at("verificationError"), "callback answered HTTP 500");

  receiver.SetHandler(test::AnswerChallenges(app_.managementToken));
  auto verified = env_.Bearer("POST", "/api/webhooks/" + id + "/verify", app_.managementToken);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(TextOf(JsonOf(verified), "status"), "enabled");
  EXPECT_TRUE(JsonOf(verified).at("verificationError").is_null());
}

TEST_F(WebhookApiTest, AFailedVerifyReturnsAnEnabledWebhookToPending) {
  FakeReceiver receiver(test::AnswerChallenges(app_.managementToken));
  const std::string id = env_.CreateWebhookId(app_.managementToken, receiver.Url());
  receiver.SetHandler(test::AnswerText("not json"));
  auto failed = env_.Bearer("POST", "/api/webhooks/" + id + "/verify", app_.managementToken);
  EXPECT_EQ(failed.status, 424);
  auto json = Get(id);
  EXPECT_EQ(json.at("status"), "pending_verification");
  EXPECT_EQ(json.at("verificationError"), "response was not JSON");
}

TEST_F(WebhookApiTest, PatchRenamesAndChangesOptionsWithoutReverifying) {
  FakeReceiver receiver(test::AnswerChallenges(app_.managementToken));
  const std::string id = env_.CreateWebhookId(app_.managementToken, receiver.Url());
  auto patched = env_.Bearer("PATCH", "/api/webhooks/" + id, app_.managementToken,
                             R"({"name":"Renamed","data":["/odometer"],
                                 "intervals":{"default":"PT2H","elevated":"PT10M"}})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto json = JsonOf(patched).as_object();
  EXPECT_EQ(json.at("name"), "Renamed");
  EXPECT_EQ(json.at("data"), boost::json::array({"/odometer"}));
  EXPECT_EQ(json.at("intervals").at("default"), "PT2H");
  EXPECT_EQ(json.at("status"), "enabled");
  EXPECT_EQ(json.at("trigger").at("signal"), "charge.isPluggedIn");  // kept
  EXPECT_EQ(receiver.RequestCount(), 1u);
}

TEST_F(WebhookApiTest, PatchCallbackReverifies) {
  FakeReceiver first(test::AnswerChallenges(app_.managementToken));
  FakeReceiver second(test::AnswerWrongly());
  const std::string id = env_.CreateWebhookId(app_.managementToken, first.Url());
  const std::string body = core::Stringify(boost::json::object{{"callbackUri", second.Url()}});
  auto patched = env_.Bearer("PATCH", "/api/webhooks/" + id, app_.managementToken, body);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(TextOf(JsonOf(patched), "status"), "pending_verification");
  EXPECT_EQ(TextOf(JsonOf(patched), "verificationError"), "wrong challenge answer");
  EXPECT_EQ(second.RequestCount(), 1u);

  second.SetHandler(test::AnswerChallenges(app_.managementToken));
  const std::string third =
      core::Stringify(boost::json::object{{"callbackUri", second.Url("/v2")}});
  patched = env_.Bearer("PATCH", "/api/webhooks/" + id, app_.managementToken, third);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(TextOf(JsonOf(patched), "status"), "enabled");
  EXPECT_EQ(TextOf(JsonOf(patched), "callbackUri"), second.Url("/v2"));
}

TEST_F(WebhookApiTest, StandardWebhooksSecretIsShownOnce) {
  FakeReceiver receiver(test::AnswerChallenges(app_.managementToken));
  auto created =
      env_.CreateWebhook(app_.managementToken, receiver.Url(), {{"standardWebhooks", true}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string secret = TextOf(JsonOf(created), "signingSecret");
  ASSERT_EQ(secret.rfind("whsec_", 0), 0u) << secret;
  auto raw = core::Base64Decode(secret.substr(6));
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->size(), 32u);
  const std::string id = TextOf(JsonOf(created), "id");
  EXPECT_FALSE(Get(id).contains("signingSecret"));
  auto stored = env_.store().FindWebhook(app_.id, id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(env_.box().Open(stored->signingSecretSealed), secret);
  EXPECT_EQ(stored->signingSecretSealed.find(secret), std::string::npos);
}

TEST_F(WebhookApiTest, ListAndGetAreScopedToTheApplication) {
  auto other = env_.api().CreateApp("Other app");
  FakeReceiver receiver(test::AnswerChallenges(app_.managementToken));
  const std::string mine = env_.CreateWebhookId(app_.managementToken, receiver.Url());
  const std::string theirs = env_.CreateWebhookId(other.managementToken, receiver.Url());

  auto list = JsonOf(env_.Bearer("GET", "/api/webhooks", app_.managementToken));
  ASSERT_EQ(list.at("webhooks").as_array().size(), 1u);
  EXPECT_EQ(TextOf(list.at("webhooks").as_array()[0], "id"), mine);

  for (const auto& [method, suffix] :
       std::vector<std::pair<std::string, std::string>>{{"GET", ""},
                                                        {"PATCH", ""},
                                                        {"DELETE", ""},
                                                        {"POST", "/verify"},
                                                        {"POST", "/enable"},
                                                        {"POST", "/disable"},
                                                        {"GET", "/subscriptions"},
                                                        {"GET", "/deliveries"}}) {
    auto response = env_.Bearer(method, "/api/webhooks/" + theirs + suffix, app_.managementToken,
                                method == "PATCH" ? R"({"name":"x"})" : "");
    EXPECT_EQ(response.status, 404) << method << suffix << " " << response.body;
    EXPECT_EQ(TextOf(JsonOf(response), "type"), "RESOURCE_NOT_FOUND");
  }
  auto stillThere = env_.Bearer("GET", "/api/webhooks/" + theirs, other.managementToken);
  EXPECT_EQ(stillThere.status, 200);
}

TEST_F(WebhookApiTest, EveryRouteNeedsTheManagementToken) {
  for (const auto& target :
       {"/api/webhooks", "/api/webhooks/3b8f2a4e-7c1d-4f6a-9e2b-5d8c1a7f3e90", "/api/events"}) {
    EXPECT_EQ(env_.Call("GET", target).status, 401) << target;
    EXPECT_EQ(env_.Bearer("GET", target, "amt_wrong").status, 401) << target;
  }
  EXPECT_EQ(env_.Call("POST", "/api/webhooks", {}, "{}").status, 401);
}

TEST_F(WebhookApiTest, DeleteRemovesAndTellsTheRuntime) {
  FakeReceiver receiver(test::AnswerChallenges(app_.managementToken));
  const std::string id = env_.CreateWebhookId(app_.managementToken, receiver.Url());
  auto deleted = env_.Bearer("DELETE", "/api/webhooks/" + id, app_.managementToken);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(TextOf(JsonOf(deleted), "status"), "success");
  EXPECT_EQ(env_.Bearer("GET", "/api/webhooks/" + id, app_.managementToken).status, 404);
  EXPECT_EQ(env_.runtime().Changed().back(), id);
  EXPECT_EQ(env_.Bearer("DELETE", "/api/webhooks/" + id, app_.managementToken).status, 404);
}

TEST_F(WebhookApiTest, DisableAndEnableCallTheRuntime) {
  FakeReceiver receiver(test::AnswerChallenges(app_.managementToken));
  const std::string id = env_.CreateWebhookId(app_.managementToken, receiver.Url());
  auto disabled = env_.Bearer("POST", "/api/webhooks/" + id + "/disable", app_.managementToken);
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(TextOf(JsonOf(disabled), "status"), "disabled");
  EXPECT_EQ(TextOf(JsonOf(disabled), "disabledReason"), "disabled by the application");
  EXPECT_TRUE(JsonOf(disabled).at("disabledAt").is_string());
  EXPECT_EQ(env_.runtime().Changed().back(), id);

  auto enabled =
      env_.Bearer("POST", "/api/webhooks/" + id + "/enable?replay=discard", app_.managementToken);
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  EXPECT_EQ(TextOf(JsonOf(enabled), "status"), "enabled");
  EXPECT_TRUE(JsonOf(enabled).at("disabledReason").is_null());
  ASSERT_EQ(env_.runtime().Enabled().size(), 1u);
  EXPECT_EQ(env_.runtime().Enabled()[0], std::make_pair(id, false));

  env_.Bearer("POST", "/api/webhooks/" + id + "/disable", app_.managementToken);
  enabled = env_.Bearer("POST", "/api/webhooks/" + id + "/enable", app_.managementToken);
  ASSERT_EQ(enabled.status, 200);
  EXPECT_EQ(env_.runtime().Enabled().back(), std::make_pair(id, true));  // default: held
}

TEST_F(WebhookApiTest, EnableVerifiesFirstAndStaysDisabledOnFailure) {
  FakeReceiver receiver(test::AnswerChallenges(app_.managementToken));
  const std::string id = env_.CreateWebhookId(app_.managementToken, receiver.Url());
  env_.Bearer("POST", "/api/webhooks/" + id + "/disable", app_.managementToken);
  receiver.SetHandler(test::AnswerStatus(503));
  auto enabled = env_.Bearer("POST", "/api/webhooks/" + id + "/enable", app_.managementToken);
  EXPECT_EQ(enabled.status, 424);
  EXPECT_NE(TextOf(JsonOf(enabled), "description").find("callback answered HTTP 503"),
            std::string::npos);
  EXPECT_TRUE(env_.runtime().Enabled().empty());
  auto json = Get(id);
  EXPECT_EQ(json.at("status"), "disabled");
  EXPECT_EQ(json.at("verificationError"), "callback answered HTTP 503");
}

TEST_F(WebhookApiTest, EnableRejectsAnUnknownReplayMode) {
  FakeReceiver receiver(test::AnswerChallenges(app_.managementToken));
  const std::string id = env_.CreateWebhookId(app_.managementToken, receiver.Url());
  auto response =
      env_.Bearer("POST", "/api/webhooks/" + id + "/enable?replay=all", app_.managementToken);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(receiver.RequestCount(), 1u);  // no challenge sent
}

TEST_F(WebhookApiTest, EnablePassesTheRuntimeError) {
  FakeReceiver receiver(test::AnswerChallenges(app_.managementToken));
  const std::string id = env_.CreateWebhookId(app_.managementToken, receiver.Url());
  env_.runtime().FailEnable(core::errors::Internal("engine stopped"));
  auto response = env_.Bearer("POST", "/api/webhooks/" + id + "/enable", app_.managementToken);
  EXPECT_EQ(response.status, 500);
}

TEST_F(WebhookApiTest, WebhookEventsArePublished) {
  std::vector<Event> events;
  const uint64_t token =
      env_.events().Subscribe(app_.id, [&](const Event& e) { events.push_back(e); });
  FakeReceiver receiver(test::AnswerChallenges(app_.managementToken));
  const std::string id = env_.CreateWebhookId(app_.managementToken, receiver.Url());
  env_.Bearer("DELETE", "/api/webhooks/" + id, app_.managementToken);
  env_.events().Unsubscribe(token);
  std::vector<std::string> actions;
  for (const auto& event : events) {
    EXPECT_EQ(event.type, "webhook");
    auto json = core::ParseJsonObject(event.json);
    ASSERT_TRUE(json.ok()) << event.json;
    actions.emplace_back(json->at("action").as_string());
    EXPECT_EQ(json->at("webhook").at("id").as_string(), id);
    EXPECT_EQ(json->at("webhookId").as_string(), id);
    EXPECT_EQ(json->at("type"), "webhook");
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"created", "verified", "deleted"}));
}

}  // namespace
}  // namespace dynhook::webhooks
