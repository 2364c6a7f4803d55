// `asyncfix demo`: placeholder until the agent suite lands.
#include "commands.hpp"

#include <iostream>

namespace asyncfix::cli {

void add_demo_command(CLI::App& app) {
  auto* demo = app.add_subcommand("demo", "Run the five-agent scenario and the sample suite");
  demo->callback([] { throw CLI::RuntimeError(failed); });
}

}  // namespace asyncfix::cli
