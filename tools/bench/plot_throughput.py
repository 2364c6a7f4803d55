#!/usr/bin/env python3
"""Draws ops/s against agent count (asyncfix, the raw hiredis floor, redis-benchmark -c 50 and
-c 50 -P 16 as horizontal references) from asyncfix_redis_throughput's JSON, as SVG, with gnuplot.

usage: plot_throughput.py RESULT.json OUT.svg"""
import json
import os
import subprocess
import sys
import tempfile


def main(json_path, svg_path):
    with open(json_path) as f:
        report = json.load(f)
    rows = report["rows"]
    bench = report.get("redis_benchmark", {})
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "throughput.dat")
        with open(data, "w") as out:
            for row in rows:
                out.write(f'{row["agents"]} {row["asyncfix"]:.0f} {row["raw"]:.0f}\n')
        lines = [
            'set terminal svg size 800,480 dynamic font "sans,12"',
            f'set output "{svg_path}"',
            'set title "Redis SET+GET throughput on one loop (one shared connection)"',
            'set xlabel "agents (coroutines)"',
            'set ylabel "ops/s"',
            "set logscale x",
            "set grid",
            "set key top left",
            "set format y '%.0s%c'",
        ]
        plots = [
            f'"{data}" using 1:2 with linespoints lw 2 title "asyncfix RedisManager"',
            f'"{data}" using 1:3 with linespoints lw 2 title "raw hiredis on Asio (floor)"',
        ]
        if bench.get("c50"):
            plots.append(f'{bench["c50"]:.0f} with lines dt 2 title "redis-benchmark -c 50"')
        if bench.get("c50_p16"):
            plots.append(f'{bench["c50_p16"]:.0f} with lines dt 3 title "redis-benchmark -c 50 -P 16"')
        lines.append("plot " + ", ".join(plots))
        subprocess.run(["gnuplot"], input="\n".join(lines) + "\n", text=True, check=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
