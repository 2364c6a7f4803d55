#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/testing/listener.hpp>.
#include <asyncfix/testing/listener.hpp>
