#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/lazy/lazy_resource.hpp>.
#include <asyncfix/lazy/lazy_resource.hpp>
