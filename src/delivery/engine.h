// DeliveryEngine: gets every webhook delivery to its endpoint at least once, in order, without
// letting one bad endpoint slow the others (SPEC §4.5).
//
// Per webhook ("endpoint") it keeps the unfinished deliveries in sequence order and starts at
// most `perEndpointConcurrency` attempts at a time, never two for deliveries sharing a vehicle
// (per-vehicle order). A failed attempt puts the endpoint in "failing" mode: nothing new starts
// until the failed delivery, retried as the probe (backoff 30 s × 2ⁿ ± 20 %, Retry-After
// honoured within the schedule's bounds), succeeds. After `maxAttempts` (1 + 6 retries) the
// webhook is disabled with the reason and every unfinished delivery of it becomes held; `410
// Gone` disables at once. EnableWebhook releases the held deliveries (replay in order, or
// discard). Every attempt is written (batched, RecordAttempts) with status, latency, error and
// response excerpt. Deliveries must be durable (DeliveryStore) before they are handed in.
//
// Details of the contract (decisions where SPEC §4.5 leaves room):
//   - Backoff after the n-th failed attempt: backoffBase × 2^(n-1) ± backoffJitter, at most
//     maxBackoff (delivery/backoff.h). Retry-After on 429/503 replaces it, clamped to
//     [backoffBase, maxBackoff].
//   - Failing endpoint: the first failed delivery is the probe. Attempts already in flight
//     finish (a failure among them is rescheduled too); nothing else starts until the probe
//     succeeds. Then every delivery that failed meanwhile is due at once, at full concurrency.
//   - Disable reason: "7 consecutive failed attempts; last: HTTP 500" (or "last: timeout", ...),
//     or "endpoint answered 410 Gone". The exhausted delivery becomes held with the others.
//   - Webhooks not "enabled" get no attempts: pending_verification keeps its deliveries pending
//     (they go once it is enabled); disabled holds them (HoldPending), including deliveries
//     enqueued while disabled.
//   - Resend: a delivery still queued is made due now. A finished one (same row, same id =
//     eventId) is requeued in the store first (pending, due now, a new sequence at the end of
//     the webhook's order), so the resend is durable before it is acknowledged, then follows
//     the queue's rules (per-vehicle order, a failing endpoint's probe first) with a fresh
//     retry budget. Attempt numbers continue. A webhook that is not enabled answers Conflict.
//   - Standard Webhooks: webhook-id is the delivery id, webhook-timestamp the seconds of
//     `wallClock` (receivers compare it with their own clock, so it must be wall time even when
//     the platform clock is scaled; it falls back to the platform clock when null).
//   - Signing keys come from `keys` and are cached per webhook for signingKeysTtl (platform
//     time) and until WebhookChanged; a lookup failure counts as a failed attempt.
//   - Memory: pending deliveries (with bodies) of enabled and pending_verification webhooks are
//     kept in memory; held ones stay in the store until EnableWebhook reloads them. Per Tick
//     only endpoints that are due or were woken are visited (a deadline min-heap), and each
//     looks at most max(256, 32 × perEndpointConcurrency) deliveries of its queue.
//
// Time: all due times are on the platform clock. Tick() does the work due now; in production
// a thread calls it when the next deadline passes (RunInBackground), tests call it directly
// after advancing a ManualClock. Without RunInBackground, Tick() and WaitIdle() write the
// attempt outcomes themselves; with it, a writer thread writes them every writeBatchWindow.
//
// Thread-safety: all public methods may be called from any thread; one mutex guards the queues
// and is never held while calling the transport, the store or the event bus (engine_impl.h).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "delivery/transport.h"
#include "store/webhook_records.h"
#include "store/webhook_store.h"

namespace dynhook::metrics {
struct PlatformMetrics;
}
namespace dynhook::webhooks {
class EventBus;
}

namespace dynhook::delivery {

struct EngineOptions {
  int maxAttempts = 7;  // the first attempt and 6 retries
  std::chrono::milliseconds backoffBase{30'000};
  double backoffJitter = 0.2;  // ±20 %
  std::chrono::milliseconds maxBackoff{3'600'000};
  std::chrono::milliseconds attemptTimeout{15'000};
  int perEndpointConcurrency = 8;
  std::chrono::milliseconds heldRetention{7 * 24 * 3'600'000LL};
  std::chrono::milliseconds writeBatchWindow{5};     // wall time to gather outcomes per write
  std::chrono::milliseconds signingKeysTtl{60'000};  // platform time a key lookup is reused
  std::chrono::milliseconds stopGrace{2'000};  // wall time Stop() waits for attempts in flight
  std::string userAgent = "dynhook/" DYNHOOK_VERSION;
};

// What the engine needs to sign a delivery of a webhook: the AMT (SC-Signature) and, when the
// webhook has Standard Webhooks on, its whsec_ secret. Called on engine threads.
struct SigningKeys {
  std::string managementToken;
  std::string standardWebhooksSecret;  // "" when off
};
using KeyLookup = std::function<core::Result<SigningKeys>(const store::Webhook&)>;

struct EngineDeps {
  store::DeliveryStore& deliveries;
  store::WebhookStore& webhooks;
  Transport& transport;
  const core::Clock& clock;  // platform clock
  core::Random& random;      // jitter
  KeyLookup keys;
  metrics::PlatformMetrics* metrics = nullptr;  // optional
  webhooks::EventBus* events = nullptr;         // optional
  const core::Clock* wallClock = nullptr;       // webhook-timestamp; null: `clock`
};

class DeliveryEngine {
 public:
  DeliveryEngine(EngineDeps deps, EngineOptions options = {});
  ~DeliveryEngine();  // Stop()

  // Loads the unfinished deliveries and webhooks from the store (after a restart): pending ones
  // are queued with their attempt counts; held ones stay held.
  core::Status Load();
  // Hands in deliveries already committed to the store (CommitFetch/InsertDelivery). Safe to
  // call for deliveries already queued (ignored).
  void Enqueue(std::vector<store::Delivery> deliveries);
  // The webhook's row changed (enabled, disabled by hand, callback changed, deleted): reread it.
  void WebhookChanged(const std::string& webhookId);
  // POST /api/webhooks/{id}/enable (after the caller verified the endpoint): releases held
  // deliveries (replay: pending, due now, in order; or discard: counted on the webhook), writes
  // status "enabled" (reason cleared), reloads the webhook's pending deliveries and resumes.
  core::Status EnableWebhook(const std::string& webhookId, bool replay);
  // POST /api/deliveries/{id}/resend: attempt again now with the same eventId.
  core::Status Resend(const store::Delivery& delivery);

  // Starts attempts that are due at clock.Now() (repeating while synchronous completions make
  // more due), runs pending store actions (disable, hold, retention); returns the next
  // deadline (or max()).
  core::TimePoint Tick();
  // Runs Tick() on a background thread, waking on deadlines (scaled to wall time) and Enqueue.
  void RunInBackground();
  void Stop();

  // Observability for tests and /metrics. QueueDepth: deliveries in memory not in flight.
  size_t QueueDepth() const;
  size_t InFlight() const;
  // Waits (bounded, wall time) until no attempt is in flight and outcomes are written.
  bool WaitIdle(std::chrono::milliseconds timeout);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// The SC-Signature header value: hex HMAC-SHA256 of the exact body, keyed with the AMT.
std::string ScSignature(std::string_view managementToken, std::string_view body);
// Standard Webhooks v1 headers (webhook-id, webhook-timestamp, webhook-signature) for `body`,
// with `secret` in its "whsec_<base64>" form.
std::vector<std::pair<std::string, std::string>> StandardWebhookHeaders(std::string_view secret,
                                                                        std::string_view messageId,
                                                                        int64_t timestampSeconds,
                                                                        std::string_view body);

}  // namespace dynhook::delivery
