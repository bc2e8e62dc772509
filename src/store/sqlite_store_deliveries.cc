// SqliteStore: the delivery outbox's writes (DeliveryStore). The delivery engine writes in
// batches of hundreds: each batch is one IMMEDIATE transaction whose statements are prepared
// once (cached on the write connection) and re-bound per row, so a batch costs one fsync.
//
// Sequences: webhooks.next_sequence holds each webhook's next number. A batch reads it once per
// webhook, numbers the rows in memory and writes it back once, all under the write lock.
#include <map>

#include "store/sqlite_rows.h"
#include "store/sqlite_store.h"
#include "store/sqlite_webhook_rows.h"

namespace dynhook::store {
namespace {

// Hands out per-webhook sequence numbers inside one write transaction.
class Sequencer {
 public:
  explicit Sequencer(Database& db) : db_(db) {}

  struct Slot {
    bool exists = false;
    std::string applicationId;
    int64_t next = 0;
    int64_t stored = 0;  // next_sequence as read, to skip unchanged write-backs
  };

  // The webhook's slot (exists == false when the webhook is gone).
  core::Result<Slot*> Find(const std::string& webhookId) {
    auto it = slots_.find(webhookId);
    if (it != slots_.end()) return &it->second;
    auto query = db_.Prepare("SELECT next_sequence, application_id FROM webhooks WHERE id = ?1");
    if (!query) return query.take_error();
    query->Bind(1, webhookId);
    auto row = query->Step("read webhook sequence");
    if (!row) return row.take_error();
    Slot slot;
    if (*row) slot = Slot{true, query->Text(1), query->Int(0), query->Int(0)};
    return &slots_.emplace(webhookId, std::move(slot)).first->second;
  }

  core::Status Flush() {
    for (const auto& [webhookId, slot] : slots_) {
      if (!slot.exists || slot.next == slot.stored) continue;
      auto query = db_.Prepare("UPDATE webhooks SET next_sequence = ?2 WHERE id = ?1");
      if (!query) return query.take_error();
      query->BindAll(webhookId, slot.next);
      if (auto status = query->Run("write webhook sequence"); !status) return status;
    }
    return {};
  }

 private:
  Database& db_;
  std::map<std::string, Slot> slots_;
};

// What the store decided for one delivery, copied into the caller's record after commit.
struct Assigned {
  int64_t sequence = 0;
  std::string status;
  std::string applicationId;
};

core::Status InsertRow(Database& db, const Delivery& delivery, const Assigned& assigned) {
  auto query = db.Prepare(
      "INSERT INTO deliveries (id, webhook_id, application_id, sequence, status, event_name, "
      "vehicle_ids, created_at, next_attempt_at, attempt_count, last_error, completed_at, "
      "target_uri) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  if (!query) return query.take_error();
  query->BindAll(delivery.id, delivery.webhookId, assigned.applicationId, assigned.sequence,
                 assigned.status, delivery.eventName, EncodeList(delivery.vehicleIds),
                 core::ToMillis(delivery.createdAt), core::ToMillis(delivery.nextAttemptAt),
                 delivery.attemptCount, delivery.lastError, OptionalMillis(delivery.completedAt),
                 delivery.targetUri);
  if (auto status = query->Run("insert delivery"); !status) return status;
  auto body = db.Prepare("INSERT INTO delivery_bodies (delivery_id, body) VALUES (?1, ?2)");
  if (!body) return body.take_error();
  body->BindAll(delivery.id, delivery.body);
  return body->Run("insert delivery body");
}

// Numbers and inserts one delivery of a fetch. A delivery for a webhook deleted meanwhile is
// not inserted; it comes back cancelled with sequence 0.
core::Result<Assigned> InsertFetched(Database& db, Sequencer& sequencer, const Delivery& delivery) {
  auto slot = sequencer.Find(delivery.webhookId);
  if (!slot) return slot.take_error();
  if (!(*slot)->exists) return Assigned{0, "cancelled", delivery.applicationId};
  Assigned assigned{(*slot)->next++, delivery.status, (*slot)->applicationId};
  if (auto status = InsertRow(db, delivery, assigned); !status) return status.take_error();
  return assigned;
}

core::Status ApplySchedule(Database& db, const ScheduleUpdate& update) {
  auto query = db.Prepare(
      "UPDATE subscriptions SET next_due_at = ?3, interval_ms = ?4, trigger_active = ?5, "
      "last_fetch_at = ?6 WHERE webhook_id = ?1 AND vehicle_id = ?2");
  if (!query) return query.take_error();
  std::optional<int64_t> trigger;
  if (update.triggerActive) trigger = *update.triggerActive ? 1 : 0;
  query->BindAll(update.webhookId, update.vehicleId, core::ToMillis(update.nextDueAt),
                 static_cast<int64_t>(update.interval.count()), trigger,
                 core::ToMillis(update.lastFetchAt));
  return query->Run("update subscription schedule");  // 0 rows: unsubscribed meanwhile
}

void WriteBack(Delivery& delivery, Assigned&& assigned) {
  delivery.sequence = assigned.sequence;
  delivery.status = std::move(assigned.status);
  delivery.applicationId = std::move(assigned.applicationId);
}

// InsertDelivery of an id that exists: a resend. The row is queued again at the end of its
// webhook's order with the caller's status, due time and body; its attempts are kept.
core::Status Requeue(Database& db, const Delivery& delivery, const Assigned& assigned) {
  auto query = db.Prepare(
      "UPDATE deliveries SET sequence = ?3, status = ?4, vehicle_ids = ?5, "
      "next_attempt_at = ?6, last_error = '', completed_at = NULL "
      "WHERE id = ?1 AND webhook_id = ?2");
  if (!query) return query.take_error();
  query->BindAll(delivery.id, delivery.webhookId, assigned.sequence, assigned.status,
                 EncodeList(delivery.vehicleIds), core::ToMillis(delivery.nextAttemptAt));
  if (auto status = query->Run("requeue delivery"); !status) return status;
  if (db.Changes() == 0) return core::errors::Conflict("delivery id belongs to another webhook");
  auto body = db.Prepare("UPDATE delivery_bodies SET body = ?2 WHERE delivery_id = ?1");
  if (!body) return body.take_error();
  body->BindAll(delivery.id, delivery.body);
  return body->Run("requeue delivery body");
}

core::Result<bool> DeliveryExists(Database& db, const std::string& id) {
  auto query = db.Prepare("SELECT 1 FROM deliveries WHERE id = ?1");
  if (!query) return query.take_error();
  query->Bind(1, id);
  return query->Step("find delivery");
}

}  // namespace

core::Status SqliteStore::CommitFetch(std::vector<Delivery>& deliveries,
                                      const std::vector<ScheduleUpdate>& schedules) {
  std::vector<Assigned> assigned;
  assigned.reserve(deliveries.size());
  auto status = Write([&](Database& db) -> core::Status {
    Sequencer sequencer(db);
    for (const Delivery& delivery : deliveries) {
      auto one = InsertFetched(db, sequencer, delivery);
      if (!one) return one.take_error();
      assigned.push_back(std::move(*one));
    }
    if (auto flushed = sequencer.Flush(); !flushed) return flushed;
    for (const ScheduleUpdate& update : schedules) {
      if (auto applied = ApplySchedule(db, update); !applied) return applied;
    }
    return {};
  });
  if (!status) return status;
  for (size_t i = 0; i < deliveries.size(); ++i) WriteBack(deliveries[i], std::move(assigned[i]));
  return {};
}

core::Status SqliteStore::InsertDelivery(Delivery& delivery) {
  auto assigned = Write([&](Database& db) -> core::Result<Assigned> {
    Sequencer sequencer(db);
    auto slot = sequencer.Find(delivery.webhookId);
    if (!slot) return slot.take_error();
    if (!(*slot)->exists) return core::errors::NotFound("webhook not found");
    Assigned result{(*slot)->next++, delivery.status, (*slot)->applicationId};
    auto exists = DeliveryExists(db, delivery.id);
    if (!exists) return exists.take_error();
    auto written = *exists ? Requeue(db, delivery, result) : InsertRow(db, delivery, result);
    if (!written) return written.take_error();
    if (auto flushed = sequencer.Flush(); !flushed) return flushed.take_error();
    return result;
  });
  if (!assigned) return assigned.take_error();
  WriteBack(delivery, std::move(*assigned));
  return {};
}

core::Status SqliteStore::RecordAttempts(const std::vector<AttemptOutcome>& outcomes,
                                         core::TimePoint now) {
  // A delivery cancelled or discarded while its attempt was in flight stays so, unless the
  // attempt succeeded (then it was delivered, and the record says so). (Lists are spelled with
  // OR: SQLite evaluates an IN list of more than two values through a temporary b-tree.)
  constexpr const char* kUpdate =
      "UPDATE deliveries SET "
      "status = CASE WHEN status IN ('cancelled', 'discarded') AND ?2 <> 'succeeded' "
      "THEN status ELSE ?2 END, "
      "completed_at = CASE WHEN ?2 = 'succeeded' OR ?2 = 'discarded' OR ?2 = 'cancelled' THEN ?5 "
      "WHEN status IN ('cancelled', 'discarded') THEN completed_at ELSE NULL END, "
      "attempt_count = attempt_count + 1, next_attempt_at = ?3, last_error = ?4 WHERE id = ?1";
  constexpr const char* kInsert =
      "INSERT INTO delivery_attempts (delivery_id, number, at, status_code, latency_ms, error, "
      "response_excerpt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
  return Write([&](Database& db) -> core::Status {
    for (const AttemptOutcome& outcome : outcomes) {
      const DeliveryAttempt& attempt = outcome.attempt;
      auto update = db.Prepare(kUpdate);
      if (!update) return update.take_error();
      update->BindAll(attempt.deliveryId, outcome.newStatus, core::ToMillis(outcome.nextAttemptAt),
                      outcome.lastError, core::ToMillis(now));
      if (auto status = RunExpectingOneRow(db, *update, "delivery"); !status) return status;
      auto insert = db.Prepare(kInsert);
      if (!insert) return insert.take_error();
      insert->BindAll(attempt.deliveryId, attempt.number, core::ToMillis(attempt.at),
                      attempt.statusCode, attempt.latencyMs, attempt.error,
                      attempt.responseExcerpt);
      if (auto status = insert->Run("insert delivery attempt"); !status) return status;
    }
    return {};
  });
}

core::Result<int64_t> SqliteStore::HoldPending(const std::string& webhookId) {
  return Write([&](Database& db) -> core::Result<int64_t> {
    auto query = db.Prepare(
        "UPDATE deliveries SET status = 'held' "
        "WHERE webhook_id = ?1 AND status IN ('pending', 'held') AND status = 'pending'");
    if (!query) return query.take_error();
    query->Bind(1, webhookId);
    if (auto status = query->Run("hold pending deliveries"); !status) return status.take_error();
    return static_cast<int64_t>(db.Changes());
  });
}

core::Result<int64_t> SqliteStore::ReleaseHeld(const std::string& webhookId, bool replay,
                                               core::TimePoint now) {
  return Write([&](Database& db) -> core::Result<int64_t> {
    auto query = db.Prepare(replay ? "UPDATE deliveries SET status = 'pending', "
                                     "next_attempt_at = ?2 WHERE webhook_id = ?1 "
                                     "AND status IN ('pending', 'held') AND status = 'held'"
                                   : "UPDATE deliveries SET status = 'discarded', "
                                     "completed_at = ?2 WHERE webhook_id = ?1 "
                                     "AND status IN ('pending', 'held') AND status = 'held'");
    if (!query) return query.take_error();
    query->BindAll(webhookId, core::ToMillis(now));
    if (auto status = query->Run("release held deliveries"); !status) return status.take_error();
    const int64_t released = db.Changes();
    if (replay || released == 0) return released;
    auto count =
        db.Prepare("UPDATE webhooks SET discarded_count = discarded_count + ?2 WHERE id = ?1");
    if (!count) return count.take_error();
    count->BindAll(webhookId, released);
    if (auto status = count->Run("count discarded deliveries"); !status) {
      return status.take_error();
    }
    return released;
  });
}

core::Result<int64_t> SqliteStore::DiscardHeldBefore(core::TimePoint cutoff) {
  // No time is passed in, so completed_at stays empty for deliveries discarded by retention.
  return Write([&](Database& db) -> core::Result<int64_t> {
    auto discard = db.Prepare(
        "UPDATE deliveries SET status = 'discarded' WHERE status IN ('pending', 'held') "
        "AND status = 'held' AND created_at < ?1 RETURNING webhook_id");
    if (!discard) return discard.take_error();
    discard->Bind(1, core::ToMillis(cutoff));
    std::map<std::string, int64_t> perWebhook;
    int64_t total = 0;
    while (true) {
      auto row = discard->Step("discard expired held deliveries");
      if (!row) return row.take_error();
      if (!*row) break;
      ++perWebhook[discard->Text(0)];
      ++total;
    }
    for (const auto& [webhookId, discarded] : perWebhook) {
      auto count =
          db.Prepare("UPDATE webhooks SET discarded_count = discarded_count + ?2 WHERE id = ?1");
      if (!count) return count.take_error();
      count->BindAll(webhookId, discarded);
      if (auto status = count->Run("count discarded deliveries"); !status) {
        return status.take_error();
      }
    }
    return total;
  });
}

core::Result<int64_t> SqliteStore::PurgeFinishedBefore(core::TimePoint cutoff, int limit) {
  if (limit < 1) return core::errors::Validation("purge limit must be at least 1");
  // Webhook by webhook (a loose index scan over deliveries' webhook ids, deleted webhooks'
  // history included), each through the (webhook, created_at, status) index; bodies and
  // attempts go with their row (ON DELETE CASCADE).
  return Write([&](Database& db) -> core::Result<int64_t> {
    int64_t purged = 0;
    std::string webhookId;
    while (purged < limit) {
      auto next = db.Prepare(
          "SELECT webhook_id FROM deliveries WHERE webhook_id > ?1 ORDER BY webhook_id LIMIT 1");
      if (!next) return next.take_error();
      next->Bind(1, webhookId);
      auto row = next->Step("find webhook to purge");
      if (!row) return row.take_error();
      if (!*row) break;
      webhookId = next->Text(0);
      auto purge = db.Prepare(
          "DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE webhook_id = ?1 "
          "AND created_at < ?2 AND status IN ('succeeded', 'discarded', 'cancelled') LIMIT ?3)");
      if (!purge) return purge.take_error();
      purge->BindAll(webhookId, core::ToMillis(cutoff), static_cast<int64_t>(limit) - purged);
      if (auto status = purge->Run("purge finished deliveries"); !status) {
        return status.take_error();
      }
      purged += db.Changes();
    }
    return purged;
  });
}

}  // namespace dynhook::store
