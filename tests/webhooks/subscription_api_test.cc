// Subscribe (access token), unsubscribe (AMT), the subscriptions listing and the disconnect
// hook, in process over the real store and Connect.
#include "webhooks/subscription_api.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "webhooks/webhooks_fixture.h"

namespace dynhook::webhooks {
namespace {

using dynhook::test::FakeReceiver;
using test::JsonOf;
using test::TextOf;

class SubscriptionApiTest : public ::testing::Test {
 protected:
  SubscriptionApiTest()
      : app_(env_.api().CreateApp()),
        receiver_(test::AnswerChallenges(app_.managementToken)),
        user_(env_.api().Connect(app_, api::test::kAllScopes, "TESLA", 2)),
        webhookId_(env_.CreateWebhookId(app_.managementToken, receiver_.Url())) {}

  std::string VehiclePath(const std::string& vehicleId, const std::string& webhookId) {
    return "/v2.0/vehicles/" + vehicleId + "/webhooks/" + webhookId;
  }
  http::Response Subscribe(const std::string& vehicleId, std::string_view token,
                           std::string body = "") {
    return env_.Bearer("POST", VehiclePath(vehicleId, webhookId_), token, std::move(body));
  }

  test::WebhooksTestEnv env_;
  api::test::TestApp app_;
  FakeReceiver receiver_;
  api::test::ConnectedUser user_;
  std::string webhookId_;
};

TEST_F(SubscriptionApiTest, SubscribeIsIdempotent) {
  const std::string vehicle = user_.vehicleIds[0];
  auto first = Subscribe(vehicle, user_.accessToken);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.body, R"({"vehicleId":")" + vehicle + R"(","webhookId":")" + webhookId_ + "\"}");
  ASSERT_EQ(env_.runtime().Subscribed().size(), 1u);
  const auto subscription = env_.runtime().Subscribed()[0];
  EXPECT_EQ(subscription.vehicleId, vehicle);
  EXPECT_EQ(subscription.applicationId, app_.id);
  EXPECT_EQ(subscription.nextDueAt, env_.clock().Now());  // first delivery at once
  EXPECT_EQ(subscription.interval, core::Duration(3'600'000));

  env_.clock().Advance(core::Duration(60'000));
  auto again = Subscribe(vehicle, user_.accessToken, "{}");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(env_.runtime().Subscribed().size(), 1u);  // nothing new for the scheduler
  auto count = env_.store().CountSubscriptions(webhookId_);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1);
  auto webhook = JsonOf(env_.Bearer("GET", "/api/webhooks/" + webhookId_, app_.managementToken));
  EXPECT_EQ(webhook.at("subscriptionCount"), 1);
}

TEST_F(SubscriptionApiTest, SubscribeAcceptsATrailingSlash) {
  auto response =
      env_.Bearer("POST", VehiclePath(user_.vehicleIds[0], webhookId_) + "/", user_.accessToken);
  EXPECT_EQ(response.status, 200) << response.body;
}

TEST_F(SubscriptionApiTest, SubscribeRejectsBadInput) {
  const std::string vehicle = user_.vehicleIds[0];
  EXPECT_EQ(Subscribe(vehicle, "not-a-token").status, 401);
  EXPECT_EQ(Subscribe(vehicle, app_.managementToken).status, 401);  // an AMT is not a token
  EXPECT_EQ(Subscribe("not-a-uuid", user_.accessToken).status, 400);
  EXPECT_EQ(Subscribe(vehicle, user_.accessToken, R"({"extra":1})").status, 400);
  EXPECT_EQ(env_.Bearer("POST", VehiclePath(vehicle, "nope"), user_.accessToken).status, 400);
  EXPECT_TRUE(env_.runtime().Subscribed().empty());
}

TEST_F(SubscriptionApiTest, SubscribeNeedsTheVehicleUnderTheGrant) {
  auto otherUser = env_.api().Connect(app_, api::test::kAllScopes, "TESLA", 1);
  auto response = Subscribe(otherUser.vehicleIds[0], user_.accessToken);
  EXPECT_EQ(response.status, 401) << response.body;
  EXPECT_EQ(TextOf(JsonOf(response), "type"), "AUTHENTICATION");
  EXPECT_EQ(Subscribe("3b8f2a4e-7c1d-4f6a-9e2b-5d8c1a7f3e90", user_.accessToken).status, 401);
  EXPECT_TRUE(env_.runtime().Subscribed().empty());
}

TEST_F(SubscriptionApiTest, SubscribingToAnotherApplicationsWebhookIsNotFound) {
  auto other = env_.api().CreateApp("Other");
  FakeReceiver receiver(test::AnswerChallenges(other.managementToken));
  const std::string theirs = env_.CreateWebhookId(other.managementToken, receiver.Url());
  auto response = env_.Bearer("POST", VehiclePath(user_.vehicleIds[0], theirs), user_.accessToken);
  EXPECT_EQ(response.status, 404) << response.body;
  EXPECT_EQ(TextOf(JsonOf(response), "type"), "RESOURCE_NOT_FOUND");
  auto unknown =
      env_.Bearer("POST", VehiclePath(user_.vehicleIds[0], "3b8f2a4e-7c1d-4f6a-9e2b-5d8c1a7f3e90"),
                  user_.accessToken);
  EXPECT_EQ(unknown.status, 404);
}

TEST_F(SubscriptionApiTest, APendingWebhookCanBeSubscribed) {
  FakeReceiver failing(test::AnswerStatus(500));
  const std::string pending = env_.CreateWebhookId(app_.managementToken, failing.Url());
  auto response = env_.Bearer("POST", VehiclePath(user_.vehicleIds[0], pending), user_.accessToken);
  EXPECT_EQ(response.status, 200) << response.body;
}

TEST_F(SubscriptionApiTest, UnsubscribeWithTheManagementToken) {
  const std::string vehicle = user_.vehicleIds[0];
  ASSERT_EQ(Subscribe(vehicle, user_.accessToken).status, 200);
  // The access token is not the AMT.
  EXPECT_EQ(env_.Bearer("DELETE", VehiclePath(vehicle, webhookId_), user_.accessToken).status, 401);
  auto response =
      env_.Bearer("DELETE", VehiclePath(vehicle, webhookId_), app_.managementToken, "{}");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, R"({"status":"success"})");
  ASSERT_EQ(env_.runtime().Unsubscribed().size(), 1u);
  EXPECT_EQ(env_.runtime().Unsubscribed()[0], std::make_pair(webhookId_, vehicle));
  auto again = env_.Bearer("DELETE", VehiclePath(vehicle, webhookId_), app_.managementToken);
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(env_.runtime().Unsubscribed().size(), 1u);
}

TEST_F(SubscriptionApiTest, UnsubscribeFromAnotherApplicationsWebhookIsNotFound) {
  const std::string vehicle = user_.vehicleIds[0];
  ASSERT_EQ(Subscribe(vehicle, user_.accessToken).status, 200);
  auto other = env_.api().CreateApp("Other");
  auto response = env_.Bearer("DELETE", VehiclePath(vehicle, webhookId_), other.managementToken);
  EXPECT_EQ(response.status, 404);
  EXPECT_TRUE(env_.runtime().Unsubscribed().empty());
}

TEST_F(SubscriptionApiTest, ListsSubscriptionsPageByPage) {
  auto more = env_.api().Connect(app_, api::test::kAllScopes, "TESLA", 3);
  std::vector<std::string> all = user_.vehicleIds;
  all.insert(all.end(), more.vehicleIds.begin(), more.vehicleIds.end());
  for (const auto& vehicle : user_.vehicleIds) Subscribe(vehicle, user_.accessToken);
  for (const auto& vehicle : more.vehicleIds) Subscribe(vehicle, more.accessToken);
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto response = env_.Bearer("GET",
                                "/api/webhooks/" + webhookId_ + "/subscriptions?limit=2" +
                                    (cursor.empty() ? "" : "&cursor=" + cursor),
                                app_.managementToken);
    ASSERT_EQ(response.status, 200) << response.body;
    auto json = JsonOf(response);
    for (const auto& item : json.at("subscriptions").as_array()) {
      seen.push_back(TextOf(item, "vehicleId"));
      EXPECT_EQ(TextOf(item, "interval"), "PT1H");
      EXPECT_EQ(TextOf(item, "nextDueAt"), core::FormatIso8601(env_.clock().Now()));
      EXPECT_TRUE(item.at("triggerActive").is_null());
      EXPECT_FALSE(TextOf(item, "subscribedAt").empty());
    }
    const auto& next = json.at("paging").at("cursor");
    if (next.is_null()) break;
    cursor = std::string(next.as_string());
  }
  std::sort(all.begin(), all.end());
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, all);
  EXPECT_EQ(env_.Bearer("GET", "/api/webhooks/" + webhookId_ + "/subscriptions?limit=0",
                        app_.managementToken)
                .status,
            400);
}

TEST_F(SubscriptionApiTest, DisconnectHookUnsubscribesTheVehicle) {
  FakeReceiver second(test::AnswerChallenges(app_.managementToken));
  const std::string otherWebhook = env_.CreateWebhookId(app_.managementToken, second.Url());
  const std::string vehicle = user_.vehicleIds[0];
  Subscribe(vehicle, user_.accessToken);
  env_.Bearer("POST", VehiclePath(vehicle, otherWebhook), user_.accessToken);
  Subscribe(user_.vehicleIds[1], user_.accessToken);

  auto hook = MakeDisconnectHook(env_.Deps());
  hook(app_.id, vehicle);
  auto removed = env_.runtime().Unsubscribed();
  std::sort(removed.begin(), removed.end());
  auto expected = std::vector<std::pair<std::string, std::string>>{{webhookId_, vehicle},
                                                                   {otherWebhook, vehicle}};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(removed, expected);
  auto remaining = env_.store().CountSubscriptions(webhookId_);
  ASSERT_TRUE(remaining.ok());
  EXPECT_EQ(*remaining, 1);  // the other vehicle stays

  hook(app_.id, vehicle);  // nothing left: no more notices
  EXPECT_EQ(env_.runtime().Unsubscribed().size(), 2u);
}

}  // namespace
}  // namespace dynhook::webhooks
