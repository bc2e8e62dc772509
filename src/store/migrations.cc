#include "store/migrations.h"

#include <string>

namespace dynhook::store {
namespace {

// Conventions: times are INTEGER milliseconds since the Unix epoch (UTC); lists (scopes,
// vehicle ids, redirect URIs) are JSON arrays of strings in TEXT columns, read and written only
// as whole values, never queried into; every lookup of the Store interface has an index.
constexpr const char* kInitialSchema = R"sql(
CREATE TABLE applications (
  id                      TEXT PRIMARY KEY,
  name                    TEXT NOT NULL,
  client_id               TEXT NOT NULL UNIQUE,
  client_secret_hash      TEXT NOT NULL,
  management_token_hash   TEXT NOT NULL UNIQUE,
  management_token_sealed TEXT NOT NULL,
  redirect_uris           TEXT NOT NULL,
  created_at              INTEGER NOT NULL
);

CREATE TABLE authorization_codes (
  code_hash      TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  redirect_uri   TEXT NOT NULL,
  user_id        TEXT NOT NULL,
  oem_account_id TEXT NOT NULL,
  vehicle_ids    TEXT NOT NULL,
  scopes         TEXT NOT NULL,
  mode           TEXT NOT NULL,
  expires_at     INTEGER NOT NULL
);
CREATE INDEX authorization_codes_expires_at ON authorization_codes(expires_at);
CREATE INDEX authorization_codes_application ON authorization_codes(application_id);

-- One platform user per (application, OEM account): UserIdFor.
CREATE TABLE users (
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  oem_account_id TEXT NOT NULL,
  user_id        TEXT NOT NULL,
  PRIMARY KEY (application_id, oem_account_id)
);

CREATE TABLE grants (
  id             TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  user_id        TEXT NOT NULL,
  oem_account_id TEXT NOT NULL,
  scopes         TEXT NOT NULL,
  mode           TEXT NOT NULL,
  created_at     INTEGER NOT NULL
);
CREATE INDEX grants_application_user ON grants(application_id, user_id);

-- At most one active connection per (application, vehicle).
CREATE TABLE connections (
  application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  vehicle_id     TEXT NOT NULL,
  grant_id       TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  user_id        TEXT NOT NULL,
  mode           TEXT NOT NULL,
  connected_at   INTEGER NOT NULL,
  PRIMARY KEY (application_id, vehicle_id)
);
CREATE INDEX connections_grant_vehicle ON connections(grant_id, vehicle_id);
CREATE INDEX connections_application_page ON connections(application_id, connected_at, vehicle_id);
CREATE INDEX connections_application_user_page
  ON connections(application_id, user_id, connected_at, vehicle_id);

CREATE TABLE tokens (
  token_hash TEXT PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
  grant_id   TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);
CREATE INDEX tokens_grant ON tokens(grant_id);
CREATE INDEX tokens_expires_at ON tokens(expires_at);

CREATE TABLE sim_accounts (
  id            TEXT PRIMARY KEY,
  make          TEXT NOT NULL,
  username      TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  salt          TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  UNIQUE (make, username)
);

CREATE TABLE sim_vehicles (
  id             TEXT PRIMARY KEY,
  account_id     TEXT NOT NULL REFERENCES sim_accounts(id) ON DELETE CASCADE,
  make           TEXT NOT NULL,
  model          TEXT NOT NULL,
  year           INTEGER NOT NULL,
  vin            TEXT NOT NULL,
  seed           INTEGER NOT NULL,
  state_override TEXT NOT NULL DEFAULT '{}',
  fault          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sim_vehicles_account ON sim_vehicles(account_id);
)sql";

// Webhooks (SPEC §4), sized for millions of subscriptions and deliveries. Every query of the
// webhook part of the Store is an index lookup or an index range scan:
//   subscriptions: (webhook, vehicle) primary key - paging, upsert, ForEachSubscription keyset;
//                  (application, vehicle) - DeleteVehicleSubscriptions on disconnect.
//   deliveries:    (webhook, sequence) unique - the per-webhook order and newest-first paging;
//                  (webhook, status, sequence) - paging filtered by status, HoldPending;
//                  (webhook, created_at, status) - CountDeliveries (covering);
//                  partial (webhook, sequence) over unfinished rows - ForEachUnfinishedDelivery,
//                  ReleaseHeld and DiscardHeldBefore scan only pending/held rows.
// The next per-webhook sequence number lives on the webhook row (one row to lock, also on
// PostgreSQL). Deliveries have no foreign key to webhooks: a deleted webhook's deliveries stay,
// cancelled, as history (FindDelivery still answers them); attempts go with their delivery.
constexpr const char* kWebhooksSchema = R"sql(
CREATE TABLE webhooks (
  id                    TEXT PRIMARY KEY,
  application_id        TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  name                  TEXT NOT NULL,
  type                  TEXT NOT NULL,
  callback_uri          TEXT NOT NULL,
  status                TEXT NOT NULL,
  disabled_reason       TEXT NOT NULL,
  disabled_at           INTEGER,
  verification_error    TEXT NOT NULL,
  verified_at           INTEGER,
  options_json          TEXT NOT NULL,
  signing_secret_sealed TEXT NOT NULL,
  discarded_count       INTEGER NOT NULL DEFAULT 0,
  next_sequence         INTEGER NOT NULL DEFAULT 1,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
);
CREATE INDEX webhooks_application ON webhooks(application_id, created_at, id);

CREATE TABLE subscriptions (
  webhook_id     TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  vehicle_id     TEXT NOT NULL,
  application_id TEXT NOT NULL,
  grant_id       TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  next_due_at    INTEGER NOT NULL,
  interval_ms    INTEGER NOT NULL,
  trigger_active INTEGER,
  last_fetch_at  INTEGER,
  PRIMARY KEY (webhook_id, vehicle_id)
) WITHOUT ROWID;
CREATE INDEX subscriptions_application_vehicle ON subscriptions(application_id, vehicle_id);

CREATE TABLE deliveries (
  id              TEXT PRIMARY KEY,
  webhook_id      TEXT NOT NULL,
  application_id  TEXT NOT NULL,
  sequence        INTEGER NOT NULL,
  status          TEXT NOT NULL
                  CHECK (status IN ('pending', 'succeeded', 'held', 'discarded', 'cancelled')),
  event_name      TEXT NOT NULL,
  body            TEXT NOT NULL,
  vehicle_ids     TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  attempt_count   INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  completed_at    INTEGER,
  UNIQUE (webhook_id, sequence)
);
CREATE INDEX deliveries_webhook_status ON deliveries(webhook_id, status, sequence);
CREATE INDEX deliveries_webhook_created ON deliveries(webhook_id, created_at, status);
CREATE INDEX deliveries_unfinished ON deliveries(webhook_id, sequence)
  WHERE status IN ('pending', 'held');

CREATE TABLE delivery_attempts (
  delivery_id      TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
  number           INTEGER NOT NULL,
  at               INTEGER NOT NULL,
  status_code      INTEGER NOT NULL,
  latency_ms       INTEGER NOT NULL,
  error            TEXT NOT NULL,
  response_excerpt TEXT NOT NULL,
  PRIMARY KEY (delivery_id, number)
);
)sql";

// Where a delivery is POSTed when not the webhook's callbackUri (errorCallbackUri, SPEC §4.1);
// '' = the callbackUri (the URI is copied from the webhook when the delivery is built).
constexpr const char* kDeliveryTargetSchema = R"sql(
ALTER TABLE deliveries ADD COLUMN target_uri TEXT NOT NULL DEFAULT '';
)sql";

// Bodies in their own table: a delivery's body (~1 KiB, written once) no longer shares the row
// that every attempt updates, so recording an outcome rewrites a small row (a quarter of the
// WAL pages per outcome; bench/store_writes, docs/benchmarks.md). The deliveries table is
// rebuilt (SQLite's procedure: new table, copy, drop, rename) to drop the column and to spell
// the status CHECK with OR: an IN list of more than two values makes SQLite build a temporary
// b-tree each time the check runs, i.e. on every insert and every status change. Foreign keys
// are off while a migration runs (ApplyOne), so dropping the old table cascades nowhere.
constexpr const char* kDeliveryBodiesSchema = R"sql(
CREATE TABLE delivery_bodies (
  delivery_id TEXT PRIMARY KEY REFERENCES deliveries(id) ON DELETE CASCADE,
  body        TEXT NOT NULL
);
INSERT INTO delivery_bodies (delivery_id, body) SELECT id, body FROM deliveries;

CREATE TABLE deliveries_v4 (
  id              TEXT PRIMARY KEY,
  webhook_id      TEXT NOT NULL,
  application_id  TEXT NOT NULL,
  sequence        INTEGER NOT NULL,
  status          TEXT NOT NULL
                  CHECK (status = 'pending' OR status = 'succeeded' OR status = 'held'
                         OR status = 'discarded' OR status = 'cancelled'),
  event_name      TEXT NOT NULL,
  vehicle_ids     TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  attempt_count   INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  completed_at    INTEGER,
  target_uri      TEXT NOT NULL DEFAULT '',
  UNIQUE (webhook_id, sequence)
);
INSERT INTO deliveries_v4 (id, webhook_id, application_id, sequence, status, event_name,
                           vehicle_ids, created_at, next_attempt_at, attempt_count, last_error,
                           completed_at, target_uri)
  SELECT id, webhook_id, application_id, sequence, status, event_name, vehicle_ids, created_at,
         next_attempt_at, attempt_count, last_error, completed_at, target_uri FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_v4 RENAME TO deliveries;
CREATE INDEX deliveries_webhook_status ON deliveries(webhook_id, status, sequence);
CREATE INDEX deliveries_webhook_created ON deliveries(webhook_id, created_at, status);
CREATE INDEX deliveries_unfinished ON deliveries(webhook_id, sequence)
  WHERE status IN ('pending', 'held');
)sql";

// The authorization code a grant was exchanged for (its SHA-256), so that presenting the code
// again revokes the grant's tokens (RFC 6749 §4.1.2). NULL for grants from before.
constexpr const char* kGrantCodeSchema = R"sql(
ALTER TABLE grants ADD COLUMN code_hash TEXT;
CREATE UNIQUE INDEX grants_code_hash ON grants(code_hash);
)sql";

constexpr Migration kMigrations[] = {
    {1, "initial schema: applications, codes, users, grants, connections, tokens, sim fleet",
     kInitialSchema},
    {2, "webhooks, subscriptions, deliveries, delivery attempts", kWebhooksSchema},
    {3, "deliveries.target_uri (errorCallbackUri deliveries)", kDeliveryTargetSchema},
    {4, "delivery_bodies (bodies out of the row each attempt updates)", kDeliveryBodiesSchema},
    {5, "grants.code_hash (a reused authorization code revokes its tokens)", kGrantCodeSchema},
};

constexpr const char* kCreateBookkeeping =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "  version INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  applied_at INTEGER NOT NULL)";

// Fails when a row references a missing parent (PRAGMA foreign_key_check lists such rows).
core::Status CheckForeignKeys(Database& connection, const std::string& context) {
  auto check = connection.Prepare("PRAGMA foreign_key_check");
  if (!check) return check.take_error();
  auto row = check->Step(context);
  if (!row) return row.take_error();
  if (*row) {
    return core::errors::Internal(context + ": a row of " + check->Text(0) +
                                  " references a missing " + check->Text(2));
  }
  return {};
}

core::Status ApplyInTransaction(Database& connection, const Migration& migration,
                                core::TimePoint now) {
  auto tx = Transaction::Begin(connection, Transaction::Kind::kImmediate);
  if (!tx) return tx.take_error();
  // Re-read inside the write lock: another process may have applied it meanwhile.
  auto current = ReadSchemaVersion(connection);
  if (!current) return current.take_error();
  if (*current >= migration.version) return {};
  const std::string context = "migration " + std::to_string(migration.version);
  if (auto status = connection.Exec(migration.sql, context); !status) return status;
  if (auto status = CheckForeignKeys(connection, context); !status) return status;
  auto record = connection.Prepare(
      "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?1, ?2, ?3)");
  if (!record) return record.take_error();
  record->BindAll(migration.version, migration.name, core::ToMillis(now));
  if (auto status = record->Run(context); !status) return status;
  return tx->Commit();
}

// Foreign keys are off while a migration runs (they can only be switched outside a
// transaction): rebuilding a table drops the old one, which must not cascade into the rows
// that reference it. They are checked before the migration commits instead.
core::Status ApplyOne(Database& connection, const Migration& migration, core::TimePoint now) {
  if (auto status = connection.Exec("PRAGMA foreign_keys = OFF", "migration"); !status) {
    return status;
  }
  core::Status applied = ApplyInTransaction(connection, migration, now);
  core::Status restored = connection.Exec("PRAGMA foreign_keys = ON", "migration");
  return applied.ok() ? restored : applied;
}

}  // namespace

std::span<const Migration> SqliteMigrations() { return kMigrations; }

core::Result<int> ReadSchemaVersion(Database& connection) {
  auto exists = connection.Prepare(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'");
  if (!exists) return exists.take_error();
  auto row = exists->Step("read schema version");
  if (!row) return row.take_error();
  if (!*row || exists->Int(0) == 0) return 0;
  auto max = connection.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!max) return max.take_error();
  row = max->Step("read schema version");
  if (!row) return row.take_error();
  return *row ? static_cast<int>(max->Int(0)) : 0;
}

core::Status ApplyMigrations(Database& connection, std::span<const Migration> migrations,
                             core::TimePoint now) {
  if (auto status = connection.Exec(kCreateBookkeeping, "create schema_migrations"); !status) {
    return status;
  }
  auto current = ReadSchemaVersion(connection);
  if (!current) return current.take_error();
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (*current > latest) {
    return core::errors::Internal("database schema version " + std::to_string(*current) +
                                  " is newer than this build supports (" + std::to_string(latest) +
                                  ")");
  }
  for (const Migration& migration : migrations) {
    if (migration.version <= *current) continue;
    if (auto status = ApplyOne(connection, migration, now); !status) return status;
  }
  return {};
}

}  // namespace dynhook::store
