#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/testing/co_assert_that.hpp>.
#include <asyncfix/testing/co_assert_that.hpp>
