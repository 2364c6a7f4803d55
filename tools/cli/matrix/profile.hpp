#pragma once
// The fault matrix's profile (which faults, each a name and a spec) and expectation (what each
// cell may end as).
#include "matrix/outcome.hpp"

#include <asyncfix/fault/fault_plan.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace asyncfix::cli {

/// One fault of a profile: a name and its spec (fault::FaultPlan's text: toxics, in-process faults
/// and the runner's actions). An empty spec is the no-fault baseline.
struct FaultCase {
  std::string name;
  std::string spec;
  fault::FaultPlan plan;  ///< the spec, parsed once where the case is made
};

/// The default profile: the baseline, every toxic, `down` mid-run, kill and restart of the
/// server, and each in-process fault.
[[nodiscard]] std::vector<FaultCase> default_profile();
/// Reads a profile file: one `NAME = SPEC` per line; '#' starts a comment. Throws
/// std::invalid_argument naming the file and line.
[[nodiscard]] std::vector<FaultCase> read_profile(const std::filesystem::path& file);

/// The outcomes a cell may end as, by fault name.
class Expectation {
 public:
  /// The default: no hang, crash, orphan, leak or unclassified failure anywhere; under the
  /// baseline and the lossless toxics (latency, bandwidth, slicer, slow_close) every test passes.
  static Expectation defaults(const std::vector<FaultCase>& profile);
  /// The defaults, then each `FAULT_GLOB: OUTCOME[, OUTCOME]...` line of `file` (later lines
  /// win). Throws std::invalid_argument naming the file, line and bad outcome.
  static Expectation read(const std::filesystem::path& file, const std::vector<FaultCase>& profile);

  /// What `fault` may end as.
  [[nodiscard]] std::vector<Outcome> allowed(const std::string& fault) const;

 private:
  std::vector<std::pair<std::string, std::vector<Outcome>>> rules_;  // glob, outcomes
};

}  // namespace asyncfix::cli
