#pragma once
/// @file
/// Kept for one release: the header is now <asyncfix/testing/teardown_report.hpp>.
#include <asyncfix/testing/teardown_report.hpp>
