#include "core/random.h"

#include <openssl/rand.h>

#include <cstdlib>
#include <cstring>

namespace dynhook::core {

uint64_t Random::NextU64() {
  uint64_t v = 0;
  uint8_t bytes[8];
  Fill(bytes);
  std::memcpy(&v, bytes, sizeof v);
  return v;
}

double Random::NextDouble() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }

void SecureRandom::Fill(std::span<uint8_t> out) {
  if (out.empty()) return;
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) std::abort();
}

void SeededRandom::Fill(std::span<uint8_t> out) {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < out.size(); i += 8) {
    const uint64_t v = engine_();
    std::memcpy(out.data() + i, &v, std::min<size_t>(8, out.size() - i));
  }
}

Random& DefaultRandom() {
  static SecureRandom random;
  return random;
}

}  // namespace dynhook::core
