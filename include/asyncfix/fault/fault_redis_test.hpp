#pragma once
/// @file
/// FaultRedisTest: a RedisTest whose redis() goes through a per-test FaultProxy.

#include <asyncfix/fault/fault_proxy.hpp>
#include <asyncfix/redis/redis_test.hpp>

#include <memory>
#include <mutex>

namespace asyncfix::fault {

/// A RedisTest whose redis() reaches the server through a FaultProxy of its own, started on
/// first use (faults() or redis()); the network faults in ASYNCFIX_FAULTS are added at SetUp. What
/// the proxy holds shows in the test's deadline messages. Teardown removes every toxic and brings
/// the proxy up before the keys are deleted, so clean-up never fights the faults the test injected.
///
///     class CacheFaults : public asyncfix::fault::FaultRedisTest {};
///     ASYNC_TEST_F(CacheFaults, AResetIsConnectionLostAndTheNextCommandHeals) {
///       co_await redis().ping();
///       faults().add("reset_peer:timeout=0");
///       // ... a command now fails with Errc::connection_lost ...
///       faults().clear();
///       co_await redis().ping();
///     }
class FaultRedisTest : public redis::RedisTest {
 public:
  using redis::RedisTest::RedisTest;
  ~FaultRedisTest() override;

  /// This test's proxy (started on first call). Thread-safe.
  FaultProxy& faults();

 protected:
  /// RedisTest's options with the URL of this test's proxy.
  [[nodiscard]] redis::RedisOptions redis_options() const override;
  /// RedisTest::SetUp(), then the network faults of options().faults (ASYNCFIX_FAULTS) on the
  /// proxy, and the teardown step that clears the faults (it runs first).
  void SetUp() override;
  /// True: this fixture's proxy applies network faults.
  [[nodiscard]] bool applies_network_faults() const noexcept override { return true; }

 private:
  struct PendingView;
  FaultProxy& proxy() const;

  mutable std::mutex proxy_mutex_;
  mutable std::unique_ptr<FaultProxy> proxy_;
  mutable std::shared_ptr<PendingView> pending_view_;
};

}  // namespace asyncfix::fault
