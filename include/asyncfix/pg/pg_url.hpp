#pragma once
/// @file
/// PostgreSQL connection strings as libpq reads them (a URI, `postgresql://...`, or the keyword
/// form, `host=... dbname=...`): checked once, the password masked wherever one is shown.

#include <string>
#include <string_view>

namespace asyncfix::pg {

/// `url` with its password replaced by "***" (in a URI's user info, a `password` query parameter
/// or a `password=` keyword). Never throws.
[[nodiscard]] std::string redact_url(std::string_view url);

/// Checks `url` with libpq's own parser; throws PgError(invalid_argument) with one line naming
/// the redacted URL and libpq's reason (the password never appears).
void check_url(std::string_view url);

/// `url` with `keyword=value` set (replacing a value given), in keyword form:
/// with_url_option("postgresql:///postgres?host=/tmp/x", "dbname", "t1") connects to t1.
[[nodiscard]] std::string with_url_option(std::string_view url, std::string_view keyword,
                                          std::string_view value);

/// The value `url` gives `keyword` ("" when none); throws as check_url() for a bad URL.
[[nodiscard]] std::string url_option(std::string_view url, std::string_view keyword);

}  // namespace asyncfix::pg
