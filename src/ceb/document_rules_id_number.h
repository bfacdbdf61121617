// Private to src/ceb: the PRC resident identity number check used by the
// doc.id-number rule, separate so that tests can reach it directly.
#ifndef DRYPORT_CEB_DOCUMENT_RULES_ID_NUMBER_H_
#define DRYPORT_CEB_DOCUMENT_RULES_ID_NUMBER_H_

#include <string>
#include <string_view>

namespace dryport::ceb::internal {

// Checks a citizen identification number (公民身份号码) as GB 11643-1999
// defines it: 18 characters = 6-digit address code, 8-digit birth date
// YYYYMMDD, 3-digit sequence code, and a check character computed with
// ISO 7064 MOD 11-2 (a digit or the capital letter X for ten).
// Returns "" when `id` is valid, else what is wrong in plain words.
std::string ResidentIdProblem(std::string_view id);

// The MOD 11-2 check character of the first 17 digits ('0'..'9' or 'X').
// `first17` must hold exactly 17 ASCII digits.
char ResidentIdCheckChar(std::string_view first17);

}  // namespace dryport::ceb::internal

#endif  // DRYPORT_CEB_DOCUMENT_RULES_ID_NUMBER_H_
