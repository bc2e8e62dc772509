// HistoryPurger over SQLite in memory: finished deliveries older than the history period go
// (with their attempts), in chunks; pending, held and newer ones stay.
#include "delivery/history_purger.h"

#include <thread>

#include "delivery/engine_fixture.h"

namespace dynhook::delivery::test {
namespace {

class HistoryPurgerTest : public EngineTest {
 protected:
  // Records one attempt per delivery with the given outcome status.
  void Finish(const std::vector<store::Delivery>& deliveries, const std::string& status) {
    std::vector<store::AttemptOutcome> outcomes;
    for (const auto& d : deliveries) {
      store::AttemptOutcome outcome;
      outcome.attempt = store::DeliveryAttempt{d.id, 1, clock_.Now(), 200, 3, "", "{}"};
      outcome.newStatus = status;
      outcome.nextAttemptAt = clock_.Now();
      outcomes.push_back(std::move(outcome));
    }
    ASSERT_TRUE(store_->RecordAttempts(outcomes, clock_.Now()).ok());
  }
  bool Exists(const std::string& id) { return store_->FindDelivery("", id).ok(); }
};

TEST_F(HistoryPurgerTest, PurgesOldFinishedDeliveriesInChunksAndKeepsTheRest) {
  const auto webhook = AddWebhook("https://receiver.example/hook");
  std::vector<std::vector<std::string>> ten(10, std::vector<std::string>{"v"});
  const auto oldDone = Commit(webhook, ten);
  Finish(oldDone, "succeeded");
  const auto oldPending = Commit(webhook, {{"p"}});
  const auto oldHeld = Commit(webhook, {{"h"}});
  Finish(oldHeld, "held");
  clock_.Advance(std::chrono::hours(25));
  const auto recent = Commit(webhook, {{"r"}});
  Finish(recent, "succeeded");

  HistoryPurger purger(*store_, clock_, HistoryOptions{std::chrono::hours(24), 3, {}});
  auto purged = purger.RunOnce();
  ASSERT_TRUE(purged.ok()) << purged.error().description;
  EXPECT_EQ(*purged, 10);  // four chunks of at most 3
  for (const auto& d : oldDone) EXPECT_FALSE(Exists(d.id));
  EXPECT_TRUE(Attempts(oldDone[0].id).empty());
  EXPECT_TRUE(Exists(oldPending[0].id));
  EXPECT_TRUE(Exists(oldHeld[0].id));
  EXPECT_TRUE(Exists(recent[0].id));
  EXPECT_EQ(*purger.RunOnce(), 0);
}

TEST_F(HistoryPurgerTest, TheThreadPurgesAtOnceAndStops) {
  const auto webhook = AddWebhook("https://receiver.example/hook");
  const auto done = Commit(webhook, {{"v"}});
  Finish(done, "succeeded");
  clock_.Advance(std::chrono::hours(2));
  HistoryPurger purger(*store_, clock_,
                       HistoryOptions{std::chrono::hours(1), 100, std::chrono::hours(1)});
  purger.Start();  // the first pass runs at start, the next an hour later
  for (int i = 0; i < 1000 && Exists(done[0].id); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_FALSE(Exists(done[0].id));
  purger.Stop();  // interrupts the hour's wait
}

}  // namespace
}  // namespace dynhook::delivery::test
