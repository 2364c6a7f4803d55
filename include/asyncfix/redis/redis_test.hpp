#pragma once
/// @file
/// RedisTest: AsyncTest plus a lazily connected RedisManager and per-test key namespaces.

#include <asyncfix/redis/redis_manager.hpp>
#include <asyncfix/redis/redis_options.hpp>
#include <asyncfix/redis/redis_url.hpp>
#include <asyncfix/testing/async_test.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace asyncfix::detail {
class DelayedAction;
}  // namespace asyncfix::detail

namespace asyncfix::redis {

/// An AsyncTest with Redis injected lazily: redis() is created on first call and connects on the
/// test's loop on its first command; nothing connects if the test never uses it. key("x") names a
/// key unique to this process and test ("afx:<pid>:<token>:<Suite.Test>:x"); every such key is
/// deleted at teardown (SCAN MATCH + UNLINK, bounded), so many processes can share one server.
/// The server comes from RedisEnvironment; without one the test fails with the reason, or skips
/// when ASYNCFIX_REDIS_OPTIONAL=1.
///
///     class CacheTest : public asyncfix::redis::RedisTest {};
///     ASYNC_TEST_F(CacheTest, RoundTrips) {
///       co_await redis().set(key("greeting"), "hello");
///       CO_ASSERT_EQ(co_await redis().get(key("greeting")), "hello");
///     }
class RedisTest : public AsyncTest {
 public:
  explicit RedisTest(AsyncOptions options = AsyncOptions::from_env());
  ~RedisTest() override;

  /// The manager of this test (created on first call; no I/O until its first command). Thread-safe.
  RedisManager& redis();
  /// A key in this test's namespace.
  [[nodiscard]] std::string key(std::string_view name);
  /// The prefix of every key(): unique per process and test.
  [[nodiscard]] const std::string& key_prefix() const noexcept { return prefix_; }
  /// The server this test uses.
  [[nodiscard]] const RedisUrl& redis_url() const noexcept { return url_; }
  /// True once redis() was called.
  [[nodiscard]] bool redis_created() const noexcept { return manager_ != nullptr; }

 protected:
  /// The options redis() is built with: the environment's URL, this test's client name.
  /// Override to change timeouts or the loop policy.
  [[nodiscard]] virtual RedisOptions redis_options() const;

  /// Resolves the server (fail or skip), registers the key clean-up, then AsyncTest::SetUp(); then
  /// injects options().faults (see InjectedFaults): loop_swap, and the kill or restart timer.
  void SetUp() override;
  /// Stops the kill or restart timer (reporting what it could not do), then AsyncTest::TearDown().
  void TearDown() override;

 private:
  void arm_server_fault();
  boost::asio::awaitable<void> delete_keys();
  void delete_keys_sync() noexcept;

  std::string prefix_;
  RedisUrl url_;
  std::mutex manager_mutex_;             // redis() may be called from several loop threads at once
  std::unique_ptr<TestLoop> swap_loop_;  // loop_swap: the loop SetUp connected redis() on
  std::unique_ptr<RedisManager> manager_;
  std::unique_ptr<asyncfix::detail::DelayedAction> server_fault_;
  std::atomic<bool> keys_used_{false};
};

/// Escapes glob characters (* ? [ ] \) so `text` matches literally in SCAN MATCH / KEYS.
[[nodiscard]] std::string escape_glob(std::string_view text);

}  // namespace asyncfix::redis
