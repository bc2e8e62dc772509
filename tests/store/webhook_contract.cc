#include "store/webhook_contract.h"

namespace dynhook::store::testing {

DYNHOOK_STORE_CONTRACT(WebhookContractTest);

void WebhookContractTest::SetUp() {
  StoreContractTest::SetUp();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(1)).ok());
  ASSERT_TRUE(store_->CreateApplication(MakeApplication(2)).ok());
}

Webhook WebhookContractTest::MakeWebhook(const std::string& applicationId,
                                         const std::string& id) const {
  Webhook webhook;
  webhook.id = id;
  webhook.applicationId = applicationId;
  webhook.name = "Webhook " + id;
  webhook.callbackUri = "https://receiver.example/" + id;
  webhook.optionsJson = R"({"data":["/battery"],"intervals":{"default":"PT1H"}})";
  webhook.signingSecretSealed = "sealed-" + id;
  webhook.createdAt = clock_.Now();
  webhook.updatedAt = clock_.Now();
  return webhook;
}

Subscription WebhookContractTest::MakeSubscription(const std::string& applicationId,
                                                   const std::string& webhookId,
                                                   const std::string& vehicleId) const {
  Subscription subscription;
  subscription.webhookId = webhookId;
  subscription.vehicleId = vehicleId;
  subscription.applicationId = applicationId;
  subscription.grantId = "grant-" + vehicleId;
  subscription.createdAt = clock_.Now();
  subscription.nextDueAt = clock_.Now();
  return subscription;
}

Delivery WebhookContractTest::MakeDelivery(const std::string& webhookId,
                                           const std::string& id) const {
  Delivery delivery;
  delivery.id = id;
  delivery.webhookId = webhookId;
  delivery.body = R"({"version":"2.0","eventId":")" + id + R"(","payload":{"n":0.58}})";
  delivery.vehicleIds = {"vehicle-" + id};
  delivery.createdAt = clock_.Now();
  delivery.nextAttemptAt = clock_.Now();
  return delivery;
}

AttemptOutcome WebhookContractTest::MakeOutcome(const std::string& deliveryId, int number,
                                                int statusCode,
                                                const std::string& newStatus) const {
  AttemptOutcome outcome;
  outcome.attempt.deliveryId = deliveryId;
  outcome.attempt.number = number;
  outcome.attempt.at = clock_.Now();
  outcome.attempt.statusCode = statusCode;
  outcome.attempt.latencyMs = 12;
  const bool ok = statusCode >= 200 && statusCode < 300;
  outcome.attempt.error = ok ? "" : "HTTP " + std::to_string(statusCode);
  outcome.attempt.responseExcerpt = "response " + std::to_string(number);
  outcome.newStatus = newStatus;
  outcome.nextAttemptAt = clock_.Now() + std::chrono::seconds(30);
  outcome.lastError = outcome.attempt.error;
  return outcome;
}

void WebhookContractTest::CreateWebhook(const std::string& applicationId, const std::string& id) {
  auto status = store_->CreateWebhook(MakeWebhook(applicationId, id));
  ASSERT_TRUE(status.ok()) << status.error().description;
}

void WebhookContractTest::Subscribe(const std::string& applicationId, const std::string& webhookId,
                                    const std::string& vehicleId) {
  bool created = false;
  auto result =
      store_->UpsertSubscription(MakeSubscription(applicationId, webhookId, vehicleId), &created);
  ASSERT_TRUE(result.ok()) << result.error().description;
  ASSERT_TRUE(created);
}

std::vector<Delivery> WebhookContractTest::Commit(std::vector<Delivery> deliveries) {
  auto status = store_->CommitFetch(deliveries, {});
  EXPECT_TRUE(status.ok()) << status.error().description;
  return deliveries;
}

std::vector<std::string> WebhookContractTest::UnfinishedIds() {
  std::vector<std::string> ids;
  auto status = store_->ForEachUnfinishedDelivery([&](const Delivery& d) { ids.push_back(d.id); });
  EXPECT_TRUE(status.ok()) << status.error().description;
  return ids;
}

std::string WebhookContractTest::StatusOf(const std::string& deliveryId) {
  auto delivery = store_->FindDelivery("", deliveryId);
  if (!delivery.ok()) return "<" + delivery.error().Name() + ">";
  return delivery->status;
}

}  // namespace dynhook::store::testing
