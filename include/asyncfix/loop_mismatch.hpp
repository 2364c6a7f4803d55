#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/affinity/loop_mismatch.hpp>.
#include <asyncfix/affinity/loop_mismatch.hpp>
