// asyncfix: the command-line tool (private Redis servers for ctest, the demo).
#include "commands.hpp"

#include <csignal>
#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"asyncfix: async integration tests on GoogleTest, Boost.Asio and Redis"};
  app.set_version_flag("--version", std::string("asyncfix ") + ASYNCFIX_VERSION);
  app.require_subcommand(1);
  asyncfix::cli::add_redis_command(app);
  asyncfix::cli::add_demo_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {  // includes CLI::RuntimeError(code): exits with code
    return app.exit(e);
  } catch (const std::exception& e) {
    std::cerr << "asyncfix: " << e.what() << "\n";
    return asyncfix::cli::internal;
  }
  return asyncfix::cli::ok;
}
