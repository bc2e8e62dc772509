// Store contract: webhooks (WebhookStore), scoped by application.
#include "store/webhook_contract.h"

namespace dynhook::store::testing {
namespace {

void ExpectSameWebhook(const Webhook& a, const Webhook& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.applicationId, b.applicationId);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.callbackUri, b.callbackUri);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.disabledReason, b.disabledReason);
  EXPECT_EQ(a.disabledAt, b.disabledAt);
  EXPECT_EQ(a.verificationError, b.verificationError);
  EXPECT_EQ(a.verifiedAt, b.verifiedAt);
  EXPECT_EQ(a.optionsJson, b.optionsJson);
  EXPECT_EQ(a.signingSecretSealed, b.signingSecretSealed);
  EXPECT_EQ(a.discardedCount, b.discardedCount);
  EXPECT_EQ(a.createdAt, b.createdAt);
  EXPECT_EQ(a.updatedAt, b.updatedAt);
}

TEST_P(WebhookContractTest, CreatedWebhookIsFoundByItsApplicationOnly) {
  const Webhook webhook = MakeWebhook("app-1", "wh-1");
  ASSERT_TRUE(store_->CreateWebhook(webhook).ok());

  auto found = store_->FindWebhook("app-1", "wh-1");
  ASSERT_TRUE(found.ok());
  ExpectSameWebhook(*found, webhook);
  auto any = store_->FindWebhook("", "wh-1");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->applicationId, "app-1");

  for (auto result : {store_->FindWebhook("app-2", "wh-1"), store_->FindWebhook("app-1", "nope")}) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().Name(), "RESOURCE_NOT_FOUND:PATH");
  }
}

TEST_P(WebhookContractTest, DuplicateWebhookConflictsAndUnknownApplicationIsRejected) {
  CreateWebhook("app-1", "wh-1");
  auto duplicate = store_->CreateWebhook(MakeWebhook("app-2", "wh-1"));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().Name(), "VALIDATION:CONFLICT");
  auto orphan = store_->CreateWebhook(MakeWebhook("app-missing", "wh-2"));
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().type, "VALIDATION");
}

TEST_P(WebhookContractTest, ListsAreScopedAndOldestFirst) {
  CreateWebhook("app-1", "wh-b");
  clock_.Advance(std::chrono::seconds(1));
  CreateWebhook("app-2", "wh-other");
  CreateWebhook("app-1", "wh-a");

  auto mine = store_->ListWebhooks("app-1");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].id, "wh-b");
  EXPECT_EQ((*mine)[1].id, "wh-a");
  auto none = store_->ListWebhooks("app-3");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto all = store_->ListAllWebhooks();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
}

TEST_P(WebhookContractTest, UpdateReplacesMutableFields) {
  Webhook webhook = MakeWebhook("app-1", "wh-1");
  ASSERT_TRUE(store_->CreateWebhook(webhook).ok());
  clock_.Advance(std::chrono::minutes(5));
  webhook.name = "Renamed";
  webhook.callbackUri = "https://elsewhere.example/hook";
  webhook.status = "disabled";
  webhook.disabledReason = "HTTP 500 after 7 attempts";
  webhook.disabledAt = clock_.Now();
  webhook.verificationError = "wrong challenge";
  webhook.verifiedAt = clock_.Now() - std::chrono::minutes(1);
  webhook.optionsJson = R"({"maxPayloadBytes":1024})";
  webhook.signingSecretSealed = "";
  webhook.discardedCount = 4;
  webhook.updatedAt = clock_.Now();
  ASSERT_TRUE(store_->UpdateWebhook(webhook).ok());
  auto found = store_->FindWebhook("app-1", "wh-1");
  ASSERT_TRUE(found.ok());
  ExpectSameWebhook(*found, webhook);

  webhook.disabledAt.reset();  // optional times can be cleared again
  webhook.verifiedAt.reset();
  ASSERT_TRUE(store_->UpdateWebhook(webhook).ok());
  found = store_->FindWebhook("app-1", "wh-1");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->disabledAt.has_value());
  EXPECT_FALSE(found->verifiedAt.has_value());
}

TEST_P(WebhookContractTest, UpdateOfAbsentOrForeignWebhookIsNotFound) {
  CreateWebhook("app-1", "wh-1");
  Webhook foreign = MakeWebhook("app-2", "wh-1");
  foreign.name = "hijacked";
  for (const Webhook& webhook : {MakeWebhook("app-1", "nope"), foreign}) {
    auto status = store_->UpdateWebhook(webhook);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().type, "RESOURCE_NOT_FOUND");
  }
  EXPECT_EQ(store_->FindWebhook("app-1", "wh-1")->name, "Webhook wh-1");
}

TEST_P(WebhookContractTest, DeleteIsScopedByApplication) {
  CreateWebhook("app-1", "wh-1");
  auto foreign = store_->DeleteWebhook("app-2", "wh-1");
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().type, "RESOURCE_NOT_FOUND");
  EXPECT_TRUE(store_->FindWebhook("app-1", "wh-1").ok());
  ASSERT_TRUE(store_->DeleteWebhook("app-1", "wh-1").ok());
  EXPECT_FALSE(store_->FindWebhook("", "wh-1").ok());
  auto again = store_->DeleteWebhook("app-1", "wh-1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().type, "RESOURCE_NOT_FOUND");
}

TEST_P(WebhookContractTest, DeleteRemovesSubscriptionsAndCancelsUnfinishedDeliveries) {
  CreateWebhook("app-1", "wh-1");
  CreateWebhook("app-1", "wh-2");
  Subscribe("app-1", "wh-1", "v1");
  Subscribe("app-1", "wh-1", "v2");
  Subscribe("app-1", "wh-2", "v1");
  Commit({MakeDelivery("wh-1", "d-pending"), MakeDelivery("wh-1", "d-held"),
          MakeDelivery("wh-1", "d-done"), MakeDelivery("wh-2", "d-other")});
  ASSERT_TRUE(
      store_->RecordAttempts({MakeOutcome("d-done", 1, 200, "succeeded")}, clock_.Now()).ok());
  ASSERT_TRUE(store_->RecordAttempts({MakeOutcome("d-held", 1, 500, "held")}, clock_.Now()).ok());

  ASSERT_TRUE(store_->DeleteWebhook("app-1", "wh-1").ok());

  EXPECT_EQ(*store_->CountSubscriptions("wh-1"), 0);
  EXPECT_EQ(*store_->CountSubscriptions("wh-2"), 1);
  EXPECT_EQ(StatusOf("d-pending"), "cancelled");
  EXPECT_EQ(StatusOf("d-held"), "cancelled");
  EXPECT_EQ(StatusOf("d-done"), "succeeded");  // history kept
  EXPECT_EQ(StatusOf("d-other"), "pending");
  EXPECT_EQ(store_->ListAttempts("d-done")->size(), 1u);
  EXPECT_EQ(UnfinishedIds(), std::vector<std::string>{"d-other"});

  // A fetch racing the deletion: its deliveries for the gone webhook are not stored.
  std::vector<Delivery> late = {MakeDelivery("wh-1", "d-late"), MakeDelivery("wh-2", "d-ok")};
  ASSERT_TRUE(store_->CommitFetch(late, {}).ok());
  EXPECT_EQ(late[0].status, "cancelled");
  EXPECT_EQ(late[0].sequence, 0);
  EXPECT_EQ(late[1].status, "pending");
  EXPECT_EQ(late[1].sequence, 2);
  EXPECT_FALSE(store_->FindDelivery("", "d-late").ok());
  // Subscribing to the deleted webhook is refused.
  bool created = true;
  auto subscribe = store_->UpsertSubscription(MakeSubscription("app-1", "wh-1", "v9"), &created);
  ASSERT_FALSE(subscribe.ok());
  EXPECT_EQ(subscribe.error().type, "RESOURCE_NOT_FOUND");
}

}  // namespace
}  // namespace dynhook::store::testing
