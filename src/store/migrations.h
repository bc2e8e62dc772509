// Versioned schema migrations for the SQLite store (SPEC §6: schema changes are versioned
// migrations applied at start-up). The list is append-only: a released migration is never
// edited; a change is a new entry with the next version. `schema_migrations(version, applied_at)`
// records what has been applied; each migration runs in its own IMMEDIATE transaction together
// with its record, so a crash leaves either all of it or none, and two processes migrating the
// same file at once apply each version exactly once.
//
// Thread-safety: free functions over a Database the caller uses exclusively.
#pragma once

#include <span>

#include "core/clock.h"
#include "core/result.h"
#include "store/sqlite_db.h"

namespace dynhook::store {

struct Migration {
  int version;       // 1, 2, 3, ... without gaps
  const char* name;  // short description, for logs
  const char* sql;   // one or more statements
};

// Every migration of the SQLite schema, in version order.
std::span<const Migration> SqliteMigrations();

// Highest applied version, 0 for an empty database.
core::Result<int> ReadSchemaVersion(Database& connection);

// Applies the missing migrations of `migrations` in order; a no-op when up to date. Fails
// (SERVER:INTERNAL) when the database is newer than the list, i.e. written by a newer build.
core::Status ApplyMigrations(Database& connection, std::span<const Migration> migrations,
                             core::TimePoint now);

}  // namespace dynhook::store
