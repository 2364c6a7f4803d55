#pragma once
/// @file
/// Toxic: one network fault of a FaultProxy, with Toxiproxy's names, parameters and units, and its
/// text form "KIND[:PARAM=VALUE[,PARAM=VALUE]...][@upstream|@downstream][%TOXICITY]".

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace asyncfix::fault {

/// The toxics Toxiproxy defines (same names and semantics).
enum class ToxicKind { latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data };

/// Which bytes a toxic acts on: client → server (upstream) or server → client (downstream, the
/// default, as in Toxiproxy).
enum class Direction { upstream, downstream };

/// A network fault. Parameters are in Toxiproxy's units; those a kind does not use stay 0.
///
///     auto t = Toxic::parse("latency:latency=50,jitter=10@downstream%0.5");
struct Toxic {
  ToxicKind kind = ToxicKind::latency;
  Direction direction = Direction::downstream;
  /// The chance that a connection gets this toxic, drawn once per connection and toxic (1: all).
  double toxicity = 1.0;
  std::int64_t latency = 0;       ///< latency: added delay per chunk, ms
  std::int64_t jitter = 0;        ///< latency: ± uniform random delay, ms
  std::int64_t rate = 0;          ///< bandwidth: KB/s (1 KB = 1024 bytes)
  std::int64_t delay = 0;         ///< slow_close: ms before EOF is passed on; slicer: µs
  std::int64_t timeout = 0;       ///< timeout, reset_peer: ms (timeout 0: blackhole until removed)
  std::int64_t average_size = 0;  ///< slicer: bytes per slice
  std::int64_t size_variation = 0;  ///< slicer: ± bytes per slice
  std::int64_t bytes = 0;           ///< limit_data: bytes forwarded per connection, then closed

  /// Parses the text form. Throws std::invalid_argument with one line naming the spec, the bad
  /// field and the allowed values.
  static Toxic parse(std::string_view spec);
  /// The text form, every parameter of the kind spelled out (parse(to_string()) == *this).
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const Toxic&, const Toxic&) = default;
};

/// "latency", "bandwidth", ...
[[nodiscard]] std::string_view to_string(ToxicKind kind) noexcept;
/// "upstream" or "downstream".
[[nodiscard]] std::string_view to_string(Direction direction) noexcept;

/// One parameter of a toxic kind, for parsing and for `asyncfix faults`.
struct ToxicParam {
  std::string_view name;
  std::string_view unit;
  std::int64_t default_value;
  std::int64_t max;
  std::int64_t Toxic::*field;
  std::string_view meaning;
};

/// One toxic kind: its name, what it does and its parameters.
struct ToxicKindInfo {
  ToxicKind kind;
  std::string_view name;
  std::string_view meaning;
  std::span<const ToxicParam> params;
};

/// Every toxic kind, in Toxiproxy's order.
[[nodiscard]] std::span<const ToxicKindInfo> toxic_kinds() noexcept;

}  // namespace asyncfix::fault
