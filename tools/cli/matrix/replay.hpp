#pragma once
// The one command that runs a cell of the matrix again, alone, or one test of it.
#include "matrix/cell.hpp"

#include <string>

namespace asyncfix::cli {

/// `asyncfix run` with the cell's seed, fault spec and PostgreSQL, then `--` and the binary with
/// the gtest arguments every cell got; shell-quoted, without a test filter. A server given with
/// --redis is left out: its URL may hold a password, and the replay starts a private one.
[[nodiscard]] std::string replay_prefix(const Cell& cell, const RunSettings& settings);

/// The cell's replay for `test` (Suite.Test), or for the cell's own filter when `test` is empty;
/// "" when the cell has no replay (a report from before it was recorded).
[[nodiscard]] std::string replay_command(const CellResult& result, const std::string& test = "");

}  // namespace asyncfix::cli
