// AsyncOptions::from_env: overrides and one-line errors naming the variable.
#include "asyncfix_test/scoped_env.hpp"

#include <asyncfix/redis/redis_environment.hpp>
#include <asyncfix/testing/async_options.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

using asyncfix_test::ScopedEnv;

TEST(AsyncOptions, EnvironmentOverridesTheBase) {
  ScopedEnv deadline("ASYNCFIX_DEADLINE_MS", "250");
  ScopedEnv grace("ASYNCFIX_TEARDOWN_GRACE_MS", "40");
  ScopedEnv leaks("ASYNCFIX_LEAKS", "warn");
  ScopedEnv threads("ASYNCFIX_THREADS", "3");
  const auto options = asyncfix::AsyncOptions::from_env({.deadline = 5s});
  EXPECT_EQ(options.deadline, 250ms);
  EXPECT_EQ(options.teardown_grace, 40ms);
  EXPECT_EQ(options.leaks, asyncfix::LeakPolicy::Warn);
  EXPECT_EQ(options.threads, 3U);
}

TEST(AsyncOptions, UnsetVariablesKeepTheBase) {
  ::unsetenv("ASYNCFIX_DEADLINE_MS");
  EXPECT_EQ(asyncfix::AsyncOptions::from_env({.deadline = 5s}).deadline, 5s);
}

TEST(AsyncOptions, BadValuesNameTheVariableTheValueAndWhatWasExpected) {
  struct Case {
    const char* name;
    const char* value;
    const char* expected;
  };
  for (const auto& c :
       {Case{"ASYNCFIX_DEADLINE_MS", "abc", "expected a positive integer"},
        Case{"ASYNCFIX_DEADLINE_MS", "0", "expected a positive integer"},
        Case{"ASYNCFIX_DEADLINE_MS", "-5", "expected a positive integer"},
        Case{"ASYNCFIX_TEARDOWN_GRACE_MS", "12ms", "expected a positive integer"},
        Case{"ASYNCFIX_LEAKS", "maybe", "expected 'fail' or 'warn'"},
        Case{"ASYNCFIX_THREADS", "100000", "expected a positive integer up to 256"}}) {
    ScopedEnv env(c.name, c.value);
    try {
      (void)asyncfix::AsyncOptions::from_env();
      ADD_FAILURE() << c.name << "=" << c.value << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_THAT(e.what(), HasSubstr(std::string(c.name) + "='" + c.value + "'"));
      EXPECT_THAT(e.what(), HasSubstr(c.expected));
    }
  }
}

TEST(RedisOptionalEnv, AcceptsTheUsualSpellingsAndNamesTheVariableOtherwise) {
  for (const char* yes : {"1", "true", "YES", "on"}) {
    ScopedEnv optional("ASYNCFIX_REDIS_OPTIONAL", yes);
    EXPECT_TRUE(asyncfix::redis::RedisEnvironment::skips_without_server()) << yes;
  }
  for (const char* no : {"0", "false", "No", "off"}) {
    ScopedEnv optional("ASYNCFIX_REDIS_OPTIONAL", no);
    EXPECT_FALSE(asyncfix::redis::RedisEnvironment::skips_without_server()) << no;
  }
  ScopedEnv optional("ASYNCFIX_REDIS_OPTIONAL", "maybe");
  try {
    (void)asyncfix::redis::RedisEnvironment::skips_without_server();
    FAIL() << "'maybe' was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("ASYNCFIX_REDIS_OPTIONAL='maybe'"));
  }
}

TEST(WatchdogMarginEnv, IsReadAndValidated) {
  {
    ScopedEnv margin("ASYNCFIX_WATCHDOG_MARGIN_MS", "750");
    EXPECT_EQ(asyncfix::AsyncOptions::from_env().watchdog_margin, 750ms);
  }
  ScopedEnv margin("ASYNCFIX_WATCHDOG_MARGIN_MS", "soon");
  EXPECT_THROW((void)asyncfix::AsyncOptions::from_env(), std::invalid_argument);
}

}  // namespace
