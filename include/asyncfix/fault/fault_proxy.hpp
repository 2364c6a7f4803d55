#pragma once
/// @file
/// FaultProxy: a TCP proxy on loopback in front of a Redis server that applies Toxiproxy's toxics
/// to live connections.

#include <asyncfix/fault/toxic.hpp>
#include <asyncfix/redis/redis_url.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncfix::fault {

/// A TCP proxy on 127.0.0.1 (an ephemeral port) in front of a Redis server reached over TCP or a
/// unix socket. Infrastructure like RedisServer, not a loop-bound resource: it runs its own
/// io_context on its own thread, so it keeps delaying and cutting bytes while a test's loop is
/// stopped or swapped.
///
///     auto proxy = FaultProxy::start(server->url());
///     RedisManager redis({.url = proxy->url()});
///     proxy->add(Toxic::parse("latency:latency=50"));   // every reply now arrives 50 ms late
///     proxy->clear();
///
/// Threads: every member may be called from any thread; toxics apply to live connections at their
/// next chunk (a toxic removed mid-wait ends the wait, and its held bytes flow on, as in
/// Toxiproxy). Randomness (jitter, slice sizes, toxicity draws) comes from one seed: seed(), set
/// with `seed` or ASYNCFIX_FAULT_SEED, printed with the first toxic so a run can be replayed.
/// Lifetimes: the destructor cuts every connection and stops the thread.
class FaultProxy {
 public:
  /// Listens on 127.0.0.1:`port` (0: an ephemeral port, the default) and forwards every
  /// connection to `upstream` (its credentials and db are kept for url()). Throws
  /// std::runtime_error naming the address when it cannot listen.
  static std::unique_ptr<FaultProxy> start(redis::RedisUrl upstream,
                                           std::optional<std::uint64_t> seed = std::nullopt,
                                           std::uint16_t port = 0);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  /// The URL clients use: redis://127.0.0.1:port() with the upstream's user, password and db.
  [[nodiscard]] redis::RedisUrl url() const;
  [[nodiscard]] std::uint16_t port() const noexcept;
  [[nodiscard]] std::uint64_t seed() const noexcept;

  /// Adds a toxic to every connection, live and new; returns its name ("latency_downstream",
  /// then "latency_downstream_2", ...).
  std::string add(const Toxic& toxic);
  /// Removes the named toxic; false when there is none. Removing a timeout toxic closes the
  /// connections it dropped data on (their byte stream has a hole), as Toxiproxy does.
  bool remove(const std::string& name);
  /// Removes every toxic.
  void clear();
  /// Whether the first toxic prints the seed on stderr (default true). A runner that records the
  /// seed itself turns it off.
  void announce_seed(bool on) noexcept;
  /// The toxics in force, as "name: spec".
  [[nodiscard]] std::vector<std::string> toxics() const;

  /// Cuts the live connections and resets each new one as it arrives (Toxiproxy's enabled=false;
  /// the listener stays, so no other process can take the port meanwhile). Returns when done.
  void down();
  /// Accepts connections again.
  void up();

  /// What the proxy holds right now, for deadline messages: "proxy 127.0.0.1:P: 412 bytes held by
  /// latency toxic (downstream)", "... dropping data (timeout toxic)", "... down".
  [[nodiscard]] std::vector<std::string> describe_pending() const;
  /// Connections currently open through the proxy.
  [[nodiscard]] std::size_t connections() const;

 private:
  struct Impl;
  explicit FaultProxy(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace asyncfix::fault
