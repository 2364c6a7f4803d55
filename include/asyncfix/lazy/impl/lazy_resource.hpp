#pragma once
/// @file
/// LazyResource<T>'s definitions (included by lazy_resource.hpp).

#include <asyncfix/lazy/detail/lazy_decision.hpp>
#include <asyncfix/lazy/detail/lazy_state.hpp>
#include <asyncfix/loop/test_loop.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace asyncfix {

namespace detail {

/// The instance slots of `state` as decide_get() sees them. Call with state.mutex held.
template <class T>
std::vector<LazySlotView> lazy_slot_views(const LazyState<T>& state) {
  std::vector<LazySlotView> views;
  views.reserve(state.slots.size());
  for (const auto& [loop, slot] : state.slots) {
    views.push_back({.loop = loop,
                     .has_value = slot->value != nullptr,
                     .creating = slot->creating,
                     .loop_closed = slot->affinity.loop_closed()});
  }
  return views;
}

/// Runs the factory for `slot` and publishes the outcome to every get() waiting on it.
template <class T>
boost::asio::awaitable<std::shared_ptr<T>> lazy_create(std::shared_ptr<LazyState<T>> state,
                                                       std::shared_ptr<LazySlot<T>> slot,
                                                       TestLoop& here) {
  const auto serial = here.id().serial;
  std::shared_ptr<T> value;
  std::exception_ptr error;
  try {
    value = co_await state->factory();
  } catch (...) {
    error = std::current_exception();
  }
  {
    std::lock_guard lock(state->mutex);
    slot->creating = false;
    if (error || !value) {
      if (!error) {
        error = std::make_exception_ptr(
            std::runtime_error("asyncfix: the factory of '" + state->name + "' returned null"));
      }
      slot->error = error;
      if (auto it = state->slots.find(serial); it != state->slots.end() && it->second == slot) {
        state->slots.erase(it);
      }
    } else {
      slot->value = value;
      slot->guard = std::make_shared<LazyLoopGuard<T>>(state, serial);
      state->creations.fetch_add(1);
    }
  }
  slot->ready->set();
  if (error) std::rethrow_exception(error);
  here.register_resource(slot->guard);
  co_return value;
}

/// Waits for the creation in `slot`; rethrows its failure when it was for the running loop. A
/// creation on another loop is polled on this loop's own timer, never awaited through its event:
/// the other loop would wake (or destroy) a waiter parked there after this loop may be gone.
template <class T>
boost::asio::awaitable<void> lazy_wait(const LazyState<T>& state, std::shared_ptr<LazySlot<T>> slot,
                                       const TestLoop& here) {
  if (slot->affinity.is_bound_to(here)) {
    co_await slot->ready->wait();
  } else {
    boost::asio::steady_timer poll(co_await boost::asio::this_coro::executor);
    while (!slot->ready->is_set()) {
      poll.expires_after(std::chrono::milliseconds(1));
      co_await poll.async_wait(boost::asio::use_awaitable);
    }
  }
  std::exception_ptr error;
  {
    std::lock_guard lock(state.mutex);
    if (slot->affinity.is_bound_to(here)) error = slot->error;
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace detail

template <class T>
boost::asio::awaitable<std::shared_ptr<T>> LazyResource<T>::get(std::source_location where) {
  using Action = detail::LazyDecision::Action;
  auto state = state_;  // keeps the state alive across suspensions
  for (;;) {
    TestLoop* here = detail::running_loop();
    if (here == nullptr) {
      throw LoopAffinity(state->name).mismatch(LoopCheck::no_running_loop, where);
    }
    const auto serial = here->id().serial;
    std::shared_ptr<detail::LazySlot<T>> slot;
    std::vector<std::shared_ptr<T>> stale;
    detail::LazyDecision decision;
    {
      std::lock_guard lock(state->mutex);
      decision = detail::decide_get(serial, state->policy, detail::lazy_slot_views(*state));
      for (const auto loop : decision.drop) {
        auto it = state->slots.find(loop);
        stale.push_back(std::move(it->second->value));
        state->slots.erase(it);
      }
      if (decision.loop_changes > 0) {
        state->loop_changes.fetch_add(decision.loop_changes);
        for (std::uint64_t i = 0; i < decision.loop_changes; ++i) here->count_loop_change();
      }
      switch (decision.action) {
        case Action::use_own:
          co_return state->slots.at(serial)->value;
        case Action::fail:
          break;
        case Action::wait:
          slot = state->slots.at(decision.slot_loop);
          break;
        case Action::create:
          slot = std::make_shared<detail::LazySlot<T>>();
          slot->affinity = LoopAffinity(state->name);
          slot->affinity.bind(*here, where);
          slot->creating = true;
          state->slots[serial] = slot;
          break;
      }
      if (decision.action == Action::fail) {
        throw state->slots.at(decision.slot_loop)->affinity.mismatch(decision.check, where);
      }
    }
    for (auto& value : stale) state->close_value(value);
    if (decision.action == Action::create)
      co_return co_await detail::lazy_create(state, slot, *here);
    co_await detail::lazy_wait(*state, slot, *here);
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
