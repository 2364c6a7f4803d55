#include "helper_library.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>

namespace tracking_helper {

bool compiled_with_tracking() {
#if defined(ASYNCFIX_HANDLER_TRACKING)
  return true;
#else
  return false;
#endif
}

boost::asio::awaitable<void> wait_on(boost::asio::io_context& context) {
  boost::asio::steady_timer timer(context, std::chrono::hours(1));
  co_await timer.async_wait(boost::asio::use_awaitable);
}

}  // namespace tracking_helper
