#pragma once
/// @file
/// What the tracked build of asyncfix asks handler tracking (library-internal; only the tracked
/// build, ASYNCFIX_HANDLER_TRACKING, defines these).

#include <asyncfix/loop_id.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace boost::asio {
class execution_context;
}  // namespace boost::asio

namespace asyncfix::detail {

/// The pending operations on objects of `context`, or started from the loop `loop_serial`, oldest
/// first, e.g. "deadline_timer async_wait started at app_test.cpp:57". asyncfix's own operations
/// (which its resources describe themselves) are left out.
[[nodiscard]] std::vector<std::string> tracked_operations(
    const boost::asio::execution_context& context, std::uint64_t loop_serial);

/// Records that `context` is the io_context of the loop `id`, so a mismatch can name it.
void note_loop_context(const boost::asio::execution_context& context, const LoopId& id);
/// Forgets what note_loop_context() recorded for `context`.
void forget_loop_context(const boost::asio::execution_context& context) noexcept;

}  // namespace asyncfix::detail
