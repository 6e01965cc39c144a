"""Errors in user programs: one clear message with the location of the
failing call and a Scheme backtrace, output written before the error is
kept, the status is non-zero, and no Python traceback is shown."""
from __future__ import annotations

import pytest

from conftest import run_scheme

CASES = [
    # (program, expected first line of the report)
    ("(display \"before\")\n(foo 1)",
     "t.scm:2:1: unbound variable: foo"),
    ("(define (f x) x)\n(display \"before\")\n(f 1 2)",
     "t.scm:3:1: error: f: wrong number of arguments (expected 1, got 2)"),
    ("(display \"before\")\n(define x 5)\n(x 1)",
     "t.scm:3:1: error: attempt to apply a non-procedure: 5"),
    ("(display \"before\")\n(define (f p)\n  (car p))\n(f 5)",
     "t.scm:3:3: error: car: not a pair: 5"),
    ("(display \"before\")\n(vector-ref (vector 1 2) 2)",
     "t.scm:2:1: error: vector-ref: index out of range: 2 #(1 2)"),
    ("(display \"before\")\n(define (g a b) (quotient a b))\n(g 1 0)",
     "t.scm:2:17: error: quotient: division by zero: 1"),
    ("(display \"before\")\n(/ 1 0)",
     "t.scm:2:1: error: /: division by zero: 1"),
    ("(display \"before\")\n(error \"custom failure\" 'x 42)",
     "t.scm:2:1: error: custom failure: x 42"),
    ("(display \"before\")\n(raise 'boom)",
     "t.scm:2:1: error: uncaught exception: boom"),
    ("(display \"before\")\n(open-input-file \"/nonexistent/file.txt\")",
     "t.scm:2:1: file-error: open-input-file: No such file or directory"),
]


@pytest.mark.parametrize("text,first", CASES, ids=[c[1].split(": ", 2)[-1][:30] for c in CASES])
def test_runtime_error_report(text, first):
    result = run_scheme(text, "t.scm")
    assert result.status == 1
    assert result.out == "before"
    lines = result.err.splitlines()
    assert lines[0].startswith(first)
    assert lines[1].startswith("  in ")
    assert "Traceback" not in result.err


def test_backtrace_names_the_functions_in_the_call_chain():
    text = "(define (inner x) (car x))\n(define (outer y) (+ 1 (inner y)))\n(display (outer 'a))\n"
    lines = run_scheme(text, "t.scm").err.splitlines()
    assert lines[0] == "t.scm:1:19: error: car: not a pair: a"
    assert lines[1] == "  in inner (t.scm:1:19)"
    assert lines[2] == "  called from outer (t.scm:2:24)"
    assert lines[3] == "  called from toplevel (t.scm:3:10)"


def test_error_inside_library_procedure_points_at_the_user_call():
    text = "(define (f l) (length (map car l)))\n(f '(1 2))\n"
    lines = run_scheme(text, "t.scm").err.splitlines()
    assert lines[0] == "t.scm:1:23: error: car: not a pair: 1"
    assert lines[1] == "  in f (t.scm:1:23)"


def test_read_error_has_location():
    result = run_scheme("(display 1)\n(display (+ 1 2)", "t.scm")
    assert result.status == 1
    assert result.err.startswith("t.scm:2:")
    assert "read error" in result.err


def test_syntax_error_has_location():
    result = run_scheme("(display 1)\n  (if)", "t.scm")
    assert result.status == 1
    assert result.err.startswith("t.scm:2:3: syntax error:")


def test_macro_use_matching_no_rule_names_the_macro():
    text = "(define-syntax two (syntax-rules () ((_ a b) (list a b))))\n(two 1)"
    result = run_scheme(text, "t.scm")
    assert result.status == 1
    assert result.err.startswith("t.scm:2:1: syntax error:")
    assert "two" in result.err.splitlines()[0]


def test_exit_codes_and_flushing():
    assert run_scheme("(display \"x\") (exit 3)").status == 3
    r = run_scheme("(display \"y\") (exit #f)")
    assert (r.status, r.out) == (1, "y")
    assert run_scheme("(exit)").status == 0
    assert run_scheme("(exit #t)").status == 0


def test_exit_runs_dynamic_wind_after_thunks():
    r = run_scheme("(dynamic-wind (lambda () #f) (lambda () (exit 0)) (lambda () (display \"after\")))")
    assert (r.status, r.out) == (0, "after")
