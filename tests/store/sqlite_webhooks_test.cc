// SqliteStore, webhook part, what only SQLite has: durability of the outbox across reopen,
// the v1 -> v2 migration of an existing database, sequences shared by two stores on one file,
// and the query plans of the hot queries (index scans, never a table scan).
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "store/migrations.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"

namespace dynhook::store::testing {
namespace {

const core::TimePoint kT0 = core::FromMillis(1'795'000'000'000);

std::unique_ptr<SqliteStore> OpenMigrated(const std::string& path) {
  auto store = SqliteStore::Open({.path = path});
  EXPECT_TRUE(store.ok()) << store.error().description;
  if (!store.ok()) return nullptr;
  auto migrated = (*store)->Migrate();
  EXPECT_TRUE(migrated.ok()) << migrated.error().description;
  return std::move(*store);
}

Application App(const std::string& id) {
  Application app;
  app.id = id;
  app.name = id;
  app.clientId = "client-" + id;
  app.clientSecretHash = "secret";
  app.managementTokenHash = "amt-" + id;
  app.managementTokenSealed = "sealed";
  app.createdAt = kT0;
  return app;
}

Webhook Hook(const std::string& applicationId, const std::string& id) {
  Webhook webhook;
  webhook.id = id;
  webhook.applicationId = applicationId;
  webhook.name = id;
  webhook.callbackUri = "https://receiver.example/" + id;
  webhook.createdAt = kT0;
  webhook.updatedAt = kT0;
  return webhook;
}

Delivery Event(const std::string& webhookId, const std::string& id) {
  Delivery delivery;
  delivery.id = id;
  delivery.webhookId = webhookId;
  delivery.body = "{\"eventId\":\"" + id + "\",\"x\":\"\xC3\xBC\"}";
  delivery.vehicleIds = {"v1", "v2"};
  delivery.createdAt = kT0;
  delivery.nextAttemptAt = kT0;
  return delivery;
}

TEST(SqliteWebhooksTest, CommittedOutboxSurvivesReopenWithoutFlush) {
  TempDir dir;
  const std::string path = dir.File("outbox.db");
  {
    auto store = OpenMigrated(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->CreateApplication(App("app")).ok());
    ASSERT_TRUE(store->CreateWebhook(Hook("app", "wh")).ok());
    Subscription subscription;
    subscription.webhookId = "wh";
    subscription.vehicleId = "v1";
    subscription.applicationId = "app";
    subscription.createdAt = kT0;
    subscription.nextDueAt = kT0;
    bool created = false;
    ASSERT_TRUE(store->UpsertSubscription(subscription, &created).ok());
    std::vector<Delivery> batch = {Event("wh", "d1"), Event("wh", "d2"), Event("wh", "d3")};
    ScheduleUpdate update{"wh", "v1", kT0 + std::chrono::hours(1), std::chrono::hours(1),
                          true, kT0};
    ASSERT_TRUE(store->CommitFetch(batch, {update}).ok());
    AttemptOutcome outcome{{"d1", 1, kT0, 200, 5, "", "ok"}, "succeeded", kT0, ""};
    ASSERT_TRUE(store->RecordAttempts({outcome}, kT0).ok());
    ASSERT_EQ(*store->HoldPending("wh"), 2);
  }  // destroyed: no explicit flush or checkpoint

  auto reopened = OpenMigrated(path);
  ASSERT_NE(reopened, nullptr);
  std::vector<Delivery> unfinished;
  ASSERT_TRUE(
      reopened->ForEachUnfinishedDelivery([&](const Delivery& d) { unfinished.push_back(d); })
          .ok());
  ASSERT_EQ(unfinished.size(), 2u);
  EXPECT_EQ(unfinished[0].id, "d2");
  EXPECT_EQ(unfinished[0].status, "held");
  EXPECT_EQ(unfinished[0].body, Event("wh", "d2").body);  // the exact bytes
  EXPECT_EQ(unfinished[1].sequence, 3);
  EXPECT_EQ(reopened->FindDelivery("app", "d1")->status, "succeeded");
  EXPECT_EQ(reopened->ListAttempts("d1")->size(), 1u);
  auto page = reopened->ListSubscriptions("wh", 10, "");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].nextDueAt, kT0 + std::chrono::hours(1));
  EXPECT_EQ(page->items[0].triggerActive, std::optional<bool>(true));
  std::vector<Delivery> next = {Event("wh", "d4")};
  ASSERT_TRUE(reopened->CommitFetch(next, {}).ok());
  EXPECT_EQ(next[0].sequence, 4);  // the sequence continues
}

TEST(SqliteWebhooksTest, MigratesAVersionOneDatabaseKeepingItsData) {
  TempDir dir;
  const std::string path = dir.File("v1.db");
  {
    auto db = Database::Open(path, {});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(ApplyMigrations(**db, SqliteMigrations().first(1), kT0).ok());
  }
  {
    auto store = SqliteStore::Open({.path = path});
    ASSERT_TRUE(store.ok());
    EXPECT_EQ(*(*store)->SchemaVersion(), 1);
    ASSERT_TRUE((*store)->CreateApplication(App("old")).ok());
  }
  auto store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  EXPECT_GE(*store->SchemaVersion(), 2);
  EXPECT_TRUE(store->FindApplicationById("old").ok());
  EXPECT_TRUE(store->CreateWebhook(Hook("old", "wh")).ok());
}

TEST(SqliteWebhooksTest, MigratesAVersionTwoDatabaseDeliveriesToTheMainCallback) {
  TempDir dir;
  const std::string path = dir.File("v2.db");
  {
    auto db = Database::Open(path, {});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(ApplyMigrations(**db, SqliteMigrations().first(2), kT0).ok());
    auto v2 = SqliteStore::Open({.path = path});  // not migrated further
    ASSERT_TRUE(v2.ok());
    ASSERT_TRUE((*v2)->CreateApplication(App("app")).ok());
    ASSERT_TRUE((*v2)->CreateWebhook(Hook("app", "wh")).ok());
    ASSERT_TRUE((*db)
                    ->Exec("INSERT INTO deliveries (id, webhook_id, application_id, sequence, "
                           "status, event_name, body, vehicle_ids, created_at, next_attempt_at, "
                           "attempt_count, last_error) VALUES "
                           "('old','wh','app',1,'pending','dynamic','{}','[]',0,0,0,'')",
                           "seed a version 2 delivery")
                    .ok());
  }
  auto store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  EXPECT_GE(*store->SchemaVersion(), 3);
  auto old = store->FindDelivery("", "old");
  ASSERT_TRUE(old.ok()) << old.error().description;
  EXPECT_EQ(old->targetUri, "");
}

TEST(SqliteWebhooksTest, MigratesAVersionThreeDatabaseMovingBodiesToTheirTable) {
  TempDir dir;
  const std::string path = dir.File("v3.db");
  {
    auto db = Database::Open(path, {});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(ApplyMigrations(**db, SqliteMigrations().first(3), kT0).ok());
    ASSERT_TRUE((*db)
                    ->Exec("INSERT INTO applications (id, name, client_id, client_secret_hash, "
                           "management_token_hash, management_token_sealed, redirect_uris, "
                           "created_at) VALUES ('app','app','c','h','m','s','[]',0);"
                           "INSERT INTO webhooks (id, application_id, name, type, callback_uri, "
                           "status, disabled_reason, verification_error, options_json, "
                           "signing_secret_sealed, created_at, updated_at) VALUES "
                           "('wh','app','wh','dynamic','https://r.example/','enabled','','',"
                           "'{}','',0,0);"
                           "INSERT INTO deliveries (id, webhook_id, application_id, sequence, "
                           "status, event_name, body, vehicle_ids, created_at, next_attempt_at, "
                           "attempt_count, last_error, target_uri) VALUES "
                           "('d1','wh','app',1,'pending','dynamic','{\"n\":1}','[\"v\"]',0,0,"
                           "0,'',''),"
                           "('d2','wh','app',2,'succeeded','dynamic','{\"n\":2}','[]',0,0,1,"
                           "'','https://e.example/');"
                           "INSERT INTO delivery_attempts (delivery_id, number, at, status_code, "
                           "latency_ms, error, response_excerpt) VALUES "
                           "('d2',1,0,200,5,'','ok')",
                           "seed version 3 deliveries")
                    .ok());
  }
  auto store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  EXPECT_GE(*store->SchemaVersion(), 4);
  auto first = store->FindDelivery("", "d1");
  ASSERT_TRUE(first.ok()) << first.error().description;
  EXPECT_EQ(first->body, R"({"n":1})");
  EXPECT_EQ(first->vehicleIds, std::vector<std::string>{"v"});
  auto second = store->FindDelivery("app", "d2");
  ASSERT_TRUE(second.ok()) << second.error().description;
  EXPECT_EQ(second->body, R"({"n":2})");
  EXPECT_EQ(second->targetUri, "https://e.example/");
  int unfinished = 0;
  ASSERT_TRUE(store
                  ->ForEachUnfinishedDelivery([&](const Delivery& d) {
                    EXPECT_EQ(d.body, R"({"n":1})");
                    ++unfinished;
                  })
                  .ok());
  EXPECT_EQ(unfinished, 1);
  // The table rebuild did not cascade into the attempts, and foreign keys are on again.
  auto attempts = store->ListAttempts("d2");
  ASSERT_TRUE(attempts.ok());
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ((*attempts)[0].responseExcerpt, "ok");
  Subscription subscription;
  subscription.webhookId = "wh";
  subscription.vehicleId = "v";
  subscription.applicationId = "app";
  subscription.grantId = "g";
  subscription.createdAt = subscription.nextDueAt = kT0;
  ASSERT_TRUE(store->UpsertSubscription(subscription, nullptr).ok());
  ASSERT_TRUE(store->DeleteWebhook("app", "wh").ok());  // cascades only with foreign keys on
  auto left = store->CountSubscriptions("wh");
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(*left, 0);
  auto db = Database::Open(path, {});
  ASSERT_TRUE(db.ok());
  auto fk = (*db)->Prepare("SELECT count(*) FROM pragma_foreign_key_check");
  ASSERT_TRUE(fk.ok());
  ASSERT_TRUE(*fk->Step("check"));
  EXPECT_EQ(fk->Int(0), 0);
}

TEST(SqliteWebhooksTest, TwoStoresOnOneFileNeverShareASequenceNumber) {
  TempDir dir;
  const std::string path = dir.File("shared.db");
  auto first = OpenMigrated(path);
  auto second = OpenMigrated(path);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(first->CreateApplication(App("app")).ok());
  ASSERT_TRUE(first->CreateWebhook(Hook("app", "wh")).ok());

  constexpr int kThreads = 4, kBatches = 10, kBatchSize = 5;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      SqliteStore& store = t % 2 == 0 ? *first : *second;
      for (int b = 0; b < kBatches; ++b) {
        std::vector<Delivery> batch;
        for (int i = 0; i < kBatchSize; ++i) {
          batch.push_back(
              Event("wh", std::to_string(t) + "-" + std::to_string(b) + "-" + std::to_string(i)));
        }
        if (!store.CommitFetch(batch, {}).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  std::set<int64_t> sequences;
  ASSERT_TRUE(
      first->ForEachUnfinishedDelivery([&](const Delivery& d) { sequences.insert(d.sequence); })
          .ok());
  constexpr int kTotal = kThreads * kBatches * kBatchSize;
  EXPECT_EQ(sequences.size(), static_cast<size_t>(kTotal));
  EXPECT_EQ(*sequences.begin(), 1);
  EXPECT_EQ(*sequences.rbegin(), kTotal);  // no gaps
}

// Streams read in chunks and call back with no connection or lock held: with tiny chunks every
// row is still seen once, in order, and the callback may write to the store (on :memory:,
// where reads share the write connection, holding it would deadlock).
TEST(SqliteWebhooksTest, StreamsCrossChunksAndLetTheCallbackWrite) {
  TempDir dir;
  for (const std::string& path : {dir.File("chunks.db"), std::string(":memory:")}) {
    auto opened = SqliteStore::Open({.path = path, .streamChunk = 2});
    ASSERT_TRUE(opened.ok());
    SqliteStore& store = **opened;
    ASSERT_TRUE(store.Migrate().ok());
    ASSERT_TRUE(store.CreateApplication(App("app")).ok());
    std::vector<Delivery> batch;
    for (const char* webhookId : {"wh-b", "wh-a"}) {
      ASSERT_TRUE(store.CreateWebhook(Hook("app", webhookId)).ok());
      for (int i = 0; i < 3; ++i) {
        Subscription subscription;
        subscription.webhookId = webhookId;
        subscription.vehicleId = "v" + std::to_string(i);
        subscription.applicationId = "app";
        bool created = false;
        ASSERT_TRUE(store.UpsertSubscription(subscription, &created).ok());
        batch.push_back(Event(webhookId, std::string(webhookId) + "-" + std::to_string(i)));
      }
    }
    ASSERT_TRUE(store.CommitFetch(batch, {}).ok());

    std::vector<std::string> subscriptions;
    ASSERT_TRUE(store
                    .ForEachSubscription([&](const Subscription& s) {
                      subscriptions.push_back(s.webhookId + "/" + s.vehicleId);
                      EXPECT_TRUE(store.DeleteSubscription(s.webhookId, s.vehicleId).ok());
                    })
                    .ok());
    EXPECT_EQ(subscriptions, (std::vector<std::string>{"wh-a/v0", "wh-a/v1", "wh-a/v2", "wh-b/v0",
                                                       "wh-b/v1", "wh-b/v2"}))
        << path;
    std::vector<std::string> deliveries;
    ASSERT_TRUE(store
                    .ForEachUnfinishedDelivery([&](const Delivery& d) {
                      deliveries.push_back(d.id);
                      AttemptOutcome done{{d.id, 1, kT0, 200, 1, "", ""}, "succeeded", kT0, ""};
                      EXPECT_TRUE(store.RecordAttempts({done}, kT0).ok());
                    })
                    .ok());
    EXPECT_EQ(deliveries, (std::vector<std::string>{"wh-a-0", "wh-a-1", "wh-a-2", "wh-b-0",
                                                    "wh-b-1", "wh-b-2"}))
        << path;
    EXPECT_EQ(*store.CountSubscriptions("wh-a"), 0);
  }
  EXPECT_FALSE(SqliteStore::Open({.path = ":memory:", .streamChunk = 0}).ok());
}

// Every hot query of the webhook part searches an index; a full table scan would make it cost
// O(rows) with millions of rows. (DiscardHeldBefore scans the partial index of unfinished rows
// by design.) The statements mirror those in sqlite_store_*.cc.
TEST(SqliteWebhooksTest, HotQueriesUseIndexes) {
  auto db = Database::Open(":memory:", {});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(ApplyMigrations(**db, SqliteMigrations(), kT0).ok());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"SELECT * FROM deliveries d JOIN delivery_bodies b ON b.delivery_id = d.id WHERE "
       "d.status IN ('pending', 'held') AND (d.webhook_id, d.sequence) > (?1, ?2) ORDER BY "
       "d.webhook_id, d.sequence LIMIT ?3",
       "deliveries_unfinished"},
      {"UPDATE deliveries SET status = 'held' WHERE webhook_id = ?1 AND status IN ('pending', "
       "'held') AND status = 'pending'",
       "deliveries_webhook_status"},
      {"UPDATE deliveries SET status = 'discarded' WHERE status IN ('pending', 'held') AND status "
       "= 'held' AND created_at < ?1",
       "deliveries_unfinished"},
      {"SELECT * FROM deliveries d JOIN delivery_bodies b ON b.delivery_id = d.id WHERE "
       "d.webhook_id = ?1 AND d.sequence < ?2 ORDER BY d.sequence DESC LIMIT ?3",
       "sqlite_autoindex_deliveries_2"},
      {"SELECT * FROM deliveries d JOIN delivery_bodies b ON b.delivery_id = d.id WHERE "
       "d.webhook_id = ?1 AND d.sequence < ?2 AND d.status = ?4 ORDER BY d.sequence DESC LIMIT ?3",
       "deliveries_webhook_status"},
      {"SELECT * FROM deliveries d JOIN delivery_bodies b ON b.delivery_id = d.id WHERE d.id = ?1",
       "sqlite_autoindex_deliveries_1"},
      {"SELECT status, count(*) FROM deliveries WHERE webhook_id = ?1 AND created_at >= ?2 GROUP "
       "BY status",
       "COVERING INDEX deliveries_webhook_created"},
      {"SELECT webhook_id FROM deliveries WHERE webhook_id > ?1 ORDER BY webhook_id LIMIT 1",
       "COVERING INDEX"},
      {"DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE webhook_id = ?1 AND "
       "created_at < ?2 AND status IN ('succeeded', 'discarded', 'cancelled') LIMIT ?3)",
       "deliveries_webhook_created"},
      {"SELECT * FROM subscriptions WHERE (webhook_id, vehicle_id) > (?1, ?2) ORDER BY "
       "webhook_id, vehicle_id LIMIT ?3",
       "PRIMARY KEY"},
      {"DELETE FROM subscriptions WHERE application_id = ?1 AND vehicle_id = ?2",
       "subscriptions_application_vehicle"},
      {"SELECT * FROM subscriptions WHERE webhook_id = ?1 AND vehicle_id > ?2 ORDER BY "
       "vehicle_id LIMIT ?3",
       "PRIMARY KEY"},
  };
  for (const auto& [sql, index] : cases) {
    auto plan = (*db)->Prepare("EXPLAIN QUERY PLAN " + sql);
    ASSERT_TRUE(plan.ok()) << sql;
    std::string details;
    while (*plan->Step("plan")) details += plan->Text(3) + "\n";
    EXPECT_NE(details.find(index), std::string::npos) << sql << "\n" << details;
    EXPECT_EQ(details.find("TEMP B-TREE FOR ORDER BY"), std::string::npos) << sql;
    // A full table scan reads "SCAN <table>" with no index; index scans say USING.
    for (size_t at = details.find("SCAN"); at != std::string::npos;
         at = details.find("SCAN", at + 1)) {
      const std::string line = details.substr(at, details.find('\n', at) - at);
      EXPECT_NE(line.find("USING"), std::string::npos) << sql << "\n" << details;
    }
  }
}

}  // namespace
}  // namespace dynhook::store::testing
