// Payload signatures (SPEC §4.4): SC-Signature and the Standard Webhooks v1 headers.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/crypto.h"
#include "delivery/engine.h"

namespace dynhook::delivery {

namespace {

constexpr std::string_view kSecretPrefix = "whsec_";

// The HMAC key of a Standard Webhooks secret: the base64 part after "whsec_", decoded. A
// secret that is not valid base64 is used as raw bytes rather than signing with nothing.
std::string SecretKey(std::string_view secret) {
  if (secret.starts_with(kSecretPrefix)) secret.remove_prefix(kSecretPrefix.size());
  auto decoded = core::Base64Decode(secret);
  return decoded ? *decoded : std::string(secret);
}

}  // namespace

std::string ScSignature(std::string_view managementToken, std::string_view body) {
  return core::HmacSha256Hex(managementToken, body);
}

std::vector<std::pair<std::string, std::string>> StandardWebhookHeaders(std::string_view secret,
                                                                        std::string_view messageId,
                                                                        int64_t timestampSeconds,
                                                                        std::string_view body) {
  const std::string timestamp = std::to_string(timestampSeconds);
  std::string signed_content;
  signed_content.reserve(messageId.size() + timestamp.size() + body.size() + 2);
  signed_content.append(messageId).append(".").append(timestamp).append(".").append(body);
  const std::string mac = core::HmacSha256Raw(SecretKey(secret), signed_content);
  return {
      {"webhook-id", std::string(messageId)},
      {"webhook-timestamp", timestamp},
      {"webhook-signature", "v1," + core::Base64Encode(mac)},
  };
}

}  // namespace dynhook::delivery
