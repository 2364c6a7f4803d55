#!/usr/bin/env bash
# Runs needed to find sample 8's planted race: 20 explorations per strategy (first seeds 1000,
# 2000, ... 20000), each up to 100 runs; prints each strategy's median and range. Counts, not
# times: the figure does not depend on the machine's load.
# Usage: tools/bench/schedule_explore.sh [BUILD_DIR]   (default build/default)
set -euo pipefail
build=${1:-build/default}
cli=$build/tools/asyncfix
samples=$build/samples/regression/asyncfix_samples
for strategy in pct random; do
  counts=()
  for i in $(seq 1 20); do
    out=$("$cli" explore --runs 100 --strategy "$strategy" --seed $((i * 1000)) -- "$samples" \
      --gtest_filter='ScheduleRaceSample.RacyAgents*' || true)
    run=$(sed -n 's/^asyncfix explore: run \([0-9]*\) of .*/\1/p' <<<"$out")
    counts+=("${run:-101}")  # 101: not found within 100 runs
  done
  sorted=$(printf '%s\n' "${counts[@]}" | sort -n)
  median=$(sed -n '10p;11p' <<<"$sorted" | awk '{s += $1} END {print s / 2}')
  echo "$strategy: median $median runs to find (min $(head -1 <<<"$sorted"), max $(tail -1 <<<"$sorted"); 101 = not found in 100)"
done
