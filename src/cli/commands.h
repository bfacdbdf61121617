// The dryport command line: each module's commands register themselves on
// the CLI11 app here. main.cc calls every Register* function once.
//
// Exit codes shared by all commands (public interface):
//   0  success (validate: every message valid)
//   1  the input was read but is invalid / the operation was refused
//   2  usage error, or a file that cannot be opened
#ifndef DRYPORT_CLI_COMMANDS_H_
#define DRYPORT_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

namespace dryport::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;
inline constexpr int kExitUsage = 2;

// Commands set the exit code of the process through this sink: CLI11
// callbacks return void.
struct ExitCode {
  int value = kExitOk;
};

void RegisterCebCommands(CLI::App& app, ExitCode& exit_code);      // validate, convert
void RegisterGenCommand(CLI::App& app, ExitCode& exit_code);       // gen
void RegisterFreightCommands(CLI::App& app, ExitCode& exit_code);  // route, plan, network check
void RegisterClearanceCommands(CLI::App& app, ExitCode& exit_code);  // ingest, status, officer, summary
// `dryport bench <what>`: each module adds its own benchmark subcommand.
void RegisterCodecBench(CLI::App& bench, ExitCode& exit_code);
void RegisterRouteBench(CLI::App& bench, ExitCode& exit_code);
void RegisterIngestBench(CLI::App& bench, ExitCode& exit_code);

}  // namespace dryport::cli

#endif  // DRYPORT_CLI_COMMANDS_H_
