// Store contract: the unfinished-delivery stream, holding and releasing a disabled webhook's
// deliveries, retention, and the delivery counts (DeliveryStore).
#include "store/webhook_contract.h"

namespace dynhook::store::testing {
namespace {

TEST_P(WebhookContractTest, UnfinishedDeliveriesStreamInWebhookSequenceOrder) {
  CreateWebhook("app-1", "wh-b");
  CreateWebhook("app-2", "wh-a");
  Commit({MakeDelivery("wh-b", "b1"), MakeDelivery("wh-a", "a1"), MakeDelivery("wh-b", "b2")});
  Commit({MakeDelivery("wh-a", "a2"), MakeDelivery("wh-b", "b3"), MakeDelivery("wh-a", "a3")});
  ASSERT_TRUE(store_
                  ->RecordAttempts(
                      {MakeOutcome("b2", 1, 200, "succeeded"), MakeOutcome("a3", 1, 500, "held")},
                      clock_.Now())
                  .ok());
  auto resend = store_->FindDelivery("", "b2");  // a resend is queued again at the end
  ASSERT_TRUE(resend.ok());
  resend->status = "pending";
  ASSERT_TRUE(store_->InsertDelivery(*resend).ok());
  std::vector<Delivery> seen;
  auto status = store_->ForEachUnfinishedDelivery([&](const Delivery& d) { seen.push_back(d); });
  ASSERT_TRUE(status.ok());
  std::vector<std::string> ids;
  for (const Delivery& d : seen) ids.push_back(d.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"a1", "a2", "a3", "b1", "b3", "b2"}));
  EXPECT_EQ(seen[2].status, "held");
  EXPECT_EQ(seen[0].body, MakeDelivery("wh-a", "a1").body);  // bodies included
}

TEST_P(WebhookContractTest, UnfinishedStreamCrossesChunksInOrder) {
  CreateWebhook("app-1", "wh-1");
  CreateWebhook("app-1", "wh-2");
  std::vector<Delivery> batch;
  for (int i = 0; i < 700; ++i) {
    batch.push_back(MakeDelivery(i % 2 == 0 ? "wh-1" : "wh-2", "d" + std::to_string(i)));
  }
  Commit(batch);
  std::string lastWebhook;
  int64_t lastSequence = 0;
  int count = 0;
  bool ordered = true;
  ASSERT_TRUE(store_
                  ->ForEachUnfinishedDelivery([&](const Delivery& d) {
                    if (d.webhookId == lastWebhook) {
                      ordered = ordered && d.sequence == lastSequence + 1;
                    } else {
                      ordered = ordered && d.webhookId > lastWebhook && d.sequence == 1;
                    }
                    lastWebhook = d.webhookId;
                    lastSequence = d.sequence;
                    ++count;
                  })
                  .ok());
  EXPECT_EQ(count, 700);
  EXPECT_TRUE(ordered);
}

TEST_P(WebhookContractTest, HoldPendingThenReplayInOrder) {
  CreateWebhook("app-1", "wh-1");
  CreateWebhook("app-1", "wh-2");
  Commit({MakeDelivery("wh-1", "d1"), MakeDelivery("wh-1", "d2"), MakeDelivery("wh-1", "d3"),
          MakeDelivery("wh-2", "other")});
  ASSERT_TRUE(store_->RecordAttempts({MakeOutcome("d1", 1, 200, "succeeded")}, clock_.Now()).ok());

  auto held = store_->HoldPending("wh-1");
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(*held, 2);
  EXPECT_EQ(StatusOf("d2"), "held");
  EXPECT_EQ(StatusOf("other"), "pending");
  EXPECT_EQ(*store_->HoldPending("wh-1"), 0);

  clock_.Advance(std::chrono::hours(3));
  auto released = store_->ReleaseHeld("wh-1", /*replay=*/true, clock_.Now());
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(*released, 2);
  auto d2 = store_->FindDelivery("", "d2");
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(d2->status, "pending");
  EXPECT_EQ(d2->nextAttemptAt, clock_.Now());
  EXPECT_EQ(UnfinishedIds(), (std::vector<std::string>{"d2", "d3", "other"}));
  EXPECT_EQ(store_->FindWebhook("", "wh-1")->discardedCount, 0);
}

TEST_P(WebhookContractTest, ReleaseHeldWithDiscardCountsOnTheWebhook) {
  CreateWebhook("app-1", "wh-1");
  Commit({MakeDelivery("wh-1", "d1"), MakeDelivery("wh-1", "d2")});
  ASSERT_EQ(*store_->HoldPending("wh-1"), 2);
  auto discarded = store_->ReleaseHeld("wh-1", /*replay=*/false, clock_.Now());
  ASSERT_TRUE(discarded.ok());
  EXPECT_EQ(*discarded, 2);
  EXPECT_EQ(StatusOf("d1"), "discarded");
  EXPECT_EQ(store_->FindDelivery("", "d1")->completedAt,
            std::optional<core::TimePoint>(clock_.Now()));
  EXPECT_EQ(store_->FindWebhook("", "wh-1")->discardedCount, 2);
  EXPECT_TRUE(UnfinishedIds().empty());
  EXPECT_EQ(*store_->ReleaseHeld("wh-1", false, clock_.Now()), 0);
  EXPECT_EQ(store_->FindWebhook("", "wh-1")->discardedCount, 2);
}

TEST_P(WebhookContractTest, DiscardHeldBeforeDropsOnlyOldHeldDeliveries) {
  CreateWebhook("app-1", "wh-1");
  CreateWebhook("app-2", "wh-2");
  Commit({MakeDelivery("wh-1", "old-1"), MakeDelivery("wh-1", "old-2"),
          MakeDelivery("wh-2", "old-3"), MakeDelivery("wh-2", "old-pending")});
  const core::TimePoint cutoff = clock_.Now() + std::chrono::hours(1);
  clock_.Advance(std::chrono::hours(2));
  Commit({MakeDelivery("wh-1", "new-1")});
  ASSERT_EQ(*store_->HoldPending("wh-1"), 3);
  ASSERT_TRUE(store_->RecordAttempts({MakeOutcome("old-3", 1, 500, "held")}, clock_.Now()).ok());

  auto discarded = store_->DiscardHeldBefore(cutoff);
  ASSERT_TRUE(discarded.ok());
  EXPECT_EQ(*discarded, 3);
  EXPECT_EQ(StatusOf("old-1"), "discarded");
  EXPECT_EQ(StatusOf("old-3"), "discarded");
  EXPECT_EQ(StatusOf("old-pending"), "pending");
  EXPECT_EQ(StatusOf("new-1"), "held");
  EXPECT_EQ(store_->FindWebhook("", "wh-1")->discardedCount, 2);
  EXPECT_EQ(store_->FindWebhook("", "wh-2")->discardedCount, 1);
  EXPECT_EQ(*store_->DiscardHeldBefore(cutoff), 0);
}

TEST_P(WebhookContractTest, PurgeFinishedBeforeDeletesOnlyOldFinishedHistory) {
  CreateWebhook("app-1", "wh-1");
  CreateWebhook("app-2", "wh-2");
  Commit({MakeDelivery("wh-1", "old-ok"), MakeDelivery("wh-1", "old-pending"),
          MakeDelivery("wh-2", "old-ok-2"), MakeDelivery("wh-2", "old-held"),
          MakeDelivery("wh-2", "old-gone")});
  ASSERT_TRUE(store_
                  ->RecordAttempts({MakeOutcome("old-ok", 1, 200, "succeeded"),
                                    MakeOutcome("old-ok-2", 1, 200, "succeeded"),
                                    MakeOutcome("old-held", 1, 500, "held"),
                                    MakeOutcome("old-gone", 1, 500, "cancelled")},
                                   clock_.Now())
                  .ok());
  const core::TimePoint cutoff = clock_.Now() + std::chrono::hours(1);
  clock_.Advance(std::chrono::hours(2));
  Commit({MakeDelivery("wh-1", "new-ok")});
  ASSERT_TRUE(
      store_->RecordAttempts({MakeOutcome("new-ok", 1, 200, "succeeded")}, clock_.Now()).ok());
  ASSERT_TRUE(store_->DeleteWebhook("app-2", "wh-2").ok());  // its history stays, cancelled

  auto first = store_->PurgeFinishedBefore(cutoff, 2);  // the limit is honoured
  ASSERT_TRUE(first.ok()) << first.error().description;
  EXPECT_EQ(*first, 2);
  auto rest = store_->PurgeFinishedBefore(cutoff, 100);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(*rest, 2);  // 4 in all: old-ok, old-ok-2, old-gone and old-held (cancelled with wh-2)
  EXPECT_EQ(*store_->PurgeFinishedBefore(cutoff, 100), 0);
  EXPECT_EQ(store_->FindDelivery("", "old-ok").error().type, "RESOURCE_NOT_FOUND");
  EXPECT_TRUE(store_->ListAttempts("old-ok")->empty());  // attempts went with their delivery
  EXPECT_EQ(StatusOf("old-pending"), "pending");         // unfinished: never purged
  EXPECT_EQ(StatusOf("new-ok"), "succeeded");            // newer than the cutoff
  EXPECT_EQ(store_->ListAttempts("new-ok")->size(), 1u);
  EXPECT_FALSE(store_->PurgeFinishedBefore(cutoff, 0).ok());
}

TEST_P(WebhookContractTest, CountDeliveriesSinceATime) {
  CreateWebhook("app-1", "wh-1");
  CreateWebhook("app-1", "wh-2");
  Commit({MakeDelivery("wh-1", "before")});
  clock_.Advance(std::chrono::minutes(10));
  const core::TimePoint since = clock_.Now();
  Commit({MakeDelivery("wh-1", "ok"), MakeDelivery("wh-1", "retrying"),
          MakeDelivery("wh-1", "held"), MakeDelivery("wh-1", "waiting"),
          MakeDelivery("wh-2", "elsewhere")});
  ASSERT_TRUE(
      store_
          ->RecordAttempts(
              {MakeOutcome("ok", 1, 500, "pending"), MakeOutcome("ok", 2, 200, "succeeded"),
               MakeOutcome("retrying", 1, 0, "pending"), MakeOutcome("held", 1, 503, "held"),
               MakeOutcome("before", 1, 500, "pending")},
              clock_.Now())
          .ok());
  ASSERT_EQ(*store_->HoldPending("wh-2"), 1);
  ASSERT_EQ(*store_->ReleaseHeld("wh-2", false, clock_.Now()), 1);

  auto counts = store_->CountDeliveries("wh-1", since);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->succeeded, 1);
  EXPECT_EQ(counts->pending, 2);  // retrying, waiting
  EXPECT_EQ(counts->held, 1);
  EXPECT_EQ(counts->discarded, 0);
  EXPECT_EQ(counts->failedAttempts, 3);  // ok#1, retrying#1, held#1 (not "before")
  auto other = store_->CountDeliveries("wh-2", since);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->discarded, 1);
  EXPECT_EQ(other->pending, 0);
  auto all = store_->CountDeliveries("wh-1", core::FromMillis(0));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->pending, 3);
  EXPECT_EQ(all->failedAttempts, 4);
}

}  // namespace
}  // namespace dynhook::store::testing
