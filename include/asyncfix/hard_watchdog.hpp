#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/testing/hard_watchdog.hpp>.
#include <asyncfix/testing/hard_watchdog.hpp>
