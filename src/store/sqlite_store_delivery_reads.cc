// SqliteStore: the delivery outbox's reads (DeliveryStore). Listing pages newest first by the
// per-webhook sequence (keyset: the cursor is the last sequence seen), so a page costs one
// index range scan however deep it is. ForEachUnfinishedDelivery streams in keyset chunks over
// the partial index of pending/held rows.
#include <cstdint>
#include <limits>

#include "store/sqlite_store.h"
#include "store/sqlite_webhook_rows.h"

namespace dynhook::store {
namespace {

core::Result<std::vector<Delivery>> ReadDeliveries(Query& query, std::string_view context) {
  std::vector<Delivery> deliveries;
  while (true) {
    auto row = query.Step(context);
    if (!row) return row.take_error();
    if (!*row) return deliveries;
    auto delivery = ReadDelivery(query);
    if (!delivery) return delivery.take_error();
    deliveries.push_back(std::move(*delivery));
  }
}

// One ListDeliveries page; each variant uses its own index ((webhook, sequence) unique, or
// (webhook, status, sequence)). Parameters: ?1 webhook, ?2 sequence bound, ?3 limit, ?4 status.
std::string PageSql(bool byStatus) {
  std::string sql = std::string("SELECT ") + kDeliveryColumns + " FROM " + kDeliveryTables +
                    " WHERE d.webhook_id = ?1 AND d.sequence < ?2";
  if (byStatus) sql += " AND d.status = ?4";
  return sql + " ORDER BY d.sequence DESC LIMIT ?3";
}

core::Status CountByStatus(Database& db, const std::string& webhookId, core::TimePoint since,
                           DeliveryStore::DeliveryCounts& counts) {
  auto query = db.Prepare(
      "SELECT status, count(*) FROM deliveries WHERE webhook_id = ?1 AND created_at >= ?2 "
      "GROUP BY status");
  if (!query) return query.take_error();
  query->BindAll(webhookId, core::ToMillis(since));
  while (true) {
    auto row = query->Step("count deliveries");
    if (!row) return row.take_error();
    if (!*row) return {};
    const std::string status = query->Text(0);
    const int64_t n = query->Int(1);
    if (status == "succeeded") counts.succeeded = n;
    if (status == "pending") counts.pending = n;
    if (status == "held") counts.held = n;
    if (status == "discarded") counts.discarded = n;
  }
}

core::Result<int64_t> CountFailedAttempts(Database& db, const std::string& webhookId,
                                          core::TimePoint since) {
  auto query = db.Prepare(
      "SELECT count(*) FROM deliveries d JOIN delivery_attempts a ON a.delivery_id = d.id "
      "WHERE d.webhook_id = ?1 AND d.created_at >= ?2 "
      "AND NOT (a.status_code BETWEEN 200 AND 299)");
  if (!query) return query.take_error();
  query->BindAll(webhookId, core::ToMillis(since));
  auto row = query->Step("count failed attempts");
  if (!row) return row.take_error();
  return *row ? query->Int(0) : 0;
}

}  // namespace

core::Status SqliteStore::ForEachUnfinishedDelivery(
    const std::function<void(const Delivery&)>& fn) {
  std::string lastWebhook;
  int64_t lastSequence = std::numeric_limits<int64_t>::min();
  while (true) {
    auto chunk = Read([&](Database& db) -> core::Result<std::vector<Delivery>> {
      auto query = db.Prepare(std::string("SELECT ") + kDeliveryColumns + " FROM " +
                              kDeliveryTables + " WHERE d.status IN ('pending', 'held')" +
                              " AND (d.webhook_id, d.sequence) > (?1, ?2)" +
                              " ORDER BY d.webhook_id, d.sequence LIMIT ?3");
      if (!query) return query.take_error();
      query->BindAll(lastWebhook, lastSequence, options_.streamChunk);
      return ReadDeliveries(*query, "stream unfinished deliveries");
    });
    if (!chunk) return chunk.take_error();
    for (const Delivery& delivery : *chunk) fn(delivery);  // no lock held
    if (chunk->size() < static_cast<size_t>(options_.streamChunk)) return {};
    lastWebhook = chunk->back().webhookId;
    lastSequence = chunk->back().sequence;
  }
}

core::Result<Delivery> SqliteStore::FindDelivery(const std::string& applicationId,
                                                 const std::string& deliveryId) {
  return Read([&](Database& db) -> core::Result<Delivery> {
    auto query = db.Prepare(std::string("SELECT ") + kDeliveryColumns + " FROM " + kDeliveryTables +
                            " WHERE d.id = ?1 AND (?2 = '' OR d.application_id = ?2)");
    if (!query) return query.take_error();
    query->BindAll(deliveryId, applicationId);
    auto row = query->Step("find delivery");
    if (!row) return row.take_error();
    if (!*row) return core::errors::NotFound("delivery not found");
    return ReadDelivery(*query);
  });
}

core::Result<std::vector<DeliveryAttempt>> SqliteStore::ListAttempts(
    const std::string& deliveryId) {
  return Read([&](Database& db) -> core::Result<std::vector<DeliveryAttempt>> {
    auto query = db.Prepare(std::string("SELECT ") + kAttemptColumns +
                            " FROM delivery_attempts WHERE delivery_id = ?1 ORDER BY number");
    if (!query) return query.take_error();
    query->Bind(1, deliveryId);
    std::vector<DeliveryAttempt> attempts;
    while (true) {
      auto row = query->Step("list delivery attempts");
      if (!row) return row.take_error();
      if (!*row) return attempts;
      attempts.push_back(ReadAttempt(*query));
    }
  });
}

core::Result<Page<Delivery>> SqliteStore::ListDeliveries(const std::string& webhookId,
                                                         const std::string& status, int limit,
                                                         const std::string& cursor) {
  if (limit < 1) return core::errors::Validation("limit must be at least 1");
  int64_t before = std::numeric_limits<int64_t>::max();
  if (!cursor.empty()) {
    auto decoded = DecodeIntCursor(cursor);
    if (!decoded) return decoded.take_error();
    before = *decoded;
  }
  return Read([&](Database& db) -> core::Result<Page<Delivery>> {
    auto query = db.Prepare(PageSql(!status.empty()));
    if (!query) return query.take_error();
    query->BindAll(webhookId, before, static_cast<int64_t>(limit) + 1);
    if (!status.empty()) query->Bind(4, status);
    auto rows = ReadDeliveries(*query, "list deliveries");
    if (!rows) return rows.take_error();
    Page<Delivery> page;
    page.items = std::move(*rows);
    if (page.items.size() > static_cast<size_t>(limit)) {
      page.items.resize(static_cast<size_t>(limit));
      page.nextCursor = EncodeIntCursor(page.items.back().sequence);
    }
    return page;
  });
}

core::Result<DeliveryStore::DeliveryCounts> SqliteStore::CountDeliveries(
    const std::string& webhookId, core::TimePoint since) {
  return Read([&](Database& db) -> core::Result<DeliveryCounts> {
    auto snapshot = Transaction::Begin(db, Transaction::Kind::kDeferred);  // both counts agree
    if (!snapshot) return snapshot.take_error();
    DeliveryCounts counts;
    if (auto status = CountByStatus(db, webhookId, since, counts); !status) {
      return status.take_error();
    }
    auto failed = CountFailedAttempts(db, webhookId, since);
    if (!failed) return failed.take_error();
    counts.failedAttempts = *failed;
    if (auto status = snapshot->Commit(); !status) return status.take_error();
    return counts;
  });
}

}  // namespace dynhook::store
