"""Interpreter speed against CPython running the same algorithm as a plain
Python function, in one process: the ratio hawk-time / python-time for
each benchmark (median of several runs). Usage:
    python bench/interp_vs_python.py [--runs N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def tak(x, y, z):
    return z if not y < x else tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))


def sumloop(n):
    i = s = 0
    while i != n:
        s += i
        i += 1
    return s


def queens(n):
    """The Scheme program's algorithm: placed rows as a linked list (tuples),
    `ok` recursing down it, `try_it` looping over rows."""
    def ok(row, dist, placed):
        return placed is None or (placed[0] != row + dist and placed[0] != row - dist
                                  and placed[0] != row and ok(row, dist + 1, placed[1]))

    def try_it(k, placed):
        if k == n:
            return 1
        total = 0
        for row in range(n):
            if ok(row, 1, placed):
                total += try_it(k + 1, (row, placed))
        return total
    return try_it(0, None)


CASES = [("fib", fib, (25,)), ("tak", tak, (18, 12, 6)),
         ("sumloop", sumloop, (10**6,)), ("queens", queens, (8,))]


def median_time(fn, runs):
    times = []
    result = None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times), max(times), result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    opts = ap.parse_args()
    sys.setrecursionlimit(100_000)
    sys.path.insert(0, str(HERE.parent))
    from hawk.driver import make_vm, run_source
    print(f"{'benchmark':10} {'hawk (s)':>22} {'python (s)':>22} {'ratio':>7}")
    for name, pyfn, args in CASES:
        vm = make_vm()
        run_source(vm, (HERE / "programs" / f"{name}.scm").read_text(), f"{name}.scm")
        entry = vm.lookup("run")
        words = [vm.data.to_word(a) for a in args]
        h_med, h_lo, h_hi, h_res = median_time(lambda: vm.run(entry, words), opts.runs)
        p_med, p_lo, p_hi, p_res = median_time(lambda: pyfn(*args), opts.runs)
        assert vm.data.from_word(h_res) == p_res, (name, vm.data.from_word(h_res), p_res)
        print(f"{name:10} {h_med:8.3f} [{h_lo:.3f}-{h_hi:.3f}] {p_med:8.4f} [{p_lo:.4f}-{p_hi:.4f}]"
              f" {h_med / p_med:6.1f}x")


if __name__ == "__main__":
    main()
