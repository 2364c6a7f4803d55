#pragma once
/// @file
/// LazyResource<T>: create an async resource on first use, on the loop that is running, and heal
/// or fail when it is later used from another loop. (State: detail/lazy_state.hpp; the decision
/// get() takes: detail/lazy_decision.hpp; definitions: impl/lazy_resource.hpp.)

#include <asyncfix/affinity/loop_affinity.hpp>
#include <asyncfix/affinity/loop_policy.hpp>
#include <asyncfix/lazy/detail/lazy_state.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <source_location>
#include <string>

namespace asyncfix {

/// Creates a `T` lazily with an async factory, on the loop running at the first get(), and keeps
/// it bound to that loop. Concurrent first get()s from many coroutines create it once. A get() from
/// another loop follows the LoopPolicy: Reconnect closes the old instance (with `closer`), creates
/// a new one on the running loop and counts a loop change; Fail throws LoopMismatch naming both
/// loops; PerLoop keeps one instance per loop. When a loop closes, its instance is closed with it.
/// With Reconnect, `closer` runs on the thread of the get() that heals, which may be another
/// loop's thread while the old loop is still running: a `closer` for a T that is not thread-safe
/// must hand the close to T's own executor (RedisConnection::close() does).
///
///     asyncfix::LazyResource<Client> client("my client", [] { return Client::connect(); },
///                                           asyncfix::LoopPolicy::Reconnect,
///                                           [](Client& c) { c.close_now(); });
///     auto c = co_await client.get();
///
/// Thread-safe. `closer` runs synchronously on the thread that triggers it and must not throw.
template <class T>
class LazyResource {
 public:
  /// Creates an instance on the running loop (throws to fail the get()s waiting on it).
  using Factory = typename detail::LazyState<T>::Factory;
  /// Closes an instance; must not throw.
  using Closer = typename detail::LazyState<T>::Closer;

  LazyResource(std::string name, Factory factory, LoopPolicy policy = LoopPolicy::Reconnect,
               Closer closer = {})
      : state_(std::make_shared<detail::LazyState<T>>(std::move(name), std::move(factory), policy,
                                                      std::move(closer))) {}
  /// Closes every instance still held (reset()).
  ~LazyResource() { reset(); }
  LazyResource(const LazyResource&) = delete;
  LazyResource& operator=(const LazyResource&) = delete;

  /// The instance for the running loop, created on first use. Throws LoopMismatch (Fail policy, or
  /// no running loop) and whatever the factory throws; a failed creation is retried by the next
  /// get(), while the coroutines that were waiting on it get the same error.
  boost::asio::awaitable<std::shared_ptr<T>> get(
      std::source_location where = std::source_location::current());

  /// The instance bound to the running loop, or null; never creates.
  [[nodiscard]] std::shared_ptr<T> peek() const;

  /// Forgets `instance` (closing it) if it is still held, so the next get() on its loop creates a
  /// fresh one. For a connection found broken. Does not count as a loop change.
  void invalidate(const std::shared_ptr<T>& instance);

  /// Closes and forgets every instance. Never throws.
  void reset() noexcept;

  /// How many times an instance was replaced because it was used from another loop.
  [[nodiscard]] std::uint64_t loop_changes() const noexcept { return state_->loop_changes.load(); }
  /// How many instances the factory created successfully.
  [[nodiscard]] std::uint64_t creations() const noexcept { return state_->creations.load(); }
  /// The affinity of the instance for the running loop or, if none, of any instance held.
  [[nodiscard]] LoopAffinity affinity() const;
  /// Number of instances held (one per loop at most).
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] LoopPolicy policy() const noexcept { return state_->policy; }
  [[nodiscard]] const std::string& name() const noexcept { return state_->name; }

 private:
  std::shared_ptr<detail::LazyState<T>> state_;
};

}  // namespace asyncfix

#include <asyncfix/lazy/impl/lazy_resource.hpp>
