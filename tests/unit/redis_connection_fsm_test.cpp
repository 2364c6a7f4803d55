// RedisConnection's logic without a redis-server: a scripted fake server sends late, partial,
// error and unwanted replies, and closes, and each test checks what the waiting coroutine got and
// that the connection stays consistent (in the style of Boost.Redis's FSM tests).
#include "asyncfix_test/fake_redis_server.hpp"
#include "redis/pending_command.hpp"

#include <asyncfix/asyncfix.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace {

using asyncfix::redis::Errc;
using asyncfix::redis::RedisConnection;
using asyncfix::redis::RedisError;
using asyncfix::redis::RedisOptions;
using asyncfix::redis::RedisUrl;
using asyncfix_test::FakeRedisServer;
using boost::asio::awaitable;
using namespace std::chrono_literals;

RedisOptions options_for(const FakeRedisServer& server) {
  RedisOptions options;
  options.url = RedisUrl::parse(server.url());
  options.command_timeout = 2s;
  return options;
}

std::vector<std::string> words(std::initializer_list<const char*> list) {
  return {list.begin(), list.end()};
}

/// The command's reply text, or "error <errc's message>: <what>" (or "error: <what>" otherwise).
awaitable<std::string> outcome(RedisConnection& connection, std::vector<std::string> args) {
  try {
    co_return (co_await connection.command(std::move(args))).text();
  } catch (const RedisError& e) {
    co_return "error " + e.code().message() + ": " + e.what();
  } catch (const std::exception& e) {
    co_return std::string("error: ") + e.what();
  }
}

class ConnectionFsm : public ::testing::Test {
 protected:
  std::shared_ptr<RedisConnection> connect(const RedisOptions& options) {
    return loop_.run(RedisConnection::connect(options));
  }
  std::string run_command(RedisConnection& connection, std::vector<std::string> args) {
    return loop_.run(outcome(connection, std::move(args)));
  }
  asyncfix::TestLoop loop_{"ConnectionFsm"};
};

/// A blocking client of `path` that takes a place in its accept queue (closed on destruction).
class QueuedClient {
 public:
  explicit QueuedClient(const std::string& path) : fd_(::socket(AF_UNIX, SOCK_STREAM, 0)) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof(address.sun_path) - 1);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  }
  ~QueuedClient() { ::close(fd_); }
  QueuedClient(const QueuedClient&) = delete;
  QueuedClient& operator=(const QueuedClient&) = delete;

 private:
  int fd_;
};

// Many clients connecting at once fill a unix socket's accept queue, and its connect then fails
// at once with EAGAIN (TCP would wait): a transient state, waited out within connect_timeout.
TEST_F(ConnectionFsm, AFullAcceptQueueIsWaitedOutWithinTheConnectTimeout) {
  FakeRedisServer server({FakeRedisServer::read_request(), FakeRedisServer::reply("+PONG\r\n")},
                         {.backlog = 0, .accept_delay = 200ms, .ignored_clients = 1});
  const QueuedClient filler(server.socket_path());  // the queue's one place
  auto options = options_for(server);
  options.connect_timeout = 5s;
  auto connection = connect(options);
  EXPECT_EQ(run_command(*connection, words({"PING"})), "PONG");
}

TEST_F(ConnectionFsm, AnAcceptQueueThatStaysFullFailsAtTheConnectTimeoutSayingSo) {
  FakeRedisServer server({}, {.backlog = 0, .accept_delay = 600ms, .ignored_clients = 1});
  const QueuedClient filler(server.socket_path());
  auto options = options_for(server);
  options.connect_timeout = 300ms;
  const auto start = std::chrono::steady_clock::now();
  try {
    connect(options);
    ADD_FAILURE() << "connected to a server that never accepts";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.errc(), Errc::connect_failed);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("accept queue stayed full"));
  }
  EXPECT_GE(std::chrono::steady_clock::now() - start, 250ms) << "gave up before connect_timeout";
}

// A real server confirms every channel of one SUBSCRIBE at once; this one makes the second
// confirmation come 300 ms after the first, and subscribe() must wait for it.
TEST_F(ConnectionFsm, SubscribeReturnsOnlyOnceTheServerConfirmedEveryChannel) {
  FakeRedisServer server({FakeRedisServer::read_request(),
                          FakeRedisServer::reply("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n"),
                          FakeRedisServer::pause(300ms),
                          FakeRedisServer::reply("*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n"),
                          FakeRedisServer::pause(100ms)});
  asyncfix::redis::RedisManager manager(options_for(server));
  const auto start = std::chrono::steady_clock::now();
  const auto took = loop_.run([&]() -> awaitable<std::chrono::steady_clock::duration> {
    auto subscription = co_await manager.subscribe("a", "b");
    co_return std::chrono::steady_clock::now() - start;
  }());
  EXPECT_GE(took, 250ms) << "subscribe() returned before the second confirmation";
  ASSERT_FALSE(server.requests().empty());
  EXPECT_EQ(server.requests().front(), "SUBSCRIBE a b");
}

TEST_F(ConnectionFsm, AnErrorReplyFailsOnlyItsCommand) {
  FakeRedisServer server({FakeRedisServer::read_request(), FakeRedisServer::reply("-ERR boom\r\n"),
                          FakeRedisServer::read_request(), FakeRedisServer::reply("$2\r\nok\r\n")});
  auto connection = connect(options_for(server));
  const auto failed = run_command(*connection, words({"GET", "k"}));
  EXPECT_NE(failed.find("error server error"), std::string::npos) << failed;
  EXPECT_NE(failed.find("GET k"), std::string::npos) << failed;
  EXPECT_NE(failed.find("ERR boom"), std::string::npos) << failed;
  EXPECT_TRUE(connection->is_open());
  EXPECT_EQ(run_command(*connection, words({"GET", "k"})), "ok");
  server.finish();
  EXPECT_EQ(server.requests(), words({"GET k", "GET k"}));
}

TEST_F(ConnectionFsm, APartialReplyCompletesWhenItsRestArrives) {
  FakeRedisServer server({FakeRedisServer::read_request(), FakeRedisServer::reply("$5\r\nhel"),
                          FakeRedisServer::pause(50ms), FakeRedisServer::reply("lo\r\n")});
  auto connection = connect(options_for(server));
  EXPECT_EQ(run_command(*connection, words({"GET", "k"})), "hello");
  EXPECT_EQ(connection->in_flight(), 0U);
}

TEST_F(ConnectionFsm, ALateReplyAfterTheTimeoutIsATimeoutAndIsNeverDelivered) {
  FakeRedisServer server({FakeRedisServer::read_request(), FakeRedisServer::pause(400ms),
                          FakeRedisServer::reply("$4\r\nlate\r\n")});
  auto options = options_for(server);
  options.command_timeout = 100ms;
  auto connection = connect(options);
  const auto start = std::chrono::steady_clock::now();
  const auto result = run_command(*connection, words({"GET", "slow"}));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_NE(result.find("error timeout"), std::string::npos) << result;
  EXPECT_NE(result.find("GET slow"), std::string::npos) << result;
  EXPECT_GE(took, 100ms);
  EXPECT_LT(took, 350ms) << "the deadline fired only when the late reply came";
  EXPECT_FALSE(connection->is_open());
  server.finish();  // the late reply is written to a dropped connection: nothing to deliver
  const auto after = run_command(*connection, words({"GET", "k"}));
  EXPECT_NE(after.find("error connection lost"), std::string::npos) << after;
}

/// Two commands in a row: the second is sent by the coroutine the first reply resumed (inside the
/// connection's reply batch).
awaitable<std::string> second_after_first(RedisConnection& connection) {
  auto first = words({"GET", "first"});
  auto second = words({"GET", "second"});
  co_await outcome(connection, std::move(first));
  co_return co_await outcome(connection, std::move(second));
}

TEST_F(ConnectionFsm, ACommandSentFromAReplyBatchTimesOutOnTime) {
  // The first reply comes after 60 ms, so the second command's 100 ms run from then: it must time
  // out 160 ms after the start, not when the first command's deadline would have been.
  FakeRedisServer server({FakeRedisServer::read_request(), FakeRedisServer::pause(60ms),
                          FakeRedisServer::reply("+one\r\n"), FakeRedisServer::read_request(),
                          FakeRedisServer::pause(500ms)});
  auto options = options_for(server);
  options.command_timeout = 100ms;
  auto connection = connect(options);
  const auto start = std::chrono::steady_clock::now();
  const auto result = loop_.run(second_after_first(*connection));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_NE(result.find("error timeout"), std::string::npos) << result;
  EXPECT_NE(result.find("GET second"), std::string::npos) << result;
  EXPECT_GE(took, 160ms);
  EXPECT_LT(took, 450ms);
}

/// The second command is sent from the first one's reply batch, then a PING is sent every 20 ms
/// while it waits; returns its outcome and how long it waited.
awaitable<std::pair<std::string, std::chrono::milliseconds>> second_while_pings_go_out(
    RedisConnection& connection) {
  const auto executor = co_await boost::asio::this_coro::executor;
  auto first = words({"GET", "first"});
  co_await outcome(connection, std::move(first));
  const auto sent = std::chrono::steady_clock::now();
  std::string second_result;
  auto second = words({"GET", "second"});
  boost::asio::co_spawn(executor, outcome(connection, std::move(second)),
                        [&](std::exception_ptr, std::string result) { second_result = result; });
  const auto waited = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 sent);
  };
  boost::asio::steady_timer tick(executor);
  while (second_result.empty() && waited() < 1s) {
    tick.expires_after(20ms);
    co_await tick.async_wait(boost::asio::use_awaitable);
    auto ping = words({"PING"});
    boost::asio::co_spawn(executor, outcome(connection, std::move(ping)), boost::asio::detached);
  }
  co_return std::pair{second_result, waited()};
}

TEST_F(ConnectionFsm, ACommandWithNoReplyTimesOutWhileOtherCommandsKeepBeingSent) {
  // Each PING's write ends an I/O batch; none of them may move the oldest command's deadline.
  FakeRedisServer server({FakeRedisServer::read_request(), FakeRedisServer::reply("+one\r\n"),
                          FakeRedisServer::pause(600ms)});
  auto options = options_for(server);
  options.command_timeout = 100ms;
  auto connection = connect(options);
  const auto [result, waited] = loop_.run(second_while_pings_go_out(*connection));
  EXPECT_NE(result.find("error timeout"), std::string::npos) << result;
  EXPECT_NE(result.find("GET second"), std::string::npos) << result;
  EXPECT_LT(waited, 400ms) << "the PINGs sent meanwhile postponed the deadline";
}

TEST_F(ConnectionFsm, ACancelledCommandResumesAtOnceAndItsLateReplyGoesToNobodyElse) {
  FakeRedisServer server({FakeRedisServer::read_request(), FakeRedisServer::wait_for_signal(),
                          FakeRedisServer::reply("$5\r\nfirst\r\n"),
                          FakeRedisServer::read_request(),
                          FakeRedisServer::reply("$6\r\nsecond\r\n")});
  auto connection = connect(options_for(server));
  std::string cancelled;
  loop_.run([](RedisConnection& c, std::string& result) -> awaitable<void> {
    boost::asio::cancellation_signal cancel;
    bool done = false;
    auto get_first = words({"GET", "first"});
    boost::asio::co_spawn(
        co_await boost::asio::this_coro::executor, outcome(c, std::move(get_first)),
        boost::asio::bind_cancellation_slot(cancel.slot(), [&](std::exception_ptr, std::string r) {
          result = std::move(r);
          done = true;
        }));
    boost::asio::steady_timer wait(co_await boost::asio::this_coro::executor, 20ms);
    co_await wait.async_wait(boost::asio::use_awaitable);
    cancel.emit(boost::asio::cancellation_type::terminal);
    while (!done) {
      wait.expires_after(1ms);
      co_await wait.async_wait(boost::asio::use_awaitable);
    }
  }(*connection, cancelled));
  EXPECT_NE(cancelled.find("Operation canceled"), std::string::npos) << cancelled;
  EXPECT_TRUE(connection->is_open()) << "cancelling a command must not drop the connection";
  server.signal();  // now the server answers the cancelled command, then the next one
  EXPECT_EQ(run_command(*connection, words({"GET", "second"})), "second");
  server.finish();
  EXPECT_EQ(server.requests(), words({"GET first", "GET second"}));
}

/// Runs a two-command pipeline on `redis`, cancels it after 20 ms and returns what exec() gave.
awaitable<std::string> cancelled_pipeline(asyncfix::redis::RedisManager& redis) {
  const auto executor = co_await boost::asio::this_coro::executor;
  auto pipeline = redis.pipeline();
  pipeline.add("SET", "k", "v").add("GET", "k");
  boost::asio::cancellation_signal cancel;
  std::string result;
  bool done = false;
  boost::asio::co_spawn(
      executor,
      [&]() -> awaitable<void> {
        try {
          co_await pipeline.exec();
          result = "no error";
        } catch (const std::exception& e) {
          result = e.what();
        }
      },
      boost::asio::bind_cancellation_slot(cancel.slot(), [&](std::exception_ptr) { done = true; }));
  boost::asio::steady_timer wait(executor, 20ms);
  co_await wait.async_wait(boost::asio::use_awaitable);
  cancel.emit(boost::asio::cancellation_type::terminal);
  while (!done) {
    wait.expires_after(1ms);
    co_await wait.async_wait(boost::asio::use_awaitable);
  }
  co_return result;
}

TEST_F(ConnectionFsm, ACancelledPipelineResumesAtOnceAndItsLateRepliesGoToNobodyElse) {
  FakeRedisServer server(
      {FakeRedisServer::read_request(), FakeRedisServer::read_request(),
       FakeRedisServer::wait_for_signal(), FakeRedisServer::reply("+OK\r\n$1\r\nv\r\n"),
       FakeRedisServer::read_request(), FakeRedisServer::reply("$6\r\nsecond\r\n")});
  asyncfix::redis::RedisManager redis(options_for(server));
  const auto cancelled = loop_.run(cancelled_pipeline(redis));
  EXPECT_NE(cancelled.find("Operation canceled"), std::string::npos) << cancelled;
  server.signal();  // now the server answers the cancelled pipeline, then the next command
  EXPECT_EQ(loop_.run(redis.get("second")), std::optional<std::string>("second"));
  server.finish();
  EXPECT_EQ(server.requests(), words({"SET k v", "GET k", "GET second"}));
}

/// Starts a GET, closes the connection while it is in flight, and returns what the GET got.
awaitable<std::string> close_while_pending(std::shared_ptr<RedisConnection> c) {
  std::string out;
  bool done = false;
  auto get_k = words({"GET", "k"});
  boost::asio::co_spawn(co_await boost::asio::this_coro::executor, outcome(*c, std::move(get_k)),
                        [&](std::exception_ptr, std::string r) {
                          out = std::move(r);
                          done = true;
                        });
  boost::asio::steady_timer wait(co_await boost::asio::this_coro::executor, 20ms);
  co_await wait.async_wait(boost::asio::use_awaitable);
  EXPECT_EQ(c->in_flight(), 1U);
  c->close();
  while (!done) {
    wait.expires_after(1ms);
    co_await wait.async_wait(boost::asio::use_awaitable);
  }
  co_return out;
}

TEST_F(ConnectionFsm, AReplyAfterCloseReachesNobodyAndTheWaiterGetsShutDown) {
  FakeRedisServer server({FakeRedisServer::read_request(), FakeRedisServer::wait_for_signal(),
                          FakeRedisServer::reply("$4\r\nlate\r\n")});
  auto connection = connect(options_for(server));
  const auto result = loop_.run(close_while_pending(connection));
  EXPECT_NE(result.find("error shut down"), std::string::npos) << result;
  server.signal();
  server.finish();
  EXPECT_FALSE(connection->is_open());
  EXPECT_EQ(connection->in_flight(), 0U);
}

/// Awaits one command, then throws; the coroutine was resumed inside hiredis's reply callback.
/// (co_spawn posts its completion, so the rethrow below runs later, outside hiredis.)
awaitable<void> command_then_throw(RedisConnection& connection) {
  auto get = words({"GET", "k"});
  co_await outcome(connection, std::move(get));
  throw std::runtime_error("thrown by the resumed coroutine");
}

TEST_F(ConnectionFsm, AnExceptionAfterAReplyResumedItsCoroutineLeavesTheConnectionUsable) {
  FakeRedisServer server({FakeRedisServer::read_request(), FakeRedisServer::reply("+one\r\n"),
                          FakeRedisServer::read_request(), FakeRedisServer::reply("+two\r\n"),
                          FakeRedisServer::read_request(), FakeRedisServer::wait_for_signal()});
  auto connection = connect(options_for(server));
  try {
    loop_.run([](RedisConnection& c) -> awaitable<void> {
      boost::asio::co_spawn(co_await boost::asio::this_coro::executor, command_then_throw(c),
                            [](std::exception_ptr e) {
                              if (e) std::rethrow_exception(e);
                            });
      boost::asio::steady_timer wait(co_await boost::asio::this_coro::executor, 2s);
      co_await wait.async_wait(boost::asio::use_awaitable);
    }(*connection));
    FAIL() << "the exception was lost";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "thrown by the resumed coroutine");
  }
  EXPECT_TRUE(connection->is_open());
  EXPECT_EQ(run_command(*connection, words({"GET", "k"})), "two");
  EXPECT_EQ(connection->in_flight(), 0U);
  // hiredis left its callback cleanly: closing still fails what is in flight.
  EXPECT_NE(loop_.run(close_while_pending(connection), 2s).find("error shut down"),
            std::string::npos);
  server.signal();
}

TEST_F(ConnectionFsm, TheServerClosingMidCommandIsConnectionLost) {
  FakeRedisServer server({FakeRedisServer::read_request(), FakeRedisServer::close_client()});
  auto connection = connect(options_for(server));
  const auto result = run_command(*connection, words({"GET", "k"}));
  EXPECT_NE(result.find("error connection lost"), std::string::npos) << result;
  EXPECT_FALSE(connection->is_open());
}

TEST_F(ConnectionFsm, ACommandFaultFailsTheNthCommandWithoutSendingIt) {
  FakeRedisServer server({FakeRedisServer::read_request(), FakeRedisServer::reply("+one\r\n"),
                          FakeRedisServer::read_request(), FakeRedisServer::reply("+three\r\n")});
  auto options = options_for(server);
  options.command_fault = asyncfix::redis::fail_count(2, Errc::server_error);
  auto connection = connect(options);
  EXPECT_EQ(run_command(*connection, words({"GET", "a"})), "one");
  const auto second = run_command(*connection, words({"GET", "b"}));
  EXPECT_NE(second.find("error server error"), std::string::npos) << second;
  EXPECT_NE(second.find("fail_count: command 2"), std::string::npos) << second;
  EXPECT_TRUE(connection->is_open()) << "only timeout and connection_lost faults drop it";
  EXPECT_EQ(run_command(*connection, words({"GET", "c"})), "three");
  server.finish();
  EXPECT_EQ(server.requests(), words({"GET a", "GET c"}));
}

TEST_F(ConnectionFsm, AConnectionLostFaultDropsTheConnectionLikeARealLoss) {
  FakeRedisServer server({FakeRedisServer::read_request(), FakeRedisServer::reply("+one\r\n")});
  auto options = options_for(server);
  options.command_fault = asyncfix::redis::fail_count(2);
  auto connection = connect(options);
  EXPECT_EQ(run_command(*connection, words({"GET", "a"})), "one");
  const auto second = run_command(*connection, words({"GET", "b"}));
  EXPECT_NE(second.find("error connection lost"), std::string::npos) << second;
  EXPECT_FALSE(connection->is_open());
}

TEST_F(ConnectionFsm, ADeadlineNamesTheCommandsStillInFlight) {
  FakeRedisServer server({FakeRedisServer::read_request(), FakeRedisServer::wait_for_signal()});
  auto connection = connect(options_for(server));
  try {
    loop_.run(outcome(*connection, words({"BLPOP", "jobs", "0"})), 150ms);
    FAIL() << "no deadline";
  } catch (const asyncfix::DeadlineExceeded& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("redis BLPOP jobs on " + server.url() + " (in flight"),
              std::string::npos)
        << message;
  }
  server.signal();
  connection->close_now();
}

TEST(CommandLabel, ShowsTheCommandAndItsFirstArgumentButNoSecret) {
  FakeRedisServer server({FakeRedisServer::read_request(), FakeRedisServer::reply("-ERR no\r\n")});
  asyncfix::TestLoop loop("CommandLabel");
  auto connection = loop.run(RedisConnection::connect(options_for(server)));
  const auto result =
      loop.run(outcome(*connection, words({"auth", "hunter2-secret", "more-secret"})));
  EXPECT_NE(result.find("AUTH ***"), std::string::npos) << result;
  EXPECT_EQ(result.find("hunter2"), std::string::npos) << result;
}

}  // namespace

namespace {

TEST(CommandLabel, ALongFirstArgumentIsCutWithAnEllipsisAndAShortOneKeptWhole) {
  using asyncfix::redis::detail::CommandLabel;
  EXPECT_EQ(CommandLabel("get", "user:1").str(), "GET user:1");
  const std::string key(100, 'k');
  const auto label = CommandLabel("get", key).str();
  EXPECT_EQ(label, "GET " + std::string(31, 'k') + "...");
  EXPECT_EQ(CommandLabel("get", std::string(34, 'k')).str(), "GET " + std::string(34, 'k'))
      << "a key that fits exactly is not cut";
}

}  // namespace
