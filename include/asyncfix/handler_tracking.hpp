#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/loop/handler_tracking.hpp>.
#include <asyncfix/loop/handler_tracking.hpp>
