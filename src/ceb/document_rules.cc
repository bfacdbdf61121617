#include "ceb/codec.h"

namespace dryport::ceb {

void ValidateDocument(const Message& /*message*/, std::vector<Finding>& /*out*/) {}

}  // namespace dryport::ceb
