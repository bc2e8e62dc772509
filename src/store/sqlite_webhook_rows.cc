#include "store/sqlite_webhook_rows.h"

#include <charconv>

#include "core/crypto.h"
#include "store/sqlite_rows.h"

namespace dynhook::store {

const char* const kWebhookColumns =
    "id, application_id, name, type, callback_uri, status, disabled_reason, disabled_at, "
    "verification_error, verified_at, options_json, signing_secret_sealed, discarded_count, "
    "created_at, updated_at";

const char* const kSubscriptionColumns =
    "webhook_id, vehicle_id, application_id, grant_id, created_at, next_due_at, interval_ms, "
    "trigger_active, last_fetch_at";

const char* const kDeliveryColumns =
    "d.id, d.webhook_id, d.application_id, d.sequence, d.status, d.event_name, b.body, "
    "d.vehicle_ids, d.created_at, d.next_attempt_at, d.attempt_count, d.last_error, "
    "d.completed_at, d.target_uri";

const char* const kDeliveryTables = "deliveries d JOIN delivery_bodies b ON b.delivery_id = d.id";

const char* const kAttemptColumns =
    "delivery_id, number, at, status_code, latency_ms, error, response_excerpt";

Webhook ReadWebhook(const Query& row) {
  Webhook webhook;
  webhook.id = row.Text(0);
  webhook.applicationId = row.Text(1);
  webhook.name = row.Text(2);
  webhook.type = row.Text(3);
  webhook.callbackUri = row.Text(4);
  webhook.status = row.Text(5);
  webhook.disabledReason = row.Text(6);
  webhook.disabledAt = ReadOptionalTime(row, 7);
  webhook.verificationError = row.Text(8);
  webhook.verifiedAt = ReadOptionalTime(row, 9);
  webhook.optionsJson = row.Text(10);
  webhook.signingSecretSealed = row.Text(11);
  webhook.discardedCount = row.Int(12);
  webhook.createdAt = core::FromMillis(row.Int(13));
  webhook.updatedAt = core::FromMillis(row.Int(14));
  return webhook;
}

Subscription ReadSubscription(const Query& row) {
  Subscription subscription;
  subscription.webhookId = row.Text(0);
  subscription.vehicleId = row.Text(1);
  subscription.applicationId = row.Text(2);
  subscription.grantId = row.Text(3);
  subscription.createdAt = core::FromMillis(row.Int(4));
  subscription.nextDueAt = core::FromMillis(row.Int(5));
  subscription.interval = core::Duration(row.Int(6));
  if (!row.IsNull(7)) subscription.triggerActive = row.Int(7) != 0;
  subscription.lastFetchAt = ReadOptionalTime(row, 8);
  return subscription;
}

core::Result<Delivery> ReadDelivery(const Query& row) {
  Delivery delivery;
  delivery.id = row.Text(0);
  delivery.webhookId = row.Text(1);
  delivery.applicationId = row.Text(2);
  delivery.sequence = row.Int(3);
  delivery.status = row.Text(4);
  delivery.eventName = row.Text(5);
  delivery.body = row.Text(6);
  auto vehicles = DecodeList(row.Text(7), "deliveries.vehicle_ids");
  if (!vehicles) return vehicles.take_error();
  delivery.vehicleIds = std::move(*vehicles);
  delivery.createdAt = core::FromMillis(row.Int(8));
  delivery.nextAttemptAt = core::FromMillis(row.Int(9));
  delivery.attemptCount = static_cast<int>(row.Int(10));
  delivery.lastError = row.Text(11);
  delivery.completedAt = ReadOptionalTime(row, 12);
  delivery.targetUri = row.Text(13);
  return delivery;
}

DeliveryAttempt ReadAttempt(const Query& row) {
  DeliveryAttempt attempt;
  attempt.deliveryId = row.Text(0);
  attempt.number = static_cast<int>(row.Int(1));
  attempt.at = core::FromMillis(row.Int(2));
  attempt.statusCode = static_cast<int>(row.Int(3));
  attempt.latencyMs = row.Int(4);
  attempt.error = row.Text(5);
  attempt.responseExcerpt = row.Text(6);
  return attempt;
}

std::optional<int64_t> OptionalMillis(const std::optional<core::TimePoint>& time) {
  if (!time) return std::nullopt;
  return core::ToMillis(*time);
}

std::optional<core::TimePoint> ReadOptionalTime(const Query& row, int column) {
  if (row.IsNull(column)) return std::nullopt;
  return core::FromMillis(row.Int(column));
}

std::string EncodeTextCursor(const std::string& key) { return core::Base64Encode("k" + key); }

core::Result<std::string> DecodeTextCursor(const std::string& cursor) {
  auto text = core::Base64Decode(cursor);
  if (!text || text->empty() || (*text)[0] != 'k') {
    return core::errors::Validation("invalid paging cursor");
  }
  return text->substr(1);
}

std::string EncodeIntCursor(int64_t key) { return core::Base64Encode("n" + std::to_string(key)); }

core::Result<int64_t> DecodeIntCursor(const std::string& cursor) {
  auto text = core::Base64Decode(cursor);
  core::Error invalid = core::errors::Validation("invalid paging cursor");
  if (!text || text->size() < 2 || (*text)[0] != 'n') return invalid;
  int64_t key = 0;
  const char* end = text->data() + text->size();
  auto [last, ec] = std::from_chars(text->data() + 1, end, key);
  if (ec != std::errc() || last != end) return invalid;
  return key;
}

bool IsFinalDeliveryStatus(const std::string& status) {
  return status == "succeeded" || status == "discarded" || status == "cancelled";
}

}  // namespace dynhook::store
