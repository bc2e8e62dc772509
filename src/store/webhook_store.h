// The webhook part of the Store (SPEC §4, §6): webhooks, subscriptions with their persisted
// schedules, and the delivery outbox. Same rules as store.h: every atomic operation is one call,
// cursors are opaque, the caller passes the time, thread-safe.
//
// Durability contract (SPEC §4.5 "at-least-once"): CommitFetch writes a fetch's deliveries and
// the subscriptions' next due times in one transaction, BEFORE anything is attempted; attempt
// outcomes are written after (RecordAttempts, batched). After a crash, LoadUnfinishedDeliveries
// returns every delivery not yet succeeded/discarded/cancelled, in per-webhook order, and the
// schedules resume from the persisted next due times.
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
  virtual core::Status CreateWebhook(const Webhook& webhook) = 0;
  // NotFound unless the webhook exists and belongs to `applicationId` (empty: any application).
  virtual core::Result<Webhook> FindWebhook(const std::string& applicationId,
                                            const std::string& webhookId) = 0;
  virtual core::Result<std::vector<Webhook>> ListWebhooks(const std::string& applicationId) = 0;
  // Every webhook of every application (the scheduler and engine load them at start-up).
  virtual core::Result<std::vector<Webhook>> ListAllWebhooks() = 0;
  // Replaces the mutable fields (name, callbackUri, status, reasons, times, options, secret,
  // discardedCount, updatedAt). NotFound if absent.
  virtual core::Status UpdateWebhook(const Webhook& webhook) = 0;
  // Deletes the webhook and its subscriptions; its unfinished deliveries become cancelled.
  virtual core::Status DeleteWebhook(const std::string& applicationId,
                                     const std::string& webhookId) = 0;
};

class SubscriptionStore {
 public:
  virtual ~SubscriptionStore() = default;
  // Inserts, or returns the existing subscription unchanged (idempotent subscribe). `created`
  // tells which.
  virtual core::Result<Subscription> UpsertSubscription(const Subscription& subscription,
                                                        bool* created) = 0;
  // Removes one; returns whether it existed. Its pending deliveries are left alone (an attempt
  // in flight may finish; SPEC §4.3).
  virtual core::Result<bool> DeleteSubscription(const std::string& webhookId,
                                                const std::string& vehicleId) = 0;
  // Disconnect: every subscription of the vehicle to webhooks of the application. Returns them.
  virtual core::Result<std::vector<Subscription>> DeleteVehicleSubscriptions(
      const std::string& applicationId, const std::string& vehicleId) = 0;
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
  virtual core::Status CommitFetch(std::vector<Delivery>& deliveries,
                                   const std::vector<ScheduleUpdate>& schedules) = 0;
  // Inserts a delivery not tied to a fetch (e.g. resend); assigns its sequence.
  virtual core::Status InsertDelivery(Delivery& delivery) = 0;
  // One transaction for many outcomes: inserts the attempts, updates status, attemptCount,
  // nextAttemptAt, lastError, completedAt (set when the new status is final).
  virtual core::Status RecordAttempts(const std::vector<AttemptOutcome>& outcomes,
                                      core::TimePoint now) = 0;
  // Every pending or held delivery, ordered by (webhookId, sequence). Bodies included.
  virtual core::Status ForEachUnfinishedDelivery(
      const std::function<void(const Delivery&)>& fn) = 0;
  virtual core::Result<Delivery> FindDelivery(const std::string& applicationId,
                                              const std::string& deliveryId) = 0;
  virtual core::Result<std::vector<DeliveryAttempt>> ListAttempts(
      const std::string& deliveryId) = 0;
  // Newest first; `status` empty for all.
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
  // webhooks. Returns how many.
  virtual core::Result<int64_t> DiscardHeldBefore(core::TimePoint cutoff) = 0;
  // Counts for /metrics and the dashboard: deliveries of `webhookId` created since `since`, by
  // final status ("succeeded", "failed attempts" are in attempts).
  struct DeliveryCounts {
    int64_t succeeded = 0, pending = 0, held = 0, discarded = 0, failedAttempts = 0;
  };
  virtual core::Result<DeliveryCounts> CountDeliveries(const std::string& webhookId,
                                                       core::TimePoint since) = 0;
};

}  // namespace dynhook::store
