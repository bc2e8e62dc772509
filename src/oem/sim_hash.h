// Deterministic hashing for the simulator: everything a simulated vehicle does is derived from
// its seed through these functions, so the same seed always yields the same fleet and day.
// Header-only, pure functions (thread-safe).
#pragma once

#include <cstdint>
#include <string_view>

namespace dynhook::oem::sim {

// SplitMix64 finaliser: a well-mixed 64-bit value from any 64-bit input.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

inline uint64_t Mix(uint64_t a, uint64_t b) { return Mix64(a ^ Mix64(b + 0x632be59bd9b4e019ULL)); }
inline uint64_t Mix(uint64_t a, uint64_t b, uint64_t c) { return Mix(Mix(a, b), c); }

// FNV-1a, then mixed: a stable hash of a string (not std::hash, which may vary).
inline uint64_t HashString(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return Mix64(h);
}

// Uniform in [0, 1) from a hash.
inline double Unit(uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }
// Uniform in [lo, hi) from a hash.
inline double Uniform(uint64_t h, double lo, double hi) { return lo + (hi - lo) * Unit(h); }

}  // namespace dynhook::oem::sim
