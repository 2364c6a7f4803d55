#!/usr/bin/env python3
"""asyncpg on asyncfix_pg_bench's workload, for orientation (Debian's python3-asyncpg).

N agents, each an INSERT then a SELECT of its own row; asyncpg runs one query at a time per
connection, so the agents share a pool of 10 connections. Medians of --rounds.
Run: /usr/bin/python3 tools/bench/pg_asyncpg.py build/default/tests/pg/asyncfix_pg_child
"""
import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import time

import asyncpg


async def measure(host, agents, rounds):
    pool = await asyncpg.create_pool(host=host, user="asyncfix", database="postgres",
                                     min_size=10, max_size=10)
    async with pool.acquire() as conn:
        await conn.execute("DROP TABLE IF EXISTS bench")
        await conn.execute("CREATE TABLE bench (id int PRIMARY KEY, v text)")
    base = 0
    results = []
    for _ in range(rounds):
        async def agent(i):
            async with pool.acquire() as conn:
                await conn.execute("INSERT INTO bench VALUES ($1, $2)", i, "x")
                row = await conn.fetchrow("SELECT v FROM bench WHERE id = $1", i)
                assert row["v"] == "x"
        start = time.perf_counter()
        await asyncio.gather(*(agent(base + i) for i in range(agents)))
        results.append((time.perf_counter() - start) * 1000)
        base += agents
    await pool.close()
    return statistics.median(results)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pg_child")
    parser.add_argument("--agents", default="1,50,500")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    child = subprocess.Popen([args.pg_child, "hold-server"], stdout=subprocess.PIPE, text=True)
    try:
        line = ""
        while "/tmp/afx-" not in line:
            line = child.stdout.readline()
        host = os.path.join(line.split()[1], "pg")
        print(f"asyncpg {asyncpg.__version__}, pool of 10, medians of {args.rounds} rounds")
        for agents in [int(a) for a in args.agents.split(",")]:
            ms = asyncio.run(measure(host, agents, args.rounds))
            print(f"  {agents:7d} agents {ms:10.2f} ms")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()


if __name__ == "__main__":
    main()
