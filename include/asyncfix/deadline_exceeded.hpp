#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/loop/deadline_exceeded.hpp>.
#include <asyncfix/loop/deadline_exceeded.hpp>
