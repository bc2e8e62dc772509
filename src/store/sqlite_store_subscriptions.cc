// SqliteStore: subscriptions and their persisted schedules (SubscriptionStore). Paging is by
// keyset on the (webhook, vehicle) primary key; ForEachSubscription streams in keyset chunks so
// neither memory nor a lock grows with the number of subscriptions.
#include <cstdint>

#include "store/sqlite_store.h"
#include "store/sqlite_webhook_rows.h"

namespace dynhook::store {
namespace {

core::Result<std::vector<Subscription>> ReadSubscriptions(Query& query, std::string_view context) {
  std::vector<Subscription> subscriptions;
  while (true) {
    auto row = query.Step(context);
    if (!row) return row.take_error();
    if (!*row) return subscriptions;
    subscriptions.push_back(ReadSubscription(query));
  }
}

core::Result<std::optional<Subscription>> FindSubscriptionIn(Database& db,
                                                             const std::string& webhookId,
                                                             const std::string& vehicleId) {
  auto query = db.Prepare(std::string("SELECT ") + kSubscriptionColumns +
                          " FROM subscriptions WHERE webhook_id = ?1 AND vehicle_id = ?2");
  if (!query) return query.take_error();
  query->BindAll(webhookId, vehicleId);
  auto row = query->Step("find subscription");
  if (!row) return row.take_error();
  if (!*row) return std::optional<Subscription>();
  return std::optional<Subscription>(ReadSubscription(*query));
}

// NotFound unless the webhook exists and belongs to the application.
core::Status CheckWebhookOwner(Database& db, const std::string& webhookId,
                               const std::string& applicationId) {
  auto query = db.Prepare("SELECT 1 FROM webhooks WHERE id = ?1 AND application_id = ?2");
  if (!query) return query.take_error();
  query->BindAll(webhookId, applicationId);
  auto row = query->Step("find webhook of subscription");
  if (!row) return row.take_error();
  if (!*row) return core::errors::NotFound("webhook not found");
  return {};
}

std::optional<int64_t> OptionalFlag(const std::optional<bool>& flag) {
  if (!flag) return std::nullopt;
  return *flag ? 1 : 0;
}

}  // namespace

core::Result<Subscription> SqliteStore::UpsertSubscription(const Subscription& subscription,
                                                           bool* created) {
  auto result = Write([&](Database& db) -> core::Result<std::pair<Subscription, bool>> {
    auto existing = FindSubscriptionIn(db, subscription.webhookId, subscription.vehicleId);
    if (!existing) return existing.take_error();
    if (*existing) return std::make_pair(std::move(**existing), false);
    auto owner = CheckWebhookOwner(db, subscription.webhookId, subscription.applicationId);
    if (!owner) return owner.take_error();
    auto insert = db.Prepare(
        "INSERT INTO subscriptions (webhook_id, vehicle_id, application_id, grant_id, created_at, "
        "next_due_at, interval_ms, trigger_active, last_fetch_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!insert) return insert.take_error();
    insert->BindAll(
        subscription.webhookId, subscription.vehicleId, subscription.applicationId,
        subscription.grantId, core::ToMillis(subscription.createdAt),
        core::ToMillis(subscription.nextDueAt), static_cast<int64_t>(subscription.interval.count()),
        OptionalFlag(subscription.triggerActive), OptionalMillis(subscription.lastFetchAt));
    if (auto status = insert->Run("insert subscription"); !status) return status.take_error();
    return std::make_pair(subscription, true);
  });
  if (!result) return result.take_error();
  if (created != nullptr) *created = result->second;
  return std::move(result->first);
}

core::Result<bool> SqliteStore::DeleteSubscription(const std::string& webhookId,
                                                   const std::string& vehicleId) {
  return Write([&](Database& db) -> core::Result<bool> {
    auto query = db.Prepare("DELETE FROM subscriptions WHERE webhook_id = ?1 AND vehicle_id = ?2");
    if (!query) return query.take_error();
    query->BindAll(webhookId, vehicleId);
    if (auto status = query->Run("delete subscription"); !status) return status.take_error();
    return db.Changes() > 0;
  });
}

core::Result<std::vector<Subscription>> SqliteStore::DeleteVehicleSubscriptions(
    const std::string& applicationId, const std::string& vehicleId) {
  return Write([&](Database& db) -> core::Result<std::vector<Subscription>> {
    auto query = db.Prepare(
        std::string("DELETE FROM subscriptions WHERE application_id = ?1 AND vehicle_id = ?2 "
                    "RETURNING ") +
        kSubscriptionColumns);
    if (!query) return query.take_error();
    query->BindAll(applicationId, vehicleId);
    return ReadSubscriptions(*query, "delete vehicle subscriptions");
  });
}

core::Result<Page<Subscription>> SqliteStore::ListSubscriptions(const std::string& webhookId,
                                                                int limit,
                                                                const std::string& cursor) {
  if (limit < 1) return core::errors::Validation("limit must be at least 1");
  std::string after;
  if (!cursor.empty()) {
    auto decoded = DecodeTextCursor(cursor);
    if (!decoded) return decoded.take_error();
    after = std::move(*decoded);
  }
  return Read([&](Database& db) -> core::Result<Page<Subscription>> {
    auto query = db.Prepare(std::string("SELECT ") + kSubscriptionColumns +
                            " FROM subscriptions WHERE webhook_id = ?1 AND vehicle_id > ?2"
                            " ORDER BY vehicle_id LIMIT ?3");
    if (!query) return query.take_error();
    query->BindAll(webhookId, after, static_cast<int64_t>(limit) + 1);
    auto rows = ReadSubscriptions(*query, "list subscriptions");
    if (!rows) return rows.take_error();
    Page<Subscription> page;
    page.items = std::move(*rows);
    if (page.items.size() > static_cast<size_t>(limit)) {
      page.items.resize(static_cast<size_t>(limit));
      page.nextCursor = EncodeTextCursor(page.items.back().vehicleId);
    }
    return page;
  });
}

core::Result<int64_t> SqliteStore::CountSubscriptions(const std::string& webhookId) {
  return Read([&](Database& db) -> core::Result<int64_t> {
    auto query = db.Prepare("SELECT count(*) FROM subscriptions WHERE webhook_id = ?1");
    if (!query) return query.take_error();
    query->Bind(1, webhookId);
    auto row = query->Step("count subscriptions");
    if (!row) return row.take_error();
    return *row ? query->Int(0) : 0;
  });
}

core::Status SqliteStore::ForEachSubscription(const std::function<void(const Subscription&)>& fn) {
  std::string lastWebhook;
  std::string lastVehicle;
  while (true) {
    auto chunk = Read([&](Database& db) -> core::Result<std::vector<Subscription>> {
      auto query = db.Prepare(std::string("SELECT ") + kSubscriptionColumns +
                              " FROM subscriptions WHERE (webhook_id, vehicle_id) > (?1, ?2)"
                              " ORDER BY webhook_id, vehicle_id LIMIT ?3");
      if (!query) return query.take_error();
      query->BindAll(lastWebhook, lastVehicle, options_.streamChunk);
      return ReadSubscriptions(*query, "stream subscriptions");
    });
    if (!chunk) return chunk.take_error();
    for (const Subscription& subscription : *chunk) fn(subscription);  // no lock held
    if (chunk->size() < static_cast<size_t>(options_.streamChunk)) return {};
    lastWebhook = chunk->back().webhookId;
    lastVehicle = chunk->back().vehicleId;
  }
}

}  // namespace dynhook::store
