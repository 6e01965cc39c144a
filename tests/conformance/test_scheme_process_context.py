"""(scheme process-context): the command line, environment variables, and
exit / emergency-exit with their statuses and dynamic-wind behaviour."""
from __future__ import annotations

import pytest

from conftest import run_scheme
from tables import check_errors, check_values

VALUES = [
    ("(list (pair? (command-line)) (string? (car (command-line))))", "(#t #t)"),
    ("(get-environment-variable \"HAWK_CONFORMANCE_VAR\")", '"set by the test"'),
    ("(get-environment-variable \"HAWK_SURELY_UNSET_VARIABLE\")", "#f"),
    ("(assoc \"HAWK_CONFORMANCE_VAR\" (get-environment-variables))", '("HAWK_CONFORMANCE_VAR" . "set by the test")'),
]

ERRORS = [
    ("(get-environment-variable 'PATH)", "error: get-environment-variable: not a string: PATH"),
    ("(command-line 1)", "error: command-line: wrong number of arguments (expected 0, got 1)"),
]


def test_values(monkeypatch):
    monkeypatch.setenv("HAWK_CONFORMANCE_VAR", "set by the test")
    check_values(VALUES)


def test_errors():
    check_errors(ERRORS)


@pytest.mark.parametrize("call, status", [("(exit)", 0), ("(exit #t)", 0), ("(exit #f)", 1),
                                          ("(exit 7)", 7), ("(emergency-exit)", 0),
                                          ("(emergency-exit 3)", 3)])
def test_exit_statuses_and_after_thunks(call, status):
    """exit runs pending dynamic-wind after-thunks, emergency-exit does not;
    both flush output written before."""
    r = run_scheme(f"(display 'a) (dynamic-wind (lambda () #f) (lambda () {call})"
                   f" (lambda () (display 'after)))")
    assert (r.status, r.out) == (status, "a" if "emergency" in call else "aafter")
