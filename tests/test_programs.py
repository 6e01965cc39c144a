"""Differential tests: every program in tests/scheme/ must print exactly its
.out file (reading its .in file, if any, as standard input), both normally
and with the collector running at every safepoint."""
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


def test_every_program_has_expected_output():
    missing = [p.name for p in SCHEME_DIR.glob("*.scm") if not p.with_suffix(".out").exists()]
    assert missing == []
