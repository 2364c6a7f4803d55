#include "matrix/replay.hpp"

#include "support/shell_quote.hpp"

#include <filesystem>

namespace asyncfix::cli {

namespace {

/// This asyncfix's own path, so the command runs the same build; "asyncfix" when unknown.
std::string this_cli() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("asyncfix") : self.string();
}

}  // namespace

std::string replay_prefix(const Cell& cell, const RunSettings& settings) {
  using detail::shell_quote;
  std::string command = shell_quote(this_cli()) + " run --seed " + std::to_string(cell.seed);
  if (!cell.fault.spec.empty()) command += " --fault " + shell_quote(cell.fault.spec);
  if (settings.postgres) command += " --postgres";
  command += " -- " + shell_quote(cell.binary);
  for (const auto& arg : settings.gtest_args) command += " " + shell_quote(arg);
  return command;
}

std::string replay_command(const CellResult& result, const std::string& test) {
  if (result.replay.empty()) return "";
  const auto& filter = test.empty() ? result.cell.filter : test;
  if (filter.empty()) return result.replay;
  return result.replay + " " + detail::shell_quote("--gtest_filter=" + filter);
}

}  // namespace asyncfix::cli
