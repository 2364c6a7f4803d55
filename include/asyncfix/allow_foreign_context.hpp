#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/loop/allow_foreign_context.hpp>.
#include <asyncfix/loop/allow_foreign_context.hpp>
