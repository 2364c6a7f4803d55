// LazyResource<T>: lazy creation on the running loop, once under concurrency, heal/fail/per-loop.
#include <asyncfix/asyncfix.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>

namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using boost::asio::use_awaitable;
using ::testing::HasSubstr;

/// A stand-in for a client bound to the loop it was created on.
struct Client {
  std::uint64_t created_on = 0;
  bool closed = false;
};

/// Counts factory calls and closes.
struct Counters {
  std::atomic<int> created{0};
  std::atomic<int> closed{0};
  std::atomic<int> fail_next{0};
};

asyncfix::LazyResource<Client> make_lazy(Counters& counters, asyncfix::LoopPolicy policy) {
  return asyncfix::LazyResource<Client>(
      "test client",
      [&counters]() -> awaitable<std::shared_ptr<Client>> {
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 2ms);
        co_await timer.async_wait(use_awaitable);  // lets concurrent get()s overlap
        if (counters.fail_next.exchange(0) != 0) throw std::runtime_error("connect refused");
        ++counters.created;
        auto client = std::make_shared<Client>();
        client->created_on = asyncfix::current_loop()->id().serial;
        co_return client;
      },
      policy,
      [&counters](Client& c) {
        c.closed = true;
        ++counters.closed;
      });
}

awaitable<std::shared_ptr<Client>> get(asyncfix::LazyResource<Client>& lazy) {
  co_return co_await lazy.get();
}

TEST(LazyResource, CreatesNothingUntilFirstUseThenBindsToTheRunningLoop) {
  Counters counters;
  auto lazy = make_lazy(counters, asyncfix::LoopPolicy::Reconnect);
  EXPECT_EQ(counters.created, 0);
  EXPECT_EQ(lazy.size(), 0U);
  asyncfix::TestLoop loop("Lazy.First");
  auto client = loop.run(get(lazy));
  EXPECT_EQ(counters.created, 1);
  EXPECT_EQ(client->created_on, loop.id().serial);
  EXPECT_TRUE(lazy.affinity().is_bound_to(loop));
  EXPECT_EQ(loop.run(get(lazy)), client);  // reused
  EXPECT_EQ(counters.created, 1);
}

TEST(LazyResource, ConcurrentFirstGetsCreateOnce) {
  Counters counters;
  auto lazy = make_lazy(counters, asyncfix::LoopPolicy::Reconnect);
  asyncfix::TestLoop loop("Lazy.Concurrent");
  std::vector<std::shared_ptr<Client>> seen(50);
  loop.run([](asyncfix::LazyResource<Client>& l,
              std::vector<std::shared_ptr<Client>>& out) -> awaitable<void> {
    auto executor = co_await boost::asio::this_coro::executor;
    std::atomic<int> done{0};
    for (auto& slot : out) {
      boost::asio::co_spawn(
          executor,
          [](asyncfix::LazyResource<Client>& lr, std::shared_ptr<Client>& s,
             std::atomic<int>& d) -> awaitable<void> {
            s = co_await lr.get();
            ++d;
          }(l, slot, done),
          boost::asio::detached);
    }
    boost::asio::steady_timer timer(executor);
    while (done < static_cast<int>(out.size())) {
      timer.expires_after(1ms);
      co_await timer.async_wait(use_awaitable);
    }
  }(lazy, seen));
  EXPECT_EQ(counters.created, 1);
  for (const auto& client : seen) EXPECT_EQ(client, seen.front());
}

TEST(LazyResource, ReconnectHealsOnAnotherLoopAndCountsTheChange) {
  Counters counters;
  auto lazy = make_lazy(counters, asyncfix::LoopPolicy::Reconnect);
  asyncfix::TestLoop suite_loop("Lazy [SetUpTestSuite]");
  asyncfix::TestLoop test_loop("Lazy.Heal");
  auto old_client = suite_loop.run(get(lazy));
  auto new_client = test_loop.run(get(lazy));
  EXPECT_NE(old_client, new_client);
  EXPECT_TRUE(old_client->closed);
  EXPECT_EQ(new_client->created_on, test_loop.id().serial);
  EXPECT_EQ(lazy.loop_changes(), 1U);
  EXPECT_EQ(test_loop.loop_changes(), 1U);
  EXPECT_EQ(lazy.size(), 1U);
}

TEST(LazyResource, FailThrowsAMismatchNamingBothLoops) {
  Counters counters;
  auto lazy = make_lazy(counters, asyncfix::LoopPolicy::Fail);
  asyncfix::TestLoop suite_loop("Lazy [SetUpTestSuite]");
  asyncfix::TestLoop test_loop("Lazy.Fail");
  auto client = suite_loop.run(get(lazy));
  try {
    test_loop.run(get(lazy));
    FAIL() << "no mismatch";
  } catch (const asyncfix::LoopMismatch& e) {
    EXPECT_THAT(e.what(), HasSubstr("'Lazy [SetUpTestSuite]'"));
    EXPECT_THAT(e.what(), HasSubstr("'Lazy.Fail'"));
    EXPECT_THAT(e.what(), HasSubstr("'test client'"));
  }
  EXPECT_FALSE(client->closed);
  EXPECT_EQ(lazy.loop_changes(), 0U);
}

TEST(LazyResource, PerLoopKeepsOneInstancePerLoop) {
  Counters counters;
  auto lazy = make_lazy(counters, asyncfix::LoopPolicy::PerLoop);
  asyncfix::TestLoop a("Lazy.A");
  asyncfix::TestLoop b("Lazy.B");
  auto on_a = a.run(get(lazy));
  auto on_b = b.run(get(lazy));
  EXPECT_NE(on_a, on_b);
  EXPECT_EQ(a.run(get(lazy)), on_a);
  EXPECT_EQ(lazy.loop_changes(), 0U);
  EXPECT_EQ(lazy.size(), 2U);
}

TEST(LazyResource, ClosingTheLoopClosesTheInstanceAndLaterUseHealsOrFails) {
  Counters counters;
  auto healing = make_lazy(counters, asyncfix::LoopPolicy::Reconnect);
  auto failing = make_lazy(counters, asyncfix::LoopPolicy::Fail);
  std::shared_ptr<Client> first;
  {
    asyncfix::TestLoop gone("Lazy.Gone");
    first = gone.run(get(healing));
    gone.run(get(failing));
  }
  EXPECT_TRUE(first->closed);
  EXPECT_EQ(counters.closed, 2);
  asyncfix::TestLoop next("Lazy.Next");
  EXPECT_NE(next.run(get(healing)), first);
  EXPECT_EQ(healing.loop_changes(), 1U);
  try {
    next.run(get(failing));
    FAIL();
  } catch (const asyncfix::LoopMismatch& e) {
    EXPECT_EQ(e.kind(), asyncfix::MismatchKind::bound_loop_closed);
    EXPECT_THAT(e.what(), HasSubstr("which is closed"));
  }
}

TEST(LazyResource, AFailedCreationReachesEveryWaiterAndIsRetriedNextTime) {
  Counters counters;
  auto lazy = make_lazy(counters, asyncfix::LoopPolicy::Reconnect);
  asyncfix::TestLoop loop("Lazy.Retry");
  counters.fail_next = 1;
  EXPECT_THROW(loop.run(get(lazy)), std::runtime_error);
  EXPECT_NE(loop.run(get(lazy)), nullptr);
  EXPECT_EQ(counters.created, 1);
}

TEST(LazyResource, GetWithNoTestLoopRunningIsAMismatch) {
  Counters counters;
  auto lazy = make_lazy(counters, asyncfix::LoopPolicy::Reconnect);
  boost::asio::io_context plain;  // not an asyncfix loop
  std::exception_ptr error;
  boost::asio::co_spawn(plain, get(lazy),
                        [&](std::exception_ptr e, std::shared_ptr<Client>) { error = e; });
  plain.run();
  ASSERT_TRUE(error);
  EXPECT_THROW(std::rethrow_exception(error), asyncfix::LoopMismatch);
  EXPECT_EQ(counters.created, 0);
}

TEST(LazyResource, InvalidateDropsABrokenInstanceWithoutCountingALoopChange) {
  Counters counters;
  auto lazy = make_lazy(counters, asyncfix::LoopPolicy::Reconnect);
  asyncfix::TestLoop loop("Lazy.Invalidate");
  auto broken = loop.run(get(lazy));
  lazy.invalidate(broken);
  EXPECT_TRUE(broken->closed);
  EXPECT_NE(loop.run(get(lazy)), broken);
  EXPECT_EQ(lazy.loop_changes(), 0U);
}

}  // namespace
