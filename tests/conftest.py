"""Shared helpers: run Scheme programs in-process and capture what they print."""
from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.setrecursionlimit(100_000)

SCHEME_DIR = Path(__file__).parent / "scheme"


@dataclass
class Outcome:
    status: int
    out: str
    err: str


def run_scheme(text: str, file: str = "<test>", stdin: str = "", stress: int = 0,
               argv=(), jit=None) -> Outcome:
    """Run a program as `hawk run` would, with GC stress level `stress`
    (0 off, 1 collect at every safepoint, N every N-th safepoint) and JIT
    options `jit` (hawk.jit.options.JitOptions; None: interpreter only)."""
    from hawk.driver import run_program
    from hawk.gc.heap import Heap
    out, err = io.StringIO(), io.StringIO()
    status = run_program(text, file, argv, heap=Heap(stress=stress), jit=jit,
                         stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return Outcome(status, out.getvalue(), err.getvalue())


def run_jit(text: str, hot: int = 7, seed: int | None = None, profile: bool = False):
    """(output, vm) of a program run with the JIT on, for tests that look at
    the traces it made (vm.jit); `profile` as -p (see in_traces)."""
    from hawk.driver import make_vm, run_source
    from hawk.jit.options import JitOptions
    out = io.StringIO()
    vm = make_vm(["<test>"], jit=JitOptions(enabled=True, hot=hot, seed=seed, profile=profile),
                 stdout=out, stderr=io.StringIO())
    run_source(vm, text, "<test>")
    vm.flush()
    return out.getvalue(), vm


def in_traces(vm) -> float:
    """The share of executed bytecodes that ran in traces, as -p reports
    it (the VM of run_jit(..., profile=True))."""
    from hawk.gc.memory import BC_INTERP, BC_TRACE
    return vm.W[BC_TRACE] / (vm.W[BC_TRACE] + vm.W[BC_INTERP])


def run_both(text: str, **jit):
    """[(status, out, err) under --joff, the same under the JIT]."""
    from hawk.jit.options import JitOptions
    results = []
    for opts in (None, JitOptions(enabled=True, **jit)):
        r = run_scheme(text, jit=opts)
        results.append((r.status, r.out, r.err))
    return results


@pytest.fixture
def scheme():
    return run_scheme
