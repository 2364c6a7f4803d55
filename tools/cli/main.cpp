// asyncfix: the command-line tool (private Redis servers for ctest, the demo).
#include "commands.hpp"

#include <csignal>
#include <exception>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"asyncfix: async integration tests on GoogleTest, Boost.Asio and Redis"};
  app.set_version_flag("--version", std::string("asyncfix ") + ASYNCFIX_VERSION);
  app.require_subcommand(1);
  asyncfix::cli::add_redis_command(app);
#if defined(ASYNCFIX_WITH_POSTGRES)
  asyncfix::cli::add_pg_command(app);
#endif
  asyncfix::cli::add_demo_command(app);
  asyncfix::cli::add_fault_commands(app);
  asyncfix::cli::add_matrix_commands(app);
  asyncfix::cli::add_explore_command(app);
  // CLI11 2.1 reports a mistyped subcommand as "A subcommand is required": name it instead.
  std::string known;
  bool is_known = false;
  for (const auto* sub : app.get_subcommands({})) {
    known += (known.empty() ? "" : ", ") + sub->get_name();
    is_known = is_known || (argc > 1 && sub->check_name(argv[1]));
  }
  if (argc > 1 && argv[1][0] != '-' && !is_known) {
    std::cerr << "asyncfix: unknown subcommand '" << argv[1] << "'; expected one of: " << known
              << " (see asyncfix --help)\n";
    return asyncfix::cli::usage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {  // a command's own exit code
    return app.exit(e);
  } catch (const CLI::ParseError& e) {  // a usage error: one line, exit 2
    std::cerr << asyncfix::cli::usage_error(app, argc, argv, e.what()) << "\n";
    return asyncfix::cli::usage;
  } catch (const std::exception& e) {
    std::cerr << "asyncfix: internal error: " << asyncfix::cli::without_prefix(e.what()) << "\n";
    return asyncfix::cli::internal;
  }
  return asyncfix::cli::ok;
}
