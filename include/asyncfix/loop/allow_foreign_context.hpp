#pragma once
/// @file
/// AllowForeignContext: says that a test's loop may start operations on another io_context's
/// objects on purpose (handler tracking only).

#include <boost/asio/execution_context.hpp>

namespace asyncfix {

/// With handler tracking (asyncfix_track_handlers), a test's loop that starts an operation on an
/// object of another io_context fails at once with a LoopMismatch. When another thread runs that
/// context on purpose (a server under test with its own thread, say), hold one of these for as
/// long as that is so:
///
///     boost::asio::io_context server_io;
///     std::jthread server_thread([&] { server_io.run(); });
///     asyncfix::AllowForeignContext allow(server_io);
///
/// Without tracking it does nothing. Thread-safe; guards for one context may nest.
class AllowForeignContext {
 public:
  /// Allows operations on `context`'s objects from any loop until destroyed.
  explicit AllowForeignContext(boost::asio::execution_context& context);
  ~AllowForeignContext();
  AllowForeignContext(const AllowForeignContext&) = delete;
  AllowForeignContext& operator=(const AllowForeignContext&) = delete;

 private:
  boost::asio::execution_context* context_;
};

namespace detail {
/// True while an AllowForeignContext for `context` is alive.
[[nodiscard]] bool foreign_context_allowed(const boost::asio::execution_context& context) noexcept;
}  // namespace detail

}  // namespace asyncfix
