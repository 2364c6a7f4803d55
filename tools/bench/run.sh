#!/usr/bin/env bash
# Runs the benchmarks (default preset build) and checks their targets; exit 1 if one is missed.
#  1. asyncfix_bench (Google Benchmark, 5 repetitions): fixture overheads, ratios by check_ratios.py.
#  2. asyncfix_redis_throughput: RedisManager against the raw hiredis-on-Asio floor at
#     1..10,000 agents (interleaved, best of 5), first connect, the passthrough FaultProxy,
#     peak RSS, redis-benchmark;
#     JSON in build/default/redis_throughput.json, chart in docs/redis_throughput.svg;
#     then the same rows against a floor with asyncfix's RESP formatter (no target): the
#     framework's own cost.
#  3. tracking_cost.py: the cost of Asio handler tracking (tracked/plain, no target).
#  4. per_test_cost.sh: an empty ASYNC_TEST's CPU over an empty TEST's (target <= 10 us).
set -euo pipefail
cd "$(dirname "$0")/../.."
status=0
out=build/default/bench.json
build/default/tools/bench/asyncfix_bench --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true --benchmark_min_time=0.2 \
  --benchmark_out="$out" --benchmark_out_format=json >/dev/null 2>build/default/bench.log
python3 tools/bench/check_ratios.py "$out" || status=1
echo
throughput=build/default/redis_throughput.json
build/default/tools/bench/asyncfix_redis_throughput --agents 1,5,50,500,10000 --seconds 1 \
  --rounds 5 --json "$throughput" || status=1
python3 tools/bench/plot_throughput.py "$throughput" docs/redis_throughput.svg
echo "wrote $throughput and docs/redis_throughput.svg"
echo
echo "the framework's own cost: the same rows against a floor that formats RESP as asyncfix does"
build/default/tools/bench/asyncfix_redis_throughput --agents 1,5,50,500,10000 --seconds 1 \
  --rounds 5 --floor-formatter own --json build/default/redis_throughput_own_formatter.json ||
  status=1
echo
if [[ -x build/default/tools/bench/asyncfix_tracking_cost_tracked ]]; then
  python3 tools/bench/tracking_cost.py build/default --rounds 5 --seconds 1 || status=1
fi
echo
tools/bench/per_test_cost.sh build/default || status=1
exit "$status"
