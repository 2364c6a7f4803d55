#pragma once
/// @file
/// asyncfix's Asio handler tracking: the header Asio includes when a target is built with
/// `BOOST_ASIO_CUSTOM_HANDLER_TRACKING=<asyncfix/loop/handler_tracking.hpp>`, which the CMake
/// function `asyncfix_track_handlers(target)` sets (never include it yourself).
///
/// With it, every asynchronous operation Asio starts carries what it is ("deadline_timer
/// async_wait"), the execution context it belongs to, the asyncfix loop it was started from and,
/// when the completion token carries one, the file:line that started it. asyncfix uses that to
/// - fail a test at once with a LoopMismatch when a coroutine of its loop waits on an operation
///   of another io_context's object (the wait would hang, or race with that context's thread);
/// - list the operations still pending, with their lines, when a deadline fires or teardown
///   finds a leak.
///
/// Changing Asio's operation layout is an ODR matter: every translation unit of a binary that
/// includes Asio must be built the same way, and the binary must link the tracked build of
/// asyncfix (asyncfix::fixture_tracked / asyncfix::main_tracked). See docs/guide.md, "Handler
/// tracking".
///
/// Asio includes this before it declares anything, so it declares only what the hooks need.

#include <cstdint>
#include <type_traits>

namespace boost::asio {
class execution_context;
namespace detail {
template <typename Executor, typename... Ts>
class awaitable_handler;
template <typename Signature, typename Executor>
class awaitable_async_op_handler;
}  // namespace detail
}  // namespace boost::asio

namespace asyncfix::tracking {

class Registry;

/// The base Asio gives every operation in a tracked build. It is linked into a process-wide list
/// while its operation is pending, and unlinks itself when Asio destroys the operation (completed,
/// cancelled and run, or discarded with its io_context).
class TrackedHandler {
 public:
  TrackedHandler(const TrackedHandler&) noexcept {}  // a copy is not a started operation
  TrackedHandler& operator=(const TrackedHandler&) noexcept { return *this; }

 protected:
  TrackedHandler() noexcept = default;
  ~TrackedHandler() {
    if (context_ != nullptr) forget();
  }

 private:
  friend class Registry;
  friend class Completion;
  void forget() noexcept;

  boost::asio::execution_context* context_ = nullptr;  ///< set while linked
  const char* object_type_ = nullptr;                  ///< "deadline_timer", "socket", ...
  const char* op_name_ = nullptr;                      ///< "async_wait", "async_read_some", ...
  const char* file_ = nullptr;                         ///< where it was started, when known
  int line_ = 0;
  const char* composed_ = nullptr;  ///< the composed operation it is part of ("async_read")
  std::uint64_t loop_serial_ = 0;   ///< the asyncfix loop it was started from (0: none)
  bool internal_ = false;           ///< asyncfix's own (its resources describe it themselves)
  TrackedHandler* prev_ = nullptr;
  TrackedHandler* next_ = nullptr;
};

/// Asio's BOOST_ASIO_HANDLER_LOCATION: a source location on a thread-local stack while an
/// operation is being started (Asio pushes the completion token's location, when it has one, and
/// its composed operations push their own).
class Location {
 public:
  Location(const char* file, int line, const char* function) noexcept;
  ~Location();
  Location(const Location&) = delete;
  Location& operator=(const Location&) = delete;

 private:
  friend class Registry;
  const char* file_;
  int line_;
  const char* function_;
  const Location* outer_;
};

/// True when `T` is, or holds among its template arguments (a few levels down, as a composed
/// operation or an adapter such as as_tuple wraps it), a handler that resumes a coroutine
/// (use_awaitable's, or the one of a `co_await` on a deferred operation).
template <class T, int Depth = 4>
struct ResumesCoroutine : std::false_type {};
template <class Executor, class... Ts, int Depth>
struct ResumesCoroutine<boost::asio::detail::awaitable_handler<Executor, Ts...>, Depth>
    : std::true_type {};
template <class Signature, class Executor, int Depth>
struct ResumesCoroutine<boost::asio::detail::awaitable_async_op_handler<Signature, Executor>, Depth>
    : std::true_type {};
template <template <class...> class Template, class... Args, int Depth>
struct ResumesCoroutine<Template<Args...>, Depth>
    : std::conditional_t<(Depth > 0), std::disjunction<ResumesCoroutine<Args, Depth - 1>...>,
                         std::false_type> {};

/// Links an operation that was started and, when a test's loop started it on another
/// io_context's object with a coroutine waiting for it (`resumes_coroutine`), fails that loop's
/// run with a LoopMismatch and throws it, so that the operation is never scheduled.
void created(boost::asio::execution_context& context, TrackedHandler& handler,
             const char* object_type, const char* op_name, bool resumes_coroutine);

/// Asio's BOOST_ASIO_HANDLER_CREATION: an operation of type `Op` was started (see created()). A
/// plain callback on another io_context is that context's business (a private context the test
/// runs itself, say); a coroutine of the loop waiting on it is the bug.
template <class Op>
void creation(boost::asio::execution_context& context, Op& op, const char* object_type,
              void* /*object*/, std::uintmax_t /*native_handle*/, const char* op_name) {
  created(context, op, object_type, op_name, ResumesCoroutine<Op>::value);
}

/// Asio's BOOST_ASIO_HANDLER_COMPLETION: while the handler runs, its operation's context is the
/// one this thread is running handlers of (an operation started there on that context is no
/// mismatch). The operation unlinks itself when Asio destroys it, before its handler runs.
class Completion {
 public:
  explicit Completion(const TrackedHandler& handler) noexcept;
  ~Completion();
  Completion(const Completion&) = delete;
  Completion& operator=(const Completion&) = delete;
  template <class... Args>
  void invocation_begin(const Args&...) noexcept {
    begin();
  }
  void invocation_end() noexcept { end(); }

 private:
  void begin() noexcept;
  void end() noexcept;

  boost::asio::execution_context* context_;
  boost::asio::execution_context* outer_ = nullptr;
  bool invoking_ = false;
};

}  // namespace asyncfix::tracking

// The macros Asio requires of a custom tracking header (boost/asio/detail/handler_tracking.hpp).
#define BOOST_ASIO_INHERIT_TRACKED_HANDLER : public ::asyncfix::tracking::TrackedHandler
#define BOOST_ASIO_ALSO_INHERIT_TRACKED_HANDLER , public ::asyncfix::tracking::TrackedHandler
#define BOOST_ASIO_HANDLER_TRACKING_INIT (void)0
#define BOOST_ASIO_HANDLER_LOCATION(args) ::asyncfix::tracking::Location asyncfix_location args
#define BOOST_ASIO_HANDLER_CREATION(args) ::asyncfix::tracking::creation args
#define BOOST_ASIO_HANDLER_COMPLETION(args) ::asyncfix::tracking::Completion tracked_completion args
#define BOOST_ASIO_HANDLER_INVOCATION_BEGIN(args) tracked_completion.invocation_begin args
#define BOOST_ASIO_HANDLER_INVOCATION_END tracked_completion.invocation_end()
#define BOOST_ASIO_HANDLER_OPERATION(args) (void)0
#define BOOST_ASIO_HANDLER_REACTOR_REGISTRATION(args) (void)0
#define BOOST_ASIO_HANDLER_REACTOR_DEREGISTRATION(args) (void)0
#define BOOST_ASIO_HANDLER_REACTOR_READ_EVENT 1
#define BOOST_ASIO_HANDLER_REACTOR_WRITE_EVENT 2
#define BOOST_ASIO_HANDLER_REACTOR_ERROR_EVENT 4
#define BOOST_ASIO_HANDLER_REACTOR_EVENTS(args) (void)0
#define BOOST_ASIO_HANDLER_REACTOR_OPERATION(args) (void)0

#include <asyncfix/loop/await_site.hpp>
