// Export (9610 retail export; 1210 special-zone export): being written.
#include "clearance/engine_internal.h"

namespace dryport::clearance::internal {

void SendExportReceipt(Context&, const Doc&, int, std::string_view) {}
void HandleExport(Context&, const ceb::Message&, const std::vector<ceb::Finding>&) {}

}  // namespace dryport::clearance::internal
