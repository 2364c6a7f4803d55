// FaultProxy in front of a private redis-server: each toxic measured doing what it promises, on
// raw sockets where the bytes matter and through RedisManager where the classified error does.
#include "asyncfix_test/expect_redis_error.hpp"
#include "asyncfix_test/sleep.hpp"

#include <asyncfix/asyncfix.hpp>

#include "redis/sync_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using asyncfix::fault::FaultProxy;
using asyncfix::fault::Toxic;
using asyncfix::redis::Errc;
using asyncfix::redis::RedisManager;
using asyncfix::redis::RedisServer;
using asyncfix::redis::RedisUrl;
using asyncfix_test::expect_redis_error;
using boost::asio::ip::tcp;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// A blocking client socket to the proxy, speaking raw RESP. Every read gives up after 5 s
/// (SO_RCVTIMEO on plain recv(), which Asio's blocking reads would retry forever), so a toxic
/// that fails to close or to deliver fails the test instead of hanging it.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(boost::asio::ip::address_v4::loopback(), port));
    const timeval limit{5, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  }
  void send(const std::string& resp) { boost::asio::write(socket_, boost::asio::buffer(resp)); }
  /// Reads until EOF or an error (would_block after 5 s of silence); the bytes and the error.
  struct Drained {
    std::string bytes;
    boost::system::error_code error;
  };
  Drained drain() {
    Drained out;
    while (receive(out.bytes, 65536, out.error)) {
    }
    return out;
  }
  /// Reads `n` bytes, or fewer when the connection ends or stays silent for 5 s.
  std::string read_exactly(std::size_t n) {
    std::string bytes;
    boost::system::error_code error;
    while (bytes.size() < n && receive(bytes, n - bytes.size(), error)) {
    }
    return bytes;
  }

 private:
  /// Appends up to `max` received bytes; false (with `error` set) at EOF, error or timeout.
  bool receive(std::string& into, std::size_t max, boost::system::error_code& error) {
    std::array<char, 65536> buffer{};
    const auto n = ::recv(socket_.native_handle(), buffer.data(), std::min(max, buffer.size()), 0);
    if (n > 0) {
      into.append(buffer.data(), static_cast<std::size_t>(n));
      return true;
    }
    error = n == 0 ? boost::asio::error::eof
                   : boost::system::error_code(errno, boost::system::system_category());
    return false;
  }

  boost::asio::io_context io_;
  tcp::socket socket_;
};

std::string resp(std::initializer_list<std::string> words) {
  std::string out = "*" + std::to_string(words.size()) + "\r\n";
  for (const auto& w : words) out += "$" + std::to_string(w.size()) + "\r\n" + w + "\r\n";
  return out;
}

class FaultProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = RedisServer::start();
    proxy_ = FaultProxy::start(server_->url(), 42);
  }
  /// SETs `key` to `size` bytes directly on the server (no toxics on the way).
  void put(const std::string& key, std::size_t size) {
    asyncfix::TestLoop loop("put");
    RedisManager direct({.url = server_->url()});
    loop.run(direct.set(key, std::string(size, 'v')));
    loop.run(direct.shutdown());
  }
  std::string reply_of(std::size_t size) {
    return "$" + std::to_string(size) + "\r\n" + std::string(size, 'v') + "\r\n";
  }

  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<FaultProxy> proxy_;
};

TEST_F(FaultProxyTest, PassesCommandsThroughUntouchedAndKeepsTheUpstreamsCredentials) {
  asyncfix::TestLoop loop("FaultProxy.Passthrough");
  RedisManager redis({.url = proxy_->url()});
  loop.run(redis.set("k", "v"));
  EXPECT_EQ(loop.run(redis.get("k")), "v");
  EXPECT_EQ(proxy_->connections(), 1U);
  EXPECT_EQ(proxy_->url().port, proxy_->port());
  loop.run(redis.shutdown());
}

TEST_F(FaultProxyTest, LatencyDelaysEveryReplyByItsAmount) {
  asyncfix::TestLoop loop("FaultProxy.Latency");
  RedisManager redis({.url = proxy_->url()});
  loop.run(redis.ping());
  EXPECT_EQ(proxy_->add(Toxic::parse("latency:latency=120")), "latency_downstream");
  const auto start = Clock::now();
  loop.run(redis.ping());
  const double elapsed = ms_since(start);
  EXPECT_GE(elapsed, 120.0);
  EXPECT_LT(elapsed, 120.0 + 300.0) << "far more than the toxic's latency";
  proxy_->clear();
  const auto after = Clock::now();
  loop.run(redis.ping());
  EXPECT_LT(ms_since(after), 100.0) << "clear() must remove the latency";
  loop.run(redis.shutdown());
}

// RedisTest's teardown fallback deletes the test's keys over a blocking client, inside the hard
// watchdog's margin: behind a slow link, with many keys to SCAN, it must stop at its deadline
// (the whole agent binary under a bandwidth fault once ended with exit 86 here).
TEST_F(FaultProxyTest, TheBlockingKeyCleanupStopsAtItsDeadlineBehindASlowLink) {
  {
    asyncfix::redis::detail::SyncClient direct(server_->url(), 5s);
    ASSERT_FALSE(direct.command({"DEBUG", "POPULATE", "20000", "afx-many"}).is_error());
  }
  proxy_->add(Toxic::parse("latency:latency=300"));
  asyncfix::redis::detail::SyncClient slow(proxy_->url(), 5s);
  const auto started = Clock::now();
  try {
    slow.unlink_matching("afx-none:*", 1'000, Clock::now() + 500ms);
    ADD_FAILURE() << "the cleanup went through every round";
  } catch (const asyncfix::redis::RedisError& e) {
    EXPECT_EQ(e.errc(), Errc::timeout) << e.what();
    EXPECT_THAT(e.what(), HasSubstr("out of time for the cleanup")) << e.what();
  }
  // 20 rounds of SCAN at 300 ms each without the deadline; with it, one reply late at most.
  EXPECT_LT(Clock::now() - started, 1'500ms);
}

TEST_F(FaultProxyTest, LimitDataForwardsExactlyItsBytesThenCloses) {
  put("big", 1000);
  proxy_->add(Toxic::parse("limit_data:bytes=100"));
  RawClient client(proxy_->port());
  client.send(resp({"GET", "big"}));
  const auto got = client.drain();
  EXPECT_EQ(got.bytes.size(), 100U);
  EXPECT_EQ(got.bytes, reply_of(1000).substr(0, 100)) << "the bytes that pass are unchanged";
  EXPECT_EQ(got.error, boost::asio::error::eof);
}

TEST_F(FaultProxyTest, LimitDataClosesAtOnceWhenTheLimitFallsOnAChunkBoundary) {
  proxy_->add(Toxic::parse(
      "limit_data:bytes=7"));  // "+PONG\r\n" is 7 bytes: the whole reply, then the close
  RawClient client(proxy_->port());
  client.send(resp({"PING"}));
  const auto got = client.drain();
  EXPECT_EQ(got.bytes, "+PONG\r\n");
  EXPECT_EQ(got.error, boost::asio::error::eof)
      << "closed at the limit, not left open: " << got.error.message();
}

TEST_F(FaultProxyTest, ResetPeerIsSeenAsAConnectionReset) {
  proxy_->add(Toxic::parse("reset_peer:timeout=0"));
  RawClient client(proxy_->port());
  client.send(resp({"PING"}));
  const auto got = client.drain();
  EXPECT_EQ(got.error, boost::asio::error::connection_reset) << got.error.message();
  EXPECT_TRUE(got.bytes.empty());
}

TEST_F(FaultProxyTest, BandwidthHoldsTheRateWithinTwentyPercent) {
  constexpr std::size_t size = 100 * 1024;
  put("big", size);
  proxy_->add(Toxic::parse("bandwidth:rate=250"));  // 100 KiB at 250 KiB/s: 400 ms
  RawClient client(proxy_->port());
  const auto start = Clock::now();
  client.send(resp({"GET", "big"}));
  EXPECT_EQ(client.read_exactly(reply_of(size).size()), reply_of(size));
  const double elapsed = ms_since(start);
  const double expected = 1000.0 * static_cast<double>(reply_of(size).size()) / (250.0 * 1024);
  EXPECT_GE(elapsed, 0.8 * expected);
  EXPECT_LE(elapsed, 1.2 * expected + 50.0) << "(50 ms for the machine)";
}

TEST_F(FaultProxyTest, SlicerCutsRepliesIntoDelayedSlicesAndLosesNothing) {
  put("big", 2000);
  proxy_->add(Toxic::parse("slicer:average_size=100,size_variation=20,delay=2000"));
  RawClient client(proxy_->port());
  const auto start = Clock::now();
  client.send(resp({"GET", "big"}));
  const auto whole = reply_of(2000);
  EXPECT_EQ(client.read_exactly(whole.size()), whole);
  // At most 120 bytes a slice: at least 16 slices, so 15 pauses of 2 ms between them.
  EXPECT_GE(ms_since(start), 15 * 2.0);
  EXPECT_TRUE(proxy_->describe_pending().empty());
}

TEST_F(FaultProxyTest, SlowCloseDelaysTheCloseByItsAmount) {
  proxy_->add(Toxic::parse("slow_close:delay=250"));
  RawClient client(proxy_->port());
  client.send(resp({"QUIT"}));
  EXPECT_EQ(client.read_exactly(5), "+OK\r\n");
  const auto start = Clock::now();
  const auto rest = client.drain();
  EXPECT_EQ(rest.error, boost::asio::error::eof);
  EXPECT_GE(ms_since(start), 200.0) << "the server's close was passed on without the delay";
}

TEST_F(FaultProxyTest, TimeoutZeroIsABlackholeNamedInPendingAndClearHeals) {
  asyncfix::TestLoop loop("FaultProxy.Blackhole");
  RedisManager redis({.url = proxy_->url(), .command_timeout = 200ms});
  loop.run(redis.ping());
  proxy_->add(Toxic::parse("timeout:timeout=0"));
  const auto error = expect_redis_error(loop, redis.ping());
  EXPECT_EQ(error.errc(), Errc::timeout) << error.what();
  const auto pending = proxy_->describe_pending();
  ASSERT_FALSE(pending.empty());
  EXPECT_THAT(pending.front(), HasSubstr("dropping downstream data (timeout toxic"));
  proxy_->clear();
  EXPECT_NO_THROW(loop.run(redis.ping())) << "the manager reconnects once the toxic is gone";
  loop.run(redis.shutdown());
}

TEST_F(FaultProxyTest, HeldBytesAreNamedWhileALatencyToxicHoldsThem) {
  proxy_->add(Toxic::parse("latency:latency=2000"));
  RawClient client(proxy_->port());
  client.send(resp({"PING"}));
  std::vector<std::string> pending;
  for (int i = 0; i < 100 && pending.empty(); ++i) {
    std::this_thread::sleep_for(10ms);
    pending = proxy_->describe_pending();
  }
  ASSERT_FALSE(pending.empty());
  EXPECT_THAT(pending.front(), HasSubstr(": 7 bytes held by latency toxic (downstream)"));
  const auto start = Clock::now();
  proxy_->clear();  // a removed toxic releases what it held
  EXPECT_EQ(client.read_exactly(7), "+PONG\r\n");
  EXPECT_LT(ms_since(start), 1000.0);
}

TEST_F(FaultProxyTest, BandwidthZeroPassesNothingUntilItIsRemovedWhateverElseChanges) {
  const auto name = proxy_->add(Toxic::parse("bandwidth:rate=0"));
  RawClient client(proxy_->port());
  client.send(resp({"PING"}));
  std::this_thread::sleep_for(100ms);
  proxy_->add(
      Toxic::parse("latency:latency=0@upstream"));  // another change must not release the bytes
  std::this_thread::sleep_for(100ms);
  EXPECT_THAT(proxy_->describe_pending(),
              ::testing::Contains(HasSubstr("7 bytes held by bandwidth toxic (downstream)")));
  proxy_->remove(name);
  EXPECT_EQ(client.read_exactly(7), "+PONG\r\n");
}

TEST_F(FaultProxyTest, DownResetsNewConnectionsAndCutsLiveOnesAndUpRestoresThem) {
  asyncfix::TestLoop loop("FaultProxy.Down");
  RedisManager redis({.url = proxy_->url(), .connect_timeout = 300ms});
  loop.run(redis.ping());
  proxy_->down();
  EXPECT_EQ(proxy_->connections(), 0U);
  EXPECT_THAT(proxy_->describe_pending(), ::testing::Contains(HasSubstr("down")));
  const auto error = expect_redis_error(loop, redis.ping());
  EXPECT_TRUE(error.errc() == Errc::connection_lost || error.errc() == Errc::connect_failed)
      << error.what();
  RawClient arriving(proxy_->port());
  // The reset is reported once: by the write when it arrived first, else by the read.
  boost::system::error_code reset;
  try {
    arriving.send(resp({"PING"}));
  } catch (const boost::system::system_error& e) {
    reset = e.code();
  }
  const auto got = arriving.drain();
  if (!reset) reset = got.error;
  EXPECT_TRUE(reset == boost::asio::error::connection_reset ||
              reset == boost::asio::error::broken_pipe)
      << reset.message();
  EXPECT_TRUE(got.bytes.empty()) << "a connection arriving while down must be reset";
  proxy_->up();
  EXPECT_NO_THROW(loop.run(redis.ping()));
  loop.run(redis.shutdown());
}

TEST_F(FaultProxyTest, ASharedReconnectManagerSurvivesAResetHandshakeOnOneLoopAndHealsOnTheNext) {
  // Found by `asyncfix matrix` (sample 4 under `down`): a suite-wide manager whose heal onto a
  // test's loop failed its handshake left a handler pending on that loop, and crashed the next
  // test, which healed onto its own loop.
  RedisManager shared({.url = proxy_->url()});
  {
    asyncfix::TestLoop first("first");
    first.run(shared.ping());
  }
  proxy_->down();
  {
    asyncfix::TestLoop second("second");
    const auto error = expect_redis_error(second, shared.ping());
    // The reset lands on the connect itself or on the handshake after it, as the timing falls.
    EXPECT_TRUE(error.errc() == Errc::connection_lost || error.errc() == Errc::connect_failed)
        << error.what();
    EXPECT_TRUE(second.drain(200ms)) << "nothing of the failed handshake may stay pending";
  }
  proxy_->up();
  {
    asyncfix::TestLoop third("third");
    EXPECT_NO_THROW(third.run(shared.ping()));
    third.run(shared.shutdown());
  }
}

TEST_F(FaultProxyTest, AnAcceptThatRunsOutOfDescriptorsIsSaidAndRetriedUntilItWorks) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // A sanitizer's runtime opens files itself (UBSan reads /proc/self/maps to check a vptr) and
  // reports false errors in a process with no descriptor left; the plain build runs this test.
  GTEST_SKIP() << "needs a process without a sanitizer runtime (it takes every descriptor)";
#endif
  // The client's socket first, then every descriptor this process may open is taken: the
  // connection reaches the proxy's backlog, and its accept() fails with EMFILE.
  const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(client, 0);
  const timeval limit{5, 0};
  ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  rlimit before{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &before), 0);
  int highest = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    highest = std::max(highest, std::stoi(entry.path().filename().string()));
  }
  rlimit lowered = before;
  lowered.rlim_cur = static_cast<rlim_t>(highest) + 16;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &lowered), 0);
  std::vector<int> taken;
  for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) taken.push_back(fd);
  sockaddr_in proxy{};
  proxy.sin_family = AF_INET;
  proxy.sin_port = htons(proxy_->port());
  proxy.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int connected = ::connect(client, reinterpret_cast<const sockaddr*>(&proxy), sizeof proxy);
  std::this_thread::sleep_for(200ms);
  const auto described = proxy_->describe_pending();
  for (const int fd : taken) ::close(fd);
  ::setrlimit(RLIMIT_NOFILE, &before);
  ASSERT_EQ(connected, 0) << "the backlog takes it";
  EXPECT_THAT(described, ::testing::Contains(HasSubstr("cannot accept connections")))
      << "the proxy says why clients wait";
  // Descriptors are back: the proxy accepts the waiting client and forwards its PING.
  const std::string ping = resp({"PING"});
  ASSERT_EQ(::send(client, ping.data(), ping.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(ping.size()));
  std::array<char, 16> reply{};
  const auto n = ::recv(client, reply.data(), reply.size(), 0);
  ::close(client);
  EXPECT_EQ(std::string(reply.data(), n > 0 ? static_cast<std::size_t>(n) : 0), "+PONG\r\n")
      << "the proxy stopped accepting for good";
  EXPECT_THAT(proxy_->describe_pending(),
              ::testing::Not(::testing::Contains(HasSubstr("cannot accept connections"))));
}

TEST_F(FaultProxyTest, ToxicityZeroNeverAppliesAndTheSeedDecidesWhichConnectionsGetAToxic) {
  proxy_->add(Toxic::parse("latency:latency=1000%0"));
  {
    RawClient client(proxy_->port());
    const auto start = Clock::now();
    client.send(resp({"PING"}));
    EXPECT_EQ(client.read_exactly(7), "+PONG\r\n");
    EXPECT_LT(ms_since(start), 500.0);
  }
  // Half the connections get a latency toxic; which ones follows from the seed alone.
  auto pattern = [&](std::uint64_t seed) {
    auto proxy = FaultProxy::start(server_->url(), seed);
    proxy->add(Toxic::parse("latency:latency=60%0.5"));
    std::string delayed;
    for (int i = 0; i < 8; ++i) {
      RawClient client(proxy->port());
      const auto start = Clock::now();
      client.send(resp({"PING"}));
      (void)client.read_exactly(7);
      delayed += ms_since(start) >= 60.0 ? '1' : '0';
    }
    return delayed;
  };
  const auto first = pattern(7);
  EXPECT_EQ(pattern(7), first) << "the same seed must give the same connections the toxic";
  EXPECT_NE(first, "00000000");
  EXPECT_NE(first, "11111111");
}

}  // namespace

namespace {

using asyncfix::redis::RedisError;
using asyncfix_test::sleep_for;

class FaultFixture : public asyncfix::fault::FaultRedisTest {};

boost::asio::awaitable<void> ping_through(RedisManager& redis) {
  co_await redis.ping();
}

ASYNC_TEST_F(FaultFixture, AResetIsConnectionLostAndClearingTheFaultsHeals) {
  co_await redis().set(key("k"), "v");
  faults().add(Toxic::parse("reset_peer:timeout=0"));
  Errc got{};
  try {
    (void)co_await redis().get(key("k"));
  } catch (const RedisError& e) {
    got = e.errc();
  }
  CO_ASSERT_EQ(got, Errc::connection_lost);
  faults().clear();
  CO_ASSERT_EQ(co_await redis().get(key("k")), "v");
}

ASYNC_TEST_F(FaultFixture, WhatTheProxyHoldsIsAmongTheLoopsPendingOperations) {
  co_await redis().ping();
  faults().add(Toxic::parse("latency:latency=3000"));
  spawn("slow ping", ping_through(redis()));
  std::vector<std::string> pending;
  for (int i = 0; i < 100; ++i) {
    co_await sleep_for(10ms);
    pending = loop().pending_operations();
    if (std::any_of(pending.begin(), pending.end(),
                    [](const std::string& p) { return p.find("held by latency") != p.npos; })) {
      break;
    }
  }
  EXPECT_THAT(pending, ::testing::Contains(HasSubstr("bytes held by latency toxic (downstream)")));
}

}  // namespace
