#include "traffic/identity.h"

#include <array>

#include <fmt/format.h>

#include "core/time.h"

namespace dryport::traffic {

char IdNumberCheckChar(std::string_view first17) {
  // Weight of position i is 2^(17-i) mod 11; the residue maps to the
  // character whose value makes the weighted sum of all 18 == 1 (mod 11).
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr std::string_view kChars = "10X98765432";
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kChars[static_cast<size_t>(sum % 11)];
}

bool IsValidIdNumber(std::string_view id) {
  if (id.size() != 18) return false;
  for (size_t i = 0; i < 17; ++i) {
    if (id[i] < '0' || id[i] > '9') return false;
  }
  if (id[17] != IdNumberCheckChar(id.substr(0, 17))) return false;
  return Timestamp::Parse(id.substr(6, 8), TimeFormat::kCompactDate).ok();
}

char Ean13CheckDigit(std::string_view first12) {
  int sum = 0;
  for (size_t i = 0; i < 12; ++i) sum += (first12[i] - '0') * (i % 2 == 0 ? 1 : 3);
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

namespace internal {

std::string MakeIdNumber(std::string_view area_code, int year, unsigned month, unsigned day,
                         int sequence) {
  std::string id = fmt::format("{}{:04}{:02}{:02}{:03}", area_code, year, month, day, sequence);
  id += IdNumberCheckChar(id);
  return id;
}

std::string AirWaybillNumber(std::string_view airline_prefix, uint32_t serial7) {
  serial7 %= 10000000;
  return fmt::format("{}-{:07}{}", airline_prefix, serial7, serial7 % 7);
}

std::string Uuid(Rng& rng) {
  const uint64_t hi = (rng.Next() & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;
  const uint64_t lo = (rng.Next() & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
  return fmt::format("{:08X}-{:04X}-{:04X}-{:04X}-{:012X}", hi >> 32, (hi >> 16) & 0xFFFF,
                     hi & 0xFFFF, lo >> 48, lo & 0xFFFFFFFFFFFFull);
}

std::string MobileNumber(Rng& rng) {
  // Prefixes of the three mainland carriers.
  static constexpr std::array<int, 24> kPrefixes = {130, 131, 132, 133, 135, 136, 137, 138,
                                                    139, 150, 151, 152, 153, 155, 156, 157,
                                                    158, 159, 177, 180, 186, 187, 188, 199};
  return fmt::format("{}{:08}", kPrefixes[rng.Index(kPrefixes.size())], rng.Int(0, 99999999));
}

std::string RandomBase64(Rng& rng, int n) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes;
  bytes.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) bytes += static_cast<char>(rng.Next() & 0xFF);
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t left = bytes.size() - i;
    uint32_t chunk = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (left > 1) chunk |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (left > 2) chunk |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += left > 1 ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += left > 2 ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

}  // namespace internal
}  // namespace dryport::traffic
