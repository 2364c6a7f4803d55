// LoopAffinity, LoopMismatch messages and the loop assertions (with their failure paths).
#include <asyncfix/asyncfix.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

namespace {

using boost::asio::awaitable;
using ::testing::HasSubstr;

/// Binds an affinity on `loop` and reports where.
asyncfix::LoopAffinity bound_on(asyncfix::TestLoop& loop, std::string name,
                                std::source_location where) {
  return loop.run([](std::string n, std::source_location w) -> awaitable<asyncfix::LoopAffinity> {
    asyncfix::LoopAffinity affinity(std::move(n));
    affinity.bind_current(w);
    co_return affinity;
  }(std::move(name), where));
}

TEST(LoopAffinity, BindingWithNoRunningLoopIsAMismatch) {
  asyncfix::LoopAffinity affinity("cache client");
  try {
    affinity.bind_current();
    FAIL();
  } catch (const asyncfix::LoopMismatch& e) {
    EXPECT_EQ(e.kind(), asyncfix::MismatchKind::no_running_loop);
    EXPECT_THAT(e.what(), HasSubstr("'cache client'"));
    EXPECT_THAT(e.what(), HasSubstr("running no asyncfix loop"));
  }
}

TEST(LoopAffinity, CheckDistinguishesOkMismatchClosedAndNoLoop) {
  auto suite_loop = std::make_unique<asyncfix::TestLoop>("Suite [SetUpTestSuite]");
  asyncfix::TestLoop test_loop("Suite.Test");
  const auto affinity = bound_on(*suite_loop, "db pool", std::source_location::current());
  EXPECT_EQ(affinity.check(), asyncfix::LoopCheck::no_running_loop);
  EXPECT_EQ(suite_loop->run([](const asyncfix::LoopAffinity& a) -> awaitable<asyncfix::LoopCheck> {
    co_return a.check();
  }(affinity)),
            asyncfix::LoopCheck::ok);
  EXPECT_EQ(test_loop.run([](const asyncfix::LoopAffinity& a) -> awaitable<asyncfix::LoopCheck> {
    co_return a.check();
  }(affinity)),
            asyncfix::LoopCheck::mismatch);
  suite_loop.reset();
  EXPECT_EQ(test_loop.run([](const asyncfix::LoopAffinity& a) -> awaitable<asyncfix::LoopCheck> {
    co_return a.check();
  }(affinity)),
            asyncfix::LoopCheck::bound_loop_closed);
  EXPECT_EQ(asyncfix::LoopAffinity("x").check(), asyncfix::LoopCheck::unbound);
}

TEST(LoopAffinity, RequireCurrentOnAResourceWhoseLoopClosedThrowsNamingTheClosedLoop) {
  auto suite_loop = std::make_unique<asyncfix::TestLoop>("Suite [SetUpTestSuite]");
  asyncfix::TestLoop test_loop("Suite.Test");
  const auto affinity = bound_on(*suite_loop, "db pool", std::source_location::current());
  suite_loop.reset();
  try {
    test_loop.run([](const asyncfix::LoopAffinity& a) -> awaitable<void> {
      a.require_current();
      co_return;
    }(affinity));
    ADD_FAILURE() << "a resource whose loop closed cannot be used";
  } catch (const asyncfix::LoopMismatch& e) {
    EXPECT_EQ(e.kind(), asyncfix::MismatchKind::bound_loop_closed);
    EXPECT_THAT(e.what(), HasSubstr("'db pool'"));
    EXPECT_THAT(e.what(), HasSubstr("Suite [SetUpTestSuite]"));
  }
}

TEST(LoopAffinity, MismatchMessageNamesBothLoopsBothLocationsAndTheFix) {
  asyncfix::TestLoop suite_loop("Suite [SetUpTestSuite]");
  asyncfix::TestLoop test_loop("Suite.Test");
  const auto bind_site = std::source_location::current();
  const auto affinity = bound_on(suite_loop, "redis client", bind_site);
  const auto use_site = std::source_location::current();
  try {
    test_loop.run([](const asyncfix::LoopAffinity& a, std::source_location w) -> awaitable<void> {
      a.require_current(w);
      co_return;
    }(affinity, use_site));
    FAIL() << "no mismatch";
  } catch (const asyncfix::LoopMismatch& e) {
    const std::string text = e.what();
    EXPECT_EQ(e.kind(), asyncfix::MismatchKind::different_loop);
    EXPECT_THAT(text, HasSubstr("'redis client'"));
    EXPECT_THAT(text, HasSubstr(suite_loop.id().to_string()));
    EXPECT_THAT(text, HasSubstr("'Suite [SetUpTestSuite]'"));
    EXPECT_THAT(text, HasSubstr(test_loop.id().to_string()));
    EXPECT_THAT(text, HasSubstr("'Suite.Test'"));
    EXPECT_THAT(text, HasSubstr(std::string(__FILE__) + ":" + std::to_string(bind_site.line())));
    EXPECT_THAT(text, HasSubstr(std::string(__FILE__) + ":" + std::to_string(use_site.line())));
    EXPECT_THAT(text, HasSubstr("Fix:"));
    EXPECT_EQ(e.bound_loop()->serial, suite_loop.id().serial);
    EXPECT_EQ(e.used_loop()->serial, test_loop.id().serial);
  }
}

TEST(LoopAssertions, OnCurrentLoopPassesAndFailsWithBothLoops) {
  asyncfix::TestLoop a("Assert.A");
  asyncfix::TestLoop b("Assert.B");
  const auto affinity = bound_on(a, "thing", std::source_location::current());
  a.run([](const asyncfix::LoopAffinity& x) -> awaitable<void> {
    EXPECT_ON_CURRENT_LOOP(x);
    co_return;
  }(affinity));
  b.run([](const asyncfix::LoopAffinity& x) -> awaitable<void> {
    EXPECT_NONFATAL_FAILURE(EXPECT_ON_CURRENT_LOOP(x), "'Assert.A'");
    EXPECT_NONFATAL_FAILURE(EXPECT_ON_CURRENT_LOOP(x), "'Assert.B'");
    co_return;
  }(affinity));
}

TEST(LoopAssertions, OnCurrentLoopNamesTheAssertionsLineAsTheUseSite) {
  asyncfix::TestLoop a("UseSite.A");
  asyncfix::TestLoop b("UseSite.B");
  const auto affinity = bound_on(a, "thing", std::source_location::current());
  b.run([](const asyncfix::LoopAffinity& x) -> awaitable<void> {
    const std::string use_site =
        std::string("loop_affinity_test.cpp:") + std::to_string(__LINE__ + 1);
    EXPECT_NONFATAL_FAILURE(EXPECT_ON_CURRENT_LOOP(x), use_site);
    co_return;
  }(affinity));
}

TEST(LoopAssertions, SameLoopComparesIdentities) {
  asyncfix::TestLoop a("Same.A");
  asyncfix::TestLoop b("Same.B");
  const auto x = bound_on(a, "x", std::source_location::current());
  const auto y = bound_on(a, "y", std::source_location::current());
  const auto z = bound_on(b, "z", std::source_location::current());
  EXPECT_SAME_LOOP(x, y);
  EXPECT_NONFATAL_FAILURE(EXPECT_SAME_LOOP(x, z), "'x' on loop");
}

TEST(LoopAssertions, ExpectLoopMismatchFailsWhenNothingOrSomethingElseIsThrown) {
  asyncfix::LoopAffinity unbound("u");
  EXPECT_LOOP_MISMATCH(unbound.bind_current());
  EXPECT_NONFATAL_FAILURE(EXPECT_LOOP_MISMATCH((void)0), "throws nothing");
  EXPECT_NONFATAL_FAILURE(EXPECT_LOOP_MISMATCH(throw std::runtime_error("other")),
                          "it throws another exception: other");
  EXPECT_NO_LOOP_MISMATCH((void)0);
  EXPECT_NONFATAL_FAILURE(EXPECT_NO_LOOP_MISMATCH(unbound.bind_current()), "loop mismatch");
}

TEST(LoopAssertions, AFailedLoopMismatchExpectationShowsNoInternalVariable) {
  ::testing::TestPartResultArray failures;
  {
    const ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    EXPECT_LOOP_MISMATCH((void)0);
    asyncfix::LoopAffinity unbound("u");
    EXPECT_NO_LOOP_MISMATCH(unbound.bind_current());
  }
  ASSERT_EQ(failures.size(), 2);
  for (int i = 0; i < failures.size(); ++i) {
    const std::string message = failures.GetTestPartResult(i).message();
    EXPECT_THAT(message, ::testing::StartsWith("Failed\nExpected: ")) << message;
    EXPECT_THAT(message, ::testing::Not(::testing::HasSubstr("asyncfix_outcome_"))) << message;
  }
}

TEST(LoopAssertions, ExpectLoopMismatchWorksWithCoAwait) {
  asyncfix::TestLoop a("Await.A");
  asyncfix::TestLoop b("Await.B");
  const auto x = bound_on(a, "x", std::source_location::current());
  b.run([](const asyncfix::LoopAffinity& affinity) -> awaitable<void> {
    auto use = [&]() -> awaitable<void> {
      affinity.require_current();
      co_return;
    };
    EXPECT_LOOP_MISMATCH(co_await use());
  }(x));
}

}  // namespace
