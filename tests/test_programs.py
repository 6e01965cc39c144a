"""Differential tests: every program in tests/scheme/ must print exactly its
.out file (reading its .in file, if any, as standard input) in every mode:
the interpreter, the interpreter with the collector at every safepoint, the
JIT with seeds 1..5 (a low hotness threshold so traces form even in these
small programs), and the JIT with the collector at every safepoint."""
from __future__ import annotations

import pytest

from conftest import SCHEME_DIR, run_scheme
from hawk.jit.options import JitOptions

PROGRAMS = sorted(p for p in SCHEME_DIR.glob("*.scm") if p.with_suffix(".out").exists())
JIT_HOT = 7


def _jit(seed):
    return JitOptions(enabled=True, hot=JIT_HOT, seed=seed)


# mode name -> (GC stress level, JIT options or None for the interpreter)
MODES = {"normal": (0, None), "gc-stress": (1, None),
         **{f"jit-seed{s}": (0, s) for s in range(1, 6)},
         "jit-gc-stress": (1, 1)}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program(program, mode):
    stress, seed = MODES[mode]
    if seed is not None and not JitOptions.supported():
        pytest.skip("the JIT needs x86-64 Linux")
    stdin = program.with_suffix(".in")
    result = run_scheme(program.read_text(), str(program),
                        stdin=stdin.read_text() if stdin.exists() else "", stress=stress,
                        jit=None if seed is None else _jit(seed))
    assert result.err == ""
    assert result.status == 0
    assert result.out == program.with_suffix(".out").read_text()


def test_every_program_has_expected_output():
    missing = [p.name for p in SCHEME_DIR.glob("*.scm") if not p.with_suffix(".out").exists()]
    assert missing == []
