// RedisUrl::parse: table tests of good and bad inputs; passwords never appear in messages.
#include <asyncfix/redis/redis_error.hpp>
#include <asyncfix/redis/redis_url.hpp>
#include <asyncfix/redis/reply.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
  if (c.kind == RedisUrl::Kind::tcp) {
    EXPECT_EQ(RedisUrl::parse(url.to_string()), url);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, GoodUrls,
    ::testing::Values(Good{"redis://127.0.0.1:6400", RedisUrl::Kind::tcp, "127.0.0.1", 6400, 0, "",
                           "", "redis://127.0.0.1:6400"},
                      Good{"redis://localhost", RedisUrl::Kind::tcp, "127.0.0.1", RedisUrl{}.port,
                           0, "", "", "redis://127.0.0.1:" + std::to_string(RedisUrl{}.port)},
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
                      Good{"unix:///tmp/r.sock?db=4", RedisUrl::Kind::unix_socket, "/tmp/r.sock", 0,
                           4, "", "", "unix:///tmp/r.sock?db=4"},
                      Good{"redis+unix:///tmp/r.sock", RedisUrl::Kind::unix_socket, "/tmp/r.sock",
                           0, 0, "", "", "unix:///tmp/r.sock"}));

struct Bad {
  const char* text;
  const char* why;
};

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
        Bad{"redis://redis.example.com:6400", "not a numeric address"},
        Bad{"redis://user:hunter2@db.internal:6400", "not a numeric address"},
        Bad{"redis://user:hunter2@127.0.0.1:99999", "port '99999'"},
        Bad{"redis://a:hunter2%zz@127.0.0.1", "percent-escape"},
        Bad{"redis://[::1", "missing its ']'"}, Bad{"unix://relative.sock", "must be absolute"},
        Bad{"unix:///tmp/x.sock?db=-1", "db '-1'"},
        Bad{"unix:///tmp/x.sock?timeout=3", "unknown query"}));

TEST(RedisUrlRedaction, MasksPasswordsInTextThatDoesNotParse) {
  EXPECT_EQ(asyncfix::redis::redact_url_text("redis://u:hunter2@bad host"),
            "redis://u:***@bad host");
  EXPECT_EQ(asyncfix::redis::redact_url_text("no scheme"), "no scheme");
}

TEST(RedisErrorCategory, NamesItselfAndItsCodes) {
  const auto ec = make_error_code(asyncfix::redis::Errc::timeout);
  EXPECT_STREQ(ec.category().name(), "asyncfix.redis");
  EXPECT_EQ(ec.message(), "timeout");
  const asyncfix::redis::RedisError error(asyncfix::redis::Errc::auth_failed, "x");
  EXPECT_EQ(error.errc(), asyncfix::redis::Errc::auth_failed);
}

TEST(ReplyToString, IsRedisCliStyle) {
  using asyncfix::redis::Reply;
  EXPECT_EQ(Reply::array({Reply::integer(1), Reply::string("a"), Reply::nil(),
                          Reply::error("ERR x"), Reply::status("OK")})
                .to_string(),
            "[(integer) 1, \"a\", (nil), (error) ERR x, OK]");
}

}  // namespace
