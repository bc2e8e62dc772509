// Verifier: proves that whoever runs a webhook's callback URI holds the application's
// management token (SPEC §4.2). It POSTs
//   {"version":"2.0","webhookId":"<id>","eventName":"verify","payload":{"challenge":"<hex>"}}
// signed with SC-Signature like every payload, and the callback must answer 200 with JSON
// {"challenge": HmacSha256Hex(AMT, challenge)} (compared in constant time). Anything else is a
// failure with a precise, user-facing reason:
//   "timeout", "connection refused", "blocked address", … (the transport's error as is),
//   "callback answered HTTP 500", "callback answered HTTP 302 (redirects are not followed)",
//   "response was not JSON", "response has no \"challenge\" string", "wrong challenge answer".
// Verify only exchanges the challenge; recording the outcome on the webhook is
// ApplyVerification's job.
//
// Thread-safety: immutable; Verify may run on many threads at once (it blocks until the
// transport answers or the timeout passes).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"
#include "delivery/transport.h"
#include "store/webhook_records.h"

namespace dynhook::webhooks {

struct VerificationResult {
  bool verified = false;
  std::string reason;  // why not, when !verified
};

class Verifier {
 public:
  explicit Verifier(delivery::Transport& transport,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10),
                    core::Random& random = core::DefaultRandom())
      : transport_(transport), timeout_(timeout), random_(random) {}

  VerificationResult Verify(const store::Webhook& webhook, std::string_view managementToken) const;

 private:
  delivery::Transport& transport_;
  std::chrono::milliseconds timeout_;
  core::Random& random_;
};

// Records `result` on `webhook` at `now`: success sets verifiedAt, clears verificationError
// and turns pending_verification into enabled; failure records the reason, clears verifiedAt
// and returns an enabled webhook to pending_verification. A disabled webhook stays disabled
// either way (only POST /enable re-enables it).
void ApplyVerification(store::Webhook& webhook, const VerificationResult& result,
                       core::TimePoint now);

// The answer a callback must give to `challenge` (SPEC §4.2).
std::string ChallengeAnswer(std::string_view managementToken, std::string_view challenge);

}  // namespace dynhook::webhooks
