#pragma once
/// @file
/// The error TestLoop::run() throws when the loop was stopped under a coroutine.

#include <stdexcept>

namespace asyncfix {

/// Thrown by TestLoop::run() when the io_context was stopped (io_context::stop()) while the
/// coroutine was still pending, and by run() on a closed loop.
class LoopStopped : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace asyncfix
