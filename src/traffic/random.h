// Deterministic random numbers for the traffic generator.
//
// The generator must produce byte-identical corpora for the same options on
// any machine, so it uses neither std::random_device nor the standard
// distributions (whose algorithms are implementation-defined): Rng is
// SplitMix64 (Steele, Lea, Flood 2014; public-domain reference algorithm), and
// every distribution below is written out here.
//
// Streams are derived, not shared: each order and each message gets its own
// Rng seeded from (options seed, what it is for), so adding a field to one
// message type does not shift the random draws of every later order.
//
// Thread-safety: an Rng is a value; don't share one between threads.
#ifndef DRYPORT_TRAFFIC_RANDOM_H_
#define DRYPORT_TRAFFIC_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>
#include <vector>

namespace dryport::traffic::internal {

// The SplitMix64 output function: a bijective 64-bit mixer.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// FNV-1a: a string hash that is the same everywhere (std::hash is not
// specified by the standard).
inline uint64_t HashString(std::string_view s) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ull;
  return h;
}

// A seed for the stream named by `parts` (e.g. {seed, kOrderStream, index}).
inline uint64_t StreamSeed(std::initializer_list<uint64_t> parts) {
  uint64_t h = 0x6A09E667F3BCC909ull;
  for (uint64_t p : parts) h = Mix64(h ^ Mix64(p));
  return h;
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ull;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Uniform in [lo, hi] (lo <= hi), without modulo bias: draws above the
  // largest multiple of the span are rejected.
  int64_t Int(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
    if (span == 0) return static_cast<int64_t>(Next());  // the whole 64-bit range
    const uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    uint64_t x = Next();
    while (x >= limit) x = Next();
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + x % span);
  }

  // Uniform in [0, n); n > 0.
  size_t Index(size_t n) { return static_cast<size_t>(Int(0, static_cast<int64_t>(n) - 1)); }

  // Uniform in [0, 1) with 53 random bits.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  bool Chance(double p) { return Unit() < p; }

  // An index drawn with probability proportional to weights[i] (all >= 0,
  // at least one > 0).
  size_t Weighted(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Unit() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    // Rounding left x just above the last weight: take the last positive one.
    for (size_t i = weights.size(); i-- > 0;) {
      if (weights[i] > 0) return i;
    }
    return 0;
  }

  // Fisher-Yates, the textbook algorithm (std::shuffle's is unspecified).
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[Index(i)]);
  }

 private:
  uint64_t state_;
};

}  // namespace dryport::traffic::internal

#endif  // DRYPORT_TRAFFIC_RANDOM_H_
