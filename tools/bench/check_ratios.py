#!/usr/bin/env python3
"""Reads Google Benchmark JSON (with repetitions) and checks each overhead ratio against its target,
using medians of benchmarks measured in the same run. Prints a table; exits 1 if a target is missed."""
import json
import sys

# (name, measured benchmark, baseline benchmark, maximum ratio)
TARGETS = [
    ("TestLoop::run vs raw io_context+co_spawn+run", "BM_TestLoopRun", "BM_RawIoContextCoSpawn", 10.0),
    ("AsyncTest lifecycle vs one Redis PING round trip", "BM_AsyncTestLifecycle", "BM_RedisConnectionPing", 1.0),
    ("RedisManager::ping vs RedisConnection::command(PING)", "BM_RedisManagerPing", "BM_RedisConnectionPing", 1.5),
]


def main(path):
    with open(path) as f:
        data = json.load(f)
    medians = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") == "median":
            medians[b["run_name"]] = b["real_time"] * {"ns": 1, "us": 1e3, "ms": 1e6}[b["time_unit"]]
    failed = False
    print(f"{'overhead':55} {'measured ns':>12} {'baseline ns':>12} {'ratio':>7} {'target':>7}")
    for label, measured, baseline, limit in TARGETS:
        ratio = medians[measured] / medians[baseline]
        ok = ratio <= limit
        failed |= not ok
        print(f"{label:55} {medians[measured]:12.0f} {medians[baseline]:12.0f} {ratio:7.2f} "
              f"{'<= ' + str(limit):>7} {'ok' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
