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


@pytest.fixture
def scheme():
    return run_scheme
