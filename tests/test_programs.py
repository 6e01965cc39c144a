"""Differential tests: every program in tests/scheme/ must print exactly its
.out file (reading its .in file, if any, as standard input), normally, with
the collector running at every safepoint, and under the JIT with seeds 1..5
(a low hotness threshold so traces form even in these small programs)."""
from __future__ import annotations

import pytest

from conftest import SCHEME_DIR, run_scheme

PROGRAMS = sorted(p for p in SCHEME_DIR.glob("*.scm") if p.with_suffix(".out").exists())
STRESS_LEVELS = [0, 1]


@pytest.mark.parametrize("stress", STRESS_LEVELS, ids=["normal", "gc-stress"])
@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program(program, stress):
    stdin = program.with_suffix(".in")
    result = run_scheme(program.read_text(), str(program),
                        stdin=stdin.read_text() if stdin.exists() else "", stress=stress)
    assert result.err == ""
    assert result.status == 0
    assert result.out == program.with_suffix(".out").read_text()


JIT_SEEDS = [1, 2, 3, 4, 5]
JIT_HOT = 7


@pytest.mark.parametrize("seed", JIT_SEEDS, ids=[f"jit-seed{s}" for s in JIT_SEEDS])
@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_jit(program, seed):
    from hawk.jit.options import JitOptions
    if not JitOptions.supported():
        pytest.skip("the JIT needs x86-64 Linux")
    stdin = program.with_suffix(".in")
    result = run_scheme(program.read_text(), str(program),
                        stdin=stdin.read_text() if stdin.exists() else "",
                        jit=JitOptions(enabled=True, hot=JIT_HOT, seed=seed))
    assert result.err == ""
    assert result.status == 0
    assert result.out == program.with_suffix(".out").read_text()


def test_every_program_has_expected_output():
    missing = [p.name for p in SCHEME_DIR.glob("*.scm") if not p.with_suffix(".out").exists()]
    assert missing == []
