// Store: the platform's persistent state behind one interface (SPEC §6). Implementations:
// SqliteStore (embedded default, WAL) and, later, PostgresStore (several nodes sharing one
// database). The interface therefore assumes nothing SQLite-specific: every operation that
// must be atomic is one call here (a transaction inside the implementation), ids are strings,
// cursors are opaque, times are passed in by the caller (no database clock).
//
// Thread-safety: every method may be called from any thread concurrently.
// Errors: expected failures are core::Error values (NotFound, Conflict, Validation); an
// unreachable database is SERVER:INTERNAL with the cause in the description (no secrets).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/records.h"
#include "store/webhook_store.h"

namespace dynhook::store {

class ApplicationStore {
 public:
  virtual ~ApplicationStore() = default;
  // Conflict if the clientId or the management token hash already exists.
  virtual core::Status CreateApplication(const Application& app) = 0;
  virtual core::Result<Application> FindApplicationById(const std::string& id) = 0;
  virtual core::Result<Application> FindApplicationByClientId(const std::string& clientId) = 0;
  virtual core::Result<Application> FindApplicationByTokenHash(const std::string& amtHash) = 0;
  virtual core::Result<std::vector<Application>> ListApplications() = 0;
  // Replaces name, secrets and redirect URIs of an existing application (token rotation).
  virtual core::Status UpdateApplication(const Application& app) = 0;
};

class GrantStore {
 public:
  virtual ~GrantStore() = default;

  virtual core::Status SaveAuthorizationCode(const AuthorizationCode& code) = 0;
  // Atomically takes the code: it is deleted, so a second call fails. NotFound when unknown,
  // already used or expired at `now`.
  virtual core::Result<AuthorizationCode> ConsumeAuthorizationCode(const std::string& codeHash,
                                                                   core::TimePoint now) = 0;

  // Finds the user id for (application, OEM account), creating it on first sight. Stable:
  // reconnecting the same OEM account to the same application yields the same user.
  virtual core::Result<std::string> UserIdFor(const std::string& applicationId,
                                              const std::string& oemAccountId,
                                              const std::string& newUserId) = 0;

  // Creates the grant, one active connection per vehicle (replacing an earlier connection of
  // the same vehicle to the same application) and the first token pair, atomically.
  // The application must exist (VALIDATION otherwise); a duplicate id/token is a Conflict.
  // Each connection's connectedAt is grant.createdAt.
  virtual core::Status CreateGrant(const Grant& grant, const std::vector<std::string>& vehicleIds,
                                   const Token& access, const Token& refresh) = 0;
  virtual core::Result<Grant> FindGrant(const std::string& grantId) = 0;
  // An authorization code presented again after its exchange: deletes the tokens of the grant
  // it was exchanged for (RFC 6749 §4.1.2). Returns how many; 0 when no grant came from it.
  virtual core::Result<int64_t> RevokeTokensOfCode(const std::string& codeHash) = 0;
  // Housekeeping: deletes up to `limit` authorization codes and up to `limit` tokens that
  // expired before `now` (one transaction). Returns how many rows went in all.
  virtual core::Result<int64_t> PurgeExpiredCredentials(core::TimePoint now, int limit) = 0;

  virtual core::Result<Token> FindToken(const std::string& tokenHash) = 0;
  // Refresh-token rotation, atomically: `oldRefreshHash` must be a refresh token, not expired
  // at `now`, and unused or first used after `now - reuseWindow`; it is marked used (first use
  // only) and the new pair is inserted. Authentication error otherwise. The new tokens must
  // carry the old token's grantId (VALIDATION otherwise).
  virtual core::Status RotateRefreshToken(const std::string& oldRefreshHash, core::TimePoint now,
                                          core::Duration reuseWindow, const Token& access,
                                          const Token& refresh) = 0;

  // The active connection of `vehicleId` under `grantId`, or NotFound.
  virtual core::Result<Connection> FindConnection(const std::string& grantId,
                                                  const std::string& vehicleId) = 0;
  // Active connections of a grant, ordered by vehicle id, offset paging (Smartcar /vehicles).
  virtual core::Result<std::vector<Connection>> ListGrantConnections(const std::string& grantId,
                                                                     int limit, int offset,
                                                                     int* total) = 0;

  struct ConnectionQuery {
    std::string applicationId;
    std::optional<std::string> userId;
    std::optional<std::string> vehicleId;
    int limit = 100;
    std::string cursor;  // from a previous Page::nextCursor
  };
  // Connections of one application, oldest first (connectedAt, then vehicle id), at most
  // `limit` (>= 1) per page. VALIDATION for a bad limit or a cursor not from a previous page.
  virtual core::Result<Page<Connection>> ListConnections(const ConnectionQuery& query) = 0;

  // Ends connections of one application matching the user and/or vehicle (at least one set);
  // their tokens stop working for those vehicles. Returns what was removed.
  virtual core::Result<std::vector<Connection>> DeleteConnections(
      const std::string& applicationId, const std::optional<std::string>& userId,
      const std::optional<std::string>& vehicleId) = 0;
};

class SimFleetStore {
 public:
  virtual ~SimFleetStore() = default;
  // Conflict when (make, username) exists.
  virtual core::Status CreateSimAccount(const SimAccount& account,
                                        const std::vector<SimVehicle>& vehicles) = 0;
  virtual core::Result<std::vector<SimAccount>> ListSimAccounts() = 0;
  virtual core::Result<std::vector<SimVehicle>> ListSimVehicles() = 0;
  virtual core::Status UpdateSimAccountPassword(const std::string& accountId,
                                                const std::string& passwordHash,
                                                const std::string& salt) = 0;
  virtual core::Status SetSimVehicleOverride(const std::string& vehicleId,
                                             const std::string& stateOverrideJson) = 0;
  virtual core::Status SetSimVehicleFault(const std::string& vehicleId,
                                          const std::string& fault) = 0;
};

class Store : public ApplicationStore,
              public GrantStore,
              public SimFleetStore,
              public WebhookStore,
              public SubscriptionStore,
              public DeliveryStore {
 public:
  // Brings the schema to the latest version (versioned migrations, each in a transaction).
  virtual core::Status Migrate() = 0;
  // Cheap round trip to the database (for /readyz).
  virtual core::Status Ping() = 0;
  // Current schema version after Migrate().
  virtual core::Result<int> SchemaVersion() = 0;
};

// Opens the store named by a database URL: "sqlite:PATH" (folders created as needed),
// "sqlite::memory:" for tests; "postgresql://…" once PostgresStore exists. Validation error
// for an unknown scheme. Does not migrate.
core::Result<std::unique_ptr<Store>> OpenStore(const std::string& url);

}  // namespace dynhook::store
