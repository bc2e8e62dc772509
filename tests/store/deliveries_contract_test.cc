// Store contract: the delivery outbox's writes and lookups (DeliveryStore): sequences,
// atomic fetch commits, batched attempts, resend, paging.
#include <map>
#include <string>

#include "store/webhook_contract.h"

namespace dynhook::store::testing {
namespace {

TEST_P(WebhookContractTest, CommitFetchAssignsIncreasingSequencesPerWebhook) {
  CreateWebhook("app-1", "wh-1");
  CreateWebhook("app-2", "wh-2");
  auto first =
      Commit({MakeDelivery("wh-1", "a"), MakeDelivery("wh-2", "b"), MakeDelivery("wh-1", "c")});
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].sequence, 1);
  EXPECT_EQ(first[1].sequence, 1);
  EXPECT_EQ(first[2].sequence, 2);
  EXPECT_EQ(first[1].applicationId, "app-2");  // taken from the webhook
  auto second = Commit({MakeDelivery("wh-1", "d")});
  EXPECT_EQ(second[0].sequence, 3);

  auto stored = store_->FindDelivery("app-1", "c");
  ASSERT_TRUE(stored.ok());
  const Delivery expected = MakeDelivery("wh-1", "c");
  EXPECT_EQ(stored->sequence, 2);
  EXPECT_EQ(stored->applicationId, "app-1");
  EXPECT_EQ(stored->status, "pending");
  EXPECT_EQ(stored->eventName, "dynamic");
  EXPECT_EQ(stored->body, expected.body);
  EXPECT_EQ(stored->vehicleIds, expected.vehicleIds);
  EXPECT_EQ(stored->createdAt, expected.createdAt);
  EXPECT_EQ(stored->nextAttemptAt, expected.nextAttemptAt);
  EXPECT_EQ(stored->attemptCount, 0);
  EXPECT_FALSE(stored->completedAt.has_value());
}

TEST_P(WebhookContractTest, DeliveryTargetUriRoundTrips) {
  CreateWebhook("app-1", "wh-1");
  Delivery toErrors = MakeDelivery("wh-1", "err");
  toErrors.targetUri = "https://errors.example.com/hook";
  Commit({MakeDelivery("wh-1", "main"), toErrors});

  EXPECT_EQ(store_->FindDelivery("app-1", "main")->targetUri, "");
  EXPECT_EQ(store_->FindDelivery("app-1", "err")->targetUri, "https://errors.example.com/hook");
  std::map<std::string, std::string> streamed;
  ASSERT_TRUE(
      store_->ForEachUnfinishedDelivery([&](const Delivery& d) { streamed[d.id] = d.targetUri; })
          .ok());
  EXPECT_EQ(streamed, (std::map<std::string, std::string>{
                          {"err", "https://errors.example.com/hook"}, {"main", ""}}));
}

TEST_P(WebhookContractTest, FailedCommitFetchWritesNothing) {
  CreateWebhook("app-1", "wh-1");
  Subscribe("app-1", "wh-1", "v1");
  Commit({MakeDelivery("wh-1", "existing")});

  std::vector<Delivery> batch = {MakeDelivery("wh-1", "new-1"), MakeDelivery("wh-1", "existing")};
  ScheduleUpdate update;
  update.webhookId = "wh-1";
  update.vehicleId = "v1";
  update.nextDueAt = clock_.Now() + std::chrono::hours(1);
  update.interval = std::chrono::hours(1);
  update.lastFetchAt = clock_.Now();
  auto status = store_->CommitFetch(batch, {update});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().Name(), "VALIDATION:CONFLICT");
  EXPECT_EQ(batch[0].sequence, 0);  // the caller's records are untouched

  EXPECT_FALSE(store_->FindDelivery("", "new-1").ok());
  auto page = store_->ListSubscriptions("wh-1", 1, "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items[0].nextDueAt, clock_.Now());  // schedule untouched
  EXPECT_FALSE(page->items[0].lastFetchAt.has_value());
  // The sequence counter was rolled back too: no gap.
  EXPECT_EQ(Commit({MakeDelivery("wh-1", "next")})[0].sequence, 2);
}

TEST_P(WebhookContractTest, RecordAttemptsWritesABatch) {
  CreateWebhook("app-1", "wh-1");
  std::vector<Delivery> batch;
  for (int i = 0; i < 300; ++i) batch.push_back(MakeDelivery("wh-1", "d" + std::to_string(i)));
  Commit(batch);
  std::vector<AttemptOutcome> outcomes;
  for (int i = 0; i < 300; ++i) {
    const std::string id = "d" + std::to_string(i);
    outcomes.push_back(i % 3 == 0 ? MakeOutcome(id, 1, 200, "succeeded")
                                  : MakeOutcome(id, 1, 503, "pending"));
  }
  clock_.Advance(std::chrono::seconds(2));
  ASSERT_TRUE(store_->RecordAttempts(outcomes, clock_.Now()).ok());

  auto done = store_->FindDelivery("app-1", "d0");
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->status, "succeeded");
  EXPECT_EQ(done->attemptCount, 1);
  EXPECT_EQ(done->completedAt, std::optional<core::TimePoint>(clock_.Now()));
  auto retry = store_->FindDelivery("app-1", "d1");
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->status, "pending");
  EXPECT_EQ(retry->lastError, "HTTP 503");
  EXPECT_EQ(retry->nextAttemptAt, outcomes[1].nextAttemptAt);
  EXPECT_FALSE(retry->completedAt.has_value());

  ASSERT_TRUE(store_->RecordAttempts({MakeOutcome("d1", 2, 0, "held")}, clock_.Now()).ok());
  auto attempts = store_->ListAttempts("d1");
  ASSERT_TRUE(attempts.ok());
  ASSERT_EQ(attempts->size(), 2u);
  EXPECT_EQ((*attempts)[0].number, 1);
  EXPECT_EQ((*attempts)[0].statusCode, 503);
  EXPECT_EQ((*attempts)[0].latencyMs, 12);
  EXPECT_EQ((*attempts)[0].error, "HTTP 503");
  EXPECT_EQ((*attempts)[0].responseExcerpt, "response 1");
  EXPECT_EQ((*attempts)[1].number, 2);
  EXPECT_EQ((*attempts)[1].statusCode, 0);
  EXPECT_EQ(StatusOf("d1"), "held");
  EXPECT_EQ(store_->FindDelivery("", "d1")->attemptCount, 2);
}

TEST_P(WebhookContractTest, FailingAttemptRollsBackItsWholeBatch) {
  CreateWebhook("app-1", "wh-1");
  Commit({MakeDelivery("wh-1", "d1"), MakeDelivery("wh-1", "d2")});
  ASSERT_TRUE(store_->RecordAttempts({MakeOutcome("d1", 1, 500, "pending")}, clock_.Now()).ok());

  auto unknown = store_->RecordAttempts(
      {MakeOutcome("d2", 1, 200, "succeeded"), MakeOutcome("nope", 1, 200, "succeeded")},
      clock_.Now());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().type, "RESOURCE_NOT_FOUND");
  auto duplicate = store_->RecordAttempts(
      {MakeOutcome("d2", 1, 200, "succeeded"), MakeOutcome("d1", 1, 200, "succeeded")},
      clock_.Now());
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().Name(), "VALIDATION:CONFLICT");

  EXPECT_EQ(StatusOf("d2"), "pending");
  EXPECT_TRUE(store_->ListAttempts("d2")->empty());
  EXPECT_EQ(store_->FindDelivery("", "d1")->attemptCount, 1);
}

TEST_P(WebhookContractTest, AttemptFinishingAfterCancellationKeepsItCancelled) {
  CreateWebhook("app-1", "wh-1");
  Commit({MakeDelivery("wh-1", "failed"), MakeDelivery("wh-1", "delivered")});
  ASSERT_TRUE(store_->DeleteWebhook("app-1", "wh-1").ok());
  ASSERT_TRUE(store_
                  ->RecordAttempts({MakeOutcome("failed", 1, 500, "pending"),
                                    MakeOutcome("delivered", 1, 204, "succeeded")},
                                   clock_.Now())
                  .ok());
  EXPECT_EQ(StatusOf("failed"), "cancelled");
  EXPECT_EQ(StatusOf("delivered"), "succeeded");
  EXPECT_TRUE(UnfinishedIds().empty());
}

TEST_P(WebhookContractTest, InsertDeliveryAssignsTheNextSequenceAndResendsRequeue) {
  CreateWebhook("app-1", "wh-1");
  CreateWebhook("app-1", "wh-2");
  Commit({MakeDelivery("wh-1", "a"), MakeDelivery("wh-1", "b")});
  ASSERT_TRUE(store_->RecordAttempts({MakeOutcome("a", 1, 200, "succeeded")}, clock_.Now()).ok());

  Delivery fresh = MakeDelivery("wh-1", "c");
  ASSERT_TRUE(store_->InsertDelivery(fresh).ok());
  EXPECT_EQ(fresh.sequence, 3);

  clock_.Advance(std::chrono::minutes(1));
  auto resend = store_->FindDelivery("app-1", "a");
  ASSERT_TRUE(resend.ok());
  resend->status = "pending";
  resend->nextAttemptAt = clock_.Now();
  ASSERT_TRUE(store_->InsertDelivery(*resend).ok());
  EXPECT_EQ(resend->sequence, 4);
  auto requeued = store_->FindDelivery("app-1", "a");
  ASSERT_TRUE(requeued.ok());
  EXPECT_EQ(requeued->status, "pending");
  EXPECT_EQ(requeued->sequence, 4);
  EXPECT_EQ(requeued->nextAttemptAt, clock_.Now());
  EXPECT_FALSE(requeued->completedAt.has_value());
  EXPECT_EQ(requeued->attemptCount, 1);
  EXPECT_EQ(store_->ListAttempts("a")->size(), 1u);
  EXPECT_EQ(UnfinishedIds(), (std::vector<std::string>{"b", "c", "a"}));

  Delivery stolen = MakeDelivery("wh-2", "a");
  auto conflict = store_->InsertDelivery(stolen);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().Name(), "VALIDATION:CONFLICT");
  Delivery orphan = MakeDelivery("wh-gone", "z");
  auto missing = store_->InsertDelivery(orphan);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().type, "RESOURCE_NOT_FOUND");
}

TEST_P(WebhookContractTest, FindDeliveryIsScopedByApplication) {
  CreateWebhook("app-1", "wh-1");
  Commit({MakeDelivery("wh-1", "d1")});
  EXPECT_TRUE(store_->FindDelivery("app-1", "d1").ok());
  EXPECT_TRUE(store_->FindDelivery("", "d1").ok());
  for (auto result : {store_->FindDelivery("app-2", "d1"), store_->FindDelivery("app-1", "d2")}) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().Name(), "RESOURCE_NOT_FOUND:PATH");
  }
  EXPECT_TRUE(store_->ListAttempts("unknown")->empty());
}

TEST_P(WebhookContractTest, ListDeliveriesPagesNewestFirstWithStatusFilter) {
  CreateWebhook("app-1", "wh-1");
  CreateWebhook("app-1", "wh-2");
  std::vector<Delivery> batch;
  for (int i = 1; i <= 7; ++i) batch.push_back(MakeDelivery("wh-1", "d" + std::to_string(i)));
  batch.push_back(MakeDelivery("wh-2", "other"));
  Commit(batch);
  ASSERT_TRUE(store_
                  ->RecordAttempts({MakeOutcome("d2", 1, 200, "succeeded"),
                                    MakeOutcome("d5", 1, 200, "succeeded"),
                                    MakeOutcome("d6", 1, 200, "succeeded")},
                                   clock_.Now())
                  .ok());

  auto collect = [&](const std::string& status, int limit) {
    std::vector<std::string> ids;
    std::string cursor;
    for (int pages = 0; pages < 20; ++pages) {
      auto page = store_->ListDeliveries("wh-1", status, limit, cursor);
      EXPECT_TRUE(page.ok());
      if (!page.ok()) break;
      EXPECT_LE(page->items.size(), static_cast<size_t>(limit));
      for (const Delivery& d : page->items) ids.push_back(d.id);
      cursor = page->nextCursor;
      if (cursor.empty()) break;
    }
    return ids;
  };
  EXPECT_EQ(collect("", 3), (std::vector<std::string>{"d7", "d6", "d5", "d4", "d3", "d2", "d1"}));
  EXPECT_EQ(collect("succeeded", 2), (std::vector<std::string>{"d6", "d5", "d2"}));
  EXPECT_EQ(collect("pending", 10), (std::vector<std::string>{"d7", "d4", "d3", "d1"}));
  EXPECT_TRUE(collect("held", 10).empty());

  for (auto page : {store_->ListDeliveries("wh-1", "", 0, ""),
                    store_->ListDeliveries("wh-1", "", 5, "garbage")}) {
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.error().type, "VALIDATION");
  }
}

}  // namespace
}  // namespace dynhook::store::testing
