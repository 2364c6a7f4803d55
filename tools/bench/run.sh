#!/usr/bin/env bash
# Runs the benchmarks (default preset build) with repetitions and checks the ratio targets.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/default/bench.json
build/default/tools/bench/asyncfix_bench --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true --benchmark_min_time=0.2 \
  --benchmark_out="$out" --benchmark_out_format=json >/dev/null 2>build/default/bench.log
python3 tools/bench/check_ratios.py "$out"
