"""The two interpreter engines against each other and against CPython, in
one process: hawk.vm.interp's loop ("loop") and hawk.vm.specialize's
per-function generated code ("blocks"), on the programs of
bench/interp_vs_python.py, JIT off. Runs are interleaved (loop, blocks,
python, loop, ...) so load on a shared machine hits all three alike.
Prints medians with [min-max] and the ratio to CPython. Times are this
process's CPU time by default (--clock cpu): on a shared machine, wall time
also counts the moments the process waits for a core, which a 0.3 s hawk
run suffers far more often than a 10 ms CPython one; --clock wall measures
wall time. Usage:
    python bench/engines.py [--runs N] [--engines loop,blocks] [--clock cpu|wall]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from interp_vs_python import CASES  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--engines", default="loop,blocks")
    ap.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    opts = ap.parse_args()
    clock = time.process_time if opts.clock == "cpu" else time.perf_counter
    sys.setrecursionlimit(100_000)
    from hawk.driver import make_vm, run_source
    from hawk.vm import interp
    engines = opts.engines.split(",")
    head = "".join(f" {e + ' (s)':>24} {'ratio':>6}" for e in engines)
    print(f"{'benchmark':10}{head} {'python (s)':>24}" +
          (f" {'loop/blocks':>11}" if engines == ["loop", "blocks"] else ""))
    for name, pyfn, args in CASES:
        setups = {}
        for e in engines:
            interp.ENGINE = e
            vm = make_vm()
            run_source(vm, (HERE / "programs" / f"{name}.scm").read_text(), f"{name}.scm")
            setups[e] = (vm, vm.lookup("run"), [vm.data.to_word(a) for a in args])
        times = {e: [] for e in engines + ["python"]}
        for _ in range(opts.runs):
            for e in engines:
                interp.ENGINE = e
                vm, entry, words = setups[e]
                t = clock()
                res = vm.run(entry, words)
                times[e].append(clock() - t)
                assert vm.data.from_word(res) == pyfn(*args), (name, e)
            t = clock()
            pyfn(*args)
            times["python"].append(clock() - t)
        py = statistics.median(times["python"])
        row = f"{name:10}"
        for e in engines + ["python"]:
            ts = times[e]
            med = statistics.median(ts)
            row += f" {med:8.4f} [{min(ts):.4f}-{max(ts):.4f}]"
            if e != "python":
                row += f" {med / py:5.1f}x"
        if engines == ["loop", "blocks"]:
            row += f" {statistics.median(times['loop']) / statistics.median(times['blocks']):10.2f}x"
        print(row)
    interp.ENGINE = "auto"


if __name__ == "__main__":
    main()
