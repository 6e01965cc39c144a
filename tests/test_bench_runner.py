"""bench/run.py, the r7rs-benchmarks runner: its parsing of program output
and `hawk -p` statistics and its table arithmetic on canned runs, and one
tiny benchmark end to end under hawk --joff. Nothing here needs another
Scheme: Chez is made to look absent so the skip path is what gets tested."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

RUN_PY = Path(__file__).resolve().parent.parent / "bench" / "run.py"
_spec = importlib.util.spec_from_file_location("bench_run", RUN_PY)
runner = importlib.util.module_from_spec(_spec)
sys.modules["bench_run"] = runner     # dataclasses look their module up there
_spec.loader.exec_module(runner)
Run = runner.Run

GOOD = """Result: 832040
Elapsed time: 1.5 seconds (1.5) for fib
+!CSVLINE!+hawk,fib,1.5
"""


def test_parse_good_output():
    assert runner.parse_output(GOOD, "fib") == {"result": "832040", "elapsed": 1.5,
                                                "error": None}


def test_parse_flonum_formats():
    out = runner.parse_output("Result: 5.00000005e15\nElapsed time: 2e-05 seconds (2e-05) "
                              "for sumfp\n+!CSVLINE!+chez,sumfp,2e-05\n", "sumfp")
    assert (out["result"], out["elapsed"], out["error"]) == ("5.00000005e15", 2e-05, None)


@pytest.mark.parametrize("stdout, why", [
    ("ERROR: returned incorrect result: 7\n", "ERROR: returned incorrect result: 7"),
    ("Result: 1\n", "missing Result/Elapsed/CSV line"),
    (GOOD.replace("for fib", "for tak"), "missing Result/Elapsed/CSV line"),
    (GOOD.replace("hawk,fib,1.5", "hawk,fib,2.5"), "CSV time 2.5 differs from Elapsed time 1.5"),
])
def test_parse_bad_output(stdout, why):
    assert runner.parse_output(stdout, "fib")["error"] == why


def test_parse_jit_stats():
    stderr = ("gc: 3 collections\njit: 4 traces compiled, 2 aborted, 1 root + 3 side, "
              "1 loops/exits blacklisted, 4 entries, 9 exits taken; median compile 2.00 "
              "ms/trace; recording 0.7 ms, "
              "compiling 10.0 ms\n")
    stats = {"traces": 4, "aborted": 2, "record_ms": 0.7, "compile_ms": 10.0, "side": 3,
             "exits": 9}
    assert runner.parse_jit_stats(stderr) == stats
    share = "jit: 97.5% of executed bytecodes ran in traces (975 of 1000)\n"
    assert runner.parse_jit_stats(stderr + share) == {**stats, "share": 97.5}
    assert runner.parse_jit_stats("gc: 0 collections\n") is None


def _jit(elapsed, traces, compile_ms):
    return Run(ok=True, elapsed=elapsed, wall=elapsed + 0.3, traces=traces, aborted=1,
               record_ms=0.1, compile_ms=compile_ms)


CANNED = {
    "fib": {
        "hawk": [_jit(2.0, 2, 4.0), _jit(1.0, 2, 6.0), _jit(3.0, 4, 4.0)],
        "hawk-joff": [Run(ok=True, elapsed=e, wall=e + 0.3) for e in (4.0, 6.0, 5.0)],
        "chez": [Run(ok=True, elapsed=e, wall=e + 0.1) for e in (0.02, 0.01, 0.03)],
    },
    "tak": {
        "hawk": [_jit(1.0, 0, 0.0)],
        "hawk-joff": [Run(ok=False, error="timed out")],
        "chez": [Run(ok=True, elapsed=0.5, wall=0.6)],
    },
}


def test_compute_rows():
    fib, tak = runner.compute_rows(CANNED)
    assert fib["stats"] == {"hawk": (2.0, 1.0, 3.0), "hawk-joff": (5.0, 4.0, 6.0),
                            "chez": (0.02, 0.01, 0.03)}
    assert fib["hawk/chez"] == pytest.approx(100.0)
    assert fib["joff/jit"] == pytest.approx(2.5)
    assert (fib["traces"], fib["aborted"]) == (2, 1)
    assert fib["ms/trace"] == pytest.approx(2.0)       # median of 2, 3, 1
    assert tak["stats"]["hawk-joff"] is None            # a failed run spoils the cell
    assert tak["joff/jit"] is None and tak["hawk/chez"] == pytest.approx(2.0)
    assert tak["ms/trace"] is None                      # no traces, no per-trace cost
    wall = runner.compute_rows(CANNED, "wall")[0]
    assert wall["stats"]["chez"] == pytest.approx((0.12, 0.11, 0.13))


def test_format_table():
    text = runner.format_table(runner.compute_rows(CANNED), ["hawk", "hawk-joff", "chez"], "T:")
    lines = text.splitlines()
    assert lines[0] == "T:"
    assert lines[1].split() == ["benchmark", "hawk", "(s)", "hawk-joff", "(s)", "chez", "(s)",
                                "hawk/chez", "joff/jit", "traces", "side", "aborted", "ms/trace",
                                "exits", "in-trace%"]
    assert lines[2].split() == ["fib", "2", "[1-3]", "5", "[4-6]", "0.02", "[0.01-0.03]",
                                "100.00", "2.50", "2", "-", "1", "2.00", "-", "-"]
    assert lines[3].split() == ["tak", "1", "[1-1]", "FAIL", "0.5", "[0.5-0.5]",
                                "2.00", "-", "0", "-", "1", "-", "-", "-"]
    wall = runner.format_table(runner.compute_rows(CANNED, "wall"), ["hawk"], "W:", jit=False)
    assert wall.splitlines()[1].split() == ["benchmark", "hawk", "(s)", "hawk/chez", "joff/jit"]


def test_every_benchmark_has_its_inputs():
    for name in runner.BENCHMARKS:
        assert (runner.PROGRAMS / f"{name}.scm").is_file()
        for scale in ("tiny", "small", "full"):
            assert len(runner.input_file(name, scale).read_text().split("\n", 2)) == 3, scale


def test_end_to_end_joff_without_chez(monkeypatch, capsys, tmp_path):
    real_which = runner.shutil.which
    monkeypatch.setattr(runner.shutil, "which",
                        lambda cmd: None if cmd == "scheme" else real_which(cmd))
    csv_path = tmp_path / "out.csv"
    status = runner.main(["--schemes", "hawk-joff,chez", "--runs", "1", "--scale", "tiny",
                          "--csv", str(csv_path), "fib"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "chez: `scheme` not found, skipped" in out
    row = next(line for line in out.splitlines() if line.startswith("fib "))
    assert "FAIL" not in row
    lines = csv_path.read_text().splitlines()
    assert lines[0].startswith("benchmark,scheme,run,ok,elapsed")
    assert lines[1].startswith("fib,hawk-joff,0,True,")


def test_parse_time_split():
    stderr = ("gc: 0 collections\ntime: 235.1 ms: startup 118.7, frontend 4.1, codegen 42.0, "
              "gc 0.0, back end 21.2, traces 15.2, interpreter 25.9 "
              "(callouts from traces 3.5 of the traces' time)\n")
    assert runner.parse_time_split(stderr) == {
        "total": 235.1, "startup": 118.7, "frontend": 4.1, "codegen": 42.0, "gc": 0.0,
        "back end": 21.2, "traces": 15.2, "interpreter": 25.9, "callouts": 3.5}
    joff = "time: 49.0 ms: startup 45.1, frontend 1.9, codegen 1.8, gc 0.0, interpreter 0.2\n"
    assert runner.parse_time_split(joff)["interpreter"] == 0.2
    assert "callouts" not in runner.parse_time_split(joff)
    assert runner.parse_time_split("gc: 0 collections\n") is None


def test_hawk_runs_keep_bytecode_outside_the_checkout(monkeypatch):
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.delenv("PYTHONPYCACHEPREFIX", raising=False)
    cached = runner.run_env("hawk")
    assert "PYTHONDONTWRITEBYTECODE" not in cached
    assert cached["PYTHONPYCACHEPREFIX"].endswith("pycache")
    assert runner.run_env("hawk", "fresh")["PYTHONDONTWRITEBYTECODE"] == "1"
    assert runner.run_env("chez")["PYTHONDONTWRITEBYTECODE"] == "1"


def test_time_split_table():
    split = {"total": 10.0, "traces": 4.0, "interpreter": 6.0}
    runs = {"fib": {"hawk": [Run(ok=True, elapsed=1.0, split=split),
                             Run(ok=True, elapsed=1.0, split={**split, "traces": 8.0})]}}
    table = runner.format_split(runs).splitlines()
    assert table[1].split()[:3] == ["benchmark", "total", "startup"]
    row = table[2].split()
    assert row[0] == "fib" and row[1] == "10.0"
    assert row[1 + runner.STAGES.index("traces") + 1] == "6.0"


def test_the_profiled_run_gives_statistics_not_times():
    rows = runner.compute_rows({"fib": {"hawk": [
        Run(ok=True, elapsed=1.0), Run(ok=True, elapsed=3.0),
        Run(ok=True, elapsed=50.0, traces=4, aborted=0, compile_ms=8.0, timed=False)]}})
    assert rows[0]["stats"]["hawk"] == (2.0, 1.0, 3.0)
    assert rows[0]["traces"] == 4 and rows[0]["ms/trace"] == 2.0
