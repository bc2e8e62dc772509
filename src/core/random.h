// Random: the seam for randomness (tokens, ids, jitter). SecureRandom draws from OpenSSL's
// CSPRNG and is what the platform uses; SeededRandom is deterministic for tests and the
// simulator. Both are thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <span>

namespace dynhook::core {

class Random {
 public:
  virtual ~Random() = default;
  virtual void Fill(std::span<uint8_t> out) = 0;
  uint64_t NextU64();
  // Uniform in [0, 1).
  double NextDouble();
};

class SecureRandom final : public Random {
 public:
  void Fill(std::span<uint8_t> out) override;  // aborts if OpenSSL's generator fails
};

class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : engine_(seed) {}
  void Fill(std::span<uint8_t> out) override;

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;  // guarded by mu_
};

// The process-wide secure generator.
Random& DefaultRandom();

}  // namespace dynhook::core
