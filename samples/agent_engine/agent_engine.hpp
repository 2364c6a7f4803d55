#pragma once
// A small application library written the way an application team would write it: an engine that
// runs agents (coroutines) concurrently against Redis. It receives its RedisManager by injection
// and never connects eagerly, so it is safe under any test loop. Not part of asyncfix.

#include <asyncfix/redis/redis_manager.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace agent_engine {

/// What one agent should do.
struct AgentSpec {
  std::string name;
  int work_items = 1;  ///< each is SET, GET (verified), DEL of the agent's own key
};

/// What one agent reports.
struct AgentResult {
  std::string agent;
  long long run_id = 0;
  bool ok = false;
  int work_operations = 0;   ///< Redis operations of the work itself (3 per work item)
  int total_operations = 0;  ///< work plus bookkeeping (run id, state hash, result list)
  std::string error;
  /// The error code of what failed the agent (a RedisError's, say), when it carried one: a test
  /// that fails on the result records it as asyncfix::property::error, so a fault matrix can tell
  /// which fault explains the failure.
  std::error_code code;
};

/// Runs agents. Each agent takes a run id (INCR), records its state in a hash
/// (pending -> running -> completed/failed), does its work as Redis operations on its own keys, and
/// appends one line per work item to its result list.
class AgentExecutionEngine {
 public:
  /// `redis` is used lazily, on whatever loop runs the agents; `namespace_prefix` prefixes every
  /// key.
  AgentExecutionEngine(asyncfix::redis::RedisManager& redis, std::string namespace_prefix);

  /// Runs one agent on the calling coroutine's loop. Never throws: failures are in the result.
  boost::asio::awaitable<AgentResult> run_agent(AgentSpec spec);

  /// Runs all agents concurrently, each spawned on `executor` (the caller's own executor when
  /// empty), and returns their results in order.
  boost::asio::awaitable<std::vector<AgentResult>> run_all(
      std::vector<AgentSpec> specs, std::optional<boost::asio::any_io_executor> executor = {});

  /// The key of an agent run's state hash.
  [[nodiscard]] std::string state_key(long long run_id) const { return state_->state_key(run_id); }
  /// The key of an agent run's result list.
  [[nodiscard]] std::string results_key(long long run_id) const {
    return state_->results_key(run_id);
  }
  /// The key of the run-id counter.
  [[nodiscard]] std::string run_counter_key() const { return state_->prefix + "run_counter"; }
  /// Redis operations issued by this engine so far.
  [[nodiscard]] std::uint64_t operations() const noexcept { return state_->operations.load(); }

 private:
  /// Shared with every running agent: an agent still running after its caller gave up (a
  /// deadline, say) never touches a destroyed engine.
  struct State {
    State(asyncfix::redis::RedisManager& manager, std::string key_prefix)
        : redis(manager), prefix(std::move(key_prefix)) {}
    std::string state_key(long long run_id) const {
      return prefix + "run:" + std::to_string(run_id);
    }
    std::string results_key(long long run_id) const { return state_key(run_id) + ":results"; }
    asyncfix::redis::RedisManager& redis;
    std::string prefix;
    std::atomic<std::uint64_t> operations{0};
  };

  static boost::asio::awaitable<AgentResult> run(std::shared_ptr<State> state, AgentSpec spec);
  static boost::asio::awaitable<void> work(State& state, const AgentSpec& spec, long long run_id,
                                           AgentResult& result);

  std::shared_ptr<State> state_;
};

}  // namespace agent_engine
