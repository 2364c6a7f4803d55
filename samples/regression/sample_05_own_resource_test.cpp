// Sample 5: your own async resource (here a tiny client with its own socket) made loop-safe with
// asyncfix::LazyResource<T>: created on first use on the running loop, closed with its loop, and
// healed (or refused) when used from another loop.
#include <asyncfix/asyncfix.hpp>

#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

using boost::asio::awaitable;
using boost::asio::use_awaitable;

/// A stand-in for a client you own: one socket to the Redis server (unix or TCP, as the URL says),
/// speaking inline PING.
class PingClient {
 public:
  static awaitable<std::shared_ptr<PingClient>> connect(asyncfix::redis::RedisUrl url) {
    auto client = std::make_shared<PingClient>(co_await boost::asio::this_coro::executor);
    using generic = boost::asio::generic::stream_protocol;
    const auto endpoint =
        url.kind == asyncfix::redis::RedisUrl::Kind::unix_socket
            ? generic::endpoint(boost::asio::local::stream_protocol::endpoint(url.path))
            : generic::endpoint(boost::asio::ip::tcp::endpoint(
                  boost::asio::ip::make_address(url.host), url.port));
    co_await client->socket_.async_connect(endpoint, use_awaitable);
    co_return client;
  }
  explicit PingClient(const boost::asio::any_io_executor& executor) : socket_(executor) {}

  awaitable<std::string> ping() {
    co_await boost::asio::async_write(socket_, boost::asio::buffer(std::string_view("PING\r\n")),
                                      use_awaitable);
    boost::asio::streambuf reply;
    co_await boost::asio::async_read_until(socket_, reply, "\r\n", use_awaitable);
    std::string line(boost::asio::buffers_begin(reply.data()),
                     boost::asio::buffers_end(reply.data()));
    co_return line.substr(0, line.find('\r'));
  }
  void close() { socket_.close(); }

 private:
  boost::asio::generic::stream_protocol::socket socket_;
};

class OwnResourceSample : public asyncfix::AsyncTest {
 protected:
  // Close the client at teardown, on the test's loop; left open, teardown would report a leak.
  void SetUp() override {
    // The second function is the fallback, for a loop that can no longer run (stopped first).
    on_teardown(
        "close ping client",
        [this]() -> awaitable<void> {
          client_.reset();
          co_return;
        },
        [this] { client_.reset(); });
    AsyncTest::SetUp();
  }

  // Lazy: nothing connects until get(); the closer runs when the loop closes or the resource heals.
  asyncfix::LazyResource<PingClient> client_{
      "ping client",
      [] { return PingClient::connect(asyncfix::redis::RedisEnvironment::instance().url()); },
      asyncfix::LoopPolicy::Reconnect, [](PingClient& c) { c.close(); }};
};

ASYNC_TEST_F(OwnResourceSample, CreatedOnFirstUseOnTheTestLoop) {
  EXPECT_EQ(client_.size(), 0U);
  auto client = co_await client_.get();
  CO_ASSERT_EQ(co_await client->ping(), "+PONG");
  EXPECT_ON_CURRENT_LOOP(client_);
}

ASYNC_TEST_F(OwnResourceSample, HealsWhenUsedFromAnotherLoop) {
  auto first = co_await client_.get();
  {
    // Another loop (a helper thread's, say) uses the same LazyResource: it gets its own client.
    asyncfix::TestLoop other("OwnResourceSample [other loop]");
    std::exception_ptr failure;  // an exception must not leave a thread: it would abort the run
    std::thread([&] {
      try {
        other.run([](asyncfix::LazyResource<PingClient>& lazy) -> awaitable<void> {
          auto c = co_await lazy.get();
          co_await c->ping();
        }(client_));
      } catch (...) {
        failure = std::current_exception();
      }
    }).join();
    if (failure) std::rethrow_exception(failure);
  }
  EXPECT_EQ(client_.loop_changes(), 1U);
  auto again = co_await client_.get();  // back on the test loop: heals once more
  EXPECT_NE(again, first);
  CO_ASSERT_EQ(co_await again->ping(), "+PONG");
  EXPECT_EQ(client_.loop_changes(), 2U);
}
