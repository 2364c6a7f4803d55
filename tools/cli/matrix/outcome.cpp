#include "matrix/outcome.hpp"

#include <stdexcept>
#include <utility>

namespace asyncfix::cli {
namespace {

constexpr std::pair<Outcome, const char*> outcome_names[] = {
    {Outcome::skipped, "skipped"},
    {Outcome::not_applied, "not-applied"},
    {Outcome::passed, "passed"},
    {Outcome::failed_classified, "failed-classified"},
    {Outcome::failed_unclassified, "failed-unclassified"},
    {Outcome::no_report, "no-report"},
    {Outcome::leak, "leak"},
    {Outcome::orphan, "orphan"},
    {Outcome::hang, "hang"},
    {Outcome::crash, "crash"},
};

}  // namespace

std::string to_string(Outcome outcome) {
  for (const auto& [value, name] : outcome_names) {
    if (value == outcome) return name;
  }
  return "unknown";
}

Outcome outcome_from_string(const std::string& text) {
  std::string known;
  for (const auto& [value, name] : outcome_names) {
    if (text == name) return value;
    known += (known.empty() ? "" : ", ") + std::string(name);
  }
  throw std::invalid_argument("'" + text + "' is not an outcome; expected one of " + known);
}

}  // namespace asyncfix::cli
