"""The conformance suite's two table runners.

Why this shape: starting a VM costs ~0.2 s, so a table of cases runs as
one program (values) or in one VM (errors), never one process per case;
and every table runs twice, with the JIT off and on with a low hotness
threshold, because everything must behave the same under both.

* check_values([(expression, written result), ...], prelude): one program
  writes each expression's value on its own line; each line must be the
  `write` form R7RS gives for that case.
* check_errors([(expression, report), ...], prelude): each expression is
  its own program "t.scm" (after the prelude), on line 2 at column 3; the
  first line of the error report must be `t.scm:2:3: ` + report (kind,
  message and irritants), or the report itself when it gives another
  location (`t.scm:2:17: ...`: the failing call is inside the expression).
"""
from __future__ import annotations

import io
import re

from conftest import run_scheme
from hawk.errors import HawkError
from hawk.jit.options import JitOptions

LOCATED = re.compile(r"\S+:\d+:\d+: ")      # a report that gives its own location
MODES = {"interpreter": None, "jit": JitOptions(enabled=True, hot=2)}


def check_values(cases, prelude: str = "") -> None:
    program = prelude + "\n" + "\n".join(f"(write {expr}) (newline)" for expr, _ in cases)
    for mode, jit in MODES.items():
        result = run_scheme(program, jit=jit)
        assert (result.status, result.err) == (0, ""), (mode, result.err)
        got = result.out.split("\n")[:-1]
        assert len(got) == len(cases), mode
        _agree(cases, got, mode)


def check_errors(cases, prelude: str = "") -> None:
    from hawk.driver import format_error, make_vm, run_source
    for mode, jit in MODES.items():
        vm = make_vm(["t.scm"], jit=jit, stdin=io.StringIO(""), stdout=io.StringIO(),
                     stderr=io.StringIO())
        if prelude:
            run_source(vm, prelude, "prelude.scm")
        got = []
        for expr, _ in cases:
            try:
                run_source(vm, "\n  " + expr, "t.scm")
                got.append("no error")
            except HawkError as e:
                got.append(format_error(vm, e).splitlines()[0])
        _agree([(expr, report if LOCATED.match(report) else "t.scm:2:3: " + report)
                for expr, report in cases], got, mode)


def _agree(cases, got, mode: str) -> None:
    """Every case's expected text equals what was got (listing those that differ)."""
    wrong = [(expr, "expected", want, "got", line)
             for (expr, want), line in zip(cases, got) if want != line]
    assert not wrong, (mode, *wrong)
