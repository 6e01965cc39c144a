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
  message and irritants).
"""
from __future__ import annotations

import io

from conftest import run_scheme
from hawk.errors import HawkError
from hawk.jit.options import JitOptions

MODES = {"interpreter": None, "jit": JitOptions(enabled=True, hot=2)}


def check_values(cases, prelude: str = "") -> None:
    program = prelude + "\n" + "\n".join(f"(write {expr}) (newline)" for expr, _ in cases)
    for mode, jit in MODES.items():
        result = run_scheme(program, jit=jit)
        assert (result.status, result.err) == (0, ""), (mode, result.err)
        got = result.out.split("\n")[:-1]
        assert [(expr, line) for (expr, _), line in zip(cases, got)] == list(cases), mode
        assert len(got) == len(cases), mode


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
                got.append((expr, "no error"))
            except HawkError as e:
                got.append((expr, format_error(vm, e).splitlines()[0]))
        assert got == [(expr, "t.scm:2:3: " + report) for expr, report in cases], mode
