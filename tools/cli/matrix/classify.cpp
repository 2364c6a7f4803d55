#include "matrix/classify.hpp"

#include <asyncfix/pg/pg_error.hpp>
#include <asyncfix/redis/redis_error.hpp>
#include <asyncfix/testing/teardown_report.hpp>

#include "safe_text.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <string_view>

namespace asyncfix::cli {
namespace {

namespace fs = std::filesystem;

/// The error classes a fault explains, by the category and value of the error code the fixture
/// records (property::error): never by message text, so a renamed message moves no verdict.
struct ErrorClass {
  const char* category;
  int value;
  const char* name;
};
constexpr ErrorClass error_classes[] = {
    {"asyncfix.redis", static_cast<int>(redis::Errc::connect_failed), "connect_failed"},
    {"asyncfix.redis", static_cast<int>(redis::Errc::timeout), "timeout"},
    {"asyncfix.redis", static_cast<int>(redis::Errc::connection_lost), "connection_lost"},
    {"asyncfix.redis", static_cast<int>(redis::Errc::server_error), "server_error"},
    {"asyncfix.redis", static_cast<int>(redis::Errc::protocol_error), "protocol_error"},
    {"asyncfix.redis", static_cast<int>(redis::Errc::shut_down), "shut_down"},
    {"asyncfix.redis", static_cast<int>(redis::Errc::auth_failed), "auth_failed"},
    {"asyncfix.pg", static_cast<int>(pg::Errc::connect_failed), "connect_failed"},
    {"asyncfix.pg", static_cast<int>(pg::Errc::auth_failed), "auth_failed"},
    {"asyncfix.pg", static_cast<int>(pg::Errc::timeout), "timeout"},
    {"asyncfix.pg", static_cast<int>(pg::Errc::connection_lost), "connection_lost"},
    {"asyncfix.pg", static_cast<int>(pg::Errc::server_error), "server_error"},
    {"asyncfix.pg", static_cast<int>(pg::Errc::shut_down), "shut_down"},
    {"asyncfix.loop", 1, "loop_mismatch"},
    // The operating system's codes, from a test's own sockets (system_error of either library).
    {"system", ECONNRESET, "connection_lost"},
    {"system", EPIPE, "connection_lost"},
    {"system", ECONNREFUSED, "connect_failed"},
    {"system", ETIMEDOUT, "timeout"},
    {"generic", ECONNRESET, "connection_lost"},
    {"generic", EPIPE, "connection_lost"},
    {"generic", ECONNREFUSED, "connect_failed"},
    {"generic", ETIMEDOUT, "timeout"},
    {"asio.misc", 2, "connection_lost"},  // end of file
};

/// The class of a recorded "CATEGORY:VALUE", or "" when no fault explains it.
std::string error_class(const std::string& record) {
  const auto colon = record.rfind(':');
  if (colon == std::string::npos) return "";
  const auto category = record.substr(0, colon);
  int value = 0;
  const auto text = std::string_view(record).substr(colon + 1);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return "";
  for (const auto& known : error_classes) {
    if (category == known.category && value == known.value) return known.name;
  }
  return "";
}

std::string first_line(const std::string& text) {
  return truncate_utf8(text.substr(0, text.find('\n')), 300);
}

/// A failure message on one line: its lines joined with " ", runs of spaces squeezed, cut to 300.
std::string one_line(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const char d = (c == '\n' || c == '\t') ? ' ' : c;
    if (d == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += d;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return truncate_utf8(out, 300);
}

/// gtest's "time" of a test ("0.012s") in milliseconds; 0 when it has none.
std::chrono::milliseconds gtest_time(const nlohmann::json& test) {
  if (!test.contains("time") || !test["time"].is_string()) return std::chrono::milliseconds(0);
  const auto text = test["time"].get<std::string>();
  double seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || seconds < 0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000 + 0.5));
}

/// gtest's first failure of a test ("file:line\nmessage") on one line: "file:line: message".
std::string first_failure(const nlohmann::json& test) {
  const auto failures = test.value("failures", nlohmann::json::array());
  if (!failures.is_array() || failures.empty() || !failures[0].is_object()) return "";
  const auto text = failures[0].value("failure", "");
  const auto newline = text.find('\n');
  if (newline == std::string::npos) return one_line(text);
  return one_line(text.substr(0, newline) + ": " + text.substr(newline + 1));
}

TestOutcome classify_test(const std::string& suite, const nlohmann::json& test,
                          bool in_process_fault, bool schedule) {
  TestOutcome result;
  result.name = valid_utf8(suite + "." + test.value("name", ""));
  if (test.value("result", "") == "SKIPPED" || test.value("status", "") == "NOTRUN") {
    result.outcome = Outcome::skipped;
    return result;
  }
  result.duration = gtest_time(test);
  std::string messages;
  for (const auto& failure : test.value("failures", nlohmann::json::array())) {
    messages += failure.value("failure", "") + "\n";
  }
  result.failure = first_failure(test);
  const auto property = [&](const char* name) {
    return test.contains(name) ? test[name].dump() : std::string();
  };
  if (!property(property::deadline_exceeded).empty()) {
    result.outcome = Outcome::hang;
    result.reason = "deadline exceeded: " + first_line(messages);
  } else if (!property(property::leaks).empty()) {
    result.outcome = Outcome::leak;
    result.reason = "leak: " + truncate_utf8(test[property::leaks].dump(), 300);
  } else if (!messages.empty()) {
    result.outcome = Outcome::failed_unclassified;
    if (test.contains(property::error) && test[property::error].is_string()) {
      if (auto name = error_class(test[property::error].get<std::string>()); !name.empty()) {
        result.outcome = Outcome::failed_classified;
        result.reason = std::move(name);
      }
    }
    if (result.outcome == Outcome::failed_unclassified &&
        test.contains(property::injected_faults)) {
      // The test's own assertion caught what the fixture injected (an eager connection on another
      // loop, a loop stopped before teardown): the fault explains it.
      result.outcome = Outcome::failed_classified;
      result.reason = "injected " + truncate_utf8(test[property::injected_faults].dump(), 300);
    }
    if (result.outcome == Outcome::failed_unclassified) {
      // The assertion's own text, without its file:line.
      const auto newline = messages.find('\n');
      result.reason =
          one_line(newline == std::string::npos ? messages : messages.substr(newline + 1));
    }
  } else if (in_process_fault && !test.contains(property::injected_faults)) {
    result.outcome = Outcome::not_applied;
    result.reason =
        "the in-process fault never took effect: the test made too few commands or queries, "
        "ended before the fault's time, or its fixture does not apply that fault";
  } else if (schedule && !test.contains(property::schedule)) {
    result.outcome = Outcome::not_applied;
    result.reason = "the schedule never applied: the test is no AsyncTest (a plain TEST)";
  }
  return result;
}

}  // namespace

GtestReport classify_report(const fs::path& report, bool in_process_fault, bool schedule) {
  GtestReport result;
  std::ifstream in(report);
  if (!in) return result;
  const auto json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("testsuites") ||
      !json["testsuites"].is_array()) {
    return result;
  }
  result.found = true;
  for (const auto& suite : json["testsuites"]) {
    if (!suite.is_object() || !suite.contains("testsuite") || !suite["testsuite"].is_array()) {
      continue;
    }
    const auto suite_name = suite.contains("name") && suite["name"].is_string()
                                ? suite["name"].get<std::string>()
                                : std::string();
    for (const auto& test : suite["testsuite"]) {
      if (!test.is_object()) continue;
      const bool disabled = test.value("status", "") == "NOTRUN";
      // A test that ran has a result; --gtest_list_tests writes the same report without one.
      if (!disabled && !test.contains("result")) continue;
      ++result.reported;
      if (disabled) continue;
      result.tests.push_back(classify_test(suite_name, test, in_process_fault, schedule));
    }
  }
  return result;
}

}  // namespace asyncfix::cli
