// dryport validate / convert.
#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ceb/codec.h"
#include "cli/commands.h"
#include "cli/files.h"

namespace dryport::cli {
namespace {

struct ValidateOptions {
  std::vector<std::string> paths;
  bool strict = false;
  std::string format = "text";
};

std::string DisplayPath(const std::string& file, const ceb::Finding& f) {
  return f.line > 0 ? fmt::format("{}:{}", file, f.line) : file;
}

int RunValidate(const ValidateOptions& opt) {
  const CodeTables& codes = CodeTables::Builtin();
  ceb::Reader reader;
  int exit_code = kExitOk;
  size_t valid = 0, invalid = 0, unreadable = 0;
  nlohmann::ordered_json report = {{"files", nlohmann::ordered_json::array()}};
  const bool json = opt.format == "json";

  for (const std::string& file : ExpandPaths(opt.paths)) {
    Result<std::string> bytes = ReadWholeFile(file);
    if (!bytes.ok()) {
      std::cerr << "dryport validate: " << bytes.status().message() << "\n";
      ++unreadable;
      exit_code = kExitUsage;
      if (json) report["files"].push_back({{"file", file}, {"valid", false}, {"error", bytes.status().message()}});
      continue;
    }
    const ceb::CheckResult check = ceb::Check(reader, *bytes, codes, opt.strict);
    (check.valid ? valid : invalid)++;
    if (!check.valid && exit_code == kExitOk) exit_code = kExitInvalid;

    if (json) {
      nlohmann::ordered_json entry = {{"file", file}, {"valid", check.valid}};
      if (check.message) entry["message_type"] = std::string(check.message->info().root);
      auto& list = entry["findings"] = nlohmann::ordered_json::array();
      for (const auto& f : check.findings) {
        list.push_back({{"line", f.line},
                        {"level", ceb::LevelName(f.level)},
                        {"severity", ceb::SeverityName(f.severity)},
                        {"rule", f.rule},
                        {"path", f.path},
                        {"message", f.message}});
      }
      report["files"].push_back(std::move(entry));
      continue;
    }
    size_t errors = 0, warnings = 0;
    for (const auto& f : check.findings) (f.severity == ceb::Severity::kError ? errors : warnings)++;
    std::cout << fmt::format("{}: {}{}\n", file, check.valid ? "valid" : "INVALID",
                             check.findings.empty()
                                 ? ""
                                 : fmt::format(" ({} error{}, {} warning{})", errors, errors == 1 ? "" : "s",
                                               warnings, warnings == 1 ? "" : "s"));
    for (const auto& f : check.findings) {
      std::cout << fmt::format("  {}: {} [{}] {} {}: {}\n", DisplayPath(file, f), ceb::SeverityName(f.severity),
                               ceb::LevelName(f.level), f.rule, f.path, f.message);
    }
  }
  if (json) {
    report["summary"] = {{"files", valid + invalid + unreadable},
                         {"valid", valid},
                         {"invalid", invalid},
                         {"unreadable", unreadable},
                         {"strict", opt.strict}};
    std::cout << report.dump(1) << "\n";
  } else {
    std::cout << fmt::format("{} file{} checked: {} valid, {} invalid{}\n", valid + invalid + unreadable,
                             valid + invalid + unreadable == 1 ? "" : "s", valid, invalid,
                             unreadable ? fmt::format(", {} unreadable", unreadable) : "");
  }
  return exit_code;
}

struct ConvertOptions {
  std::vector<std::string> files;
  std::string to;
  std::string output_dir;
};

int RunConvert(const ConvertOptions& opt) {
  ceb::Reader reader;
  int exit_code = kExitOk;
  for (const std::string& file : opt.files) {
    Result<std::string> bytes = ReadWholeFile(file);
    if (!bytes.ok()) {
      std::cerr << "dryport convert: " << bytes.status().message() << "\n";
      exit_code = kExitUsage;
      continue;
    }
    const std::string_view text = *bytes;
    const size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    const bool is_json = first != std::string_view::npos && text[first] == '{';
    ceb::ReadResult read = is_json ? ceb::FromJson(text) : reader.Read(text);
    for (const auto& f : read.findings) {
      std::cerr << fmt::format("{}: {} [{}] {} {}: {}\n", DisplayPath(file, f), ceb::SeverityName(f.severity),
                               ceb::LevelName(f.level), f.rule, f.path, f.message);
    }
    if (!read.message) {
      std::cerr << "dryport convert: " << file << " is not a readable CEB message\n";
      if (exit_code == kExitOk) exit_code = kExitInvalid;
      continue;
    }
    const std::string out = opt.to == "json" ? ceb::ToJson(*read.message) + "\n" : ceb::WriteXml(*read.message);
    if (opt.output_dir.empty()) {
      std::cout << out;
      continue;
    }
    const std::filesystem::path target = std::filesystem::path(opt.output_dir) /
                                         (std::filesystem::path(file).stem().string() + "." + opt.to);
    if (Status s = WriteWholeFile(target.string(), out); !s.ok()) {
      std::cerr << "dryport convert: " << s.message() << "\n";
      exit_code = kExitUsage;
    }
  }
  return exit_code;
}

}  // namespace

void RegisterCebCommands(CLI::App& app, ExitCode& exit_code) {
  auto validate_opt = std::make_shared<ValidateOptions>();
  CLI::App* validate = app.add_subcommand(
      "validate",
      "Check CEB messages against the official 2022-05 schemas and the standard's document rules.\n"
      "Exit 0: all valid; 1: any invalid; 2: usage error or a file that cannot be opened.");
  validate->add_option("paths", validate_opt->paths, "Message files or directories")->required();
  validate->add_flag("--strict", validate_opt->strict,
                     "Count lenient deviations (warnings) as errors, as the XSDs themselves would");
  validate->add_option("--format", validate_opt->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  validate->callback([validate_opt, &exit_code] { exit_code.value = RunValidate(*validate_opt); });

  auto convert_opt = std::make_shared<ConvertOptions>();
  CLI::App* convert = app.add_subcommand(
      "convert", "Convert CEB messages between XML and the JSON form (field names as in the standard)");
  convert->add_option("--to", convert_opt->to, "Target form")->required()->check(CLI::IsMember({"json", "xml"}));
  convert->add_option("-o,--output", convert_opt->output_dir, "Write each result into this directory")
      ->check(CLI::ExistingDirectory);
  convert->add_option("files", convert_opt->files, "XML or JSON message files")->required();
  convert->callback([convert_opt, &exit_code] { exit_code.value = RunConvert(*convert_opt); });
}

}  // namespace dryport::cli
