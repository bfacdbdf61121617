// dryport: the inland-port platform's command line.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"dryport — cross-border e-commerce clearance, bonded zone and freight for an inland port"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "dryport 0.1.0");
  dryport::cli::ExitCode exit_code;

  dryport::cli::RegisterCebCommands(app, exit_code);
  dryport::cli::RegisterGenCommand(app, exit_code);
  dryport::cli::RegisterFreightCommands(app, exit_code);
  dryport::cli::RegisterClearanceCommands(app, exit_code);
  CLI::App* bench = app.add_subcommand("bench", "Measure this machine: codec, route, ingest");
  bench->require_subcommand(1);
  dryport::cli::RegisterCodecBench(*bench, exit_code);
  dryport::cli::RegisterRouteBench(*bench, exit_code);
  dryport::cli::RegisterIngestBench(*bench, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : dryport::cli::kExitUsage;
  }
  return exit_code.value;
}
