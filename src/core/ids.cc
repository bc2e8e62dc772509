#include "core/ids.h"

#include <array>
#include <cctype>
#include <chrono>

#include "core/crypto.h"

namespace dynhook::core {

namespace {

std::string Format(std::array<uint8_t, 16>& b, uint8_t version) {
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | (version << 4));
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122/9562 variant
  const std::string hex = HexEncode(std::string_view(reinterpret_cast<char*>(b.data()), b.size()));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace

std::string NewUuid(Random& random) {
  std::array<uint8_t, 16> b;
  random.Fill(b);
  return Format(b, 4);
}

std::string NewTimeOrderedUuid(int64_t unixMillis, Random& random) {
  std::array<uint8_t, 16> b;
  random.Fill(b);
  const auto millis = static_cast<uint64_t>(unixMillis);
  for (int i = 0; i < 6; ++i)
    b[static_cast<size_t>(i)] = static_cast<uint8_t>(millis >> (40 - 8 * i));
  return Format(b, 7);
}

std::string NewTimeOrderedUuid(Random& random) {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return NewTimeOrderedUuid(now.count(), random);
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

}  // namespace dynhook::core
