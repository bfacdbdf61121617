// Identifier formats the generated traffic must get right: PRC resident
// identity numbers, EAN-13 barcodes, air waybill numbers, upper-case UUIDs,
// mobile numbers. Pure functions (the random ones take the caller's Rng).
#ifndef DRYPORT_TRAFFIC_IDENTITY_H_
#define DRYPORT_TRAFFIC_IDENTITY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "traffic/random.h"

namespace dryport::traffic {

// The check character of an 18-character PRC resident identity number
// (GB 11643-1999): ISO 7064 MOD 11-2 over the first 17 digits, '0'..'9' or
// 'X'. `first17` must be 17 ASCII digits.
char IdNumberCheckChar(std::string_view first17);

// 18 characters, 17 digits and a correct check character, and a real
// calendar date in positions 7-14. Does not check the area code.
bool IsValidIdNumber(std::string_view id);

// The EAN-13 check digit of 12 digits.
char Ean13CheckDigit(std::string_view first12);

namespace internal {

// An identity number: area (6 digits), birth date YYYYMMDD, a 3-digit
// sequence whose parity is the sex (odd = male), check character.
std::string MakeIdNumber(std::string_view area_code, int year, unsigned month, unsigned day,
                         int sequence);

// An air waybill number "PPP-SSSSSSSC": airline prefix, 7-digit serial and
// the IATA check digit (serial mod 7).
std::string AirWaybillNumber(std::string_view airline_prefix, uint32_t serial7);

// 36 characters, upper case, RFC 4122 version-4 layout (the standard asks for
// "36位唯一序号（英文字母大写）").
std::string Uuid(Rng& rng);

// An 11-digit mainland mobile number with a real carrier prefix.
std::string MobileNumber(Rng& rng);

// Standard base64 (RFC 4648) of `n` random bytes.
std::string RandomBase64(Rng& rng, int n);

}  // namespace internal
}  // namespace dryport::traffic

#endif  // DRYPORT_TRAFFIC_IDENTITY_H_
