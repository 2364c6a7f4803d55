#pragma once
// `asyncfix matrix` as a function, for the command and for `asyncfix demo`.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace asyncfix::cli {

/// Everything `asyncfix matrix` takes.
struct MatrixArgs {
  std::string profile = "default";  ///< "default" or a profile file
  std::string expect;               ///< an expectation file, or "" for the defaults
  unsigned jobs = 2;
  int repeat = 1;
  std::optional<std::uint64_t> seed;
  std::string shard = "1/1";
  std::string json;
  std::string junit;
  std::string html;
  std::string work_dir;  ///< "" for a new directory under /tmp
  long long cell_timeout_ms = 120'000;
  std::vector<std::string> filters;  ///< BINARY_NAME=GTEST_FILTER
  std::string redis;                 ///< a server to use instead of a private one per cell
  std::string redis_file;            ///< a file whose first line is that server's URL
  bool postgres = false;             ///< also a private PostgreSQL per cell (RunSettings)
  std::vector<std::string> binaries;
};

/// Runs the matrix, prints progress and the summary, writes the reports; returns the exit code
/// (ok, failed, skipped when nothing could run). Bad arguments: throws CLI::RuntimeError(usage).
int run_matrix(const MatrixArgs& args);

}  // namespace asyncfix::cli
