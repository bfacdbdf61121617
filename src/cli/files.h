// File helpers shared by the commands.
#ifndef DRYPORT_CLI_FILES_H_
#define DRYPORT_CLI_FILES_H_

#include <string>
#include <vector>

#include "core/status.h"

namespace dryport::cli {

// Files named on the command line, with directories expanded recursively;
// each directory's files in file-name order. A path that does not exist is
// returned as is, so that opening it reports the error.
std::vector<std::string> ExpandPaths(const std::vector<std::string>& paths);

Result<std::string> ReadWholeFile(const std::string& path);
Status WriteWholeFile(const std::string& path, std::string_view content);

}  // namespace dryport::cli

#endif  // DRYPORT_CLI_FILES_H_
