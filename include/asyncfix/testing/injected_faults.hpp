#pragma once
/// @file
/// InjectedFaults: the in-process faults the fixtures inject on request (ASYNCFIX_FAULTS), so a
/// suite can be run under each one to see that it fails the way it should: a classified error,
/// never a hang, a crash or an orphan.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncfix {

/// One in-process fault kind: its name, its parameter ("" when it takes none) and what it does.
struct InjectedFaultKind {
  std::string_view name;
  std::string_view parameter;
  std::string_view description;
};

/// Faults the fixtures inject into every test on purpose. Set them per fixture through
/// AsyncOptions::faults, or for a whole run with ASYNCFIX_FAULTS, a comma list such as
/// `fail_nth_command=3,close_loop_before_teardown` (see kinds()). The in-process kinds' names are
/// reserved words: every other item of the list (a network fault such as
/// `latency:latency=50,jitter=10`) is kept, unjudged and in order, in `network`, for the fault
/// layer to parse (fault::parse_toxics); only a fixture with a fault proxy (fault::FaultRedisTest)
/// applies it, and any other fixture fails the test rather than ignore it.
struct InjectedFaults {
  /// RedisTest connects redis() eagerly in SetUp on a loop of its own (the original bug), so the
  /// body uses a manager bound to another loop: it heals or fails per RedisOptions::on_loop_change.
  bool loop_swap = false;
  /// AsyncTest stops the test's loop after the body, before teardown.
  bool close_loop_before_teardown = false;
  /// The N-th Redis command of each RedisTest (handshake included) fails with connection_lost
  /// (RedisOptions::command_fault); 0 for none.
  std::uint64_t fail_nth_command = 0;
  /// This long into each test (or when its body ends, if sooner: every test meets it), the server
  /// it uses is killed (SIGKILL) and stays down (RedisTest: its redis-server).
  /// `kill_redis_at_ms` is read as this for one release.
  std::optional<std::chrono::milliseconds> kill_server_at;
  /// This long into each test (or when its body ends, if sooner), the server it uses crashes and
  /// comes back empty on the same address (RedisTest: DEBUG CRASH-AND-RECOVER, same pid).
  /// `restart_redis_at_ms` is read as this for one release.
  std::optional<std::chrono::milliseconds> restart_server_at;
  /// The N-th PostgreSQL query of each PgTest fails with connection_lost (PgOptions::query_fault);
  /// 0 for none.
  std::uint64_t fail_nth_query = 0;
  /// This long into each PgTest (or when its body ends, if sooner), its PostgreSQL server is
  /// killed (SIGKILL) and stays down. The test gets a private server of its own for it.
  std::optional<std::chrono::milliseconds> kill_pg_at;
  /// This long into each PgTest (or when its body ends, if sooner), its PostgreSQL server is
  /// killed and started again on the same socket (its data kept). The test gets a private server
  /// of its own for it.
  std::optional<std::chrono::milliseconds> restart_pg_at;
  /// The items that are no in-process fault, comma-joined as written ("" when none).
  std::string network;

  /// Parses a comma list; an empty text is no fault. Throws std::invalid_argument naming `source`,
  /// the item and what was expected, on one line.
  static InjectedFaults parse(std::string_view text, std::string_view source = "ASYNCFIX_FAULTS");
  /// Every in-process kind, in the order `asyncfix faults` lists them.
  static const std::vector<InjectedFaultKind>& kinds();
  /// kinds() for a message: "loop_swap, close_loop_before_teardown, fail_nth_command=N, ...".
  static std::string known_kinds();

  /// True when any fault, in-process or network, is set.
  [[nodiscard]] bool any() const noexcept;
  /// Everything, in parse()'s form: parse(to_string()) gives the same faults.
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const InjectedFaults&, const InjectedFaults&) = default;
};

}  // namespace asyncfix
