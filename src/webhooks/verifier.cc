#include "webhooks/verifier.h"

#include <boost/json.hpp>

#include "core/crypto.h"
#include "core/json.h"
#include "delivery/engine.h"

namespace dynhook::webhooks {
namespace {

constexpr size_t kChallengeBytes = 32;
constexpr size_t kMaxAnswerBytes = 4096;

std::string ChallengeBody(const store::Webhook& webhook, const std::string& challenge) {
  return core::Stringify(boost::json::object{{"version", "2.0"},
                                             {"webhookId", webhook.id},
                                             {"eventName", "verify"},
                                             {"payload", {{"challenge", challenge}}}});
}

std::string StatusReason(const delivery::TransportResult& result) {
  std::string reason = "callback answered HTTP " + std::to_string(result.statusCode);
  if (result.statusCode >= 300 && result.statusCode < 400) {
    reason += " (redirects are not followed)";
  }
  return reason;
}

// The reason the callback's answer is wrong, or "" when it is right.
std::string CheckAnswer(const delivery::TransportResult& result, std::string_view expected) {
  if (!result.error.empty()) return result.error;
  if (result.statusCode != 200) return StatusReason(result);
  auto body = core::ParseJson(result.responseExcerpt);
  if (!body) return "response was not JSON";
  const auto* object = body->if_object();
  const auto* answer = object ? object->if_contains("challenge") : nullptr;
  if (!answer || !answer->is_string()) return "response has no \"challenge\" string";
  const auto& text = answer->get_string();
  if (!core::ConstantTimeEquals(std::string_view(text.data(), text.size()), expected)) {
    return "wrong challenge answer";
  }
  return "";
}

}  // namespace

std::string ChallengeAnswer(std::string_view managementToken, std::string_view challenge) {
  return core::HmacSha256Hex(managementToken, challenge);
}

VerificationResult Verifier::Verify(const store::Webhook& webhook,
                                    std::string_view managementToken) const {
  const std::string challenge = core::RandomHex(kChallengeBytes, random_);
  delivery::OutboundRequest request;
  request.url = webhook.callbackUri;
  request.body = ChallengeBody(webhook, challenge);
  request.headers = {{"Content-Type", "application/json"},
                     {"User-Agent", "dynhook/" DYNHOOK_VERSION},
                     {"SC-Signature", delivery::ScSignature(managementToken, request.body)}};
  request.timeout = timeout_;
  // One byte more than accepted tells a too-long answer from a complete one.
  request.maxResponseBytes = kMaxAnswerBytes + 1;
  const delivery::TransportResult result = delivery::SendAndWait(transport_, std::move(request));
  if (result.error.empty() && result.statusCode == 200 &&
      result.responseExcerpt.size() > kMaxAnswerBytes) {
    return {false, "response was longer than 4096 bytes"};
  }
  std::string reason = CheckAnswer(result, ChallengeAnswer(managementToken, challenge));
  return {reason.empty(), std::move(reason)};
}

void ApplyVerification(store::Webhook& webhook, const VerificationResult& result,
                       core::TimePoint now) {
  if (result.verified) {
    webhook.verifiedAt = now;
    webhook.verificationError.clear();
    if (webhook.status == "pending_verification") webhook.status = "enabled";
  } else {
    webhook.verifiedAt.reset();
    webhook.verificationError = result.reason.empty() ? "verification failed" : result.reason;
    if (webhook.status == "enabled") webhook.status = "pending_verification";
  }
  webhook.updatedAt = now;
}

}  // namespace dynhook::webhooks
