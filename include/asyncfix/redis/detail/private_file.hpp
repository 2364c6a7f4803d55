#pragma once
/// @file
/// write_private_file: files that may hold a secret (library-internal; RedisServer and the CLI).

#include <filesystem>
#include <string>

namespace asyncfix::redis::detail {

/// Writes `text` to `path` (created or truncated) with mode 0600, so only its owner can read it.
/// Returns false when it could not be written completely.
[[nodiscard]] bool write_private_file(const std::filesystem::path& path, const std::string& text);

}  // namespace asyncfix::redis::detail
