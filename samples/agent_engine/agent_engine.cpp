#include "agent_engine.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace agent_engine {

AgentExecutionEngine::AgentExecutionEngine(asyncfix::redis::RedisManager& redis,
                                           std::string namespace_prefix)
    : state_(std::make_shared<State>(redis, std::move(namespace_prefix))) {}

boost::asio::awaitable<AgentResult> AgentExecutionEngine::run_agent(AgentSpec spec) {
  return run(state_, std::move(spec));
}

boost::asio::awaitable<void> AgentExecutionEngine::work(State& state, const AgentSpec& spec,
                                                        long long run_id, AgentResult& result) {
  auto& redis = state.redis;
  for (int item = 0; item < spec.work_items; ++item) {
    const std::string key = state.prefix + "agent:" + spec.name + ":item:" + std::to_string(item);
    const std::string value = spec.name + "/" + std::to_string(run_id) + "/" + std::to_string(item);
    co_await redis.set(key, value);
    const auto read_back = co_await redis.get(key);
    if (read_back != value) {
      throw std::runtime_error("agent " + spec.name + " read back '" + read_back.value_or("(nil)") +
                               "' instead of '" + value + "'");
    }
    co_await redis.del(key);
    result.work_operations += 3;
    std::vector<std::string> push{std::string("RPUSH"), state.results_key(run_id),
                                  "item " + std::to_string(item) + " ok"};
    co_await redis.command(std::move(push));
    ++result.total_operations;
  }
}

boost::asio::awaitable<AgentResult> AgentExecutionEngine::run(std::shared_ptr<State> state,
                                                              AgentSpec spec) {
  auto& redis = state->redis;
  AgentResult result;
  result.agent = spec.name;
  try {
    result.run_id = co_await redis.incr(state->prefix + "run_counter");
    const auto hash = state->state_key(result.run_id);
    co_await redis.hset(hash, "agent", spec.name);
    co_await redis.hset(hash, "state", "pending");
    co_await redis.hset(hash, "state", "running");
    result.total_operations = 4;
    co_await work(*state, spec, result.run_id, result);
    result.total_operations += result.work_operations;
    co_await redis.hset(hash, "state", "completed");
    ++result.total_operations;
    result.ok = true;
  } catch (const std::system_error& e) {
    result.error = e.what();
    result.code = e.code();
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  if (!result.ok && result.run_id != 0) {
    // Best effort: record the failure; the connection may be what failed.
    try {
      co_await redis.hset(state->state_key(result.run_id), "state", "failed");
    } catch (const std::exception&) {
    }
  }
  state->operations.fetch_add(static_cast<std::uint64_t>(result.total_operations));
  co_return result;
}

boost::asio::awaitable<std::vector<AgentResult>> AgentExecutionEngine::run_all(
    std::vector<AgentSpec> specs, std::optional<boost::asio::any_io_executor> executor) {
  const auto own = co_await boost::asio::this_coro::executor;
  const auto spawn_on = executor.value_or(own);
  // Shared with every agent, so a caller cancelled by a deadline never leaves agents writing into
  // a dead frame. Each finished agent reports its index; the channel buffers all of them.
  struct Batch {
    Batch(boost::asio::any_io_executor ex, std::vector<AgentSpec> s)
        : specs(std::move(s)), results(specs.size()), done(std::move(ex), specs.size()) {}
    std::vector<AgentSpec> specs;
    std::vector<AgentResult> results;
    boost::asio::experimental::concurrent_channel<void(boost::system::error_code, std::size_t)>
        done;
  };
  auto batch = std::make_shared<Batch>(own, std::move(specs));
  for (std::size_t i = 0; i < batch->specs.size(); ++i) {
    boost::asio::co_spawn(
        spawn_on,
        [state = state_, batch, i]() -> boost::asio::awaitable<void> {
          batch->results[i] = co_await run(state, batch->specs[i]);
          co_await batch->done.async_send(boost::system::error_code{}, i,
                                          boost::asio::use_awaitable);
        },
        boost::asio::detached);
  }
  for (std::size_t received = 0; received < batch->specs.size(); ++received) {
    co_await batch->done.async_receive(boost::asio::use_awaitable);
  }
  co_return std::move(batch->results);
}

}  // namespace agent_engine
