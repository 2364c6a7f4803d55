#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/testing/async_test.hpp>.
#include <asyncfix/testing/async_test.hpp>
