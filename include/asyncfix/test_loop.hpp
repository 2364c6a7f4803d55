#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/loop/test_loop.hpp>.
#include <asyncfix/loop/test_loop.hpp>
