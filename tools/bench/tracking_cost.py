#!/usr/bin/env python3
"""Runs asyncfix_tracking_cost (plain) and asyncfix_tracking_cost_tracked interleaved, keeps the
best of each over the rounds, and prints what handler tracking costs as tracked/plain ratios.

    tools/bench/tracking_cost.py BUILD_DIR [--rounds 5] [--seconds 1]
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
    args = parser.parse_args()
    binaries = {
        "plain": f"{args.build_dir}/tools/bench/asyncfix_tracking_cost",
        "tracked": f"{args.build_dir}/tools/bench/asyncfix_tracking_cost_tracked",
    }
    metrics = ("timer_waits_per_s", "posts_per_s", "redis_ops_per_s")
    best = {variant: {m: 0.0 for m in metrics} for variant in binaries}
    for _ in range(args.rounds):
        for variant, binary in binaries.items():
            result = run(binary, args.seconds)
            if result["variant"] != variant:
                sys.exit(f"tracking_cost.py: {binary} reports variant '{result['variant']}', "
                         f"expected '{variant}'")
            for m in metrics:
                best[variant][m] = max(best[variant][m], result[m])
    print(f"{'workload':<20} {'plain /s':>14} {'tracked /s':>14} {'tracked/plain':>14}")
    for m in metrics:
        plain, tracked = best["plain"][m], best["tracked"][m]
        print(f"{m:<20} {plain:>14,.0f} {tracked:>14,.0f} {tracked / plain:>14.2f}")


if __name__ == "__main__":
    main()
