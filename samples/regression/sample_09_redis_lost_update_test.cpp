// Sample 9: a lost update through Redis that the FIFO order never shows. Two agents each add one to
// a shared counter key. The racy agent reads it (GET), then writes what it read plus one (SET): a
// read-modify-write without WATCH. The second agent arrives one round trip later (a PING first),
// so in Asio's FIFO order the first agent's SET is sent before the second agent's GET, and the
// test passes every time. Both replies come back in one read, though, and each resumes its own
// agent: explore the orders of those resumptions and the second GET overtakes the first SET:
//
//   asyncfix explore --runs 100 --strategy random --
//       asyncfix_samples --gtest_filter='RedisLostUpdateSample.Racy*'
//
// With real I/O a seed replays the order of the handlers, not the network's timing: see
// docs/guide.md ("How exact a replay is"). The fixed agent WATCHes the key and retries when EXEC
// reports that it changed, and passes under every schedule.
#include <asyncfix/asyncfix.hpp>

#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <memory>
#include <string>

using asyncfix::redis::Errc;
using asyncfix::redis::RedisError;
using boost::asio::awaitable;
using boost::asio::use_awaitable;
using Done = boost::asio::experimental::channel<void(boost::system::error_code)>;

class RedisLostUpdateSample : public asyncfix::redis::RedisTest {
 protected:
  static constexpr int agents = 2;

  /// Adds one to the counter with GET, then SET: two commands, and an await between them.
  awaitable<void> add_one_racy(const std::string& counter) {
    const auto seen = std::stoll((co_await redis().get(counter)).value_or("0"));
    co_await redis().set(counter, std::to_string(seen + 1));
  }

  /// Adds one under WATCH: EXEC refuses the write when another client changed the counter since
  /// the read, and the agent reads again.
  awaitable<void> add_one_watched(const std::string& counter) {
    for (;;) {
      auto tx = co_await redis().watch(counter);
      const auto seen = std::stoll((co_await tx.command("GET", counter)).text());
      tx.add("SET", counter, seen + 1);
      bool committed = true;
      try {
        co_await tx.exec();
      } catch (const RedisError& e) {
        if (e.code() != Errc::transaction_aborted) throw;
        committed = false;
      }
      if (committed) co_return;
    }
  }

  /// Runs the agents, agent k after k round trips, and returns the counter they leave.
  awaitable<long long> counter_after_agents(bool racy) {
    const auto counter = key("counter");
    co_await redis().set(counter, "0");
    // Shared with the agents, not borrowed: one may still be resuming from its send when the
    // body has every message and returns (see sample 8).
    auto done = std::make_shared<Done>(co_await boost::asio::this_coro::executor, agents);
    for (int agent = 0; agent < agents; ++agent) {
      // Each agent a task of its own (spawn()), so a PCT schedule can prioritise them.
      spawn("agent " + std::to_string(agent),
            [](RedisLostUpdateSample& test, std::string name, int round_trips, bool racy_agent,
               std::shared_ptr<Done> finished) -> awaitable<void> {
              std::exception_ptr failure;  // a fault's error: the agent still reports that it ended
              try {
                for (int trip = 0; trip < round_trips; ++trip) co_await test.redis().ping();
                if (racy_agent) {
                  co_await test.add_one_racy(name);
                } else {
                  co_await test.add_one_watched(name);
                }
              } catch (...) {
                failure = std::current_exception();
              }
              co_await finished->async_send(boost::system::error_code{}, use_awaitable);
              if (failure) std::rethrow_exception(failure);  // spawn() reports it as the test's
            }(*this, counter, agent, racy, done));
    }
    for (int agent = 0; agent < agents; ++agent) co_await done->async_receive(use_awaitable);
    co_return std::stoll((co_await redis().get(counter)).value_or("0"));
  }
};

ASYNC_TEST_F(RedisLostUpdateSample, RacyAgentsLoseNoUpdateInFifoOrder) {
  CO_ASSERT_EQ(co_await counter_after_agents(true), agents)
      << "one agent's SET overwrote another's";
}

ASYNC_TEST_F(RedisLostUpdateSample, WatchedAgentsLoseNoUpdateInAnyOrder) {
  CO_ASSERT_EQ(co_await counter_after_agents(false), agents);
}
