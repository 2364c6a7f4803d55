#pragma once
/// @file
/// Schedule: the order in which a TestLoop runs the handlers that are ready at once (FIFO, or a
/// seeded exploration of other orders), so a test can meet an interleaving its one FIFO order
/// never produces, and replay it by seed.

#include <cstdint>
#include <string>
#include <string_view>

namespace asyncfix {

/// How a single-threaded TestLoop picks the next ready handler. Set it per fixture with
/// AsyncOptions::schedule, or for a run with ASYNCFIX_SCHEDULE=fifo|random:SEED|pct:SEED[,depth=D].
///
/// Every coroutine resumption of the test's coroutines (a post, a timer, a Redis or PostgreSQL
/// reply) goes through the chosen strategy. A reply stream stays in order on its connection; the
/// resumptions it causes are what gets reordered.
struct Schedule {
  enum class Kind {
    fifo,    ///< Asio's own order (the default; nothing extra runs)
    random,  ///< each step runs a ready handler chosen uniformly at random
    pct,     ///< PCT: each task (a run() or an AsyncTest::spawn()) gets a random priority; the
             ///< highest-priority ready task runs; at depth-1 random steps the running task
             ///< drops below every other
  };
  Kind kind = Kind::fifo;
  std::uint64_t seed = 0;
  unsigned depth = 3;  ///< pct only: the bug depth it targets (1 to 10)

  /// Parses "fifo", "random:SEED" or "pct:SEED[,depth=D]". Throws std::invalid_argument with one
  /// line naming `source`, the value and the forms allowed.
  static Schedule parse(std::string_view text, std::string_view source = "ASYNCFIX_SCHEDULE");
  /// parse()'s form: parse(to_string()) gives the same schedule.
  [[nodiscard]] std::string to_string() const;
  [[nodiscard]] bool is_fifo() const noexcept { return kind == Kind::fifo; }

  friend bool operator==(const Schedule&, const Schedule&) = default;
};

}  // namespace asyncfix
