#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/loop/pending_operation.hpp>.
#include <asyncfix/loop/pending_operation.hpp>
