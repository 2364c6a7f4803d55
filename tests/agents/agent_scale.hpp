#pragma once
// The five-agent scenario scaled: agent counts x loop modes, each run checking that nothing an
// agent acknowledged was lost. Registered dynamically (one gtest per count and mode).
#include <agent_engine.hpp>

#include <asyncfix/asyncfix.hpp>

#include <string>
#include <vector>

namespace agents_test {

/// How the agents' loop(s) run.
enum class LoopMode {
  OneLoop,        ///< every agent on the test's single-threaded loop
  FourThreads,    ///< one io_context run by four threads, one shared connection
  LoopPerThread,  ///< four threads, each its own TestLoop and its own lazily created connection
};

/// "OneLoop", "FourThreads" or "LoopPerThread".
const char* to_string(LoopMode mode);

/// Registers AgentScale.<Mode>_<count> tests for each mode and count.
void register_scale_tests(const std::vector<LoopMode>& modes, const std::vector<int>& counts);

/// Checks, through `redis` on the running loop, that every acknowledged agent's state is
/// `completed` and its result list has one line per work item, and that the run counter saw every
/// agent. Adds gtest failures naming what was lost; returns the number of problems.
boost::asio::awaitable<int> verify_nothing_lost(
    asyncfix::redis::RedisManager& redis, const agent_engine::AgentExecutionEngine& engine,
    const std::vector<agent_engine::AgentResult>& results, int work_items);

}  // namespace agents_test
