#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/loop/loop_id.hpp>.
#include <asyncfix/loop/loop_id.hpp>
