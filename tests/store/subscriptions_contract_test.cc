// Store contract: subscriptions and their persisted schedules (SubscriptionStore).
#include <set>

#include "store/webhook_contract.h"

namespace dynhook::store::testing {
namespace {

TEST_P(WebhookContractTest, UpsertSubscriptionIsIdempotent) {
  CreateWebhook("app-1", "wh-1");
  Subscription first = MakeSubscription("app-1", "wh-1", "v1");
  first.interval = std::chrono::minutes(30);
  first.triggerActive = true;
  first.lastFetchAt = clock_.Now() - std::chrono::minutes(1);
  bool created = false;
  auto inserted = store_->UpsertSubscription(first, &created);
  ASSERT_TRUE(inserted.ok()) << inserted.error().description;
  EXPECT_TRUE(created);

  clock_.Advance(std::chrono::minutes(10));
  Subscription second = MakeSubscription("app-1", "wh-1", "v1");
  second.grantId = "another-grant";
  auto existing = store_->UpsertSubscription(second, &created);
  ASSERT_TRUE(existing.ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(existing->grantId, first.grantId);  // the original row, unchanged
  EXPECT_EQ(existing->createdAt, first.createdAt);
  EXPECT_EQ(existing->interval, std::chrono::minutes(30));
  EXPECT_EQ(existing->triggerActive, std::optional<bool>(true));
  EXPECT_EQ(existing->lastFetchAt, first.lastFetchAt);
  EXPECT_EQ(*store_->CountSubscriptions("wh-1"), 1);
}

TEST_P(WebhookContractTest, SubscribingToAForeignWebhookIsNotFound) {
  CreateWebhook("app-1", "wh-1");
  bool created = true;
  auto foreign = store_->UpsertSubscription(MakeSubscription("app-2", "wh-1", "v1"), &created);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().type, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(*store_->CountSubscriptions("wh-1"), 0);
}

TEST_P(WebhookContractTest, DeleteSubscriptionReportsWhetherItExisted) {
  CreateWebhook("app-1", "wh-1");
  Subscribe("app-1", "wh-1", "v1");
  Commit({MakeDelivery("wh-1", "d1")});
  auto removed = store_->DeleteSubscription("wh-1", "v1");
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(*removed);
  auto again = store_->DeleteSubscription("wh-1", "v1");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  EXPECT_EQ(StatusOf("d1"), "pending");  // pending deliveries are left alone
}

TEST_P(WebhookContractTest, DeleteVehicleSubscriptionsTouchesOnlyThatApplication) {
  CreateWebhook("app-1", "wh-1");
  CreateWebhook("app-1", "wh-2");
  CreateWebhook("app-2", "wh-3");
  Subscribe("app-1", "wh-1", "v1");
  Subscribe("app-1", "wh-2", "v1");
  Subscribe("app-1", "wh-1", "v2");
  Subscribe("app-2", "wh-3", "v1");

  auto removed = store_->DeleteVehicleSubscriptions("app-1", "v1");
  ASSERT_TRUE(removed.ok());
  std::set<std::string> webhooks;
  for (const Subscription& s : *removed) {
    EXPECT_EQ(s.vehicleId, "v1");
    EXPECT_EQ(s.applicationId, "app-1");
    webhooks.insert(s.webhookId);
  }
  EXPECT_EQ(webhooks, (std::set<std::string>{"wh-1", "wh-2"}));
  EXPECT_EQ(*store_->CountSubscriptions("wh-1"), 1);
  EXPECT_EQ(*store_->CountSubscriptions("wh-2"), 0);
  EXPECT_EQ(*store_->CountSubscriptions("wh-3"), 1);
  EXPECT_TRUE(store_->DeleteVehicleSubscriptions("app-1", "v1")->empty());
}

TEST_P(WebhookContractTest, ListSubscriptionsPagesByVehicle) {
  CreateWebhook("app-1", "wh-1");
  CreateWebhook("app-1", "wh-2");
  for (const char* vehicle : {"v5", "v1", "v4", "v2", "v3"}) Subscribe("app-1", "wh-1", vehicle);
  Subscribe("app-1", "wh-2", "v0");

  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = store_->ListSubscriptions("wh-1", 2, cursor);
    ASSERT_TRUE(page.ok()) << page.error().description;
    for (const Subscription& s : page->items) seen.push_back(s.vehicleId);
    cursor = page->nextCursor;
    ASSERT_LT(++pages, 10);
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"v1", "v2", "v3", "v4", "v5"}));

  auto exact = store_->ListSubscriptions("wh-1", 5, "");
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->items.size(), 5u);
  EXPECT_TRUE(exact->nextCursor.empty());
  EXPECT_EQ(*store_->CountSubscriptions("wh-1"), 5);
  EXPECT_EQ(*store_->CountSubscriptions("wh-unknown"), 0);
}

TEST_P(WebhookContractTest, ListSubscriptionsRejectsBadLimitAndCursor) {
  for (auto page : {store_->ListSubscriptions("wh-1", 0, ""),
                    store_->ListSubscriptions("wh-1", 10, "not a cursor!")}) {
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.error().type, "VALIDATION");
  }
}

TEST_P(WebhookContractTest, ForEachSubscriptionStreamsEveryRowAndMayCallTheStore) {
  CreateWebhook("app-1", "wh-1");
  CreateWebhook("app-2", "wh-2");
  constexpr int kVehicles = 40;  // chunking itself: sqlite_webhooks_test.cc
  for (int i = 0; i < kVehicles; ++i) Subscribe("app-1", "wh-1", "v" + std::to_string(i));
  Subscribe("app-2", "wh-2", "v0");

  std::set<std::pair<std::string, std::string>> seen;
  int lookups = 0;
  auto status = store_->ForEachSubscription([&](const Subscription& s) {
    seen.emplace(s.webhookId, s.vehicleId);
    if (s.vehicleId == "v7") lookups += store_->FindWebhook("", s.webhookId).ok() ? 1 : 0;
  });
  ASSERT_TRUE(status.ok()) << status.error().description;
  EXPECT_EQ(seen.size(), static_cast<size_t>(kVehicles + 1));
  EXPECT_EQ(lookups, 1);
}

TEST_P(WebhookContractTest, CommitFetchUpdatesSchedules) {
  CreateWebhook("app-1", "wh-1");
  Subscribe("app-1", "wh-1", "v1");
  Subscribe("app-1", "wh-1", "v2");
  ScheduleUpdate update;
  update.webhookId = "wh-1";
  update.vehicleId = "v1";
  update.nextDueAt = clock_.Now() + std::chrono::minutes(30);
  update.interval = std::chrono::minutes(30);
  update.triggerActive = false;
  update.lastFetchAt = clock_.Now();
  ScheduleUpdate gone = update;
  gone.vehicleId = "unsubscribed";  // ignored
  std::vector<Delivery> none;
  ASSERT_TRUE(store_->CommitFetch(none, {update, gone}).ok());

  auto page = store_->ListSubscriptions("wh-1", 10, "");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 2u);
  const Subscription& v1 = page->items[0];
  EXPECT_EQ(v1.nextDueAt, update.nextDueAt);
  EXPECT_EQ(v1.interval, std::chrono::minutes(30));
  EXPECT_EQ(v1.triggerActive, std::optional<bool>(false));
  EXPECT_EQ(v1.lastFetchAt, std::optional<core::TimePoint>(update.lastFetchAt));
  const Subscription& v2 = page->items[1];
  EXPECT_EQ(v2.nextDueAt, clock_.Now());
  EXPECT_FALSE(v2.triggerActive.has_value());
  EXPECT_FALSE(v2.lastFetchAt.has_value());
}

}  // namespace
}  // namespace dynhook::store::testing
