// `asyncfix faults`: every fault kind (toxics, in-process faults, runner actions), parameter, unit
// and default.
// `asyncfix proxy --upstream URL [--listen 127.0.0.1:PORT] [--fault SPEC]... [--seed S]`: a
// standalone FaultProxy until SIGINT or SIGTERM.
#include "commands.hpp"

#include <asyncfix/fault/fault_plan.hpp>
#include <asyncfix/fault/fault_proxy.hpp>

#include <signal.h>

#include <charconv>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace asyncfix::cli {
namespace {

void print_faults() {
  std::cout << "Network faults (FaultProxy, Toxiproxy's toxics). Spec: "
               "KIND[:PARAM=VALUE[,PARAM=VALUE]...][@upstream|@downstream][%TOXICITY]\n"
               "  direction: downstream (server to client, the default) or upstream; toxicity: the "
               "chance, drawn once per connection, that a connection gets the toxic (default 1)\n";
  for (const auto& kind : fault::toxic_kinds()) {
    std::cout << "\n" << kind.name << ": " << kind.meaning << "\n";
    for (const auto& param : kind.params) {
      std::cout << "  " << std::left << std::setw(15) << param.name << std::setw(6) << param.unit
                << " default " << std::setw(4) << param.default_value << " " << param.meaning
                << "\n";
    }
  }
  const auto list = [](fault::FaultSite site) {
    for (const auto& kind : fault::FaultPlan::kinds()) {
      if (kind.site != site) continue;
      const std::string name = std::string(kind.name) +
                               (kind.parameter.empty() ? "" : "=" + std::string(kind.parameter));
      std::cout << "  " << std::left << std::setw(27) << name << kind.description << "\n";
    }
  };
  std::cout << "\nIn-process faults (ASYNCFIX_FAULTS, a comma list; honoured by AsyncTest and "
               "RedisTest):\n";
  list(fault::FaultSite::in_process);
  std::cout << "\nRunner actions (asyncfix run --fault and matrix profiles):\n";
  list(fault::FaultSite::runner);
}

/// "127.0.0.1:PORT" or "PORT" → the port; nullopt when it is neither (only loopback is allowed).
std::optional<std::uint16_t> parse_listen(std::string_view text) {
  if (text.starts_with("127.0.0.1:")) text.remove_prefix(10);
  std::uint16_t port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return port;
}

/// Blocks until SIGINT or SIGTERM arrives.
void wait_for_stop_signal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  int received = 0;
  sigwait(&signals, &received);
}

int run_proxy(const std::string& upstream_text, const std::string& listen,
              const std::vector<std::string>& specs, std::optional<std::uint64_t> seed) {
  redis::RedisUrl upstream;
  std::vector<fault::Toxic> toxics;
  const auto port = parse_listen(listen);
  try {
    upstream = redis::RedisUrl::parse(upstream_text);
    for (const auto& spec : specs) toxics.push_back(fault::Toxic::parse(spec));
  } catch (const std::invalid_argument& e) {
    std::cerr << e.what() << "\n";
    return usage;
  }
  if (!port) {
    std::cerr << "asyncfix: --listen '" << listen
              << "' is not 127.0.0.1:PORT or PORT (only loopback is served)\n";
    return usage;
  }
  // Blocked before the proxy's thread starts, so that thread never takes them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::unique_ptr<fault::FaultProxy> proxy;
  try {
    proxy = fault::FaultProxy::start(upstream, seed, *port);
  } catch (const std::runtime_error& e) {
    std::cerr << e.what() << "\n";
    return failed;
  }
  for (const auto& toxic : toxics) proxy->add(toxic);
  std::cout << "asyncfix proxy: " << proxy->url().redacted() << " -> " << upstream.redacted()
            << " (seed " << proxy->seed() << ")" << std::endl;
  for (const auto& line : proxy->toxics()) std::cout << "  " << line << std::endl;
  wait_for_stop_signal();
  return ok;
}

}  // namespace

void add_fault_commands(CLI::App& app) {
  auto* faults = app.add_subcommand("faults", "List every fault kind, parameter, unit and default");
  faults->callback([] { print_faults(); });

  auto* proxy = app.add_subcommand("proxy", "Run a fault-injecting proxy until SIGINT/SIGTERM");
  auto upstream = std::make_shared<std::string>();
  auto listen = std::make_shared<std::string>("0");
  auto specs = std::make_shared<std::vector<std::string>>();
  auto seed = std::make_shared<std::uint64_t>(0);
  proxy->add_option("--upstream", *upstream, "the Redis server to forward to (a URL)")->required();
  proxy->add_option("--listen", *listen, "127.0.0.1:PORT or PORT (default 0: an ephemeral port)");
  proxy->add_option("--fault", *specs, "a toxic spec (see `asyncfix faults`); repeatable");
  auto* seed_option =
      proxy->add_option("--seed", *seed, "seed of every random choice (default: random, printed)")
          ->check(seed_check());
  proxy->callback([=] {
    const auto chosen = seed_option->count() > 0 ? std::optional<std::uint64_t>(*seed)
                                                 : std::optional<std::uint64_t>();
    const int code = run_proxy(*upstream, *listen, *specs, chosen);
    if (code != ok) throw CLI::RuntimeError(code);
  });
}

}  // namespace asyncfix::cli
