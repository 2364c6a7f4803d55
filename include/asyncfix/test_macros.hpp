#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/testing/test_macros.hpp>.
#include <asyncfix/testing/test_macros.hpp>
