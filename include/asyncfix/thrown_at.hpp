#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/loop/thrown_at.hpp>.
#include <asyncfix/loop/thrown_at.hpp>
