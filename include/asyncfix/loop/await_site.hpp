#pragma once
/// @file
/// The line of each `co_await`, in a build with handler tracking (asyncfix_track_handlers).
/// Included by asyncfix/loop/handler_tracking.hpp: never include it yourself.
///
/// `boost::asio::use_awaitable` carries no source location, and Asio starts the operation only
/// after the awaiting coroutine has suspended (from the lazy coroutine the token returns), so
/// neither the token nor the stack can tell where the `co_await` was written. Instead, every
/// coroutine that returns `boost::asio::awaitable<T>` gets asyncfix's promise, AwaitSiteFrame:
/// Asio's own, plus an `await_transform` whose default `std::source_location` argument is the
/// `co_await` expression. Asio starts an operation from work it leaves to run once the awaiting
/// coroutine has suspended (after_suspend); that work runs with the `co_await`'s site pushed as
/// the innermost Location, and the operation is recorded with that line. With use_awaitable the
/// work is that of Asio's lazy initiation coroutine: its site is that of the coroutine that
/// suspended on this thread just before, when that coroutine is the one awaiting it.
///
/// Only coroutines on Asio's default executor (`awaitable<T>`) are covered; an operation started
/// for a coroutine on another executor, or from inside an awaitable operator (`a || b`), keeps
/// the line its token carries, if any.

#include <coroutine>
#include <source_location>
#include <type_traits>
#include <utility>

namespace boost::asio {
#if !defined(BOOST_ASIO_USE_TS_EXECUTOR_AS_DEFAULT)
class any_io_executor;
#endif
template <typename T, typename Executor>
class awaitable;
namespace detail {
template <typename>
class awaitable_frame_base;
template <typename>
class awaitable_thread;
template <typename, typename>
class awaitable_frame;
struct awaitable_thread_entry_point;
}  // namespace detail
}  // namespace boost::asio

#if !defined(BOOST_ASIO_USE_TS_EXECUTOR_AS_DEFAULT)

namespace asyncfix::tracking {

/// The `function` of a Location that is a `co_await`'s site (see Registry::link).
inline constexpr char await_site_marker[] = "co_await";

/// The coroutine that suspended last on this thread, and the `co_await` it suspended at.
struct Suspension {
  const void* frame = nullptr;  ///< its promise, as Asio's frame base
  std::source_location site;
};
inline thread_local Suspension last_suspension;

/// Work Asio left to run once a coroutine has suspended (awaitable_frame_base::after_suspend):
/// how it starts an operation, outside the coroutine's frame.
struct AfterSuspend {
  void (*function)(void*) = nullptr;
  void* argument = nullptr;
};

/// An awaiter of Asio's, wrapped: its suspension is noted, and the work it leaves to run after
/// the suspension runs with the `co_await`'s site as the innermost Location.
template <class Frame, class Inner>
class NotedAwaiter {
 public:
  NotedAwaiter(Inner inner, const void* frame, const std::source_location& site, bool site_known)
      : inner_(std::move(inner)), frame_(frame), site_(site), site_known_(site_known) {}

  bool await_ready() { return inner_.await_ready(); }

  template <class Promise>
  auto await_suspend(std::coroutine_handle<Promise> handle) {
    last_suspension = Suspension{frame_, site_};
    const auto frame_handle = std::coroutine_handle<Frame>::from_address(handle.address());
    if constexpr (std::is_void_v<decltype(inner_.await_suspend(frame_handle))>) {
      inner_.await_suspend(frame_handle);
      if (site_known_) handle.promise().route_after_suspend(after_suspend_, &run_at_site, this);
    } else {
      return inner_.await_suspend(frame_handle);
    }
  }

  decltype(auto) await_resume() { return inner_.await_resume(); }

 private:
  /// Runs the work Asio left, with the site pushed. Reads nothing of the awaiter after it starts
  /// that work: the operation may complete, and the coroutine resume, before it returns.
  static void run_at_site(void* self) {
    const auto& awaiter = *static_cast<const NotedAwaiter*>(self);
    const AfterSuspend work = awaiter.after_suspend_;
    Location site(awaiter.site_.file_name(), static_cast<int>(awaiter.site_.line()),
                  await_site_marker);
    work.function(work.argument);
  }

  Inner inner_;
  const void* frame_;
  std::source_location site_;
  bool site_known_;
  AfterSuspend after_suspend_;
};

/// The promise of a coroutine returning `boost::asio::awaitable<T>` in a tracked build: Asio's
/// awaitable_frame, whose awaits are noted (see the file's comment).
template <class T>
class AwaitSiteFrame
    : public boost::asio::detail::awaitable_frame<T, boost::asio::any_io_executor> {
  using Base = boost::asio::detail::awaitable_frame<T, boost::asio::any_io_executor>;
  using FrameBase = boost::asio::detail::awaitable_frame_base<boost::asio::any_io_executor>;
  using Thread = boost::asio::detail::awaitable_thread<boost::asio::any_io_executor>;

 public:
  /// Asio's await_transform, noting where the `co_await` was written.
  template <class Awaited>
  auto await_transform(Awaited&& awaited,
                       std::source_location site = std::source_location::current()) {
    using Inner = decltype(Base::await_transform(std::forward<Awaited>(awaited)));
    const FrameBase* self = this;
    if constexpr (std::is_invocable_r_v<Thread*, Awaited&, FrameBase*>) {
      // Asio's lazy initiation (use_awaitable), resumed right after the coroutine awaiting it
      // suspended: the operation it starts is that coroutine's, at that coroutine's co_await.
      const FrameBase* awaiting = this->caller_;
      const bool known = awaiting != nullptr && last_suspension.frame == awaiting;
      const auto awaiting_site = last_suspension.site;
      return NotedAwaiter<Base, Inner>(Base::await_transform(std::forward<Awaited>(awaited)), self,
                                       awaiting_site, known);
    } else {
      return NotedAwaiter<Base, Inner>(Base::await_transform(std::forward<Awaited>(awaited)), self,
                                       site, true);
    }
  }

  /// When an awaiter has just left work to run after this coroutine suspends, has `trampoline`
  /// run instead (with `awaiter`), keeping that work in `work`.
  void route_after_suspend(AfterSuspend& work, void (*trampoline)(void*), void* awaiter) noexcept {
    auto* context = this->resume_context_;
    if (context == nullptr || context->after_suspend_fn_ == nullptr) return;
    work = AfterSuspend{context->after_suspend_fn_, context->after_suspend_arg_};
    context->after_suspend_fn_ = trampoline;
    context->after_suspend_arg_ = awaiter;
  }
};

}  // namespace asyncfix::tracking

/// Every coroutine returning `boost::asio::awaitable<T>` (Asio's default executor) has
/// AwaitSiteFrame as its promise; Asio's own coroutine_traits covers every other executor.
template <typename T, typename... Args>
struct std::coroutine_traits<boost::asio::awaitable<T, boost::asio::any_io_executor>, Args...> {
  using promise_type =
      std::conditional_t<std::is_same_v<T, boost::asio::detail::awaitable_thread_entry_point>,
                         boost::asio::detail::awaitable_frame<T, boost::asio::any_io_executor>,
                         asyncfix::tracking::AwaitSiteFrame<T>>;
};

#endif  // !defined(BOOST_ASIO_USE_TS_EXECUTOR_AS_DEFAULT)
