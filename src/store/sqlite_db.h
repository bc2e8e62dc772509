// A thin RAII layer over the SQLite C API, used only inside the store module. It is the one
// place where SQLite result codes become core::Error values (STYLE.md principle 4):
//   unique / primary-key violation      -> VALIDATION:CONFLICT (core::errors::Conflict)
//   other constraint (foreign key, ...)  -> VALIDATION:PARAMETER
//   anything else (I/O, busy, corrupt)  -> SERVER:INTERNAL, with SQLite's message
//
// Database owns one sqlite3 handle and a cache of its prepared statements (prepared once,
// reused). Query borrows a cached statement and resets it when it goes out of scope, so no
// statement keeps a read transaction open by accident. Transaction is a scope guard that rolls
// back unless committed.
//
// Thread-safety: a Database and everything borrowed from it must be used by one thread at a
// time; the owner (SqliteStore) serialises access with its own locks. Connections opened with
// SQLITE_OPEN_NOMUTEX rely on that.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace dynhook::store {

// Maps an SQLite result code (extended codes enabled) to the platform's error. `context`
// names the operation ("insert application") and goes into the description.
core::Error SqliteError(int rc, std::string_view message, std::string_view context);

class Query {
 public:
  Query(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  Query(Query&& other) noexcept;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Query& operator=(Query&&) = delete;
  ~Query();  // resets the statement and clears its bindings

  // Parameters are 1-based, as in SQL's ?1, ?2...
  Query& Bind(int index, std::string_view text);
  Query& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Query& Bind(int index, const std::string& text) { return Bind(index, std::string_view(text)); }
  Query& Bind(int index, int64_t value);
  Query& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Query& Bind(int index, std::nullopt_t);
  template <class T>
  Query& Bind(int index, const std::optional<T>& value) {
    return value ? Bind(index, *value) : Bind(index, std::nullopt);
  }
  // Binds every argument in order to ?1, ?2, ...
  template <class... Args>
  Query& BindAll(const Args&... args) {
    int index = 0;
    (Bind(++index, args), ...);
    return *this;
  }

  // Advances to the next row: true when a row is available, false when done.
  core::Result<bool> Step(std::string_view context);
  // Steps to completion, discarding rows (INSERT/UPDATE/DELETE without RETURNING).
  core::Status Run(std::string_view context);

  std::string Text(int column) const;  // 0-based; "" for NULL
  int64_t Int(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3_stmt* stmt_;
  sqlite3* db_;
  int bindError_ = 0;  // first failed bind, reported by Step
};

class Database {
 public:
  struct Options {
    bool readOnly = false;  // SQLITE_OPEN_READONLY: writes fail (fault tests, read pool)
    bool create = true;     // create the file when missing
  };

  // Opens `path` (or ":memory:") and applies the connection settings: extended result codes,
  // foreign keys on, busy timeout, WAL journal and synchronous=FULL on files.
  static core::Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                      const Options& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements without parameters or results (schema scripts, PRAGMAs).
  core::Status Exec(std::string_view sql, std::string_view context);
  // A cached prepared statement for `sql`; prepared on first use.
  core::Result<Query> Prepare(std::string_view sql);
  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  int Changes() const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  core::Status Configure(const std::string& path, const Options& options);

  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*, std::less<>> statements_;  // sql -> prepared statement
};

// Scope guard for a transaction on one connection. kImmediate takes the write lock at BEGIN
// (every read-modify-write here uses it, so no transaction fails half-way on a lock upgrade);
// kDeferred gives a consistent snapshot for multi-statement reads.
class Transaction {
 public:
  enum class Kind { kDeferred, kImmediate };
  static core::Result<Transaction> Begin(Database& connection, Kind kind);
  Transaction(Transaction&& other) noexcept;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();  // rolls back when not committed

  core::Status Commit();

 private:
  explicit Transaction(Database* connection) : connection_(connection) {}
  Database* connection_;  // null once committed, rolled back or moved from
};

}  // namespace dynhook::store
