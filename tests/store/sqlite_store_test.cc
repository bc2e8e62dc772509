// SqliteStore: the contract suite over a temp file and over :memory:, plus what only SQLite
// has: OpenStore URLs, migrations, durability across reopen, and faults at the file level.
#include "store/sqlite_store.h"

#include <fstream>

#include "store/migrations.h"
#include "store/store_contract.h"
#include "store/temp_dir.h"

namespace dynhook::store::testing {

namespace {

std::unique_ptr<Store> MustOpen(const SqliteStore::Options& options) {
  auto store = SqliteStore::Open(options);
  EXPECT_TRUE(store.ok()) << store.error().description;
  return store.ok() ? std::move(*store) : nullptr;
}

class SqliteFileHarness : public StoreHarness {
 public:
  std::unique_ptr<Store> Open() override { return MustOpen({.path = dir_.File("store.db")}); }
  bool Persistent() const override { return true; }

 private:
  TempDir dir_;
};

class SqliteMemoryHarness : public StoreHarness {
 public:
  std::unique_ptr<Store> Open() override { return MustOpen({.path = ":memory:"}); }
  bool Persistent() const override { return false; }
};

}  // namespace

std::vector<HarnessFactory> ContractHarnesses() {
  return {
      {"SqliteFile", [] { return std::make_unique<SqliteFileHarness>(); }},
      {"SqliteMemory", [] { return std::make_unique<SqliteMemoryHarness>(); }},
  };
}

namespace {

Application App(const std::string& id) {
  Application app;
  app.id = id;
  app.name = "name " + id;
  app.clientId = "client " + id;
  app.clientSecretHash = "secret";
  app.managementTokenHash = "amt " + id;
  app.managementTokenSealed = "sealed";
  app.redirectUris = {"https://example/cb"};
  app.createdAt = core::FromMillis(1000);
  return app;
}

// ---- OpenStore -------------------------------------------------------------------------------

TEST(OpenStoreTest, OpensSqliteUrlsAndCreatesFolders) {
  TempDir dir;
  auto store = OpenStore("sqlite:" + dir.File("a/b/c/dynhook.db"));
  ASSERT_TRUE(store.ok()) << store.error().description;
  ASSERT_TRUE((*store)->Migrate().ok());
  EXPECT_TRUE((*store)->Ping().ok());
  EXPECT_TRUE(std::filesystem::exists(dir.File("a/b/c/dynhook.db")));

  auto memory = OpenStore("sqlite::memory:");
  ASSERT_TRUE(memory.ok());
  EXPECT_TRUE((*memory)->Migrate().ok());
}

TEST(OpenStoreTest, RejectsOtherUrls) {
  auto postgres = OpenStore("postgresql://user:secret@localhost/dynhook");
  ASSERT_FALSE(postgres.ok());
  EXPECT_EQ(postgres.error().type, "VALIDATION");
  EXPECT_EQ(postgres.error().description, "PostgreSQL support is not built yet");
  EXPECT_EQ(postgres.error().description.find("secret"), std::string::npos);
  for (const char* url : {"mysql://localhost/db", "", "sqlite:", "/tmp/plain/path.db"}) {
    auto store = OpenStore(url);
    ASSERT_FALSE(store.ok()) << url;
    EXPECT_EQ(store.error().type, "VALIDATION") << url;
  }
}

// ---- Migrations ------------------------------------------------------------------------------

TEST(SqliteMigrationsTest, MigrateIsIdempotentAndReportsVersion) {
  TempDir dir;
  auto store = MustOpen({.path = dir.File("m.db")});
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->SchemaVersion(), 0);
  ASSERT_TRUE(store->Migrate().ok());
  const int latest = SqliteMigrations().back().version;
  EXPECT_EQ(*store->SchemaVersion(), latest);
  ASSERT_TRUE(store->CreateApplication(App("a")).ok());
  ASSERT_TRUE(store->Migrate().ok());
  EXPECT_EQ(*store->SchemaVersion(), latest);
  EXPECT_TRUE(store->FindApplicationById("a").ok());

  auto db = Database::Open(dir.File("m.db"), {});
  ASSERT_TRUE(db.ok());
  auto count = (*db)->Prepare("SELECT count(*), min(applied_at) FROM schema_migrations");
  ASSERT_TRUE(count.ok());
  ASSERT_TRUE(*count->Step("count"));
  EXPECT_EQ(count->Int(0), static_cast<int64_t>(SqliteMigrations().size()));
  EXPECT_GT(count->Int(1), 0);
}

TEST(SqliteMigrationsTest, VersionsAreConsecutiveFromOne) {
  int expected = 1;
  for (const Migration& migration : SqliteMigrations()) EXPECT_EQ(migration.version, expected++);
}

TEST(SqliteMigrationsTest, AppliesOnlyNewMigrationsEachInItsOwnTransaction) {
  auto db = Database::Open(":memory:", {});
  ASSERT_TRUE(db.ok());
  const Migration first[] = {{1, "one", "CREATE TABLE a (x INTEGER)"}};
  ASSERT_TRUE(ApplyMigrations(**db, first, core::FromMillis(1)).ok());
  const Migration broken[] = {{1, "one", "CREATE TABLE a (x INTEGER)"},
                              {2, "two", "CREATE TABLE b (x INTEGER)"},
                              {3, "bad", "CREATE TABLE c (x INTEGER); THIS IS NOT SQL"}};
  auto status = ApplyMigrations(**db, broken, core::FromMillis(2));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().Name(), "SERVER:INTERNAL");
  EXPECT_EQ(*ReadSchemaVersion(**db), 2);  // 2 applied, 3 rolled back entirely
  EXPECT_TRUE((*db)->Exec("SELECT * FROM b", "check").ok());
  EXPECT_FALSE((*db)->Exec("SELECT * FROM c", "check").ok());
}

TEST(SqliteMigrationsTest, RefusesDatabaseFromNewerBuild) {
  auto db = Database::Open(":memory:", {});
  ASSERT_TRUE(db.ok());
  const Migration two[] = {{1, "one", "SELECT 1"}, {2, "two", "SELECT 1"}};
  ASSERT_TRUE(ApplyMigrations(**db, two, core::FromMillis(1)).ok());
  auto status = ApplyMigrations(**db, std::span(two, 1), core::FromMillis(2));
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().description.find("newer"), std::string::npos);
}

// ---- Durability ------------------------------------------------------------------------------

TEST(SqliteDurabilityTest, ReopeningAFileKeepsData) {
  TempDir dir;
  const SqliteStore::Options options{.path = dir.File("keep.db")};
  {
    auto store = MustOpen(options);
    ASSERT_TRUE(store->Migrate().ok());
    ASSERT_TRUE(store->CreateApplication(App("kept")).ok());
  }
  auto reopened = MustOpen(options);
  ASSERT_TRUE(reopened->Migrate().ok());
  auto app = reopened->FindApplicationById("kept");
  ASSERT_TRUE(app.ok());
  EXPECT_EQ(app->redirectUris, std::vector<std::string>{"https://example/cb"});
}

TEST(SqliteDurabilityTest, FileUsesWalAndFullSync) {
  TempDir dir;
  auto store = MustOpen({.path = dir.File("wal.db")});
  ASSERT_TRUE(store->Migrate().ok());
  auto db = Database::Open(dir.File("wal.db"), {});
  ASSERT_TRUE(db.ok());
  auto mode = (*db)->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok() && *mode->Step("journal_mode"));
  EXPECT_EQ(mode->Text(0), "wal");
  auto sync = (*db)->Prepare("PRAGMA synchronous");
  ASSERT_TRUE(sync.ok() && *sync->Step("synchronous"));
  EXPECT_EQ(sync->Int(0), 2);  // FULL
  auto fk = (*db)->Prepare("PRAGMA foreign_keys");
  ASSERT_TRUE(fk.ok() && *fk->Step("foreign_keys"));
  EXPECT_EQ(fk->Int(0), 1);
}

TEST(SqliteDurabilityTest, TwoStoresOnOneFileSeeEachOthersWrites) {
  TempDir dir;
  auto first = MustOpen({.path = dir.File("shared.db")});
  auto second = MustOpen({.path = dir.File("shared.db")});
  ASSERT_TRUE(first->Migrate().ok());
  ASSERT_TRUE(second->Migrate().ok());
  ASSERT_TRUE(first->CreateApplication(App("one")).ok());
  EXPECT_TRUE(second->FindApplicationById("one").ok());
  auto duplicate = second->CreateApplication(App("one"));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().Name(), "VALIDATION:CONFLICT");
}

// ---- Faults: every failure is a core::Error value --------------------------------------------

TEST(SqliteFaultTest, UncreatableFolderIsAnError) {
  auto store = OpenStore("sqlite:/proc/dynhook-no-such-dir/x.db");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().Name(), "SERVER:INTERNAL");
}

TEST(SqliteFaultTest, DirectoryOrMissingFileIsAnError) {
  TempDir dir;
  auto directory = SqliteStore::Open({.path = dir.path().string()});
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().Name(), "SERVER:INTERNAL");
  auto missing = SqliteStore::Open({.path = dir.File("missing.db"), .readOnly = true});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().Name(), "SERVER:INTERNAL");
}

TEST(SqliteFaultTest, NonDatabaseFileIsAnError) {
  TempDir dir;
  std::ofstream(dir.File("garbage.db")) << std::string(8192, 'x');
  auto store = SqliteStore::Open({.path = dir.File("garbage.db")});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().Name(), "SERVER:INTERNAL");
  EXPECT_NE(store.error().description.find("not a database"), std::string::npos);
}

TEST(SqliteFaultTest, ReadOnlyDatabaseFailsWritesWithErrorsAndStillReads) {
  TempDir dir;
  {
    auto store = MustOpen({.path = dir.File("ro.db")});
    ASSERT_TRUE(store->Migrate().ok());
    ASSERT_TRUE(store->CreateApplication(App("existing")).ok());
  }
  auto store = MustOpen({.path = dir.File("ro.db"), .readOnly = true});
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->FindApplicationById("existing").ok());
  EXPECT_TRUE(store->Ping().ok());
  auto create = store->CreateApplication(App("new"));
  ASSERT_FALSE(create.ok());
  EXPECT_EQ(create.error().Name(), "SERVER:INTERNAL");
  auto user = store->UserIdFor("existing", "oem", "user");
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.error().Name(), "SERVER:INTERNAL");
  auto consume = store->ConsumeAuthorizationCode("code", core::FromMillis(0));
  ASSERT_FALSE(consume.ok());
  EXPECT_EQ(consume.error().Name(), "SERVER:INTERNAL");
}

TEST(SqliteFaultTest, UnmigratedDatabaseAnswersErrors) {
  auto store = MustOpen({.path = ":memory:"});
  auto app = store->FindApplicationById("x");
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.error().Name(), "SERVER:INTERNAL");
  EXPECT_FALSE(store->CreateApplication(App("x")).ok());
  GrantStore::ConnectionQuery query;
  query.applicationId = "a";
  EXPECT_FALSE(store->ListConnections(query).ok());
}

}  // namespace
}  // namespace dynhook::store::testing
