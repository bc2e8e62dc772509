// Validation of the create and PATCH bodies: each bad field is a Smartcar-format VALIDATION
// error (400) naming the field, and nothing is stored or sent.
#include <gtest/gtest.h>

#include "core/json.h"
#include "webhooks/webhooks_fixture.h"

namespace dynhook::webhooks {
namespace {

using dynhook::test::FakeReceiver;
using test::JsonOf;
using test::TextOf;

struct BadBody {
  const char* why;
  std::string body;
  const char* mention;  // the description names this
};

class WebhookValidationTest : public ::testing::Test {
 protected:
  WebhookValidationTest() : app_(env_.api().CreateApp()) {}

  void ExpectRejected(const http::Response& response, const BadBody& bad) {
    EXPECT_EQ(response.status, 400) << bad.why << ": " << response.body;
    auto json = JsonOf(response);
    EXPECT_EQ(TextOf(json, "type"), "VALIDATION") << bad.why;
    EXPECT_NE(TextOf(json, "description").find(bad.mention), std::string::npos)
        << bad.why << ": " << TextOf(json, "description");
  }

  test::WebhooksTestEnv env_;
  api::test::TestApp app_;
};

std::vector<BadBody> BadCreateBodies(const std::string& uri) {
  const std::string good = R"("name":"Hook","callbackUri":")" + uri + R"(")";
  return {
      {"not JSON", "{", "JSON"},
      {"not an object", "[]", "object"},
      {"empty body", "", "object"},
      {"missing name", R"({"callbackUri":")" + uri + R"("})", "name"},
      {"empty name", R"({"name":"","callbackUri":")" + uri + R"("})", "name"},
      {"blank name", R"({"name":"   ","callbackUri":")" + uri + R"("})", "name"},
      {"long name", R"({"name":")" + std::string(101, 'n') + R"(","callbackUri":")" + uri + "\"}",
       "name"},
      {"name not a string", R"({"name":5,"callbackUri":")" + uri + R"("})", "name"},
      {"wrong type", "{" + good + R"(,"type":"static"})", "type"},
      {"type not a string", "{" + good + R"(,"type":1})", "type"},
      {"missing callbackUri", R"({"name":"Hook"})", "callbackUri"},
      {"relative callbackUri", R"({"name":"Hook","callbackUri":"/hook"})", "callbackUri"},
      {"ftp callbackUri", R"({"name":"Hook","callbackUri":"ftp://127.0.0.1/x"})", "callbackUri"},
      {"unknown member", "{" + good + R"(,"colour":"red"})", "colour"},
      {"bad data path", "{" + good + R"(,"data":["/nope"]})", "data"},
      {"empty data", "{" + good + R"(,"data":[]})", "data"},
      {"bad trigger", "{" + good + R"(,"trigger":{"signal":"engine.rpm","equals":1}})", "trigger"},
      {"bad interval", "{" + good + R"(,"intervals":{"default":"1 hour"}})", "intervals"},
      {"payload too small", "{" + good + R"(,"maxPayloadBytes":10})", "maxPayloadBytes"},
      {"signing not bool", "{" + good + R"(,"standardWebhooks":"yes"})", "standardWebhooks"},
      {"bad error callback", "{" + good + R"(,"errorCallbackUri":"nope"})", "errorCallbackUri"},
  };
}

TEST_F(WebhookValidationTest, CreateRejectsEveryBadField) {
  FakeReceiver receiver(test::AnswerChallenges(app_.managementToken));
  for (const auto& bad : BadCreateBodies(receiver.Url())) {
    ExpectRejected(env_.Bearer("POST", "/api/webhooks", app_.managementToken, bad.body), bad);
  }
  EXPECT_EQ(receiver.RequestCount(), 0u);
  auto stored = env_.store().ListWebhooks(app_.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->empty());
}

TEST_F(WebhookValidationTest, PatchRejectsEveryBadField) {
  FakeReceiver receiver(test::AnswerChallenges(app_.managementToken));
  const std::string id = env_.CreateWebhookId(app_.managementToken, receiver.Url());
  const std::vector<BadBody> bad = {
      {"empty name", R"({"name":""})", "name"},
      {"wrong type", R"({"type":"static"})", "type"},
      {"bad callbackUri", R"({"callbackUri":"not a uri"})", "callbackUri"},
      {"unknown member", R"({"status":"enabled"})", "status"},
      {"bad interval", R"({"intervals":{"elevated":"PT5S"}})", "intervals"},
  };
  for (const auto& body : bad) {
    ExpectRejected(env_.Bearer("PATCH", "/api/webhooks/" + id, app_.managementToken, body.body),
                   body);
  }
  auto stored = env_.store().FindWebhook(app_.id, id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->name, "Hook");
  EXPECT_EQ(stored->status, "enabled");
}

TEST_F(WebhookValidationTest, AWebhookIdMustBeAUuid) {
  auto response = env_.Bearer("GET", "/api/webhooks/not-a-uuid", app_.managementToken);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(TextOf(JsonOf(response), "type"), "VALIDATION");
}

class PrivateCallbacksTest : public ::testing::Test {
 protected:
  PrivateCallbacksTest()
      : env_(test::EnvOptions{.allowPrivateCallbacks = false}), app_(env_.api().CreateApp()) {}
  test::WebhooksTestEnv env_;
  api::test::TestApp app_;
};

TEST_F(PrivateCallbacksTest, PrivateAndPlainHttpCallbacksAreRejected) {
  FakeReceiver receiver(test::AnswerChallenges(app_.managementToken));
  const std::vector<std::string> uris = {
      receiver.Url("/hook"),  // http and loopback
      "https://127.0.0.1:" + std::to_string(receiver.port()) + "/hook",
      "https://10.1.2.3/hook",
      "https://192.168.0.10/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/hook",
  };
  for (const auto& uri : uris) {
    auto response = env_.CreateWebhook(app_.managementToken, uri);
    EXPECT_EQ(response.status, 400) << uri << ": " << response.body;
    EXPECT_NE(TextOf(JsonOf(response), "description").find("callbackUri"), std::string::npos)
        << TextOf(JsonOf(response), "description");
  }
  // A public address literal passes (no DNS needed); the error callback is checked as well.
  auto errorCallback = env_.CreateWebhook(app_.managementToken, "https://93.184.216.34/hook",
                                          {{"errorCallbackUri", "https://10.0.0.2/errors"}});
  EXPECT_EQ(errorCallback.status, 400);
  EXPECT_NE(TextOf(JsonOf(errorCallback), "description").find("errorCallbackUri"),
            std::string::npos);
  EXPECT_EQ(receiver.RequestCount(), 0u);
}

}  // namespace
}  // namespace dynhook::webhooks
