#include "commands.hpp"

#include <charconv>
#include <cstdint>
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
  // A word where a subcommand belongs is the mistake, whatever options follow it.
  if (wants_subcommand && next < argc && argv[next][0] != '-') {
    return path + ": unknown subcommand '" + argv[next] + "'" + expected + " (see " + path +
           " --help)";
  }
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

CLI::Validator seed_check() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        const bool digits =
            !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        if (!digits || ec != std::errc() || end != text.data() + text.size()) {
          return "'" + text + "' is not a whole number from 0 to 18446744073709551615";
        }
        return {};
      },
      "SEED");
}

}  // namespace asyncfix::cli
