// The delivery log routes: listing (newest first, status filter, paging), one delivery with
// its payload and attempts, resend through the runtime; scoped to the application.
#include "webhooks/delivery_api.h"

#include <gtest/gtest.h>

#include "core/ids.h"
#include "core/json.h"
#include "webhooks/webhooks_fixture.h"

namespace dynhook::webhooks {
namespace {

using dynhook::test::FakeReceiver;
using test::JsonOf;
using test::TextOf;

class DeliveryApiTest : public ::testing::Test {
 protected:
  DeliveryApiTest()
      : app_(env_.api().CreateApp()),
        receiver_(test::AnswerChallenges(app_.managementToken)),
        webhookId_(env_.CreateWebhookId(app_.managementToken, receiver_.Url())) {}

  // Stores a delivery; returns its id.
  std::string AddDelivery(const std::string& body, const std::string& status = "pending") {
    store::Delivery delivery;
    delivery.id = core::NewUuid();
    delivery.webhookId = webhookId_;
    delivery.applicationId = app_.id;
    delivery.status = status;
    delivery.body = body;
    delivery.vehicleIds = {"0f7c7d6e-1b2a-4c3d-8e9f-a0b1c2d3e4f5"};
    delivery.createdAt = delivery.nextAttemptAt = env_.clock().Now();
    EXPECT_TRUE(env_.store().InsertDelivery(delivery).ok());
    return delivery.id;
  }

  void AddAttempt(const std::string& id, int number, int statusCode, const std::string& newStatus) {
    store::AttemptOutcome outcome;
    outcome.attempt.deliveryId = id;
    outcome.attempt.number = number;
    outcome.attempt.at = env_.clock().Now();
    outcome.attempt.statusCode = statusCode;
    outcome.attempt.latencyMs = 12;
    outcome.attempt.error = statusCode == 200 ? "" : "HTTP " + std::to_string(statusCode);
    outcome.attempt.responseExcerpt = "body " + std::to_string(number);
    outcome.newStatus = newStatus;
    outcome.nextAttemptAt = env_.clock().Now();
    outcome.lastError = outcome.attempt.error;
    ASSERT_TRUE(env_.store().RecordAttempts({outcome}, env_.clock().Now()).ok());
  }

  test::WebhooksTestEnv env_;
  api::test::TestApp app_;
  FakeReceiver receiver_;
  std::string webhookId_;
};

TEST_F(DeliveryApiTest, ListsNewestFirstWithAttemptsPageByPage) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(AddDelivery(R"({"n":)" + std::to_string(i) + "}"));
  AddAttempt(ids[4], 1, 500, "pending");
  AddAttempt(ids[4], 2, 200, "succeeded");
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto response = env_.Bearer("GET",
                                "/api/webhooks/" + webhookId_ + "/deliveries?limit=2" +
                                    (cursor.empty() ? "" : "&cursor=" + cursor),
                                app_.managementToken);
    ASSERT_EQ(response.status, 200) << response.body;
    auto json = JsonOf(response);
    for (const auto& item : json.at("deliveries").as_array()) {
      seen.push_back(TextOf(item, "id"));
      EXPECT_TRUE(item.at("attempts").is_array());
    }
    if (json.at("paging").at("cursor").is_null()) break;
    cursor = std::string(json.at("paging").at("cursor").as_string());
  }
  EXPECT_EQ(seen, std::vector<std::string>(ids.rbegin(), ids.rend()));

  auto first = JsonOf(
      env_.Bearer("GET", "/api/webhooks/" + webhookId_ + "/deliveries", app_.managementToken));
  const auto& newest = first.at("deliveries").as_array()[0];
  EXPECT_EQ(TextOf(newest, "status"), "succeeded");
  EXPECT_EQ(newest.at("attemptCount"), 2);
  const auto& attempts = newest.at("attempts").as_array();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].at("statusCode"), 500);
  EXPECT_EQ(TextOf(attempts[0], "error"), "HTTP 500");
  EXPECT_EQ(attempts[1].at("statusCode"), 200);
  EXPECT_TRUE(attempts[1].at("error").is_null());
  EXPECT_EQ(attempts[1].at("latencyMs"), 12);
  EXPECT_EQ(TextOf(attempts[1], "responseExcerpt"), "body 2");
}

TEST_F(DeliveryApiTest, FiltersByStatus) {
  AddDelivery("{}");
  const std::string done = AddDelivery("{}");
  AddAttempt(done, 1, 200, "succeeded");
  auto response = env_.Bearer("GET", "/api/webhooks/" + webhookId_ + "/deliveries?status=succeeded",
                              app_.managementToken);
  ASSERT_EQ(response.status, 200) << response.body;
  const auto json = JsonOf(response);
  const auto& list = json.at("deliveries").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(TextOf(list[0], "id"), done);
  EXPECT_EQ(env_.Bearer("GET", "/api/webhooks/" + webhookId_ + "/deliveries?status=lost",
                        app_.managementToken)
                .status,
            400);
}

TEST_F(DeliveryApiTest, OneDeliveryShowsPayloadAndAttempts) {
  const std::string body = R"({"version":"2.0","eventName":"dynamic","payload":{"vehicles":[]}})";
  const std::string id = AddDelivery(body);
  AddAttempt(id, 1, 503, "pending");
  auto response = env_.Bearer("GET", "/api/deliveries/" + id, app_.managementToken);
  ASSERT_EQ(response.status, 200) << response.body;
  auto json = JsonOf(response);
  EXPECT_EQ(core::Stringify(json.at("payload")), body);
  EXPECT_EQ(TextOf(json, "webhookId"), webhookId_);
  EXPECT_EQ(json.at("attempts").as_array().size(), 1u);
  EXPECT_EQ(TextOf(json, "lastError"), "HTTP 503");
}

TEST_F(DeliveryApiTest, DeliveriesAreScopedToTheApplication) {
  const std::string id = AddDelivery("{}");
  auto other = env_.api().CreateApp("Other");
  EXPECT_EQ(env_.Bearer("GET", "/api/deliveries/" + id, other.managementToken).status, 404);
  EXPECT_EQ(env_.Bearer("POST", "/api/deliveries/" + id + "/resend", other.managementToken).status,
            404);
  EXPECT_EQ(env_.Bearer("GET", "/api/deliveries/" + core::NewUuid(), app_.managementToken).status,
            404);
  EXPECT_TRUE(env_.runtime().Resent().empty());
}

TEST_F(DeliveryApiTest, ResendGoesToTheRuntime) {
  const std::string id = AddDelivery("{}");
  auto response = env_.Bearer("POST", "/api/deliveries/" + id + "/resend", app_.managementToken);
  ASSERT_EQ(response.status, 202) << response.body;
  EXPECT_EQ(TextOf(JsonOf(response), "deliveryId"), id);
  EXPECT_EQ(env_.runtime().Resent(), std::vector<std::string>{id});
}

}  // namespace
}  // namespace dynhook::webhooks
