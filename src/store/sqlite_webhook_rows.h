// Column lists, row readers and paging cursors shared by the SqliteStore files of the webhook
// part (webhooks, subscriptions, deliveries). Each kXxxColumns string matches its ReadXxx
// reader column for column. Internal to the store module.
// Thread-safety: free functions and constants without shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "store/sqlite_db.h"
#include "store/webhook_records.h"

namespace dynhook::store {

extern const char* const kWebhookColumns;
extern const char* const kSubscriptionColumns;
extern const char* const kDeliveryColumns;  // from kDeliveryTables (d: the row, b: its body)
extern const char* const kDeliveryTables;
extern const char* const kAttemptColumns;

Webhook ReadWebhook(const Query& row);
Subscription ReadSubscription(const Query& row);
core::Result<Delivery> ReadDelivery(const Query& row);
DeliveryAttempt ReadAttempt(const Query& row);

// Optional times and flags as nullable INTEGER columns.
std::optional<int64_t> OptionalMillis(const std::optional<core::TimePoint>& time);
std::optional<core::TimePoint> ReadOptionalTime(const Query& row, int column);

// Opaque cursors over a text key or an integer key (base64, so clients cannot lean on the
// format). Decoding fails with VALIDATION "invalid paging cursor".
std::string EncodeTextCursor(const std::string& key);
core::Result<std::string> DecodeTextCursor(const std::string& cursor);
std::string EncodeIntCursor(int64_t key);
core::Result<int64_t> DecodeIntCursor(const std::string& cursor);

// True for the statuses after which a delivery is never attempted again.
bool IsFinalDeliveryStatus(const std::string& status);

}  // namespace dynhook::store
