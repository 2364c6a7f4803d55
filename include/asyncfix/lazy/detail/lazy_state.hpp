#pragma once
/// @file
/// The state a LazyResource<T> shares with its loop guards and its pending get()s
/// (library-internal).

#include <asyncfix/affinity/loop_affinity.hpp>
#include <asyncfix/affinity/loop_policy.hpp>
#include <asyncfix/loop/detail/async_event.hpp>
#include <asyncfix/loop/loop_resource.hpp>

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>

namespace asyncfix::detail {

template <class T>
struct LazyState;

/// Registered with an instance's loop: closes the instance when that loop closes.
template <class T>
struct LazyLoopGuard final : LoopResource {
  LazyLoopGuard(std::weak_ptr<LazyState<T>> owner_state, std::uint64_t loop_serial)
      : owner(std::move(owner_state)), serial(loop_serial) {}
  std::string resource_name() const override {
    auto state = owner.lock();
    return state ? state->name : "<released lazy resource>";
  }
  bool resource_open() const noexcept override {
    auto state = owner.lock();
    // Nothing to close, or T registers itself with its loop: never reported twice.
    if constexpr (std::is_base_of_v<LoopResource, T>) return false;
    if (!state || !state->closer) return false;
    std::lock_guard lock(state->mutex);
    auto it = state->slots.find(serial);
    return it != state->slots.end() && it->second->value != nullptr;
  }
  void close_now() noexcept override {
    if (auto state = owner.lock()) state->close_slot(serial);
  }
  std::weak_ptr<LazyState<T>> owner;
  std::uint64_t serial;
};

/// The instance of one loop, or its creation in progress, or its failure.
template <class T>
struct LazySlot {
  LoopAffinity affinity;
  std::shared_ptr<T> value;
  bool creating = false;
  std::exception_ptr error;
  std::shared_ptr<AsyncEvent> ready = std::make_shared<AsyncEvent>();
  std::shared_ptr<LazyLoopGuard<T>> guard;
};

/// Everything a LazyResource<T> holds, shared so that a get() suspended in the factory and the
/// loop guards outlive nothing they touch.
template <class T>
struct LazyState : std::enable_shared_from_this<LazyState<T>> {
  using Factory = std::function<boost::asio::awaitable<std::shared_ptr<T>>()>;
  using Closer = std::function<void(T&)>;

  LazyState(std::string n, Factory f, LoopPolicy p, Closer c)
      : name(std::move(n)), factory(std::move(f)), policy(p), closer(std::move(c)) {}

  void close_value(const std::shared_ptr<T>& value) noexcept {
    if (value && closer) {
      try {
        closer(*value);
      } catch (...) {
      }
    }
  }
  void close_slot(std::uint64_t serial) noexcept {
    std::shared_ptr<T> value;
    {
      std::lock_guard lock(mutex);
      auto it = slots.find(serial);
      if (it == slots.end()) return;
      // Keep the slot as a tombstone bound to the closed loop: the next get() from another loop
      // then heals (counted) or fails per policy, exactly as if the instance were still there.
      value = std::move(it->second->value);
    }
    close_value(value);
  }

  const std::string name;
  const Factory factory;
  const LoopPolicy policy;
  const Closer closer;
  mutable std::mutex mutex;
  std::map<std::uint64_t, std::shared_ptr<LazySlot<T>>> slots;  // by loop serial
  std::atomic<std::uint64_t> loop_changes{0};
  std::atomic<std::uint64_t> creations{0};
};

}  // namespace asyncfix::detail
