"""Differential tests: every program in tests/scheme/ must print exactly its
.out file (reading its .in file, if any, as standard input) in every mode:
the interpreter, the interpreter with the collector at every safepoint, the
JIT with seeds 1..5 (a low hotness threshold so traces form even in these
small programs), and the JIT with the collector at every safepoint.

That selection fits CI's time budget. `make sweep` sets HAWK_SWEEP=N to run
the full sweep instead: seeds 1..N at several hotness thresholds, each also
under GC stress, so many more trace orders and trace shapes are explored."""
from __future__ import annotations

import os

import pytest

from conftest import SCHEME_DIR, run_scheme
from hawk.jit.options import JitOptions

PROGRAMS = sorted(p for p in SCHEME_DIR.glob("*.scm") if p.with_suffix(".out").exists())
JIT_HOT = 7


def _jit(seed, hot=JIT_HOT):
    return JitOptions(enabled=True, hot=hot, seed=seed)


SWEEP = int(os.environ.get("HAWK_SWEEP", "0"))
SWEEP_HOT = (1, 3, 7, 25)

# mode name -> (GC stress level, JIT options or None for the interpreter)
MODES = {"normal": (0, None), "gc-stress": (1, None),
         **{f"jit-seed{s}": (0, _jit(s)) for s in range(1, 6)},
         "jit-gc-stress": (1, _jit(1))}
if SWEEP:
    MODES.update({f"jit-hot{h}-seed{s}{'-gc' if gc else ''}": (gc, _jit(s, h))
                  for h in SWEEP_HOT for s in range(1, SWEEP + 1) for gc in (0, 1)})


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program(program, mode):
    stress, jit = MODES[mode]
    if jit is not None and not JitOptions.supported():
        pytest.skip("the JIT needs x86-64 Linux")
    stdin = program.with_suffix(".in")
    result = run_scheme(program.read_text(), str(program),
                        stdin=stdin.read_text() if stdin.exists() else "", stress=stress,
                        jit=jit)
    assert result.err == ""
    assert result.status == 0
    assert result.out == program.with_suffix(".out").read_text()


def test_every_program_has_expected_output():
    missing = [p.name for p in SCHEME_DIR.glob("*.scm") if not p.with_suffix(".out").exists()]
    assert missing == []
