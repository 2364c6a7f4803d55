#!/usr/bin/env bash
# Builds the RedisUrl and fault-spec fuzzers with clang (-fsanitize=fuzzer,address,undefined) and
# runs each for $1 executions (default 100000) from seed corpora. Exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-100000}
out=build/fuzz
mkdir -p "$out/corpus"
clang++-14 -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -Iinclude -Ifixture tools/fuzz/redis_url_fuzzer.cpp fixture/redis/redis_url.cpp -lboost_url \
  -o "$out/redis_url_fuzzer"
i=0
for seed in "redis://127.0.0.1:6379" "redis://u:p@127.0.0.1:1/2" "redis://[::1]:7" \
            "unix:///tmp/x.sock?db=3" "redis+unix:///a" "redis://:%41@127.0.0.1"; do
  printf '%s' "$seed" > "$out/corpus/seed$i"
  i=$((i + 1))
done
"$out/redis_url_fuzzer" -runs="$runs" -max_len=256 -artifact_prefix="$out/" "$out/corpus" 2>&1 | tail -5

# The fault spec parser (Toxic::parse).
clang++-14 -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -Iinclude -Ifixture tools/fuzz/toxic_spec_fuzzer.cpp fixture/fault/toxic.cpp -o "$out/toxic_spec_fuzzer"
mkdir -p "$out/toxic_corpus"
i=0
for seed in "latency:latency=50,jitter=10@downstream%0.5" "bandwidth:rate=100" "slow_close" \
            "timeout:timeout=0@upstream" "reset_peer:timeout=5" "slicer:average_size=8,delay=1" \
            "limit_data:bytes=1"; do
  printf '%s' "$seed" > "$out/toxic_corpus/seed$i"
  i=$((i + 1))
done
"$out/toxic_spec_fuzzer" -runs="$runs" -max_len=128 -artifact_prefix="$out/toxic-" \
  "$out/toxic_corpus" 2>&1 | tail -3
