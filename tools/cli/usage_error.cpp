#include "commands.hpp"

#include <string>

namespace asyncfix::cli {

std::string usage_error(const CLI::App& app, int argc, char** argv, const std::string& what) {
  // The subcommands named on the command line, as far as they are known.
  const CLI::App* command = &app;
  std::string path = "asyncfix";
  int next = 1;
  for (; next < argc; ++next) {
    const std::string token = argv[next];
    const CLI::App* found = nullptr;
    for (const auto* sub : command->get_subcommands({})) {
      if (sub->check_name(token)) found = sub;
    }
    if (found == nullptr) break;
    command = found;
    path += " " + token;
  }
  std::string names;
  for (const auto* sub : command->get_subcommands({})) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
  }
  const bool wants_subcommand = command->get_require_subcommand_min() > 0;
  const std::string expected = wants_subcommand ? "; expected a subcommand: " + names : "";
  std::string detail = what;
  // An option the command does not have is the likeliest cause, whatever CLI11 checked first.
  for (int i = next; i < argc; ++i) {
    const std::string token = argv[i];
    if (token == "--") break;
    if (!token.starts_with("-") || token.size() < 2) continue;
    const auto name = token.substr(0, token.find('='));
    if (command->get_option_no_throw(name) == nullptr && name != "-h" && name != "--help") {
      return path + ": unknown option '" + name + "'" + expected + " (see " + path + " --help)";
    }
  }
  if (wants_subcommand) {
    detail = next < argc ? "unknown subcommand '" + std::string(argv[next]) + "'" + expected
                         : "a subcommand is required: " + names;
  }
  return path + ": " + detail + " (see " + path + " --help)";
}

}  // namespace asyncfix::cli
