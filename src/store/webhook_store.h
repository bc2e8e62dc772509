// The webhook part of the Store (SPEC §4, §6): webhooks, subscriptions with their persisted
// schedules, and the delivery outbox. Same rules as store.h: every atomic operation is one call,
// cursors are opaque, the caller passes the time, thread-safe.
//
// Durability contract (SPEC §4.5 "at-least-once"): CommitFetch writes a fetch's deliveries and
// the subscriptions' next due times in one transaction, BEFORE anything is attempted; attempt
// outcomes are written after (RecordAttempts, batched). After a crash, LoadUnfinishedDeliveries
// returns every delivery not yet succeeded/discarded/cancelled, in per-webhook order, and the
// schedules resume from the persisted next due times.
//
// Streams (ForEachSubscription, ForEachUnfinishedDelivery) read in bounded chunks and call `fn`
// with no lock or connection held, so `fn` may call the store; they are therefore not one
// snapshot (rows changed during the stream may or may not be seen).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/records.h"
#include "store/webhook_records.h"

namespace dynhook::store {

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;
  // The application must exist (VALIDATION otherwise); a duplicate id is a Conflict.
  virtual core::Status CreateWebhook(const Webhook& webhook) = 0;
  // NotFound unless the webhook exists and belongs to `applicationId` (empty: any application).
  virtual core::Result<Webhook> FindWebhook(const std::string& applicationId,
                                            const std::string& webhookId) = 0;
  // Oldest first (createdAt, then id).
  virtual core::Result<std::vector<Webhook>> ListWebhooks(const std::string& applicationId) = 0;
  // Every webhook of every application (the scheduler and engine load them at start-up).
  virtual core::Result<std::vector<Webhook>> ListAllWebhooks() = 0;
  // Replaces the mutable fields (name, callbackUri, status, reasons, times, options, secret,
  // discardedCount, updatedAt) of the webhook with this id AND applicationId. NotFound if absent.
  virtual core::Status UpdateWebhook(const Webhook& webhook) = 0;
  // Deletes the webhook and its subscriptions; its unfinished deliveries become cancelled.
  // The delivery rows (and attempts) are kept as history: FindDelivery still finds them.
  // NotFound unless it exists and belongs to `applicationId` (empty: any application).
  virtual core::Status DeleteWebhook(const std::string& applicationId,
                                     const std::string& webhookId) = 0;
};

class SubscriptionStore {
 public:
  virtual ~SubscriptionStore() = default;
  // Inserts, or returns the existing subscription unchanged (idempotent subscribe). `created`
  // tells which. NotFound unless the webhook exists and belongs to subscription.applicationId.
  virtual core::Result<Subscription> UpsertSubscription(const Subscription& subscription,
                                                        bool* created) = 0;
  // Removes one; returns whether it existed. Its pending deliveries are left alone (an attempt
  // in flight may finish; SPEC §4.3).
  virtual core::Result<bool> DeleteSubscription(const std::string& webhookId,
                                                const std::string& vehicleId) = 0;
  // Disconnect: every subscription of the vehicle to webhooks of the application. Returns them.
  virtual core::Result<std::vector<Subscription>> DeleteVehicleSubscriptions(
      const std::string& applicationId, const std::string& vehicleId) = 0;
  // Ordered by vehicle id; limit >= 1 (VALIDATION otherwise, or for a foreign cursor).
  virtual core::Result<Page<Subscription>> ListSubscriptions(const std::string& webhookId,
                                                             int limit,
                                                             const std::string& cursor) = 0;
  virtual core::Result<int64_t> CountSubscriptions(const std::string& webhookId) = 0;
  // Streams every subscription (millions: no vector), in no particular order.
  virtual core::Status ForEachSubscription(const std::function<void(const Subscription&)>& fn) = 0;
};

class DeliveryStore {
 public:
  virtual ~DeliveryStore() = default;
  // One transaction: inserts `deliveries` (assigning each webhook's next sequence numbers, in
  // the given order; the assigned numbers are written back into the vector) and applies the
  // schedule updates (updates of subscriptions deleted meanwhile are ignored).
  // Each delivery's applicationId is set from its webhook. A delivery whose webhook was deleted
  // meanwhile is not stored: it comes back with status "cancelled" and sequence 0. Any failure
  // (e.g. a duplicate delivery id: Conflict) rolls back everything and leaves the vector as is.
  virtual core::Status CommitFetch(std::vector<Delivery>& deliveries,
                                   const std::vector<ScheduleUpdate>& schedules) = 0;
  // Inserts a delivery not tied to a fetch (e.g. resend); assigns its sequence.
  // Resend: when a delivery with this id exists for the same webhook, it is queued again
  // instead (the next sequence, the given status, body, vehicleIds and nextAttemptAt; lastError
  // and completedAt cleared; attemptCount, attempts and createdAt kept). Conflict if the id
  // belongs to another webhook; NotFound if the webhook does not exist.
  virtual core::Status InsertDelivery(Delivery& delivery) = 0;
  // One transaction for many outcomes: inserts the attempts, updates status, attemptCount,
  // nextAttemptAt, lastError, completedAt (set when the new status is final).
  // attemptCount grows by one per outcome. A delivery cancelled or discarded while its attempt
  // was in flight keeps that status unless the attempt succeeded. An unknown delivery is
  // NotFound, a duplicate (deliveryId, number) a Conflict; either rolls back the whole batch.
  virtual core::Status RecordAttempts(const std::vector<AttemptOutcome>& outcomes,
                                      core::TimePoint now) = 0;
  // Every pending or held delivery, ordered by (webhookId, sequence). Bodies included.
  virtual core::Status ForEachUnfinishedDelivery(
      const std::function<void(const Delivery&)>& fn) = 0;
  // NotFound unless it exists and belongs to `applicationId` (empty: any application).
  virtual core::Result<Delivery> FindDelivery(const std::string& applicationId,
                                              const std::string& deliveryId) = 0;
  // Ordered by attempt number.
  virtual core::Result<std::vector<DeliveryAttempt>> ListAttempts(
      const std::string& deliveryId) = 0;
  // Newest first (highest sequence first: a resend moves to the top); `status` empty for all;
  // limit >= 1.
  virtual core::Result<Page<Delivery>> ListDeliveries(const std::string& webhookId,
                                                      const std::string& status, int limit,
                                                      const std::string& cursor) = 0;
  // Webhook disabled: its pending deliveries become held. Returns how many.
  virtual core::Result<int64_t> HoldPending(const std::string& webhookId) = 0;
  // Re-enabled: held -> pending (due at `now`, in sequence order) or -> discarded (counted on
  // the webhook). Returns how many.
  virtual core::Result<int64_t> ReleaseHeld(const std::string& webhookId, bool replay,
                                            core::TimePoint now) = 0;
  // Retention: held deliveries created before `cutoff` become discarded, counted on their
  // webhooks. Returns how many. (No time is passed in: their completedAt stays empty.)
  virtual core::Result<int64_t> DiscardHeldBefore(core::TimePoint cutoff) = 0;
  // History retention: deletes up to `limit` finished deliveries (succeeded, discarded,
  // cancelled) created before `cutoff`, with their bodies and attempts; pending and held ones
  // are never touched. Returns how many; fewer than `limit` means none are left. Each call is
  // one short transaction, so a large purge never holds the writer for long.
  virtual core::Result<int64_t> PurgeFinishedBefore(core::TimePoint cutoff, int limit) = 0;
  // Counts for /metrics and the dashboard: deliveries of `webhookId` created since `since`, by
  // final status ("succeeded", "failed attempts" are in attempts). failedAttempts counts the
  // non-2xx attempts (including no response) of those deliveries.
  struct DeliveryCounts {
    int64_t succeeded = 0, pending = 0, held = 0, discarded = 0, failedAttempts = 0;
  };
  virtual core::Result<DeliveryCounts> CountDeliveries(const std::string& webhookId,
                                                       core::TimePoint since) = 0;
};

}  // namespace dynhook::store
