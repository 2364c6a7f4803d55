#!/usr/bin/env bash
# Runs needed to find each planted race of the samples (sample 8: in memory; sample 9: a lost
# update through Redis), 20 explorations per strategy (first seeds 1000, 2000, ... 20000), each up
# to 100 runs; prints each strategy's median and range, then how many of 10 replays of each found
# seed failed again. Counts, not times: the figures do not depend on the machine's load.
# Usage: tools/bench/schedule_explore.sh [BUILD_DIR]   (default build/default)
set -euo pipefail
build=${1:-build/default}
cli=$build/tools/asyncfix
samples=$build/samples/regression/asyncfix_samples
for race in 'ScheduleRaceSample.RacyAgents*' 'RedisLostUpdateSample.Racy*'; do
  for strategy in pct random; do
    counts=()
    replays=0
    failed_again=0
    for i in $(seq 1 20); do
      out=$("$cli" explore --runs 100 --strategy "$strategy" --seed $((i * 1000)) -- "$samples" \
        --gtest_filter="$race" || true)
      run=$(sed -n 's/^asyncfix explore: run \([0-9]*\) of .*/\1/p' <<<"$out")
      counts+=("${run:-101}")  # 101: not found within 100 runs
      schedule=$(sed -n 's/.*replay: ASYNCFIX_SCHEDULE=\([^ ]*\) .*/\1/p' <<<"$out")
      [ -n "$schedule" ] || continue
      for _ in $(seq 1 10); do
        replays=$((replays + 1))
        ASYNCFIX_SCHEDULE=$schedule "$samples" --gtest_filter="$race" >/dev/null 2>&1 ||
          failed_again=$((failed_again + 1))
      done
    done
    sorted=$(printf '%s\n' "${counts[@]}" | sort -n)
    median=$(sed -n '10p;11p' <<<"$sorted" | awk '{s += $1} END {print s / 2}')
    echo "$race, $strategy: median $median runs to find (min $(head -1 <<<"$sorted"), max $(tail -1 <<<"$sorted"); 101 = not found in 100); replays that failed again: $failed_again of $replays"
  done
done
