// Sample 8: a race the FIFO order never shows. Five agents take seats on a shared in-memory
// counter. The racy agent reads the count, awaits (a lookup, say), then writes what it read plus
// one: a check-then-act across two co_awaits. The agents arrive one step apart, so in Asio's FIFO
// order each reads after the previous one wrote, and the test passes every time. Explore other
// orders and it loses a seat:
//
//   asyncfix explore --runs 100 --strategy pct --
//       asyncfix_samples --gtest_filter='ScheduleRaceSample.RacyAgents*'
//
// prints the seed and the command that replays the failure (ASYNCFIX_SCHEDULE=pct:SEED,depth=3).
// The fixed agent does the check and the act in one step, and passes under every schedule.
#include <asyncfix/asyncfix.hpp>

#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <string>

using boost::asio::awaitable;
using boost::asio::use_awaitable;
using Done = boost::asio::experimental::channel<void(boost::system::error_code)>;

namespace {

constexpr int agents = 5;

/// Lets every other ready handler run first: one scheduling step.
awaitable<void> yield_now() {
  co_await boost::asio::post(co_await boost::asio::this_coro::executor, use_awaitable);
}

// The channel is shared with each agent, not borrowed: under some schedules the body has its five
// messages and returns while an agent has not yet resumed from its send, whose cancellation hook
// teardown would then fire into a channel gone with the body's frame.
awaitable<void> take_seat(int& taken, int agent, bool racy, std::shared_ptr<Done> done) {
  for (int step = 0; step < agent; ++step) co_await yield_now();  // arrivals one step apart
  if (racy) {
    const int seen = taken;
    co_await yield_now();  // the await between the check and the act
    taken = seen + 1;
  } else {
    co_await yield_now();
    ++taken;  // check and act in one step
  }
  co_await done->async_send(boost::system::error_code{}, use_awaitable);
}

}  // namespace

class ScheduleRaceSample : public asyncfix::AsyncTest {
 protected:
  // Each agent a task of its own (spawn()), so a PCT schedule can prioritise them.
  awaitable<int> seats_taken(bool racy) {
    int taken = 0;
    auto done = std::make_shared<Done>(co_await boost::asio::this_coro::executor, agents);
    for (int agent = 0; agent < agents; ++agent) {
      spawn("agent " + std::to_string(agent), take_seat(taken, agent, racy, done));
    }
    for (int agent = 0; agent < agents; ++agent) co_await done->async_receive(use_awaitable);
    co_return taken;
  }
};

ASYNC_TEST_F(ScheduleRaceSample, RacyAgentsLoseNoSeatInFifoOrder) {
  CO_ASSERT_EQ(co_await seats_taken(true), agents) << "two agents read the same count";
}

ASYNC_TEST_F(ScheduleRaceSample, FixedAgentsLoseNoSeatInAnyOrder) {
  CO_ASSERT_EQ(co_await seats_taken(false), agents);
}
