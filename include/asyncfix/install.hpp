#pragma once
/// @file
/// The composition root: wires the testing layer and the Redis layer into GoogleTest. The one
/// header that may include every layer.

namespace asyncfix {

/// What asyncfix::main does after InitGoogleTest: ignores SIGPIPE (hiredis writes without
/// MSG_NOSIGNAL), appends Listener and registers the Redis environment. Call it from your own
/// main() if you do not link asyncfix::main. Call once.
void install();

}  // namespace asyncfix
