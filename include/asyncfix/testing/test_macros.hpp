#pragma once
/// @file
/// ASYNC_TEST, ASYNC_TEST_F, ASYNC_TEST_P and ASYNC_TYPED_TEST: GoogleTest tests whose body is a
/// coroutine on the test's loop.

#include <asyncfix/testing/async_test.hpp>
#include <asyncfix/testing/detail/co_assert_misuse.hpp>

#include <gtest/gtest.h>
#include <boost/asio/awaitable.hpp>

#define ASYNCFIX_TEST_CLASS_(suite, name) asyncfix_##suite##_##name##_AsyncTest

/// The one definition behind ASYNC_TEST and ASYNC_TEST_F (as GTEST_TEST_ is behind TEST and
/// TEST_F): a final class deriving from `fixture` whose co_body() is the braces that follow,
/// registered under `suite`.`name` at this file and line.
#define ASYNCFIX_TEST_(suite, name, fixture)                                    \
  class ASYNCFIX_TEST_CLASS_(suite, name) final : public fixture {              \
   protected:                                                                   \
    ::boost::asio::awaitable<void> co_body() override;                          \
  };                                                                            \
  [[maybe_unused]] static const bool asyncfix_registered_##suite##_##name =     \
      (::testing::RegisterTest(                                                 \
           #suite, #name, nullptr, nullptr, __FILE__, __LINE__,                 \
           []() -> fixture* { return new ASYNCFIX_TEST_CLASS_(suite, name); }), \
       true);                                                                   \
  ::boost::asio::awaitable<void> ASYNCFIX_TEST_CLASS_(suite, name)::co_body()

/// Defines a test whose body is a coroutine (`co_await` works; use CO_ASSERT_* instead of ASSERT_*)
/// run on the per-test loop of `fixture`, which must derive from asyncfix::AsyncTest. Registered
/// with the public ::testing::RegisterTest, so tests of one suite must all use `fixture`.
///
///     ASYNC_TEST_F(CacheTest, StoresValues) {
///       co_await cache().put("k", "v");
///       CO_ASSERT_EQ(co_await cache().get("k"), "v");
///     }
#define ASYNC_TEST_F(fixture, name) ASYNCFIX_TEST_(fixture, name, fixture)

/// ASYNC_TEST_F with the plain asyncfix::AsyncTest fixture; `suite` is only a name.
///
///     ASYNC_TEST(Timers, FireOnTheTestLoop) {
///       boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, 1ms);
///       co_await t.async_wait(boost::asio::use_awaitable);
///     }
#define ASYNC_TEST(suite, name) ASYNCFIX_TEST_(suite, name, ::asyncfix::AsyncTest)

/// ASYNC_TEST_F for a value-parameterized fixture written the gtest way, used with the ordinary
/// INSTANTIATE_TEST_SUITE_P; GetParam() works in the body.
///
///     class Ttl : public asyncfix::redis::RedisTest,
///                 public ::testing::WithParamInterface<std::chrono::milliseconds> {};
///     ASYNC_TEST_P(Ttl, ExpiresAfterIt) {
///       co_await redis().set(key("k"), "v", GetParam());
///       CO_ASSERT_TRUE(co_await redis().exists(key("k")));
///     }
///     INSTANTIATE_TEST_SUITE_P(Short, Ttl, ::testing::Values(50ms, 100ms));
///
/// Registered as TEST_P registers (gtest's parameterized-test registry).
#define ASYNC_TEST_P(fixture, name)                                                              \
  class ASYNCFIX_TEST_CLASS_(fixture, name) final : public fixture {                             \
   protected:                                                                                    \
    ::boost::asio::awaitable<void> co_body() override;                                           \
                                                                                                 \
   private:                                                                                      \
    static int asyncfix_add_to_registry_() {                                                     \
      ::testing::UnitTest::GetInstance()                                                         \
          ->parameterized_test_registry()                                                        \
          .GetTestSuitePatternHolder<fixture>(                                                   \
              #fixture, ::testing::internal::CodeLocation(__FILE__, __LINE__))                   \
          ->AddTestPattern(                                                                      \
              #fixture, #name,                                                                   \
              new ::testing::internal::TestMetaFactory<ASYNCFIX_TEST_CLASS_(fixture, name)>(),   \
              ::testing::internal::CodeLocation(__FILE__, __LINE__));                            \
      return 0;                                                                                  \
    }                                                                                            \
    [[maybe_unused]] static inline const int asyncfix_registered_ = asyncfix_add_to_registry_(); \
  };                                                                                             \
  ::boost::asio::awaitable<void> ASYNCFIX_TEST_CLASS_(fixture, name)::co_body()

/// TYPED_TEST with a coroutine body, for a class template fixture deriving from
/// asyncfix::AsyncTest (or RedisTest), used with the ordinary TYPED_TEST_SUITE. As in any typed
/// test, `TypeParam` names the type and the fixture's members need `this->`.
///
///     template <class T>
///     class Codecs : public asyncfix::AsyncTest {};
///     TYPED_TEST_SUITE(Codecs, ::testing::Types<JsonCodec, MsgpackCodec>);
///     ASYNC_TYPED_TEST(Codecs, RoundTrips) {
///       TypeParam codec;
///       CO_ASSERT_EQ(co_await codec.decode(co_await codec.encode(42)), 42);
///     }
///
/// Registered as TYPED_TEST registers (one test per type, named Codecs/0.RoundTrips, ...).
#define ASYNC_TYPED_TEST(fixture, name)                                                           \
  static_assert(sizeof(#name) > 1, "test-name must not be empty");                                \
  template <typename asyncfix_TypeParam_>                                                         \
  class ASYNCFIX_TEST_CLASS_(fixture, name) : public fixture<asyncfix_TypeParam_> {               \
   private:                                                                                       \
    using TestFixture = fixture<asyncfix_TypeParam_>;                                             \
    using TypeParam = asyncfix_TypeParam_;                                                        \
                                                                                                  \
   protected:                                                                                     \
    ::boost::asio::awaitable<void> co_body() override;                                            \
  };                                                                                              \
  [[maybe_unused]] static bool asyncfix_registered_##fixture##_##name =                           \
      ::testing::internal::TypeParameterizedTest<                                                 \
          fixture, ::testing::internal::TemplateSel<ASYNCFIX_TEST_CLASS_(fixture, name)>,         \
          GTEST_TYPE_PARAMS_(fixture)>::                                                          \
          Register("", ::testing::internal::CodeLocation(__FILE__, __LINE__), #fixture, #name, 0, \
                   ::testing::internal::GenerateNames<GTEST_NAME_GENERATOR_(fixture),             \
                                                      GTEST_TYPE_PARAMS_(fixture)>());            \
  template <typename asyncfix_TypeParam_>                                                         \
  ::boost::asio::awaitable<void> ASYNCFIX_TEST_CLASS_(fixture,                                    \
                                                      name)<asyncfix_TypeParam_>::co_body()
