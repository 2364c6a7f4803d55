#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/testing/async_options.hpp>.
#include <asyncfix/testing/async_options.hpp>
