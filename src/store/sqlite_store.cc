#include "store/sqlite_store.h"

#include "store/migrations.h"

namespace dynhook::store {

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const Options& options) {
  if (options.streamChunk < 1) return core::errors::Validation("streamChunk must be at least 1");
  std::unique_ptr<SqliteStore> store(new SqliteStore(options));
  Database::Options dbOptions;
  dbOptions.readOnly = options.readOnly;
  auto writer = Database::Open(options.path, dbOptions);
  if (!writer) return writer.take_error();
  store->writer_ = std::move(*writer);
  if (options.path == ":memory:") return store;  // private to its one connection: no pool

  // Readers never write; opening them read-write (but query-only) keeps WAL's shared-memory
  // index usable whatever the state of the -wal and -shm files.
  dbOptions.create = false;
  for (int i = 0; i < options.readConnections; ++i) {
    auto reader = Database::Open(options.path, dbOptions);
    if (!reader) return reader.take_error();
    if (auto status = (*reader)->Exec("PRAGMA query_only = ON", "configure reader"); !status) {
      return status.take_error();
    }
    store->freeReaders_.push_back(reader->get());
    store->readers_.push_back(std::move(*reader));
  }
  return store;
}

SqliteStore::~SqliteStore() = default;

Database* SqliteStore::AcquireReader() {
  std::unique_lock<std::mutex> lock(readersMutex_);
  readerReleased_.wait(lock, [this] { return !freeReaders_.empty(); });
  Database* reader = freeReaders_.back();
  freeReaders_.pop_back();
  return reader;
}

void SqliteStore::ReleaseReader(Database* reader) {
  {
    std::lock_guard<std::mutex> lock(readersMutex_);
    freeReaders_.push_back(reader);
  }
  readerReleased_.notify_one();
}

core::Status SqliteStore::RunExpectingOneRow(Database& db, Query& query, const std::string& what) {
  if (auto status = query.Run("update " + what); !status) return status;
  if (db.Changes() == 0) return core::errors::NotFound(what + " not found");
  return {};
}

core::Status SqliteStore::Migrate() {
  static const core::RealClock kRealClock;
  const core::Clock& clock = options_.clock != nullptr ? *options_.clock : kRealClock;
  std::lock_guard<std::mutex> lock(writeMutex_);
  return ApplyMigrations(*writer_, SqliteMigrations(), clock.Now());
}

core::Status SqliteStore::Ping() {
  return Read([](Database& db) -> core::Status {
    auto query = db.Prepare("SELECT 1");
    if (!query) return query.take_error();
    auto row = query->Step("ping");
    if (!row) return row.take_error();
    return {};
  });
}

core::Result<int> SqliteStore::SchemaVersion() {
  return Read([](Database& db) { return ReadSchemaVersion(db); });
}

}  // namespace dynhook::store
