#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/testing/loop_assertions.hpp>.
#include <asyncfix/testing/loop_assertions.hpp>
