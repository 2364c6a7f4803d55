#include "server_state.hpp"

#include "support/stop_sequence.hpp"

#include <fstream>
#include <iostream>
#include <system_error>
#include <thread>

namespace asyncfix::cli {

namespace fs = std::filesystem;
using asyncfix::detail::ProcessIdentity;

namespace {

std::optional<std::string> read_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  return line;
}

}  // namespace

State read_state(const fs::path& dir) {
  auto state = read_state(dir, [](const std::string& text) { (void)redis::RedisUrl::parse(text); });
  if (!state.url_text.empty()) {
    try {
      state.url = redis::RedisUrl::parse(state.url_text);
    } catch (const std::invalid_argument&) {
    }
  }
  return state;
}

State read_state(const fs::path& dir, const std::function<void(const std::string&)>& check_url) {
  State state;
  state.dir = dir;
  for (const char* name : {"server", "pid", "url", "socketdir"}) {
    if (fs::exists(dir / name)) state.any = true;
  }
  if (!state.any) return state;
  const auto server = read_line(dir / "server");
  if (!server) {
    state.problem = (dir / "server").string() +
                    " is missing (state from an older asyncfix, or a start that did not finish)";
  } else if (state.server = ProcessIdentity::from_line(*server); !state.server) {
    state.problem = (dir / "server").string() + " does not hold '<pid> <start time> <executable>'";
  }
  if (const auto url = read_line(dir / "url")) {
    try {
      check_url(*url);
      state.url_text = *url;
    } catch (const std::invalid_argument& e) {
      if (state.problem.empty()) state.problem = (dir / "url").string() + ": " + e.what();
    }
  } else if (state.problem.empty()) {
    state.problem = (dir / "url").string() + " is missing or empty";
  }
  if (const auto socket_dir = read_line(dir / "socketdir")) state.socket_dir = *socket_dir;
  return state;
}

std::string not_running_reason(const State& state) {
  if (!state.any) return "no server recorded in " + state.dir.string();
  if (!state.server) return state.problem;
  if (!asyncfix::detail::still_running(*state.server)) {
    return "the recorded server (pid " + std::to_string(state.server->pid) + ") is gone";
  }
  return {};
}

void end_recorded_server(const ProcessIdentity& server, std::function<void()> ask) {
  using namespace std::chrono_literals;
  asyncfix::detail::StopSequence steps;
  steps.ask = std::move(ask);
  (void)asyncfix::detail::run_stop_sequence(
      server.pid, steps, [&](std::chrono::milliseconds limit) {
        for (auto waited = 0ms; waited < limit && asyncfix::detail::still_running(server);
             waited += 10ms) {
          std::this_thread::sleep_for(10ms);
        }
        return !asyncfix::detail::still_running(server);
      });
}

void clear_state(const State& state) {
  std::error_code ec;
  // Only a directory RedisServer created: it carries the marker.
  if (!state.socket_dir.empty() && state.socket_dir.string().starts_with("/tmp/afx-") &&
      fs::exists(state.socket_dir / "asyncfix-owner", ec)) {
    fs::remove_all(state.socket_dir, ec);
  }
  for (const char* name : {"server", "pid", "url", "socketdir", "holders"}) {
    fs::remove(state.dir / name, ec);
  }
}

void report_leftovers(std::string_view command, std::string_view singular, std::string_view plural,
                      std::string_view who, const std::vector<std::string>& names) {
  std::cerr << command << ": " << names.size() << " " << (names.size() == 1 ? singular : plural)
            << " left on the server (" << who << " did not clean up):";
  for (std::size_t i = 0; i < names.size() && i < 10; ++i) std::cerr << " " << names[i];
  std::cerr << (names.size() > 10 ? " ...\n" : "\n");
}

}  // namespace asyncfix::cli
