"""How the JIT does on common Scheme idioms outside the r7rs benchmarks:
each program of bench/idioms (apply, rest arguments, map over two lists,
call/cc, guard, multiple values, flonum vectors with sqrt, bignums,
strings, CPS closures ...) run under the JIT and under --joff. Prints, per program, hawk's run time in ms
(from -p: everything after start-up), median and range of the runs; the
same under --joff; their ratio; the share of bytecodes run in traces; and
traces compiled and recordings aborted. A program whose output differs
between the two is marked.

Why: the r7rs set is eight programs; a real program uses apply, call/cc,
bignums and strings, and a JIT that aborts on one of those runs the loop
in the interpreter. This is where such gaps show (session 14 found apply,
an allocation's snapshot shared with a guard, sqrt, bignum arithmetic
and multiple values here; call/cc and guard are still open). Usage:
    python bench/idioms.py [--runs N] [NAME ...]
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from run import run_env   # noqa: E402  (bench/run.py: this checkout first, bytecode cached)

TIME = re.compile(r"^time: ([0-9.]+) ms: startup ([0-9.]+),", re.M)
SHARE = re.compile(r"^jit: ([0-9.]+)% of executed bytecodes", re.M)
TRACES = re.compile(r"^jit: (\d+) traces compiled, (\d+) aborted", re.M)


def run(program: Path, joff: bool) -> tuple[float, str, str]:
    """(ms after start-up, standard output, standard error) of one -p run."""
    args = [sys.executable, "-m", "hawk", "run", "-p", *(["--joff"] if joff else []), str(program)]
    proc = subprocess.run(args, capture_output=True, text=True, env=run_env("hawk"), timeout=600)
    m = TIME.search(proc.stderr)
    if m is None:
        raise RuntimeError(f"{program.name}: no -p time line\n{proc.stderr}")
    return float(m.group(1)) - float(m.group(2)), proc.stdout, proc.stderr


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("names", nargs="*")
    opts = ap.parse_args()
    programs = sorted(HERE.glob("idioms/*.scm"))
    if opts.names:
        programs = [p for p in programs if p.stem in opts.names]
    print(f"{'program':14s} {'JIT ms':>24s} {'joff ms':>9s} {'joff/JIT':>8s} {'in-trace%':>9s}"
          f" {'traces':>6s} {'aborted':>7s}")
    for p in programs:
        jit = [run(p, False) for _ in range(opts.runs)]
        joff = [run(p, True) for _ in range(opts.runs)]
        times = sorted(t for t, _, _ in jit)
        t_jit, t_joff = statistics.median(times), statistics.median(t for t, _, _ in joff)
        err = jit[-1][2]
        share = SHARE.search(err).group(1)
        traces, aborted = TRACES.search(err).groups()
        same = all(out == joff[0][1] for _, out, _ in jit)
        print(f"{p.stem:14s} {t_jit:8.1f} [{times[0]:6.1f}-{times[-1]:6.1f}] {t_joff:9.1f}"
              f" {t_joff / t_jit:8.1f} {share:>9s} {traces:>6s} {aborted:>7s}"
              f"{'' if same else '  OUTPUT DIFFERS'}")


if __name__ == "__main__":
    main()
