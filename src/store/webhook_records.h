// Records of the webhook part of the platform (SPEC §4): webhooks, vehicle subscriptions with
// their persisted schedule, and deliveries with their attempts. Plain values. Webhook options
// are kept as JSON text (the webhooks module owns their meaning); a delivery's body is the
// exact signed byte string, so a retry or resend after a restart sends the same bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace dynhook::store {

struct Webhook {
  std::string id;  // UUID
  std::string applicationId;
  std::string name;
  std::string type = "dynamic";
  std::string callbackUri;
  std::string status = "pending_verification";  // | "enabled" | "disabled"
  std::string disabledReason;                   // "" unless disabled
  std::optional<core::TimePoint> disabledAt;
  std::string verificationError;  // last failed verification's reason, or ""
  std::optional<core::TimePoint> verifiedAt;
  std::string optionsJson = "{}";   // data, trigger, intervals, maxPayloadBytes, ...
  std::string signingSecretSealed;  // Standard Webhooks "whsec_" secret, SecretBox-sealed, or ""
  int64_t discardedCount = 0;       // held deliveries dropped after the retention period
  core::TimePoint createdAt;
  core::TimePoint updatedAt;
};

// One vehicle subscribed to one webhook, and where its dynamic schedule stands (SPEC §4.3).
struct Subscription {
  std::string webhookId;
  std::string vehicleId;
  std::string applicationId;
  std::string grantId;                 // whose permissions filter the data
  core::TimePoint createdAt;           // the anchor of the default (hourly) cadence
  core::TimePoint nextDueAt;           // next data delivery
  core::Duration interval{3'600'000};  // the interval in force (default or elevated)
  std::optional<bool> triggerActive;   // trigger state at the last fetch; nullopt before one
  std::optional<core::TimePoint> lastFetchAt;
};

// A change to a subscription's schedule, written together with the deliveries a fetch made.
struct ScheduleUpdate {
  std::string webhookId;
  std::string vehicleId;
  core::TimePoint nextDueAt;
  core::Duration interval;
  std::optional<bool> triggerActive;
  core::TimePoint lastFetchAt;
};

// Delivery lifecycle:
//   pending   - written, waiting for (or between) attempts; nextAttemptAt says when
//   succeeded - a 2xx was received
//   held      - the webhook is disabled (or failing past its retries); kept in order for replay
//   discarded - dropped on request or after the retention period (counted on the webhook)
//   cancelled - the webhook was deleted or the vehicle unsubscribed before it was sent
struct Delivery {
  std::string id;  // the eventId: the same on every attempt and resend
  std::string webhookId;
  std::string applicationId;
  int64_t sequence = 0;  // per-webhook order, assigned by the store on insert (increasing)
  std::string status = "pending";
  std::string eventName = "dynamic";
  std::string body;  // exact bytes POSTed (and signed)
  std::vector<std::string> vehicleIds;
  std::string targetUri;  // "" = the webhook's callbackUri; else its errorCallbackUri (SPEC §4.1)
  core::TimePoint createdAt;
  core::TimePoint nextAttemptAt;
  int attemptCount = 0;
  std::string lastError;  // "" or a short reason ("HTTP 500", "timeout", ...)
  std::optional<core::TimePoint> completedAt;
};

struct DeliveryAttempt {
  std::string deliveryId;
  int number = 0;  // 1-based
  core::TimePoint at;
  int statusCode = 0;  // 0 when no HTTP response (timeout, connection error)
  int64_t latencyMs = 0;
  std::string error;            // "" on success
  std::string responseExcerpt;  // first 4 KiB of the response body
};

// The outcome of one attempt, as the delivery engine reports it for a batched write.
struct AttemptOutcome {
  DeliveryAttempt attempt;
  std::string newStatus;  // the delivery's status after this attempt
  core::TimePoint nextAttemptAt;
  std::string lastError;
};

}  // namespace dynhook::store
