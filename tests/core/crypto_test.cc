#include "core/crypto.h"

#include <gtest/gtest.h>

namespace dynhook::core {
namespace {

TEST(Crypto, HmacSha256MatchesRfc4231Case2) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, Sha256OfEmptyString) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Crypto, RandomTokensAreDistinctAndPrefixed) {
  const auto a = RandomToken("amt_"), b = RandomToken("amt_");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("amt_", 0), 0u);
  EXPECT_EQ(a.size(), 4u + 64u);
}

TEST(Crypto, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(Crypto, HexAndBase64RoundTrip) {
  const std::string bytes("\x00\x01\xfe\xff hello", 10);
  EXPECT_EQ(HexDecode(HexEncode(bytes)), bytes);
  EXPECT_EQ(Base64Decode(Base64Encode(bytes)), bytes);
  EXPECT_EQ(Base64Encode("ab"), "YWI=");
  EXPECT_EQ(Base64Decode("YWI="), "ab");
  EXPECT_FALSE(HexDecode("zz").has_value());
  EXPECT_FALSE(Base64Decode("abc").has_value());
}

TEST(SecretBox, SealsAndOpens) {
  SecretBox box(SecretBox::GenerateKey());
  const auto sealed = box.Seal("amt_secret");
  EXPECT_EQ(sealed.find("amt_secret"), std::string::npos);
  EXPECT_EQ(box.Open(sealed), "amt_secret");
}

TEST(SecretBox, RejectsWrongKeyAndTampering) {
  SecretBox box(SecretBox::GenerateKey()), other(SecretBox::GenerateKey());
  auto sealed = box.Seal("amt_secret");
  EXPECT_FALSE(other.Open(sealed).has_value());
  auto raw = *Base64Decode(sealed);
  raw[14] ^= 1;
  EXPECT_FALSE(box.Open(Base64Encode(raw)).has_value());
  EXPECT_FALSE(box.Open("not base64!").has_value());
}

}  // namespace
}  // namespace dynhook::core
