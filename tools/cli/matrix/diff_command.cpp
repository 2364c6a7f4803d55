// `asyncfix report diff BASE.json NEW.json [--html F]`: what got worse and better between two
// matrix reports; exit 1 on a regression, so CI can hold a baseline.
#include "commands.hpp"
#include "matrix/report_diff.hpp"
#include "matrix/run_support.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <memory>

namespace asyncfix::cli {
namespace {

MatrixReport read_report(const std::string& path) {
  std::ifstream in(path);
  if (!in) usage_error("report diff: cannot read '" + path + "'");
  const auto json = nlohmann::json::parse(in, nullptr, false);
  try {
    return report_from_json(json, path);
  } catch (const std::invalid_argument& e) {
    usage_error(std::string("report diff: ") + e.what());
  }
}

struct DiffArgs {
  std::string base;
  std::string next;
  std::string html;
};

int diff_command(const DiffArgs& args) {
  if (!args.html.empty()) check_outputs({"", "", args.html});
  const auto base = read_report(args.base);  // first: a refusal names the first bad report
  const auto next = read_report(args.next);
  const auto diff = diff_reports(base, next);
  print_diff(diff, std::cout);
  if (!args.html.empty()) {
    try {
      write_diff_html(diff, args.base, args.next, args.html);
    } catch (const std::runtime_error& e) {
      std::cerr << "asyncfix report diff: " << e.what() << "\n";
      return internal;
    }
  }
  return diff.worse.empty() ? ok : failed;
}

}  // namespace

void add_report_diff_command(CLI::App& report) {
  auto* diff = report.add_subcommand(
      "diff", "What got worse and better from BASE to NEW; exit 1 when anything got worse");
  auto args = std::make_shared<DiffArgs>();
  diff->add_option("base", args->base, "BASE.json (asyncfix matrix --json)")->required();
  diff->add_option("new", args->next, "NEW.json")->required();
  diff->add_option("--html", args->html, "Also write the changes as an HTML page");
  diff->callback([args] {
    if (const int code = diff_command(*args); code != ok) throw CLI::RuntimeError(code);
  });
}

}  // namespace asyncfix::cli
