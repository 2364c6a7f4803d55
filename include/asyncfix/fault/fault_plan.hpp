#pragma once
/// @file
/// FaultPlan: one fault spec (`asyncfix run --fault`, a matrix profile's line, ASYNCFIX_FAULTS),
/// parsed once into what each party applies: the proxy's toxics, the test binary's in-process
/// faults and the runner's own actions.

#include <asyncfix/fault/toxic.hpp>
#include <asyncfix/loop/schedule.hpp>
#include <asyncfix/testing/injected_faults.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncfix::fault {

/// Who applies a fault kind.
enum class FaultSite {
  network,     ///< a FaultProxy, as a Toxic
  in_process,  ///< the fixtures in the test binary (InjectedFaults)
  runner,      ///< `asyncfix run` / `asyncfix matrix`, on the proxy it owns
};

/// One fault kind of any site: the table `asyncfix faults`, the parser and the guide share.
struct FaultKind {
  std::string_view name;
  std::string_view parameter;  ///< "" when it takes none; "PARAM=VALUE,..." for a toxic
  FaultSite site;
  std::string_view description;
};

/// A fault spec, typed. The text is a comma list of faults; a toxic's own PARAM=VALUE items follow
/// it (`latency:latency=50,jitter=10,loop_swap,down_at_ms=5,up_at_ms=250`). An item belongs to a
/// toxic only when it names a parameter of that toxic's kind, so nothing is guessed.
///
///     auto plan = FaultPlan::parse("latency:latency=50,fail_nth_command=3", "--fault");
///     for (const auto& toxic : plan.toxics) proxy->add(toxic);
struct FaultPlan {
  std::vector<Toxic> toxics;
  /// Carries no network text: the toxics above hold it, typed.
  InjectedFaults in_process;
  /// The order the binary's ready handlers run in (`schedule=pct:7,depth=3`; the runner sets
  /// ASYNCFIX_SCHEDULE); none when not given.
  std::optional<Schedule> schedule;
  /// Runner actions: the proxy resets every connection from down_at until up_at, both timed from
  /// the binary's start.
  std::optional<std::chrono::milliseconds> down_at;
  std::optional<std::chrono::milliseconds> up_at;

  /// Parses a spec; "" is no fault. Throws std::invalid_argument with one line naming `source`,
  /// the item and what was expected.
  static FaultPlan parse(std::string_view text, std::string_view source);
  /// Every kind of every site: toxics, then in-process faults, then runner actions.
  static const std::vector<FaultKind>& kinds();

  /// True when no fault is set.
  [[nodiscard]] bool empty() const noexcept;
  /// The text form: parse(to_string()) gives the same plan.
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const FaultPlan&, const FaultPlan&) = default;
};

/// The toxics of a comma list of network faults (InjectedFaults::network, as the test binary
/// received it). Throws std::invalid_argument naming `source` and the item that is no toxic.
[[nodiscard]] std::vector<Toxic> parse_toxics(std::string_view text, std::string_view source);

}  // namespace asyncfix::fault
