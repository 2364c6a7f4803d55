#pragma once
// A library of the user's with Asio code, outside asyncfix: asyncfix_track_handlers() gives it the
// tracking definitions too (tests/tracking/CMakeLists.txt).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

namespace tracking_helper {

/// True when this library was compiled with asyncfix's handler tracking.
bool compiled_with_tracking();

/// Waits an hour on a timer of `context`, started from this library's own code.
boost::asio::awaitable<void> wait_on(boost::asio::io_context& context);

}  // namespace tracking_helper
