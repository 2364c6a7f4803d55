// RedisUrl::parse: table tests of good and bad inputs; passwords never appear in messages.
#include <asyncfix/redis/redis_error.hpp>
#include <asyncfix/redis/redis_url.hpp>
#include <asyncfix/redis/reply.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <string_view>

namespace {

using asyncfix::redis::RedisUrl;
using ::testing::HasSubstr;
using ::testing::Not;

struct Good {
  const char* text;
  RedisUrl::Kind kind;
  const char* host_or_path;
  int port;
  int db;
  const char* user;
  const char* password;
  std::string redacted;
};

class GoodUrls : public ::testing::TestWithParam<Good> {};

TEST_P(GoodUrls, Parse) {
  const auto& c = GetParam();
  const auto url = RedisUrl::parse(c.text);
  EXPECT_EQ(url.kind, c.kind);
  if (c.kind == RedisUrl::Kind::tcp) {
    EXPECT_EQ(url.host, c.host_or_path);
    EXPECT_EQ(url.port, c.port);
  } else {
    EXPECT_EQ(url.path, c.host_or_path);
  }
  EXPECT_EQ(url.db, c.db);
  EXPECT_EQ(url.user, c.user);
  EXPECT_EQ(url.password, c.password);
  EXPECT_EQ(url.redacted(), c.redacted);
  EXPECT_EQ(RedisUrl::parse(url.to_string()), url) << "to_string() must keep everything";
}

/// The URL's letters and digits: stable across builds, unlike gtest's default byte dump.
std::string alnum(std::string_view text) {
  std::string name;
  for (const char c : text.substr(0, 40)) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) name += c;
  }
  return name;
}

/// Stable test names (ctest -R, history): the case's index and the URL's letters and digits.
template <class Case>
std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  return std::to_string(info.index) + "_" + alnum(info.param.text);
}

void PrintTo(const Good& c, std::ostream* os) {
  *os << alnum(c.text);
}

INSTANTIATE_TEST_SUITE_P(
    Table, GoodUrls,
    ::testing::Values(Good{"redis://127.0.0.1:6400", RedisUrl::Kind::tcp, "127.0.0.1", 6400, 0, "",
                           "", "redis://127.0.0.1:6400"},
                      Good{"redis://localhost", RedisUrl::Kind::tcp, "localhost", RedisUrl{}.port,
                           0, "", "", "redis://localhost:" + std::to_string(RedisUrl{}.port)},
                      Good{"redis://user:pw@redis:6401/1", RedisUrl::Kind::tcp, "redis", 6401, 1,
                           "user", "pw", "redis://user:***@redis:6401/1"},
                      Good{"redis://[::1]:6400", RedisUrl::Kind::tcp, "::1", 6400, 0, "", "",
                           "redis://[::1]:6400"},
                      Good{"redis://127.0.0.1:7001/3", RedisUrl::Kind::tcp, "127.0.0.1", 7001, 3,
                           "", "", "redis://127.0.0.1:7001/3"},
                      Good{"redis://:s3cret@127.0.0.1:7001", RedisUrl::Kind::tcp, "127.0.0.1", 7001,
                           0, "", "s3cret", "redis://:***@127.0.0.1:7001"},
                      Good{"redis://app:p%40ss@127.0.0.1:7001/2", RedisUrl::Kind::tcp, "127.0.0.1",
                           7001, 2, "app", "p@ss", "redis://app:***@127.0.0.1:7001/2"},
                      Good{"redis://onlypass@127.0.0.1:7001", RedisUrl::Kind::tcp, "127.0.0.1",
                           7001, 0, "", "onlypass", "redis://:***@127.0.0.1:7001"},
                      Good{"redis://[::1]:7002", RedisUrl::Kind::tcp, "::1", 7002, 0, "", "",
                           "redis://[::1]:7002"},
                      Good{"unix:///tmp/afx-1/redis.sock", RedisUrl::Kind::unix_socket,
                           "/tmp/afx-1/redis.sock", 0, 0, "", "", "unix:///tmp/afx-1/redis.sock"},
                      Good{"unix:///tmp/a%20b%ED%3F.sock", RedisUrl::Kind::unix_socket,
                           "/tmp/a b\xED?.sock", 0, 0, "", "", "unix:///tmp/a%20b%ED%3F.sock"},
                      Good{"unix:///tmp/r.sock?db=4", RedisUrl::Kind::unix_socket, "/tmp/r.sock", 0,
                           4, "", "", "unix:///tmp/r.sock?db=4"},
                      Good{"redis+unix:///tmp/r.sock", RedisUrl::Kind::unix_socket, "/tmp/r.sock",
                           0, 0, "", "", "unix:///tmp/r.sock"},
                      Good{"unix://:s3cret@/tmp/r.sock?db=2", RedisUrl::Kind::unix_socket,
                           "/tmp/r.sock", 0, 2, "", "s3cret", "unix://:***@/tmp/r.sock?db=2"},
                      Good{"unix://app:p%2Fw@/tmp/r.sock", RedisUrl::Kind::unix_socket,
                           "/tmp/r.sock", 0, 0, "app", "p/w", "unix://app:***@/tmp/r.sock"},
                      Good{"unix:///tmp/r.sock?db=1&password=s3cret&user=app",
                           RedisUrl::Kind::unix_socket, "/tmp/r.sock", 0, 1, "app", "s3cret",
                           "unix://app:***@/tmp/r.sock?db=1"},
                      Good{"redis://:p%2Fw@127.0.0.1:7001", RedisUrl::Kind::tcp, "127.0.0.1", 7001,
                           0, "", "p/w", "redis://:***@127.0.0.1:7001"}),
    case_name<Good>);

struct Bad {
  const char* text;
  const char* why;
};

void PrintTo(const Bad& c, std::ostream* os) {
  *os << alnum(c.text);
}

class BadUrls : public ::testing::TestWithParam<Bad> {};

TEST_P(BadUrls, AreOneLineErrorsNamingTheInputAndWhatWasExpected) {
  const auto& c = GetParam();
  try {
    (void)RedisUrl::parse(c.text);
    FAIL() << c.text << " was accepted";
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    EXPECT_THAT(message, HasSubstr(c.why));
    EXPECT_THAT(message, HasSubstr("expected redis://"));
    EXPECT_THAT(message, Not(HasSubstr("hunter2"))) << "the password leaked";
    EXPECT_THAT(message, Not(HasSubstr("hun/ter2"))) << "the password leaked";
    EXPECT_EQ(message.find('\n'), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadUrls,
    ::testing::Values(
        Bad{"", "unknown scheme"}, Bad{"http://127.0.0.1", "unknown scheme"},
        Bad{"rediss://127.0.0.1", "TLS"}, Bad{"redis://", "the host is empty"},
        Bad{"redis://127.0.0.1:", "the port is empty"}, Bad{"redis://127.0.0.1:0", "port '0'"},
        Bad{"redis://127.0.0.1:65536", "port '65536'"},
        Bad{"redis://127.0.0.1:http", "port 'http'"}, Bad{"redis://127.0.0.1:6400/x", "db 'x'"},
        Bad{"redis://cache%20one:6400", "host 'cache one' is not a host name"},
        Bad{"redis://user:hunter2@db%2Finternal:6400", "host 'db/internal' is not a host name"},
        Bad{"redis://user:hunter2@127.0.0.1:99999", "port '99999'"},
        Bad{"redis://a:hunter2%zz@127.0.0.1", "percent-escape"},
        Bad{"redis://[::1", "missing its ']'"}, Bad{"unix://relative.sock", "must be absolute"},
        Bad{"unix:///tmp/x.sock?db=-1", "db '-1'"},
        Bad{"unix:///tmp/x.sock?timeout=3", "unknown query parameter 'timeout'"},
        Bad{"redis://:hun/ter2@127.0.0.1:6400", "must be written %2F"},
        Bad{"redis:/:hunter2@127.0.0.1:6400", "unknown scheme"},
        Bad{"redis//:hunter2@127.0.0.1:6400", "unknown scheme"},
        Bad{"unix:///tmp/x.sock?password=hunter2&bogus=1", "unknown query parameter 'bogus'"},
        Bad{"unix:///tmp/x.sock?db=x&password=hunter2", "db 'x'"},
        Bad{"redis://:a%-1@127.0.0.1", "percent-escape"},
        Bad{"redis://:hunter2@127.0.0.1:6400/x@y", "must be written %2F"}),
    case_name<Bad>);

TEST(BadUrlMessages, EscapeANulByteSoTheReasonIsNotCutOff) {
  const std::string text(
      "redis://127.0.0.1:64\0"
      "00",
      23);
  try {
    (void)RedisUrl::parse(text);
    FAIL() << "a NUL inside the port was accepted";
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find('\0'), std::string::npos);
    EXPECT_THAT(message, HasSubstr("64\\x0000"));
    EXPECT_THAT(message, HasSubstr("is not a number from 1 to 65535"));
    EXPECT_THAT(message, HasSubstr("expected redis://"));
  }
}

TEST(RedisUrlRedaction, MasksPasswordsInTextThatDoesNotParse) {
  EXPECT_EQ(asyncfix::redis::redact_url_text("redis://u:hunter2@bad host"), "redis://***@bad host");
  EXPECT_EQ(asyncfix::redis::redact_url_text("redis://:hun/ter2@127.0.0.1:6400"),
            "redis://***@127.0.0.1:6400");
  EXPECT_EQ(asyncfix::redis::redact_url_text("redis:/:hunter2@127.0.0.1"), "redis:/***@127.0.0.1");
  EXPECT_EQ(asyncfix::redis::redact_url_text(":hunter2@127.0.0.1"), "***@127.0.0.1");
  EXPECT_EQ(asyncfix::redis::redact_url_text("unix:///s?password=hunter2&db=1"),
            "unix:///s?password=***&db=1");
  EXPECT_EQ(asyncfix::redis::redact_url_text("no scheme"), "no scheme");
  // An unencoded '@' (and '/') inside the password: masked whole, up to the last '@'.
  EXPECT_EQ(asyncfix::redis::redact_url_text("redis://u:p@ss@127.0.0.1:6400"),
            "redis://***@127.0.0.1:6400");
  EXPECT_EQ(asyncfix::redis::redact_url_text("redis://u:a/b@c@127.0.0.1"), "redis://***@127.0.0.1");
}

TEST(RedisErrorCategory, NamesItselfAndItsCodes) {
  const auto ec = make_error_code(asyncfix::redis::Errc::timeout);
  EXPECT_STREQ(ec.category().name(), "asyncfix.redis");
  EXPECT_EQ(ec.message(), "timeout");
  const asyncfix::redis::RedisError error(asyncfix::redis::Errc::auth_failed, "x");
  EXPECT_EQ(error.errc(), asyncfix::redis::Errc::auth_failed);
}

TEST(RedisErrorCategory, WhatIsOneSentenceWithoutTheCategoryRepeated) {
  const auto error = asyncfix::redis::make_redis_error(asyncfix::redis::Errc::timeout, "GET k",
                                                       "unix:///s", "no reply within 5 ms");
  EXPECT_STREQ(error.what(), "asyncfix.redis timeout: GET k on unix:///s: no reply within 5 ms");
  EXPECT_EQ(error.code(), asyncfix::redis::Errc::timeout);
}

TEST(ReplyToString, IsRedisCliStyle) {
  using asyncfix::redis::Reply;
  EXPECT_EQ(Reply::array({Reply::integer(1), Reply::string("a"), Reply::nil(),
                          Reply::error("ERR x"), Reply::status("OK")})
                .to_string(),
            "[(integer) 1, \"a\", (nil), (error) ERR x, OK]");
}

}  // namespace
