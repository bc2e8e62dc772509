#include "store/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

namespace dynhook::store {
namespace {

// How long a connection waits for another process's write lock before SQLITE_BUSY.
constexpr int kBusyTimeoutMs = 5000;

std::string Describe(std::string_view context, std::string_view message) {
  std::string text = "database error";
  if (!context.empty()) text += " (" + std::string(context) + ")";
  if (!message.empty()) text += ": " + std::string(message);
  return text;
}

}  // namespace

core::Error SqliteError(int rc, std::string_view message, std::string_view context) {
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return core::errors::Conflict("already exists (" + std::string(context) + ")");
    default:
      break;
  }
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    return core::errors::Validation("constraint violated (" + std::string(context) +
                                    "): " + std::string(message));
  }
  return core::errors::Internal(Describe(context, message));
}

// ---- Query -----------------------------------------------------------------------------------

Query::Query(Query&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), db_(other.db_), bindError_(other.bindError_) {}

Query::~Query() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Query& Query::Bind(int index, std::string_view text) {
  int rc =
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bindError_ == 0) bindError_ = rc;
  return *this;
}

Query& Query::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bindError_ == 0) bindError_ = rc;
  return *this;
}

Query& Query::Bind(int index, std::nullopt_t) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bindError_ == 0) bindError_ = rc;
  return *this;
}

core::Result<bool> Query::Step(std::string_view context) {
  if (bindError_ != 0) return SqliteError(bindError_, sqlite3_errstr(bindError_), context);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  core::Error error = SqliteError(rc, sqlite3_errmsg(db_), context);
  sqlite3_reset(stmt_);
  return error;
}

core::Status Query::Run(std::string_view context) {
  while (true) {
    auto row = Step(context);
    if (!row) return row.take_error();
    if (!*row) return {};
  }
}

std::string Query::Text(int column) const {
  auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

int64_t Query::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

bool Query::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

// ---- Database ------------------------------------------------------------------------------

core::Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                       const Options& options) {
  int flags = SQLITE_OPEN_NOMUTEX;
  if (options.readOnly) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE;
    if (options.create) flags |= SQLITE_OPEN_CREATE;
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return SqliteError(rc, message, "open " + path);
  }
  std::unique_ptr<Database> connection(new Database(db));
  if (auto status = connection->Configure(path, options); !status) return status.take_error();
  return connection;
}

core::Status Database::Configure(const std::string& path, const Options& options) {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  // Reading a page forces SQLite to check the file header: a non-database file fails here,
  // at open, rather than at the first query.
  std::string sql = "PRAGMA foreign_keys = ON; SELECT count(*) FROM sqlite_schema;";
  if (path != ":memory:" && !options.readOnly) {
    // WAL lets readers run beside the writer. synchronous=FULL fsyncs the WAL at every commit,
    // so a transaction that returned success survives a power loss (SPEC §4.5: nothing
    // acknowledged is lost); NORMAL could lose the last commits.
    sql += "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
  }
  return Exec(sql, "configure connection");
}

Database::~Database() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

core::Status Database::Exec(std::string_view sql, std::string_view context) {
  char* message = nullptr;
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  std::string description = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return SqliteError(sqlite3_extended_errcode(db_), description, context);
}

core::Result<Query> Database::Prepare(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(rc, sqlite3_errmsg(db_), "prepare statement");
    it = statements_.emplace(std::string(sql), stmt).first;
  }
  return Query(it->second, db_);
}

int Database::Changes() const { return sqlite3_changes(db_); }

// ---- Transaction -----------------------------------------------------------------------------

core::Result<Transaction> Transaction::Begin(Database& connection, Kind kind) {
  auto begin = connection.Prepare(kind == Kind::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN");
  if (!begin) return begin.take_error();
  if (auto status = begin->Run("begin transaction"); !status) return status.take_error();
  return Transaction(&connection);
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

Transaction::~Transaction() {
  if (connection_ == nullptr) return;
  if (auto rollback = connection_->Prepare("ROLLBACK")) {
    (void)rollback->Run("rollback");  // nothing useful to do if it fails: the caller failed
  }
}

core::Status Transaction::Commit() {
  Database* connection = std::exchange(connection_, nullptr);
  auto commit = connection->Prepare("COMMIT");
  if (!commit) return commit.take_error();
  auto status = commit->Run("commit");
  if (!status) {
    // A failed COMMIT may leave the transaction open (e.g. SQLITE_BUSY); end it.
    if (auto rollback = connection->Prepare("ROLLBACK")) (void)rollback->Run("rollback");
  }
  return status;
}

}  // namespace dynhook::store
