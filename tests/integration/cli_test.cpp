// The `asyncfix` CLI as CI scripts use it: unknown subcommands named, `redis stop` that signals
// only the server it started and removes only directories it created, corrupt or stale state
// named and recovered from, a second stop that is a no-op.
#include "asyncfix_test/child_process.hpp"

#include "redis/sync_client.hpp"
#include "support/process_identity.hpp"

#include <asyncfix/redis/redis_environment.hpp>
#include <asyncfix/redis/test_keys.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

asyncfix_test::ChildResult cli(const std::string& args) {
  return asyncfix_test::run_child(std::string("'") + ASYNCFIX_CLI + "' " + args);
}

/// A fresh private directory for one test's CLI state, removed at the end.
class CliState : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/afx-cli-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    cli("redis stop --dir " + dir_.string() + " --force");
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text << "\n";
  }
  std::string dir() const { return dir_.string(); }

  fs::path dir_;
};

/// A child process unrelated to asyncfix (`sleep 30`), killed on destruction.
struct Bystander {
  Bystander() : child({"sleep", "30"}), pid(child.pid()) {
    std::this_thread::sleep_for(50ms);  // exec'd
  }
  bool alive() const { return asyncfix::detail::process_identity(pid).has_value(); }
  asyncfix_test::BackgroundChild child;
  pid_t pid = -1;
};

TEST(Cli, AnUnknownSubcommandIsNamedWithTheValidOnes) {
  const auto result = cli("bogus");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_THAT(result.output, HasSubstr("unknown subcommand 'bogus'"));
  EXPECT_THAT(result.output, HasSubstr("redis"));
  EXPECT_THAT(result.output, ::testing::Not(HasSubstr("A subcommand is required")));
}

TEST(Cli, UsageErrorsAreOneLineAndExitTwoNamingWhatIsWrong) {
  struct Case {
    std::string args;
    std::string says;
  };
  for (const Case& c : std::vector<Case>{
           {"", "asyncfix: a subcommand is required: redis, pg, demo"},
           {"pg", "asyncfix pg: a subcommand is required: start, stop, status, url"},
           {"pg start", "asyncfix pg start: --dir is required"},
           {"redis", "asyncfix redis: a subcommand is required: start, stop, status, url"},
           {"redis --bogus",
            "asyncfix redis: unknown option '--bogus'; expected a subcommand: start, stop"},
           {"redis bogus", "asyncfix redis: unknown subcommand 'bogus'; expected a subcommand"},
           {"redis frob --dir x",
            "asyncfix redis: unknown subcommand 'frob'; expected a subcommand"},
           {"redis start", "asyncfix redis start: --dir is required"},
           {"matrix --nope", "asyncfix matrix: unknown option '--nope'"},
           {"matrix --jobs=0 x", "asyncfix matrix: --jobs: Value 0 not in range 1 to 64"},
           {"proxy --upstream not-a-url --seed=-1",
            "asyncfix proxy: --seed: '-1' is not a whole number from 0 to"},
           {"matrix --seed 18446744073709551616 -- x",
            "asyncfix matrix: --seed: '18446744073709551616' is not a whole number"}}) {
    const auto result = cli(c.args);
    EXPECT_EQ(result.exit_code, 2) << c.args << ": " << result.output;
    EXPECT_THAT(result.output, HasSubstr(c.says)) << c.args;
    EXPECT_THAT(result.output, HasSubstr("--help)")) << c.args;
    EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
    EXPECT_THAT(result.output, ::testing::Not(HasSubstr("asyncfix: asyncfix"))) << c.args;
  }
  EXPECT_EQ(cli("--version").exit_code, 0);
  EXPECT_EQ(cli("redis --help").exit_code, 0);
}

TEST_F(CliState, StopNeverSignalsAProcessItCannotProveIsItsServer) {
  Bystander bystander;
  char pattern[] = "/tmp/afx-XXXXXX";  // looks like a server directory, but has no marker
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const fs::path unrelated = pattern;
  // State as if the recorded server died and its pid now belongs to `sleep`.
  write("server", std::to_string(bystander.pid) + " 1 /usr/bin/redis-server");
  write("url", "unix:///tmp/afx-gone/redis.sock");
  write("socketdir", unrelated.string());
  const auto result = cli("redis stop --dir " + dir());
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_THAT(result.output, HasSubstr("is no longer the recorded redis-server"));
  EXPECT_TRUE(bystander.alive()) << "redis stop signalled an unrelated process";
  EXPECT_TRUE(fs::exists(unrelated)) << "redis stop removed a directory it did not create";
  fs::remove_all(unrelated);
}

TEST_F(CliState, CorruptStateIsNamedAndStartRecoversFromIt) {
  write("pid", "not-a-number");
  write("server", "garbage");
  const auto stop = cli("redis stop --dir " + dir());
  EXPECT_EQ(stop.exit_code, 1) << stop.output;
  EXPECT_THAT(stop.output, HasSubstr((dir_ / "server").string()));
  EXPECT_THAT(stop.output, HasSubstr("--force"));
  EXPECT_THAT(stop.output, ::testing::Not(HasSubstr("stoi")));

  const auto start = cli("redis start --dir " + dir());
  EXPECT_EQ(start.exit_code, 0) << start.output;
  EXPECT_THAT(start.output, HasSubstr("removing stale state"));
  EXPECT_EQ(cli("redis stop --dir " + dir()).exit_code, 0);
}

TEST_F(CliState, StatusAndUrlTellScriptsWhetherTheServerRunsAndWhereWithoutThePassword) {
  auto status = cli("redis status --dir " + dir());
  EXPECT_EQ(status.exit_code, 1) << status.output;
  EXPECT_THAT(status.output, HasSubstr("not running: no server recorded in " + dir()));
  EXPECT_EQ(cli("redis url --dir " + dir()).exit_code, 1);

  ASSERT_EQ(cli("redis start --dir " + dir()).exit_code, 0);
  status = cli("redis status --dir " + dir());
  EXPECT_EQ(status.exit_code, 0) << status.output;
  EXPECT_THAT(status.output, HasSubstr("running: pid "));
  const auto url = cli("redis url --dir " + dir());
  EXPECT_EQ(url.exit_code, 0) << url.output;
  EXPECT_THAT(url.output, ::testing::StartsWith("unix:///tmp/afx-"));

  // A recorded password is never printed: masked, with where the full URL is.
  std::ifstream in(dir_ / "url");
  std::string recorded;
  std::getline(in, recorded);
  write("url", "unix://:s3cret-pw@" + recorded.substr(std::string("unix://").size()));
  const auto masked = cli("redis url --dir " + dir());
  EXPECT_THAT(masked.output, HasSubstr("unix://:***@/tmp/afx-"));
  EXPECT_THAT(masked.output, ::testing::Not(HasSubstr("s3cret-pw")));
  EXPECT_THAT(masked.output, HasSubstr("the password is masked"));
  write("url", recorded);

  ASSERT_EQ(cli("redis stop --dir " + dir()).exit_code, 0);
  status = cli("redis status --dir " + dir());
  EXPECT_EQ(status.exit_code, 1) << status.output;
}

TEST_F(CliState, PgStartStatusUrlAndStopRunOnePostgresAndLeaveNothing) {
  auto status = cli("pg status --dir " + dir());
  EXPECT_EQ(status.exit_code, 1) << status.output;
  EXPECT_THAT(status.output, HasSubstr("not running: no server recorded in " + dir()));
  const auto start = cli("pg start --dir " + dir());
  ASSERT_EQ(start.exit_code, 0) << start.output;
  EXPECT_THAT(start.output, HasSubstr("postgresql://asyncfix@/postgres?host=%2Ftmp%2Fafx-"));
  std::ifstream in(dir_ / "socketdir");
  std::string socket_dir;
  std::getline(in, socket_dir);
  EXPECT_TRUE(fs::exists(socket_dir));
  status = cli("pg status --dir " + dir());
  EXPECT_EQ(status.exit_code, 0) << status.output;
  EXPECT_THAT(status.output, HasSubstr("running: pid "));
  const auto url = cli("pg url --dir " + dir());
  EXPECT_EQ(url.exit_code, 0) << url.output;
  EXPECT_THAT(url.output, ::testing::StartsWith("postgresql://asyncfix@/postgres?host="));
  write("url", "postgresql://asyncfix:s3cret-pw@/postgres?host=/x");
  EXPECT_THAT(cli("pg url --dir " + dir()).output,
              ::testing::AllOf(HasSubstr("postgresql://asyncfix:***@/postgres"),
                               ::testing::Not(HasSubstr("s3cret-pw"))));
  const auto stop = cli("pg stop --dir " + dir());
  EXPECT_EQ(stop.exit_code, 0) << stop.output;
  EXPECT_FALSE(fs::exists(socket_dir)) << "the server's directory is removed";
  EXPECT_FALSE(fs::exists(dir_ / "server"));
  EXPECT_EQ(cli("pg stop --dir " + dir()).exit_code, 0) << "a second stop is a no-op";

  // A database a test process left behind fails `stop --check-clean`; the server stops anyway.
  ASSERT_EQ(cli("pg start --dir " + dir()).exit_code, 0);
  const auto made = asyncfix_test::run_child("psql \"$(cat '" + (dir_ / "url").string() +
                                             "')\" -qc 'CREATE DATABASE afx_1_left'");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  const auto checked = cli("pg stop --check-clean --dir " + dir());
  EXPECT_EQ(checked.exit_code, 1) << checked.output;
  EXPECT_THAT(checked.output, HasSubstr("1 test database was left on the server"));
  EXPECT_THAT(checked.output, HasSubstr("afx_1_left"));
  EXPECT_EQ(cli("pg status --dir " + dir()).exit_code, 1) << "stopped all the same";
}

TEST_F(CliState, StopEndsTheServerEvenWithoutItsUrlAndASecondStopIsANoOp) {
  const auto start = cli("redis start --dir " + dir());
  ASSERT_EQ(start.exit_code, 0) << start.output;
  std::ifstream in(dir_ / "server");
  std::string line;
  std::getline(in, line);
  const auto server = asyncfix::detail::ProcessIdentity::from_line(line);
  ASSERT_TRUE(server);
  EXPECT_EQ(fs::status(dir_ / "url").permissions() & fs::perms::others_read, fs::perms::none)
      << "the URL file may carry a password: owner-only";
  fs::remove(dir_ / "url");

  const auto stop = cli("redis stop --dir " + dir());
  EXPECT_EQ(stop.exit_code, 0) << stop.output;
  EXPECT_FALSE(asyncfix::detail::still_running(*server)) << "the server was left running";
  const auto again = cli("redis stop --dir " + dir());
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_THAT(again.output, HasSubstr("nothing to stop"));
}

}  // namespace

namespace {

TEST_F(CliState, StartHandsServerArgsFromTheEnvironmentAndAfterDashDashToRedisServer) {
  const auto start = asyncfix_test::run_child("ASYNCFIX_REDIS_ARGS='--maxmemory 64mb' '" +
                                              std::string(ASYNCFIX_CLI) + "' redis start --dir " +
                                              dir() + " -- --maxmemory-policy allkeys-lru");
  ASSERT_EQ(start.exit_code, 0) << start.output;
  std::ifstream in(dir_ / "url");
  std::string url;
  std::getline(in, url);
  asyncfix::redis::detail::SyncClient client(asyncfix::redis::RedisUrl::parse(url), 2s);
  const auto policy = client.command({"CONFIG", "GET", "maxmemory-policy"});
  ASSERT_EQ(policy.elements().size(), 2U) << policy.to_string();
  EXPECT_EQ(policy.elements()[1].text(), "allkeys-lru");
  const auto memory = client.command({"CONFIG", "GET", "maxmemory"});
  ASSERT_EQ(memory.elements().size(), 2U) << memory.to_string();
  EXPECT_EQ(memory.elements()[1].text(), "67108864");
}

TEST_F(CliState, RefusedServerArgsAreAUsageErrorInOneLine) {
  const auto dashed = cli("redis start --dir " + dir() + " -- --port");  // refused by name
  EXPECT_EQ(dashed.exit_code, 2) << dashed.output;
  EXPECT_THAT(dashed.output,
              HasSubstr("asyncfix redis start -- ARGS: '--port' is chosen by asyncfix"));
  const auto from_env =
      asyncfix_test::run_child("ASYNCFIX_REDIS_ARGS='--maxmemory \"64mb' '" +
                               std::string(ASYNCFIX_CLI) + "' redis start --dir " + dir());
  EXPECT_EQ(from_env.exit_code, 2) << from_env.output;
  EXPECT_THAT(from_env.output, HasSubstr("ASYNCFIX_REDIS_ARGS: a \" quote is not closed"));
  EXPECT_FALSE(fs::exists(dir_ / "url")) << "nothing was started";
}

}  // namespace

namespace {

TEST(ServerArgs, TheCtestServerHasTheServerArgsOfCMake) {
  auto& environment = asyncfix::redis::RedisEnvironment::instance();
  const auto url = environment.url();
  if (environment.source() != "ASYNCFIX_REDIS_URL_FILE") {
    GTEST_SKIP() << "runs under ctest, against the server of asyncfix_discover_tests";
  }
  // tests/integration/CMakeLists.txt gives SERVER_ARGS --hz 11 (redis-server's default is 10).
  asyncfix::redis::detail::SyncClient client(url, 2s);
  const auto hz = client.command({"CONFIG", "GET", "hz"});
  ASSERT_EQ(hz.elements().size(), 2U) << hz.to_string();
  EXPECT_EQ(hz.elements()[1].text(), "11");
}

}  // namespace

namespace {

TEST_F(CliState, StartsAtOnceOnOneDirStartOneServerAndTheOthersSayItRuns) {
  const std::string start = std::string("'") + ASYNCFIX_CLI + "' redis start --dir " + dir();
  const auto result = asyncfix_test::run_child("for i in 1 2 3 4; do (" + start +
                                               " >/dev/null 2>&1 && echo STARTED) & done; wait");
  std::size_t started = 0;
  for (auto at = result.output.find("STARTED"); at != std::string::npos;
       at = result.output.find("STARTED", at + 1)) {
    ++started;
  }
  EXPECT_EQ(started, 1U) << "the others would be orphans nobody records\n" << result.output;
}

TEST_F(CliState, ASharedServerOutlivesTheFirstStopAndAKilledRunNeverHoldsItUp) {
  const std::string cli_path = std::string("'") + ASYNCFIX_CLI + "'";
  for (const std::string server : {"redis", "pg"}) {
    const std::string in = " --dir " + dir() + "/" + server;
    const std::string start = cli_path + " " + server + " start --shared" + in + " >/dev/null";
    const std::string stop = cli_path + " " + server + " stop --shared" + in + " >/dev/null";
    const std::string status = cli_path + " " + server + " status" + in + " >/dev/null";
    // Each `sh -c` is one run (the parent of its start and stop, as ctest is): the first starts
    // and stays, the second shares the server, stops, and the server is still up for the first.
    const auto first = asyncfix_test::run_child("sh -c \"" + start + " && sleep 1.5 && " + stop +
                                                "\" & sleep 1; sh -c \"" + start + " && " + stop +
                                                " && " + status + " && echo SHARED_UP\"; wait; " +
                                                status + " || echo GONE_AFTER_LAST");
    EXPECT_THAT(first.output, HasSubstr("SHARED_UP")) << server << ": " << first.output;
    EXPECT_THAT(first.output, HasSubstr("GONE_AFTER_LAST")) << server << ": " << first.output;
    // A run killed before its stop: the next run shares its server and, being the last, stops
    // it.
    const auto killed =
        asyncfix_test::run_child("sh -c \"" + start + "; kill -9 \\$\\$\"; sh -c \"" + start +
                                 " && " + stop + "\"; " + status + " || echo GONE");
    EXPECT_THAT(killed.output, HasSubstr("GONE")) << server << ": " << killed.output;
  }
}

}  // namespace

namespace {

TEST_F(CliState, NoRedisServerIsAnEnvironmentFailureExitOneSaidOnce) {
  for (const std::string& command : {"redis start --dir " + dir(), std::string("demo")}) {
    const auto result =
        asyncfix_test::run_child("ASYNCFIX_REDIS_SERVER=/nonexistent/redis-server '" +
                                 std::string(ASYNCFIX_CLI) + "' " + command);
    EXPECT_EQ(result.exit_code, 1) << command << ": " << result.output;
    EXPECT_THAT(result.output, HasSubstr("'/nonexistent/redis-server' not found"));
    EXPECT_THAT(result.output, HasSubstr("ASYNCFIX_REDIS_SERVER")) << "says what to set";
    EXPECT_THAT(result.output, ::testing::Not(HasSubstr("asyncfix: asyncfix:")));
    EXPECT_THAT(result.output, ::testing::Not(HasSubstr(": asyncfix: "))) << "said once";
    EXPECT_THAT(result.output, ::testing::Not(HasSubstr("internal")));
  }
}

}  // namespace

namespace {

TEST_F(CliState, CheckNoKeysListsTheLeftoverTestKeysCountedRightAndStillStops) {
  const auto start = cli("redis start --dir " + dir());
  ASSERT_EQ(start.exit_code, 0) << start.output;
  std::ifstream in(dir_ / "url");
  std::string url;
  std::getline(in, url);
  const std::string root(asyncfix::redis::test_key_root);
  {
    asyncfix::redis::detail::SyncClient client(asyncfix::redis::RedisUrl::parse(url), 2s);
    client.command({"SET", root + "1:ab:Suite.Forgot:k", "v"});
    client.command({"SET", "app:not-a-test-key", "v"});
  }
  const auto one = cli("redis stop --dir " + dir() + " --check-no-keys");
  EXPECT_EQ(one.exit_code, 1) << one.output;
  EXPECT_THAT(one.output, HasSubstr("1 test key was left on the server"));
  EXPECT_THAT(one.output, HasSubstr(root + "1:ab:Suite.Forgot:k"));
  EXPECT_THAT(one.output, ::testing::Not(HasSubstr("app:not-a-test-key")));
  EXPECT_EQ(cli("redis status --dir " + dir()).exit_code, 1) << "stopped all the same";

  ASSERT_EQ(cli("redis start --dir " + dir()).exit_code, 0);
  std::ifstream again(dir_ / "url");
  std::getline(again, url);
  {
    asyncfix::redis::detail::SyncClient client(asyncfix::redis::RedisUrl::parse(url), 2s);
    client.command({"SET", root + "1:ab:Suite.A:k", "v"});
    client.command({"SET", root + "1:ab:Suite.B:k", "v"});
  }
  const auto two = cli("redis stop --dir " + dir() + " --check-no-keys");
  EXPECT_EQ(two.exit_code, 1) << two.output;
  EXPECT_THAT(two.output, HasSubstr("2 test keys were left on the server"));
}

}  // namespace
