// threads > 1: one io_context run by several threads; run under the tsan preset (label tsan).
#include <asyncfix/asyncfix.hpp>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using boost::asio::use_awaitable;

/// A fixture whose loop runs on four threads.
class FourThreads : public asyncfix::AsyncTest {
 public:
  FourThreads() : asyncfix::AsyncTest(asyncfix::AsyncOptions::from_env({.threads = 4})) {}

 protected:
  /// Shared by all workers; created once, on this loop.
  asyncfix::LazyResource<int> shared_{"shared counter", []() -> awaitable<std::shared_ptr<int>> {
                                        co_return std::make_shared<int>(7);
                                      }};
};

ASYNC_TEST_F(FourThreads, ManyCoroutinesOnFourThreadsSeeTheirLoopAndOneSharedResource) {
  constexpr int workers = 400;
  std::atomic<int> done{0};
  std::atomic<int> wrong_loop{0};
  std::mutex ids_mutex;
  std::set<std::thread::id> thread_ids;
  std::set<std::shared_ptr<int>> instances;
  for (int i = 0; i < workers; ++i) {
    boost::asio::co_spawn(
        io(),
        [&]() -> awaitable<void> {
          boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 1ms);
          co_await timer.async_wait(use_awaitable);
          if (asyncfix::current_loop() != &loop()) ++wrong_loop;
          auto value = co_await shared_.get();
          {
            std::lock_guard lock(ids_mutex);
            thread_ids.insert(std::this_thread::get_id());
            instances.insert(value);
          }
          // Hold this thread (bounded) until another one has run a handler, so a loaded machine
          // cannot let a single worker drain every handler before the others wake up.
          const auto until = std::chrono::steady_clock::now() + 2s;
          while (std::chrono::steady_clock::now() < until) {
            {
              std::lock_guard lock(ids_mutex);
              if (thread_ids.size() > 1) break;
            }
            std::this_thread::yield();
          }
          ++done;
        },
        boost::asio::detached);
  }
  boost::asio::steady_timer poll(co_await boost::asio::this_coro::executor);
  while (done < workers) {
    poll.expires_after(1ms);
    co_await poll.async_wait(use_awaitable);
  }
  EXPECT_EQ(wrong_loop, 0);
  EXPECT_EQ(instances.size(), 1U);
  EXPECT_EQ(shared_.creations(), 1U);
  EXPECT_GT(thread_ids.size(), 1U) << "handlers should have run on several threads";
}

TEST(ThreadsLoop, DeadlineAndDrainWorkWithWorkerThreads) {
  asyncfix::TestLoop loop("Threads.Deadline", 4);
  EXPECT_THROW(loop.run(
                   []() -> awaitable<void> {
                     boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, 1h);
                     co_await t.async_wait(use_awaitable);
                   }(),
                   50ms),
               asyncfix::DeadlineExceeded);
  EXPECT_EQ(loop.run([]() -> awaitable<int> { co_return 5; }()), 5);
  EXPECT_TRUE(loop.drain(1s));
}

TEST(ThreadsLoop, AHandlerThatThrowsOnAWorkerThreadFailsTheRunInsteadOfTerminating) {
  asyncfix::TestLoop loop("TestLoop.ThrowingHandler", 4);
  EXPECT_THROW(loop.run(
                   []() -> awaitable<void> {
                     boost::asio::post(co_await boost::asio::this_coro::executor,
                                       [] { throw std::runtime_error("from a raw handler"); });
                     boost::asio::steady_timer forever(co_await boost::asio::this_coro::executor,
                                                       1h);
                     co_await forever.async_wait(use_awaitable);
                   }(),
                   10s),
               std::runtime_error);
  // The workers survived: the loop still runs.
  EXPECT_EQ(loop.run([]() -> awaitable<int> { co_return 7; }()), 7);
}

}  // namespace

// A thread that saw a loop running may hand it work an instant after the loop began to close
// (a loop taking a Redis connection over does). Every such post is run or destroyed, never lost
// in Asio's unlocked drain at the io_context's destruction and never made after it: the token
// each post holds comes back. Under ASan or TSan the bug this pins is a report as well.
TEST(LoopMailbox, PostsFromAnotherThreadWhileTheLoopIsDestroyedAreNeverLostOrLate) {
  for (const unsigned threads : {1U, 2U}) {
    for (int round = 0; round < 40; ++round) {
      auto loop = std::make_unique<asyncfix::TestLoop>("Mailbox", threads);
      const auto core = loop->core();
      const auto token = std::make_shared<int>(0);
      std::atomic<int> posted{0};
      std::thread poster([&] {
        while (core->mailbox.post([token] {})) posted.fetch_add(1);
      });
      while (posted.load() < 20) std::this_thread::yield();
      loop.reset();   // closes the mailbox, then destroys the io_context with what it holds
      poster.join();  // the mailbox refused a post: the poster stopped
      EXPECT_EQ(token.use_count(), 1)
          << "a posted handler was lost; threads " << threads << ", round " << round;
    }
  }
}

TEST(LoopMailbox, AClosedLoopRefusesWorkAndLeavesItToTheCaller) {
  asyncfix::TestLoop loop("Mailbox.Closed");
  bool ran = false;
  EXPECT_TRUE(loop.core()->mailbox.post([&ran] { ran = true; }));
  EXPECT_TRUE(loop.run_until([&ran] { return ran; }, 5s));
  loop.close();
  const auto token = std::make_shared<int>(0);
  auto work = [token] {};
  EXPECT_FALSE(loop.core()->mailbox.post(std::move(work)));
  EXPECT_EQ(token.use_count(), 2) << "refused work is left to the caller, not moved away";
}

// A get() on loop B waits for loop A's creation (LoopPolicy::Reconnect); B's run gives up at its
// deadline and B is destroyed; then A's creation finishes. B's waiting coroutine went with B, so
// A's creation wakes nothing of B's (it once posted into B's freed gate: a use-after-free).
TEST(LazyResourceAcrossThreads, AWaiterOfALoopDestroyedBeforeAnotherLoopsCreationEndsIsNotWoken) {
  std::atomic<bool> release{false};
  asyncfix::LazyResource<int> lazy("slow", [&release]() -> awaitable<std::shared_ptr<int>> {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    while (!release.load()) {
      timer.expires_after(1ms);
      co_await timer.async_wait(use_awaitable);
    }
    co_return std::make_shared<int>(1);
  });
  asyncfix::TestLoop a("Waker.A");
  std::thread creator([&] { a.run(lazy.get(), 10s); });
  while (lazy.size() == 0) std::this_thread::yield();  // A's creation is under way
  const auto token = std::make_shared<int>(0);
  {
    asyncfix::TestLoop b("Waker.B");
    auto waiter = [](asyncfix::LazyResource<int>& resource,
                     std::shared_ptr<int> held) -> awaitable<void> {
      co_await resource.get();
      *held += 1;
    };
    EXPECT_THROW(b.run(waiter(lazy, token), 20ms), asyncfix::DeadlineExceeded);
  }
  EXPECT_EQ(token.use_count(), 1) << "B's waiting coroutine outlived B";
  release.store(true);
  creator.join();
}
