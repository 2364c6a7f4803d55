// `asyncfix report merge`: the JSON reports of matrix shards joined into one, refused in one line
// when they do not belong together.
#include "commands.hpp"
#include "matrix/run_support.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

namespace asyncfix::cli {
namespace {

namespace fs = std::filesystem;

/// One-line refusal of `report merge`.
[[noreturn]] void merge_refused(const std::string& why) {
  usage_error("report merge: " + why);
}

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : ", ") + word;
  return text;
}

int merge_reports(const std::vector<std::string>& inputs, const Outputs& outputs) {
  check_outputs(outputs);
  MatrixReport merged;
  std::vector<fs::path> read;
  std::map<std::string, std::string> shard_from;  // "I/N" -> the report holding it
  std::map<std::size_t, std::string> cell_from;   // cell index -> the report holding it
  for (const auto& input : inputs) {
    std::ifstream in(input);
    if (!in) merge_refused("cannot read '" + input + "'");
    std::error_code ec;
    const auto canonical = fs::weakly_canonical(input, ec);
    if (std::find(read.begin(), read.end(), canonical) != read.end()) {
      merge_refused("'" + input + "' is given twice");
    }
    read.push_back(canonical);
    const auto json = nlohmann::json::parse(in, nullptr, false);
    MatrixReport shard;
    try {
      shard = report_from_json(json, input);
    } catch (const std::invalid_argument& e) {
      merge_refused(e.what());
    }
    if (read.size() == 1) {
      merged.seed = shard.seed;
      merged.binaries = shard.binaries;
    } else if (shard.seed != merged.seed) {
      merge_refused("'" + input + "' ran with seed " + std::to_string(shard.seed) + ", '" +
                    inputs.front() + "' with " + std::to_string(merged.seed) +
                    ": shards of one matrix share a seed");
    } else if (shard.binaries != merged.binaries) {
      merge_refused("'" + input + "' ran " + joined(shard.binaries) + ", '" + inputs.front() +
                    "' ran " + joined(merged.binaries) +
                    ": shards of one matrix run the same binaries");
    }
    for (const auto& label : shard.shards) {
      if (const auto [at, fresh] = shard_from.emplace(label, input); !fresh) {
        merge_refused("shard " + label + " is in both '" + at->second + "' and '" + input + "'");
      }
    }
    for (const auto& cell : shard.cells) {
      if (const auto [at, fresh] = cell_from.emplace(cell.cell.index, input); !fresh) {
        merge_refused("cell " + std::to_string(cell.cell.index) + " is in both '" + at->second +
                      "' and '" + input + "'");
      }
    }
    merged.shards.insert(merged.shards.end(), shard.shards.begin(), shard.shards.end());
    for (auto& cell : shard.cells) merged.cells.push_back(std::move(cell));
  }
  std::stable_sort(
      merged.cells.begin(), merged.cells.end(),
      [](const CellResult& a, const CellResult& b) { return a.cell.index < b.cell.index; });
  print_summary(merged, std::cout);
  const bool written = write_all_reports(merged, outputs);
  std::cout << merged.cells.size() - merged.unexpected() << " of " << merged.cells.size()
            << " cells as expected (" << inputs.size() << " reports)\n";
  if (!written) return internal;
  return merged.unexpected() == 0 ? ok : failed;
}

}  // namespace

void add_report_command(CLI::App& app) {
  {
    auto* report = app.add_subcommand("report", "Work with matrix reports");
    report->require_subcommand(1);
    auto* merge =
        report->add_subcommand("merge", "Join the JSON reports of matrix shards into one report");
    auto inputs = std::make_shared<std::vector<std::string>>();
    auto outputs = std::make_shared<Outputs>();
    merge->add_option("reports", *inputs, "SHARD.json...")->required();
    add_outputs(*merge, outputs->json, outputs->junit, outputs->html);
    merge->callback([inputs, outputs] {
      if (const int code = merge_reports(*inputs, *outputs); code != ok)
        throw CLI::RuntimeError(code);
    });
    add_report_diff_command(*report);
  }
}

}  // namespace asyncfix::cli
