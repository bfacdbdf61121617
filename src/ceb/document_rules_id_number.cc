#include "ceb/document_rules_id_number.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/time.h"

namespace dryport::ceb::internal {

char ResidentIdCheckChar(std::string_view first17) {
  // GB 11643-1999 §8.2 (ISO 7064:1983 MOD 11-2): weight of position i
  // (1-based from the left, check character at 18) is 2^(18-i) mod 11; the
  // check character makes Σ a_i·W_i ≡ 1 (mod 11), which the table maps
  // from Σ mod 11 for the first 17 characters.
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[sum % 11];
}

std::string ResidentIdProblem(std::string_view id) {
  const size_t n = id.size();
  if (n != 18) {
    return fmt::format("has {} characters; a resident ID number has 18", n);
  }
  const std::string_view body = id.substr(0, 17);
  if (!std::all_of(body.begin(), body.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "must be 17 digits followed by a digit or X";
  }
  const char last = id[17];
  if (!(last >= '0' && last <= '9') && last != 'X') {
    return fmt::format("ends in '{}'; the check character is a digit or the capital letter X",
                       last);
  }
  const std::string_view birth = id.substr(6, 8);
  if (Result<Timestamp> t = Timestamp::Parse(birth, TimeFormat::kCompactDate); !t.ok()) {
    return fmt::format("holds the birth date {}, which is not a real date", birth);
  }
  const char want = ResidentIdCheckChar(body);
  if (want != last) {
    return fmt::format("has the check character {}; GB 11643-1999 (ISO 7064 MOD 11-2) gives {}",
                       last, want);
  }
  return {};
}

}  // namespace dryport::ceb::internal
