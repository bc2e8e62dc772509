// SqliteStore: the embedded default Store (SPEC §6), one SQLite database file in WAL mode with
// synchronous=FULL (a call that returned success is on disk), foreign keys on and a busy
// timeout for other processes (e.g. `dynhook admin` beside `dynhook serve`).
//
// Thread-safety: every method may be called from any thread. All writes go through one write
// connection serialised by `writeMutex_`, so read-modify-write operations (code consumption,
// token rotation) are atomic within the process, and IMMEDIATE transactions make them atomic
// across processes. Reads use a small pool of read connections that run beside the writer
// (WAL snapshots); an in-memory database has no pool and reads on the write connection.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace dynhook::store {

class SqliteStore final : public Store {
 public:
  struct Options {
    std::string path;         // file path, or ":memory:" (private to this store)
    int readConnections = 4;  // read pool size for files (0: reads use the write connection)
    bool readOnly = false;    // open read-only: every write fails with SERVER:INTERNAL
    const core::Clock* clock = nullptr;  // for schema_migrations.applied_at; RealClock if null
    int streamChunk = 512;               // rows per round trip of the ForEach* streams (>= 1)
  };

  // Opens (creating when missing, unless read-only) the database. Does not migrate.
  static core::Result<std::unique_ptr<SqliteStore>> Open(const Options& options);
  ~SqliteStore() override;

  // Store
  core::Status Migrate() override;
  core::Status Ping() override;
  core::Result<int> SchemaVersion() override;

  // ApplicationStore (sqlite_store_applications.cc)
  core::Status CreateApplication(const Application& app) override;
  core::Result<Application> FindApplicationById(const std::string& id) override;
  core::Result<Application> FindApplicationByClientId(const std::string& clientId) override;
  core::Result<Application> FindApplicationByTokenHash(const std::string& amtHash) override;
  core::Result<std::vector<Application>> ListApplications() override;
  core::Status UpdateApplication(const Application& app) override;

  // GrantStore: codes, users, grants, tokens (sqlite_store_grants.cc)
  core::Status SaveAuthorizationCode(const AuthorizationCode& code) override;
  core::Result<AuthorizationCode> ConsumeAuthorizationCode(const std::string& codeHash,
                                                           core::TimePoint now) override;
  core::Result<std::string> UserIdFor(const std::string& applicationId,
                                      const std::string& oemAccountId,
                                      const std::string& newUserId) override;
  core::Status CreateGrant(const Grant& grant, const std::vector<std::string>& vehicleIds,
                           const Token& access, const Token& refresh) override;
  core::Result<Grant> FindGrant(const std::string& grantId) override;
  core::Result<int64_t> RevokeTokensOfCode(const std::string& codeHash) override;
  core::Result<int64_t> PurgeExpiredCredentials(core::TimePoint now, int limit) override;
  core::Result<Token> FindToken(const std::string& tokenHash) override;
  core::Status RotateRefreshToken(const std::string& oldRefreshHash, core::TimePoint now,
                                  core::Duration reuseWindow, const Token& access,
                                  const Token& refresh) override;

  // GrantStore: connections (sqlite_store_connections.cc)
  core::Result<Connection> FindConnection(const std::string& grantId,
                                          const std::string& vehicleId) override;
  core::Result<std::vector<Connection>> ListGrantConnections(const std::string& grantId, int limit,
                                                             int offset, int* total) override;
  core::Result<Page<Connection>> ListConnections(const ConnectionQuery& query) override;
  core::Result<std::vector<Connection>> DeleteConnections(
      const std::string& applicationId, const std::optional<std::string>& userId,
      const std::optional<std::string>& vehicleId) override;

  // SimFleetStore (sqlite_store_sim.cc)
  core::Status CreateSimAccount(const SimAccount& account,
                                const std::vector<SimVehicle>& vehicles) override;
  core::Result<std::vector<SimAccount>> ListSimAccounts() override;
  core::Result<std::vector<SimVehicle>> ListSimVehicles() override;
  core::Status UpdateSimAccountPassword(const std::string& accountId,
                                        const std::string& passwordHash,
                                        const std::string& salt) override;
  core::Status SetSimVehicleOverride(const std::string& vehicleId,
                                     const std::string& stateOverrideJson) override;
  core::Status SetSimVehicleFault(const std::string& vehicleId, const std::string& fault) override;

  // WebhookStore (sqlite_store_webhooks.cc)
  core::Status CreateWebhook(const Webhook& webhook) override;
  core::Result<Webhook> FindWebhook(const std::string& applicationId,
                                    const std::string& webhookId) override;
  core::Result<std::vector<Webhook>> ListWebhooks(const std::string& applicationId) override;
  core::Result<std::vector<Webhook>> ListAllWebhooks() override;
  core::Status UpdateWebhook(const Webhook& webhook) override;
  core::Status DeleteWebhook(const std::string& applicationId,
                             const std::string& webhookId) override;

  // SubscriptionStore (sqlite_store_subscriptions.cc)
  core::Result<Subscription> UpsertSubscription(const Subscription& subscription,
                                                bool* created) override;
  core::Result<bool> DeleteSubscription(const std::string& webhookId,
                                        const std::string& vehicleId) override;
  core::Result<std::vector<Subscription>> DeleteVehicleSubscriptions(
      const std::string& applicationId, const std::string& vehicleId) override;
  core::Result<Page<Subscription>> ListSubscriptions(const std::string& webhookId, int limit,
                                                     const std::string& cursor) override;
  core::Result<int64_t> CountSubscriptions(const std::string& webhookId) override;
  core::Status ForEachSubscription(const std::function<void(const Subscription&)>& fn) override;

  // DeliveryStore: writes (sqlite_store_deliveries.cc)
  core::Status CommitFetch(std::vector<Delivery>& deliveries,
                           const std::vector<ScheduleUpdate>& schedules) override;
  core::Status InsertDelivery(Delivery& delivery) override;
  core::Status RecordAttempts(const std::vector<AttemptOutcome>& outcomes,
                              core::TimePoint now) override;
  core::Result<int64_t> HoldPending(const std::string& webhookId) override;
  core::Result<int64_t> ReleaseHeld(const std::string& webhookId, bool replay,
                                    core::TimePoint now) override;
  core::Result<int64_t> DiscardHeldBefore(core::TimePoint cutoff) override;
  core::Result<int64_t> PurgeFinishedBefore(core::TimePoint cutoff, int limit) override;

  // DeliveryStore: reads (sqlite_store_delivery_reads.cc)
  core::Status ForEachUnfinishedDelivery(const std::function<void(const Delivery&)>& fn) override;
  core::Result<Delivery> FindDelivery(const std::string& applicationId,
                                      const std::string& deliveryId) override;
  core::Result<std::vector<DeliveryAttempt>> ListAttempts(const std::string& deliveryId) override;
  core::Result<Page<Delivery>> ListDeliveries(const std::string& webhookId,
                                              const std::string& status, int limit,
                                              const std::string& cursor) override;
  core::Result<DeliveryCounts> CountDeliveries(const std::string& webhookId,
                                               core::TimePoint since) override;

 private:
  explicit SqliteStore(const Options& options) : options_(options) {}

  // Runs `work(Database&)` inside an IMMEDIATE transaction on the write connection; commits when it
  // returns success, rolls back otherwise. `work` returns core::Result<T> or core::Status.
  template <class Work>
  auto Write(Work&& work) -> decltype(work(std::declval<Database&>()));
  // Runs `work(Database&)` on a read connection (or the write connection when there is no pool).
  // Multi-statement reads that need one snapshot open a deferred transaction themselves.
  template <class Work>
  auto Read(Work&& work) -> decltype(work(std::declval<Database&>()));

  Database* AcquireReader();
  void ReleaseReader(Database* reader);
  // Runs UPDATE/DELETE `query` and maps "no row changed" to NotFound(`what`).
  static core::Status RunExpectingOneRow(Database& db, Query& query, const std::string& what);

  Options options_;

  std::mutex writeMutex_;  // guards writer_ and every statement cached on it
  std::unique_ptr<Database> writer_;

  std::mutex readersMutex_;  // guards freeReaders_ (the connections in it are idle)
  std::condition_variable readerReleased_;
  std::vector<std::unique_ptr<Database>> readers_;  // fixed after Open
  std::vector<Database*> freeReaders_;
};

template <class Work>
auto SqliteStore::Write(Work&& work) -> decltype(work(std::declval<Database&>())) {
  std::lock_guard<std::mutex> lock(writeMutex_);
  auto tx = Transaction::Begin(*writer_, Transaction::Kind::kImmediate);
  if (!tx) return tx.take_error();
  auto result = work(*writer_);
  if (!result) return result;  // the transaction rolls back as it goes out of scope
  if (auto status = tx->Commit(); !status) return status.take_error();
  return result;
}

template <class Work>
auto SqliteStore::Read(Work&& work) -> decltype(work(std::declval<Database&>())) {
  if (readers_.empty()) {
    std::lock_guard<std::mutex> lock(writeMutex_);
    return work(*writer_);
  }
  Database* reader = AcquireReader();
  struct Release {
    SqliteStore* store;
    Database* reader;
    ~Release() { store->ReleaseReader(reader); }
  } release{this, reader};
  return work(*reader);
}

}  // namespace dynhook::store
