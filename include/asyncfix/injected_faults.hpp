#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/testing/injected_faults.hpp>.
#include <asyncfix/testing/injected_faults.hpp>
