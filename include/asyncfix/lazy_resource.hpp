#pragma once
/// @file
/// LazyResource<T>: create an async resource on first use, on the loop that is running, and heal
/// or fail when it is later used from another loop.

#include <asyncfix/detail/async_event.hpp>
#include <asyncfix/loop_affinity.hpp>
#include <asyncfix/loop_policy.hpp>
#include <asyncfix/loop_resource.hpp>
#include <asyncfix/test_loop.hpp>

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <source_location>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

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
  using Factory = std::function<boost::asio::awaitable<std::shared_ptr<T>>()>;
  using Closer = std::function<void(T&)>;

  LazyResource(std::string name, Factory factory, LoopPolicy policy = LoopPolicy::Reconnect,
               Closer closer = {})
      : state_(std::make_shared<State>(std::move(name), std::move(factory), policy,
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
  struct Slot;
  struct State;

  /// Registered with the instance's loop: closes the instance when that loop closes.
  struct LoopGuard final : LoopResource {
    LoopGuard(std::weak_ptr<State> owner_state, std::uint64_t loop_serial)
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
    std::weak_ptr<State> owner;
    std::uint64_t serial;
  };

  struct Slot {
    LoopAffinity affinity;
    std::shared_ptr<T> value;
    bool creating = false;
    std::exception_ptr error;
    std::shared_ptr<detail::AsyncEvent> ready = std::make_shared<detail::AsyncEvent>();
    std::shared_ptr<LoopGuard> guard;
  };

  struct State : std::enable_shared_from_this<State> {
    State(std::string n, Factory f, LoopPolicy p, Closer c)
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
    std::map<std::uint64_t, std::shared_ptr<Slot>> slots;  // by loop serial
    std::atomic<std::uint64_t> loop_changes{0};
    std::atomic<std::uint64_t> creations{0};
  };

  std::shared_ptr<State> state_;
};

template <class T>
boost::asio::awaitable<std::shared_ptr<T>> LazyResource<T>::get(std::source_location where) {
  auto state = state_;  // keeps the state alive across suspensions
  for (;;) {
    TestLoop* here = detail::running_loop();
    if (here == nullptr) {
      throw LoopAffinity(state->name).mismatch(LoopCheck::no_running_loop, where);
    }
    const auto serial = here->id().serial;
    std::shared_ptr<Slot> wait_on;
    std::shared_ptr<Slot> creating;
    std::vector<std::shared_ptr<T>> stale;
    {
      std::lock_guard lock(state->mutex);
      if (auto it = state->slots.find(serial); it != state->slots.end()) {
        auto& slot = it->second;
        if (slot->value) co_return slot->value;
        if (slot->creating) {
          wait_on = slot;
        } else {
          state->slots.erase(it);  // an earlier creation failed: try again below
        }
      }
      if (!wait_on) {
        // Instances of other loops: drop those whose loop closed (their loop closed them), then
        // apply the policy to the live ones.
        for (auto it = state->slots.begin(); it != state->slots.end();) {
          auto& slot = it->second;
          const bool closed = slot->affinity.loop_closed();
          if (state->policy == LoopPolicy::PerLoop) {
            if (closed && !slot->creating) {
              stale.push_back(std::move(slot->value));
              it = state->slots.erase(it);
            } else {
              ++it;
            }
            continue;
          }
          if (state->policy == LoopPolicy::Fail) {
            throw slot->affinity.mismatch(
                closed ? LoopCheck::bound_loop_closed : LoopCheck::mismatch, where);
          }
          if (slot->creating) {
            wait_on = slot;  // let that creation finish, then heal from it
            break;
          }
          stale.push_back(std::move(slot->value));
          it = state->slots.erase(it);
          state->loop_changes.fetch_add(1);
          here->count_loop_change();
        }
      }
      if (!wait_on) {
        creating = std::make_shared<Slot>();
        creating->affinity = LoopAffinity(state->name);
        creating->affinity.bind(*here, where);
        creating->creating = true;
        state->slots[serial] = creating;
      }
    }
    for (auto& value : stale) state->close_value(value);
    if (wait_on) {
      co_await wait_on->ready->wait();
      std::exception_ptr error;
      {
        std::lock_guard lock(state->mutex);
        if (wait_on->affinity.is_bound_to(*here)) error = wait_on->error;
      }
      if (error) std::rethrow_exception(error);
      continue;
    }

    std::shared_ptr<T> value;
    std::exception_ptr error;
    try {
      value = co_await state->factory();
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard lock(state->mutex);
      creating->creating = false;
      if (error || !value) {
        if (!error) {
          error = std::make_exception_ptr(
              std::runtime_error("asyncfix: the factory of '" + state->name + "' returned null"));
        }
        creating->error = error;
        if (auto it = state->slots.find(serial);
            it != state->slots.end() && it->second == creating) {
          state->slots.erase(it);
        }
      } else {
        creating->value = value;
        creating->guard = std::make_shared<LoopGuard>(state, serial);
        state->creations.fetch_add(1);
      }
    }
    creating->ready->set();
    if (error) std::rethrow_exception(error);
    here->register_resource(creating->guard);
    co_return value;
  }
}

template <class T>
std::shared_ptr<T> LazyResource<T>::peek() const {
  const TestLoop* here = current_loop();
  if (here == nullptr) return nullptr;
  std::lock_guard lock(state_->mutex);
  auto it = state_->slots.find(here->id().serial);
  return it == state_->slots.end() ? nullptr : it->second->value;
}

template <class T>
void LazyResource<T>::invalidate(const std::shared_ptr<T>& instance) {
  if (!instance) return;
  std::shared_ptr<T> value;
  {
    std::lock_guard lock(state_->mutex);
    for (auto it = state_->slots.begin(); it != state_->slots.end(); ++it) {
      if (it->second->value == instance) {
        value = std::move(it->second->value);
        state_->slots.erase(it);
        break;
      }
    }
  }
  state_->close_value(value);
}

template <class T>
void LazyResource<T>::reset() noexcept {
  std::vector<std::shared_ptr<T>> values;
  {
    std::lock_guard lock(state_->mutex);
    for (auto it = state_->slots.begin(); it != state_->slots.end();) {
      if (it->second->value) values.push_back(std::move(it->second->value));
      if (it->second->creating) {
        ++it;
      } else {
        it = state_->slots.erase(it);
      }
    }
  }
  for (auto& value : values) state_->close_value(value);
}

template <class T>
LoopAffinity LazyResource<T>::affinity() const {
  std::lock_guard lock(state_->mutex);
  if (const TestLoop* here = current_loop()) {
    if (auto it = state_->slots.find(here->id().serial); it != state_->slots.end()) {
      return it->second->affinity;
    }
  }
  return state_->slots.empty() ? LoopAffinity(state_->name)
                               : state_->slots.begin()->second->affinity;
}

template <class T>
std::size_t LazyResource<T>::size() const {
  std::lock_guard lock(state_->mutex);
  return state_->slots.size();
}

}  // namespace asyncfix
