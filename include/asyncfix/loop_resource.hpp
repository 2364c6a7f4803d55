#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/loop/loop_resource.hpp>.
#include <asyncfix/loop/loop_resource.hpp>
