"""Hawk against other Schemes on the programs of bench/r7rs, in the
r7rs-benchmarks convention: each program reads COUNT, INPUT and EXPECTED
from standard input (NAME.input, or NAME.SCALE.input for a smaller size),
checks its own result and prints "Elapsed time: T seconds (T) for NAME"
and "+!CSVLINE!+IMPL,NAME,T". A program is run as one file made of a
per-implementation prelude (bench/r7rs/prelude-*.scm, because Chez 9.5's
--script top level is not R7RS), a `this-scheme` definition,
bench/r7rs/common.scm and the program itself.

Why: bench/interp_vs_python.py measures hawk against CPython inside one
process; this measures whole programs against a native-code Scheme, with
and without the JIT, and records what the JIT did (`hawk -p` statistics,
from one extra run per benchmark: the timed runs are without -p, which
counts bytecodes and so slows both the interpreter and the traces).

hawk runs with its Python modules' bytecode cached (in
~/.cache/hawk/pycache, or $PYTHONPYCACHEPREFIX), as an installed hawk
has it, even when the environment sets PYTHONDONTWRITEBYTECODE: otherwise
every run would compile the JIT back end's Python source again inside the
timed part (~20-30 ms at its first trace). `--bytecode fresh` measures
that case instead.

A third table cuts hawk's run time into stages (`hawk -p`'s `time:` line):
start-up, front end, codegen (blocks engine), recording, compiling, back
end, traces (callouts from traces within them), gc and interpreter.

Runs are interleaved per benchmark (hawk, hawk-joff, chez, hawk, ...) so
load on a shared machine hits every implementation alike; the table gives
medians with [min-max] of the in-program elapsed time, then wall time
(which includes start-up). Implementations missing from the machine are
skipped with a note. Usage:
    python bench/run.py [--schemes hawk,hawk-joff,chez] [--runs 5]
                        [--scale tiny|small|full] [--bytecode cached|fresh]
                        [--csv FILE] [--chart FILE]
                        [--timeout SECONDS] [NAMES...]
Exit status 1 if any run failed or printed a wrong result.
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PROGRAMS = HERE / "r7rs"
BENCHMARKS = ["fib", "tak", "sumfx", "sumfp", "nqueens", "mbrot", "primes", "deriv"]
DEFAULT_SCHEMES = "hawk,hawk-joff,chez"

# name -> (prelude file, command line before the program path, executable
# that must exist). hawk runs as `python -m hawk` with this interpreter so the
# runner measures the checkout it lives in.
IMPLS = {
    "hawk": ("prelude-hawk.scm", [sys.executable, "-m", "hawk", "run"], sys.executable),
    "hawk-joff": ("prelude-hawk.scm", [sys.executable, "-m", "hawk", "--joff", "run"],
                  sys.executable),
    "chez": ("prelude-chez.scm", ["scheme", "--script"], "scheme"),
}

ELAPSED_RE = re.compile(r"^Elapsed time: (\S+) seconds \((\S+)\) for (\S+)$")
CSV_RE = re.compile(r"^\+!CSVLINE!\+([^,]+),([^,]+),(\S+)$")
JIT_RE = re.compile(r"^jit: (\d+) traces compiled, (\d+) aborted.*"
                    r"recording ([\d.]+) ms, compiling ([\d.]+) ms")
# further `hawk -p` figures, each optional: field -> (pattern, type)
JIT_EXTRA = {"side": (re.compile(r"^jit: .* (\d+) side,"), int),
             "exits": (re.compile(r"^jit: .* (\d+) exits taken"), int),
             "share": (re.compile(r"^jit: ([\d.]+)% of executed bytecodes ran in traces"), float)}
TIME_RE = re.compile(r"^time: ([\d.]+) ms: (.*?)(?: \(callouts from traces ([\d.]+) of the "
                     r"traces' time\))?$")
# the stages of the time-split table, in `hawk -p`'s order
STAGES = ("startup", "frontend", "codegen", "gc", "recording", "compiling", "back end", "traces",
          "callouts", "interpreter")


@dataclass
class Run:
    """One execution of one benchmark by one implementation."""
    ok: bool
    elapsed: float | None = None     # seconds, as the program reported it
    wall: float | None = None        # seconds, process start to exit
    result: str | None = None        # the Result: line, as written
    error: str | None = None         # why ok is False
    traces: int | None = None        # from `hawk -p`; None for other Schemes
    aborted: int | None = None
    record_ms: float | None = None
    compile_ms: float | None = None
    side: int | None = None          # side traces among `traces`
    exits: int | None = None         # trace exits that returned to the interpreter
    share: float | None = None       # % of executed bytecodes that ran in traces
    split: dict | None = None        # `hawk -p` time line: stage -> ms (see parse_time_split)
    timed: bool = True               # False: the extra `hawk -p` run, for statistics only


def parse_output(stdout: str, name: str) -> dict:
    """The Result, Elapsed and CSV lines of one run. `error` is set when the
    program reported a wrong result or the lines are missing or disagree."""
    out = {"result": None, "elapsed": None, "error": None}
    csv_secs = None
    for line in stdout.splitlines():
        line = line.rstrip()
        if line.startswith("Result: "):
            out["result"] = line[len("Result: "):]
        elif line.startswith("ERROR"):
            out["error"] = line
        elif m := ELAPSED_RE.match(line):
            if m.group(3) == name:
                out["elapsed"] = float(m.group(1))
        elif m := CSV_RE.match(line):
            if m.group(2) == name:
                csv_secs = float(m.group(3))
    if out["error"] is None:
        if out["elapsed"] is None or csv_secs is None or out["result"] is None:
            out["error"] = "missing Result/Elapsed/CSV line"
        elif csv_secs != out["elapsed"]:
            out["error"] = f"CSV time {csv_secs} differs from Elapsed time {out['elapsed']}"
    return out


def parse_jit_stats(stderr: str) -> dict | None:
    """Traces compiled, aborted, and recording/compiling ms from `hawk -p`."""
    lines = [line.strip() for line in stderr.splitlines()]
    for line in lines:
        if m := JIT_RE.match(line):
            stats = {"traces": int(m.group(1)), "aborted": int(m.group(2)),
                     "record_ms": float(m.group(3)), "compile_ms": float(m.group(4))}
            for key, (pattern, kind) in JIT_EXTRA.items():
                found = [kind(x.group(1)) for x in map(pattern.match, lines) if x]
                if found:
                    stats[key] = found[0]
            return stats
    return None


def parse_time_split(stderr: str) -> dict | None:
    """`hawk -p`'s `time: T ms: stage ms, ... (callouts from traces C of the
    traces' time)` as {stage: ms} with "total" and, if present, "callouts"."""
    for line in stderr.splitlines():
        if m := TIME_RE.match(line.strip()):
            split = {"total": float(m.group(1))}
            for part in m.group(2).split(", "):
                stage, ms = part.rsplit(" ", 1)
                split[stage] = float(ms)
            if m.group(3):
                split["callouts"] = float(m.group(3))
            return split
    return None


def input_file(name: str, scale: str) -> Path:
    return PROGRAMS / (f"{name}.input" if scale == "full" else f"{name}.{scale}.input")


def assemble(impl: str, name: str, directory: Path) -> Path:
    """Write prelude + this-scheme + common.scm + NAME.scm as one program."""
    prelude = IMPLS[impl][0]
    text = "".join([
        (PROGRAMS / prelude).read_text(),
        f'(define this-scheme "{impl}")\n',
        (PROGRAMS / "common.scm").read_text(),
        (PROGRAMS / f"{name}.scm").read_text(),
    ])
    path = directory / f"{name}-{impl}.scm"
    path.write_text(text)
    return path


def run_env(impl: str, bytecode: str = "cached") -> dict:
    """The environment of one run: this checkout first on PYTHONPATH, and for
    hawk with "cached" bytecode, Python allowed to keep .pyc files outside
    the checkout (see the module docstring)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in [str(ROOT), os.environ.get("PYTHONPATH")] if p))
    if impl.startswith("hawk") and bytecode == "cached":
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.setdefault("PYTHONPYCACHEPREFIX",
                       os.path.join(os.path.expanduser("~"), ".cache", "hawk", "pycache"))
    return env


def run_once(impl: str, name: str, program: Path, scale: str, timeout: float,
             bytecode: str = "cached", profile: bool = False) -> Run:
    """One run; `profile`: with `hawk -p`, whose statistics fill the JIT
    columns and the time-split table (its elapsed time is not used: -p
    counts bytecodes, which costs time in the interpreter and in traces)."""
    env = run_env(impl, bytecode)
    command = IMPLS[impl][1]
    if profile:
        command = [*command[:-1], "-p", command[-1]]
    with input_file(name, scale).open() as stdin:
        t = time.perf_counter()
        try:
            proc = subprocess.run([*command, str(program)], stdin=stdin,
                                  capture_output=True, text=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            return Run(ok=False, error=f"timed out after {timeout:g} s")
        wall = time.perf_counter() - t
    parsed = parse_output(proc.stdout, name)
    run = Run(ok=False, elapsed=parsed["elapsed"], wall=wall, result=parsed["result"],
              error=parsed["error"], split=parse_time_split(proc.stderr), timed=not profile,
              **(parse_jit_stats(proc.stderr) or {}))
    if proc.returncode != 0 and run.error is None:
        run.error = f"exit status {proc.returncode}: {proc.stderr.strip()[-300:]}"
    elif run.error and proc.stderr.strip():
        run.error += f" ({proc.stderr.strip()[-300:]})"
    run.ok = run.error is None
    return run


def available(schemes: list[str]) -> tuple[list[str], list[str]]:
    """(usable implementations, notes about the ones skipped)."""
    found, notes = [], []
    for s in schemes:
        if s not in IMPLS:
            notes.append(f"{s}: unknown implementation, skipped (know {', '.join(IMPLS)})")
        elif shutil.which(IMPLS[s][2]) is None:
            notes.append(f"{s}: `{IMPLS[s][2]}` not found, skipped")
        else:
            found.append(s)
    return found, notes


def summary(values: list[float]) -> tuple[float, float, float] | None:
    return (statistics.median(values), min(values), max(values)) if values else None


def compute_rows(results: dict[str, dict[str, list[Run]]], metric: str = "elapsed") -> list[dict]:
    """Per benchmark: (median, min, max) of METRIC per implementation (None if
    any run failed), the ratios hawk/chez and joff/jit of the medians, and the
    JIT's traces and compile ms per trace (medians over the hawk runs)."""
    rows = []
    for name, by_impl in results.items():
        row = {"name": name, "stats": {}}
        for impl, runs in by_impl.items():
            ok = all(r.ok for r in runs)
            row["stats"][impl] = summary([getattr(r, metric) for r in runs if r.timed]) if ok else None
        med = {impl: s[0] for impl, s in row["stats"].items() if s}
        row["hawk/chez"] = med["hawk"] / med["chez"] if "hawk" in med and med.get("chez") else None
        row["joff/jit"] = (med["hawk-joff"] / med["hawk"]
                           if "hawk-joff" in med and med.get("hawk") else None)
        jit_runs = [r for r in by_impl.get("hawk", []) if r.traces is not None]
        row["traces"] = statistics.median(r.traces for r in jit_runs) if jit_runs else None
        for key in ("aborted", *JIT_EXTRA):
            values = [getattr(r, key) for r in jit_runs if getattr(r, key) is not None]
            row[key] = statistics.median(values) if values else None
        per_trace = [r.compile_ms / r.traces for r in jit_runs if r.traces]
        row["ms/trace"] = statistics.median(per_trace) if per_trace else None
        rows.append(row)
    return rows


def format_table(rows: list[dict], impls: list[str], title: str, jit: bool = True) -> str:
    """The table; JIT statistics columns only if JIT (they do not depend on
    the metric, so the wall-time table leaves them out)."""
    def cell(s):
        return f"{s[0]:.3g} [{s[1]:.3g}-{s[2]:.3g}]" if s else "FAIL"

    def num(x, fmt):
        return format(x, fmt) if x is not None else "-"

    cells = [[cell(row["stats"].get(i)) for i in impls] for row in rows]
    widths = [max([len(impl) + 4] + [len(c[k]) for c in cells]) for k, impl in enumerate(impls)]
    head = f"{'benchmark':9}" + "".join(f" {impl + ' (s)':>{w}}" for impl, w in zip(impls, widths))
    head += f" {'hawk/chez':>9} {'joff/jit':>8}"
    head += (f" {'traces':>6} {'side':>5} {'aborted':>7} {'ms/trace':>8} {'exits':>6}"
             f" {'in-trace%':>9}") if jit else ""
    lines = [title, head]
    for row, row_cells in zip(rows, cells):
        line = f"{row['name']:9}" + "".join(f" {c:>{w}}" for c, w in zip(row_cells, widths))
        line += f" {num(row['hawk/chez'], '9.2f'):>9} {num(row['joff/jit'], '8.2f'):>8}"
        if jit:
            line += (f" {num(row['traces'], '6g'):>6} {num(row['side'], '5g'):>5}"
                     f" {num(row['aborted'], '7g'):>7} {num(row['ms/trace'], '8.2f'):>8}"
                     f" {num(row['exits'], '6g'):>6} {num(row['share'], '9.1f'):>9}")
        lines.append(line)
    return "\n".join(lines)


def format_split(results: dict[str, dict[str, list[Run]]], impl: str = "hawk") -> str:
    """Median ms per stage of IMPL's runs, one row per benchmark."""
    head = f"{'benchmark':9} {'total':>8}" + "".join(f" {s:>11}" for s in STAGES)
    lines = [f"where {impl}'s time went (ms, medians; callouts are part of traces):", head]
    for name, by_impl in results.items():
        splits = [r.split for r in by_impl.get(impl, []) if r.split]
        if not splits:
            continue
        def med(stage):
            values = [sp[stage] for sp in splits if stage in sp]
            return f"{statistics.median(values):.1f}" if values else "-"
        lines.append(f"{name:9} {med('total'):>8}" + "".join(f" {med(s):>11}" for s in STAGES))
    return "\n".join(lines)


def write_csv(path: str, results: dict[str, dict[str, list[Run]]]) -> None:
    fields = ["benchmark", "scheme", "run", "ok", "elapsed", "wall", "traces", "aborted",
              "record_ms", "compile_ms", *JIT_EXTRA, "error"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(fields)
        for name, by_impl in results.items():
            for impl, runs in by_impl.items():
                for i, r in enumerate(runs):
                    w.writerow([name, impl, i, r.ok, r.elapsed, r.wall, r.traces, r.aborted,
                                r.record_ms, r.compile_ms, *(getattr(r, k) for k in JIT_EXTRA),
                                r.error or ""])


def write_chart(path: str, rows: list[dict], impls: list[str]) -> None:
    """Grouped bars of median elapsed time, log scale; nothing without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, ax = plt.subplots(figsize=(max(6, len(rows) * 1.2), 4))
    width = 0.8 / len(impls)
    for k, impl in enumerate(impls):
        xs = [i + k * width for i, row in enumerate(rows) if row["stats"].get(impl)]
        ys = [row["stats"][impl][0] for row in rows if row["stats"].get(impl)]
        ax.bar(xs, ys, width, label=impl)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(rows))], [r["name"] for r in rows])
    ax.set_yscale("log")
    ax.set_ylabel("median elapsed time (s)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--schemes", default=DEFAULT_SCHEMES)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scale", choices=["tiny", "small", "full"], default="small")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--bytecode", choices=["cached", "fresh"], default="cached",
                    help="hawk's .pyc files kept between runs (default) or compiled every run")
    ap.add_argument("--csv")
    ap.add_argument("--chart")
    ap.add_argument("names", nargs="*", metavar="NAME")
    opts = ap.parse_args(argv)
    unknown = [n for n in opts.names if n not in BENCHMARKS]
    if unknown:
        ap.error(f"unknown benchmark(s) {', '.join(unknown)}; have {', '.join(BENCHMARKS)}")
    impls, notes = available(opts.schemes.split(","))
    for note in notes:
        print(note)
    if not impls:
        return 1
    results: dict[str, dict[str, list[Run]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in opts.names or BENCHMARKS:
            programs = {impl: assemble(impl, name, Path(tmp)) for impl in impls}
            results[name] = {impl: [] for impl in impls}
            for _ in range(opts.runs):
                for impl in impls:
                    run = run_once(impl, name, programs[impl], opts.scale, opts.timeout,
                                   opts.bytecode)
                    results[name][impl].append(run)
                    if not run.ok:
                        print(f"{name} {impl}: FAILED: {run.error}", file=sys.stderr)
            for impl in impls:
                if impl.startswith("hawk"):       # one more run, for the statistics
                    run = run_once(impl, name, programs[impl], opts.scale, opts.timeout,
                                   opts.bytecode, profile=True)
                    results[name][impl].append(run)
                    if not run.ok:
                        print(f"{name} {impl} -p: FAILED: {run.error}", file=sys.stderr)
            print(f"{name}: done", file=sys.stderr)
    print(f"scale {opts.scale}, {opts.runs} runs each; medians [min-max]")
    rows = compute_rows(results)
    print(format_table(rows, impls, "in-program elapsed time:"))
    print()
    print(format_table(compute_rows(results, "wall"), impls, "wall time (includes start-up):",
                       jit=False))
    for impl in ("hawk", "hawk-joff"):
        if impl in impls:
            print()
            print(format_split(results, impl))
    if opts.csv:
        write_csv(opts.csv, results)
    if opts.chart:
        write_chart(opts.chart, rows, impls)
    failed = any(not r.ok for by_impl in results.values() for runs in by_impl.values() for r in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
