#include "agent_scale.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace agents_test {
namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;

constexpr int scale_work_items = 2;
constexpr unsigned worker_threads = 4;

/// One scale run: `count` agents under `mode`.
class ScaleTest : public asyncfix::redis::RedisTest {
 public:
  ScaleTest(LoopMode mode, int count)
      : asyncfix::redis::RedisTest(asyncfix::AsyncOptions::from_env(
            {.deadline = 100s, .threads = mode == LoopMode::FourThreads ? worker_threads : 1U})),
        mode_(mode),
        count_(count) {}

 protected:
  asyncfix::redis::RedisOptions redis_options() const override {
    auto options = RedisTest::redis_options();
    if (mode_ == LoopMode::LoopPerThread) options.on_loop_change = asyncfix::LoopPolicy::PerLoop;
    // Thousands of commands pipelined on one connection: a command's time includes its wait in
    // the queue, which under ThreadSanitizer on two cores is many seconds.
    options.command_timeout = 60s;
    return options;
  }

  awaitable<void> co_body() override {
    agent_engine::AgentExecutionEngine engine(redis(), key(""));
    std::vector<agent_engine::AgentSpec> specs;
    for (int i = 0; i < count_; ++i)
      specs.push_back({"agent-" + std::to_string(i), scale_work_items});

    std::vector<agent_engine::AgentResult> results;
    if (mode_ == LoopMode::LoopPerThread) {
      results = run_on_loop_per_thread(engine, std::move(specs));
    } else if (mode_ == LoopMode::FourThreads) {
      // Spawn on the io_context itself (not the body's strand) so agents run on all threads.
      results = co_await engine.run_all(std::move(specs), io().get_executor());
    } else {
      results = co_await engine.run_all(std::move(specs));
    }

    int failed = 0;
    for (const auto& r : results) {
      if (!r.ok) {
        ++failed;
        ADD_FAILURE() << r.agent << " failed: " << r.error;
      }
    }
    EXPECT_EQ(failed, 0) << count_ << " agents";
    EXPECT_EQ(co_await verify_nothing_lost(redis(), engine, results, scale_work_items), 0);
    const auto stats = redis().stats();
    EXPECT_EQ(stats.loop_changes, 0U);
    if (mode_ == LoopMode::LoopPerThread) {
      EXPECT_EQ(stats.connects, worker_threads + 1) << "one connection per loop, created lazily";
    } else {
      EXPECT_EQ(stats.connects, 1U) << "all agents share one connection";
    }
    RecordProperty("agents", count_);
    RecordProperty("redis_operations", std::to_string(engine.operations()));
  }

 private:
  std::vector<agent_engine::AgentResult> run_on_loop_per_thread(
      agent_engine::AgentExecutionEngine& engine, std::vector<agent_engine::AgentSpec> specs) {
    std::vector<std::vector<agent_engine::AgentSpec>> shares(worker_threads);
    for (std::size_t i = 0; i < specs.size(); ++i) shares[i % worker_threads].push_back(specs[i]);
    std::vector<std::vector<agent_engine::AgentResult>> partial(worker_threads);
    std::vector<std::string> errors(worker_threads);
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < worker_threads; ++t) {
      threads.emplace_back([&, t] {
        try {
          asyncfix::TestLoop thread_loop(loop().id().name + " [thread " + std::to_string(t) + "]");
          partial[t] = thread_loop.run(engine.run_all(std::move(shares[t])), options().deadline);
        } catch (const std::exception& e) {
          errors[t] = e.what();
        }
      });
    }
    for (auto& thread : threads) thread.join();
    std::vector<agent_engine::AgentResult> results;
    for (unsigned t = 0; t < worker_threads; ++t) {
      EXPECT_EQ(errors[t], "") << "thread " << t;
      results.insert(results.end(), partial[t].begin(), partial[t].end());
    }
    return results;
  }

  LoopMode mode_;
  int count_;
};

}  // namespace

const char* to_string(LoopMode mode) {
  switch (mode) {
    case LoopMode::OneLoop:
      return "OneLoop";
    case LoopMode::FourThreads:
      return "FourThreads";
    case LoopMode::LoopPerThread:
      return "LoopPerThread";
  }
  return "?";
}

void register_scale_tests(const std::vector<LoopMode>& modes, const std::vector<int>& counts) {
  for (const auto mode : modes) {
    for (const int count : counts) {
      const std::string name = std::string(to_string(mode)) + "_" + std::to_string(count);
      ::testing::RegisterTest(
          "AgentScale", name.c_str(), nullptr, std::to_string(count).c_str(), __FILE__, __LINE__,
          [mode, count]() -> asyncfix::redis::RedisTest* { return new ScaleTest(mode, count); });
    }
  }
}

boost::asio::awaitable<int> verify_nothing_lost(
    asyncfix::redis::RedisManager& redis, const agent_engine::AgentExecutionEngine& engine,
    const std::vector<agent_engine::AgentResult>& results, int work_items) {
  int problems = 0;
  for (const auto& r : results) {
    if (!r.ok) continue;
    const auto state = co_await redis.hget(engine.state_key(r.run_id), "state");
    std::vector<std::string> llen{std::string("LLEN"), engine.results_key(r.run_id)};
    const auto lines = (co_await redis.command(std::move(llen))).as_integer();
    if (state != "completed" || lines != work_items) {
      ++problems;
      ADD_FAILURE() << r.agent << " (run " << r.run_id << ") acknowledged but its state is '"
                    << state.value_or("(nil)") << "' with " << lines << "/" << work_items
                    << " result lines";
    }
  }
  const auto counter = co_await redis.get(engine.run_counter_key());
  if (counter != std::to_string(results.size())) {
    ++problems;
    ADD_FAILURE() << "run counter is " << counter.value_or("(nil)") << ", expected "
                  << results.size();
  }
  co_return problems;
}

}  // namespace agents_test
