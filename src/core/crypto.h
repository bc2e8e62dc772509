// Cryptographic primitives, all through OpenSSL 3. Hex output is lowercase.
//   HmacSha256Hex  - SC-Signature and the verification challenge answer (SPEC §4.2, §4.4).
//   Sha256Hex      - how tokens and secrets are stored at rest (only their hash).
//   RandomToken    - secrets handed to users (tokens, client secrets, codes).
//   ConstantTimeEquals - every comparison of a secret (SPEC §7).
//   SecretBox      - AES-256-GCM sealing of the secrets that must be recoverable (the AMT, which
//                    signs payloads) with a key kept in the data folder or config.
// Thread-safe: free functions have no shared state; SecretBox is immutable after construction.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/random.h"

namespace dynhook::core {

std::string HmacSha256Hex(std::string_view key, std::string_view message);
std::string HmacSha256Raw(std::string_view key, std::string_view message);  // 32 raw bytes
std::string Sha256Hex(std::string_view data);
// `bytes` random bytes, hex-encoded (so 2*bytes characters).
std::string RandomHex(size_t bytes, Random& random = DefaultRandom());
// A token with a readable prefix, e.g. RandomToken("amt_") -> "amt_3f9a…" (32 random bytes).
std::string RandomToken(std::string_view prefix, Random& random = DefaultRandom());
bool ConstantTimeEquals(std::string_view a, std::string_view b);

std::string HexEncode(std::string_view bytes);
std::optional<std::string> HexDecode(std::string_view hex);
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

class SecretBox {
 public:
  using Key = std::array<uint8_t, 32>;
  explicit SecretBox(const Key& key) : key_(key) {}
  static Key GenerateKey(Random& random = DefaultRandom());

  // Returns base64(nonce || ciphertext || tag).
  std::string Seal(std::string_view plaintext, Random& random = DefaultRandom()) const;
  // nullopt when the box was sealed with another key or was tampered with.
  std::optional<std::string> Open(std::string_view sealed) const;

 private:
  Key key_;
};

}  // namespace dynhook::core
