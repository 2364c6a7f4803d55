#include "matrix/run_support.hpp"

#include "commands.hpp"
#include "redis/host_lookup.hpp"
#include "safe_text.hpp"

#include <asyncfix/redis/redis_url.hpp>

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

namespace asyncfix::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string elapsed_text(Clock::time_point start) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count();
  std::ostringstream text;
  text << std::setfill('0') << std::setw(2) << seconds / 60 << ":" << std::setw(2) << seconds % 60;
  return text.str();
}

}  // namespace

void usage_error(const std::string& message) {
  std::cerr << "asyncfix: " << message << "\n";
  throw CLI::RuntimeError(usage);
}

fs::path make_work_dir(const std::string& requested) {
  if (!requested.empty()) {
    std::error_code ec;
    fs::create_directories(requested, ec);
    if (ec || !fs::is_directory(requested) || ::access(requested.c_str(), W_OK | X_OK) != 0) {
      usage_error("--work-dir '" + requested + "': cannot create or write that directory" +
                  (ec ? " (" + ec.message() + ")" : std::string()));
    }
    return fs::absolute(requested);
  }
  std::string pattern = (fs::temp_directory_path() / "asyncfix-matrix-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

void check_outputs(const Outputs& outputs) {
  for (const auto& [option, path] :
       {std::pair<const char*, const std::string&>{"--json", outputs.json},
        {"--junit", outputs.junit},
        {"--html", outputs.html}}) {
    if (path.empty()) continue;
    const auto parent = fs::absolute(path).parent_path();
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      usage_error(std::string(option) + " '" + path + "': is a directory; expected a file path");
    }
    if (!fs::is_directory(parent, ec) || ::access(parent.c_str(), W_OK | X_OK) != 0 ||
        (fs::exists(path, ec) && ::access(path.c_str(), W_OK) != 0)) {
      usage_error(std::string(option) + " '" + path +
                  "': cannot write there (its directory must exist and be writable)");
    }
  }
}

std::optional<std::string> redis_for_cells(const std::string& given, const std::string& file) {
  if (!given.empty() && !file.empty()) usage_error("--redis and --redis-file: give one of them");
  std::string text = given;
  std::string option = "--redis";
  if (!file.empty()) {
    option = "--redis-file '" + file + "'";
    std::ifstream in(file);
    if (!in || !std::getline(in, text)) {
      usage_error(option + ": cannot read a URL from that file");
    }
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.pop_back();
  }
  if (text.empty()) return std::nullopt;
  redis::RedisUrl url;
  try {
    url = redis::RedisUrl::parse(text);
  } catch (const std::invalid_argument& e) {
    usage_error(option + ": " + std::string(without_prefix(e.what())));
  }
  if (file.empty() && !url.password.empty()) {
    usage_error("--redis '" + url.redacted() +
                "': a password on the command line is visible to every user of this machine; "
                "put the URL in a file and pass --redis-file FILE");
  }
  if (url.kind == redis::RedisUrl::Kind::tcp) {
    try {
      (void)redis::detail::resolve_host_sync(url, std::chrono::seconds(5));
    } catch (const std::exception& e) {
      usage_error(option + ": " + std::string(without_prefix(e.what())));
    }
  }
  return text;
}

void count_listed(std::vector<Cell>& cells, const std::vector<std::string>& gtest_args) {
  std::map<std::pair<std::string, std::string>, std::size_t> listed;
  for (auto& cell : cells) {
    const std::pair key{cell.binary, cell.filter};
    auto found = listed.find(key);
    if (found == listed.end()) {
      found = listed
                  .emplace(key, count_listed_tests(cell.binary, cell.filter, gtest_args,
                                                   std::chrono::seconds(60)))
                  .first;
    }
    cell.listed = found->second;
  }
}

void settle_work_dir(const fs::path& dir, bool requested, bool all_expected,
                     const Outputs& outputs) {
  const bool reported = !outputs.json.empty() || !outputs.junit.empty() || !outputs.html.empty();
  if (requested || !all_expected || reported) return;
  std::error_code ec;
  fs::remove_all(dir, ec);
}

bool write_all_reports(const MatrixReport& report, const Outputs& outputs) {
  bool all = true;
  for (const auto& [json, junit, html] :
       {Outputs{outputs.json, "", ""}, Outputs{"", outputs.junit, ""},
        Outputs{"", "", outputs.html}}) {
    if (json.empty() && junit.empty() && html.empty()) continue;
    try {
      write_reports(report, json, junit, html);
    } catch (const std::exception& e) {
      std::cerr << "asyncfix: cannot write a report: " << for_terminal(e.what()) << "\n";
      all = false;
    }
  }
  return all;
}

void check_binary(const std::string& binary) {
  if (::access(binary.c_str(), X_OK) != 0) {
    usage_error("test binary '" + binary + "' does not exist or is not executable");
  }
}

std::vector<CellResult> run_cells(const std::vector<Cell>& cells, const RunSettings& settings,
                                  const Expectation& expectation, unsigned jobs) {
  std::vector<CellResult> results(cells.size());
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::size_t done = 0;
  std::size_t unexpected = 0;
  std::string cannot_run;
  bool internal_error = false;
  const bool live = ::isatty(STDOUT_FILENO) != 0;
  const auto start = Clock::now();
  auto worker = [&] {
    for (;;) {
      {
        std::lock_guard lock(mutex);
        if (!cannot_run.empty()) return;
      }
      const auto i = next.fetch_add(1);
      if (i >= cells.size()) return;
      CellResult result;
      try {
        result = run_cell(cells[i], settings);
      } catch (const CannotRun& e) {
        std::lock_guard lock(mutex);
        cannot_run = e.what();
        return;
      } catch (const std::exception& e) {  // never out of a thread: std::terminate would follow
        std::lock_guard lock(mutex);
        cannot_run = e.what();
        internal_error = true;
        return;
      }
      result.allowed = expectation.allowed(cells[i].fault.name);
      result.expected = std::find(result.allowed.begin(), result.allowed.end(), result.outcome) !=
                        result.allowed.end();
      std::lock_guard lock(mutex);
      ++done;
      if (!result.expected) ++unexpected;
      if (live) {
        std::cout << "\r[" << done << "/" << cells.size() << "] " << elapsed_text(start)
                  << " elapsed, " << unexpected << " not as expected " << std::flush;
      } else {
        std::cout << "[" << done << "/" << cells.size() << "] " << for_terminal(cells[i].fault.name)
                  << " x " << for_terminal(fs::path(cells[i].binary).filename().string()) << ": "
                  << to_string(result.outcome) << (result.expected ? "" : " (not as expected)")
                  << " in " << result.duration.count() << " ms\n"
                  << std::flush;
      }
      results[i] = std::move(result);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned j = 0; j < std::max(1U, jobs); ++j) threads.emplace_back(worker);
  for (auto& thread : threads) thread.join();
  if (live) std::cout << "\n";
  if (internal_error) throw std::runtime_error(cannot_run);  // main: "internal error", exit 99
  if (!cannot_run.empty()) throw CannotRun(cannot_run);
  return results;
}

void add_redis_options(CLI::App& command, std::string& url, std::string& url_file) {
  command.add_option("--redis", url,
                     "Use this server instead of a private one per cell (a URL without a "
                     "password: the command line is visible to every user)");
  command.add_option("--redis-file", url_file,
                     "Read that server's URL, password and all, from the first line of this file");
}

void add_postgres_option([[maybe_unused]] CLI::App& command, [[maybe_unused]] bool& postgres) {
#ifdef ASYNCFIX_WITH_POSTGRES
  command.add_flag("--postgres", postgres,
                   "Also give each binary a private PostgreSQL behind a fault proxy of its own "
                   "(ASYNCFIX_PG_URL), under the same faults as Redis");
#endif
}

void add_outputs(CLI::App& command, std::string& json, std::string& junit, std::string& html) {
  command.add_option("--json", json, "Write every cell as JSON (what report merge reads)");
  command.add_option("--junit", junit, "Write JUnit XML (one testcase per cell)");
  command.add_option("--html", html, "Write a self-contained HTML grid of the cells");
}

}  // namespace asyncfix::cli
