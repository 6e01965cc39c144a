"""Random programs (tests/random_programs.py, both families) give under
the JIT exactly what the interpreter gives: output, errors and exit
status, at several hotness thresholds and seeds and under GC stress.

CI runs 12 of each family; `make sweep` (HAWK_SWEEP=N) runs 10 * N."""
from __future__ import annotations

import os

import pytest

from conftest import run_jit, run_scheme
from hawk.errors import HawkError
from hawk.jit.options import JitOptions
from random_programs import program, walk

if not JitOptions.supported():
    pytest.skip("the JIT needs x86-64 Linux", allow_module_level=True)

SWEEP = int(os.environ.get("HAWK_SWEEP", "0"))
PROGRAMS = 10 * SWEEP if SWEEP else 12
# (hotness threshold, seed, GC stress: a collection at every N-th safepoint;
# at every one, a program takes ~2.3 s against ~0.5 s at every 10th)
MODES = [(2, 1, 0), (3, 2, 0), (7, 1, 0), (3, 1, 10)] + [(3, 3, 1)] * (SWEEP > 0)


@pytest.mark.parametrize("make", [program, walk], ids=["program", "walk"])
@pytest.mark.parametrize("seed", range(1, PROGRAMS + 1))
def test_random_program(make, seed):
    text = make(seed)
    want = run_scheme(text, f"random{seed}.scm")
    for hot, jit_seed, stress in MODES:
        got = run_scheme(text, f"random{seed}.scm", stress=stress,
                         jit=JitOptions(enabled=True, hot=hot, seed=jit_seed))
        assert (got.status, got.out, got.err) == (want.status, want.out, want.err), \
            (hot, jit_seed, stress)


@pytest.mark.parametrize("make", [program, walk], ids=["program", "walk"])
def test_the_programs_run_and_make_traces(make):
    """Each family makes programs that mostly finish, and that the JIT
    traces (else the test above would compare the interpreter with itself)."""
    finished = traced = 0
    for seed in range(1, 13):
        try:
            _, vm = run_jit(make(seed), hot=3)
        except HawkError:
            continue
        finished += 1
        traced += vm.jit.stats["compiled"] > 0
    assert finished >= 9 and traced == finished
