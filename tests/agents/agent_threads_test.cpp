// The agent scenario on several threads: one io_context run by four threads sharing one
// connection, and one loop per thread each with its own lazily created connection from one shared
// manager. Labelled tsan: the tsan preset runs it under ThreadSanitizer.
#include "agent_scale.hpp"

namespace {

[[maybe_unused]] const bool registered = [] {
  agents_test::register_scale_tests(
      {agents_test::LoopMode::FourThreads, agents_test::LoopMode::LoopPerThread},
      {5, 50, 500, 5000});
  return true;
}();

}  // namespace
