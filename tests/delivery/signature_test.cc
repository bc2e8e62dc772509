// Signatures (SPEC §4.4): SC-Signature and the Standard Webhooks v1 headers, checked against
// OpenSSL directly and against the Standard Webhooks reference test vector.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include "core/crypto.h"
#include "delivery/engine.h"

namespace dynhook::delivery {
namespace {

std::string OpenSslHmacBase64(const std::string& key, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  unsigned char encoded[4 * EVP_MAX_MD_SIZE];
  const int n = EVP_EncodeBlock(encoded, mac, static_cast<int>(length));
  return std::string(reinterpret_cast<char*>(encoded), static_cast<size_t>(n));
}

std::string Value(const std::vector<std::pair<std::string, std::string>>& headers,
                  const std::string& name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "";
}

TEST(ScSignatureTest, IsHexHmacOfTheBodyKeyedWithTheAmt) {
  const std::string body = R"({"version":"2.0","eventId":"e1","payload":{"n":0.58}})";
  EXPECT_EQ(ScSignature("amt_secret", body), core::HmacSha256Hex("amt_secret", body));
  EXPECT_EQ(ScSignature("amt_secret", body).size(), 64u);
  EXPECT_NE(ScSignature("amt_secret", body), ScSignature("amt_other", body));
}

TEST(StandardWebhooksTest, MatchesOpenSslOverIdTimestampBody) {
  const std::string key = "\x01\x02\x03 key bytes \xff\xfe";
  const std::string secret = "whsec_" + core::Base64Encode(key);
  const std::string body = R"({"a":1,"b":"\u00e9"})";
  auto headers = StandardWebhookHeaders(secret, "msg_1", 1'700'000'000, body);
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_EQ(Value(headers, "webhook-id"), "msg_1");
  EXPECT_EQ(Value(headers, "webhook-timestamp"), "1700000000");
  EXPECT_EQ(Value(headers, "webhook-signature"),
            "v1," + OpenSslHmacBase64(key, "msg_1.1700000000." + body));
}

// The vector from the Standard Webhooks reference libraries' tests.
TEST(StandardWebhooksTest, ReferenceVector) {
  auto headers =
      StandardWebhookHeaders("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                             "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})");
  EXPECT_EQ(Value(headers, "webhook-signature"), "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(StandardWebhooksTest, SecretWithoutPrefixIsDecodedToo) {
  const std::string key = "plain key";
  auto prefixed = StandardWebhookHeaders("whsec_" + core::Base64Encode(key), "m", 1, "{}");
  auto bare = StandardWebhookHeaders(core::Base64Encode(key), "m", 1, "{}");
  EXPECT_EQ(Value(prefixed, "webhook-signature"), Value(bare, "webhook-signature"));
}

}  // namespace
}  // namespace dynhook::delivery
