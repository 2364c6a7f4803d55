#!/usr/bin/env python3
"""Runs asyncfix_tracking_cost (plain) and asyncfix_tracking_cost_tracked interleaved, keeps the
best of each over the rounds, and prints what handler tracking costs as tracked/plain ratios.
With --before BINARY (a tracked build of the same bench from an earlier commit), that build runs
in the same rounds too, and tracked/before says what the change between them costs.

    tools/bench/tracking_cost.py BUILD_DIR [--rounds 5] [--seconds 1] [--before BINARY]
"""
import argparse
import json
import subprocess
import sys


def run(binary, seconds):
    out = subprocess.run([binary, "--seconds", str(seconds)], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build_dir")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--before", help="a tracked build of this bench from an earlier commit")
    args = parser.parse_args()
    # name -> (binary, the variant it must report)
    binaries = {
        "plain": (f"{args.build_dir}/tools/bench/asyncfix_tracking_cost", "plain"),
        "tracked": (f"{args.build_dir}/tools/bench/asyncfix_tracking_cost_tracked", "tracked"),
    }
    if args.before:
        binaries["before"] = (args.before, "tracked")
    metrics = ("timer_waits_per_s", "plain_token_waits_per_s", "coroutine_calls_per_s",
               "posts_per_s", "redis_ops_per_s")
    best = {name: {m: 0.0 for m in metrics} for name in binaries}
    for _ in range(args.rounds):
        for name, (binary, variant) in binaries.items():
            result = run(binary, args.seconds)
            if result["variant"] != variant:
                sys.exit(f"tracking_cost.py: {binary} reports variant '{result['variant']}', "
                         f"expected '{variant}'")
            for m in metrics:
                best[name][m] = max(best[name][m], result[m])
    header = f"{'workload':<24} {'plain /s':>12} {'tracked /s':>12} {'tracked/plain':>14}"
    if args.before:
        header += f" {'before /s':>12} {'tracked/before':>15}"
    print(header)
    for m in metrics:
        plain, tracked = best["plain"][m], best["tracked"][m]
        line = f"{m:<24} {plain:>12,.0f} {tracked:>12,.0f} {tracked / plain:>14.2f}"
        if args.before:
            before = best["before"][m]
            line += f" {before:>12,.0f} {tracked / before:>15.2f}"
        print(line)


if __name__ == "__main__":
    main()
