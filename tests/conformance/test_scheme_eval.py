"""(scheme eval): eval in environments made from import sets and in the
interaction environment; errors inside eval."""
from __future__ import annotations

from tables import check_errors, check_values
from conftest import run_scheme


def out(text):
    r = run_scheme(text, "t.scm")
    assert (r.status, r.err) == (0, ""), r.err
    return r.out


def test_eval_in_an_environment_made_from_import_sets():
    assert out("(display (eval '(* 6 7) (environment '(scheme base))))") == "42"


def test_eval_returns_procedures_that_keep_working():
    assert out("(define f (eval '(lambda (x) (+ x 1)) (environment '(scheme base))))"
               "(display (map f '(1 2 3)))") == "(2 3 4)"


def test_an_identifier_the_import_sets_do_not_bind_is_an_error():
    text = ("(display (guard (e ((error-object? e) (error-object-message e)))"
            " (eval '(display 1) (environment '(only (scheme base) car)))))")
    assert "unbound identifier display" in out(text)


def test_syntax_errors_in_eval_are_catchable_conditions():
    text = "(display (guard (e (#t 'caught)) (eval '(if) (interaction-environment))))"
    assert out(text) == "caught"


def test_uncaught_eval_error_reports_the_call_site():
    r = run_scheme("(display 1)\n(eval '(car 5) (interaction-environment))", "t.scm")
    assert r.status == 1 and r.out == "1"
    assert "car: not a pair: 5" in r.err.splitlines()[0]


def test_scheme_report_environment_sees_r5rs():
    assert out("(display (eval '(cadr '(1 2)) (scheme-report-environment 5)))") == "2"


VALUES = [
    ("(eval '(+ 1 2) (environment '(scheme base)))", "3"),
    ("(eval '(let ((x 2)) (* x x)) (environment '(only (scheme base) let *)))", "4"),
    ("(eval '(i:sqrt 16) (environment '(prefix (scheme inexact) i:) '(scheme base)))", "4"),
    ("(eval ''quoted (environment '(scheme base)))", "quoted"),
    ("(eval 'car (scheme-report-environment 5))", "#<procedure car>"),
    ("(eval '(if #t 'yes) (null-environment 5))", "yes"),
]

ERRORS = [
    ("(eval '(car 5) (environment '(scheme base)))", "<eval>:1:1: error: car: not a pair: 5"),
    ("(eval 1 2)", "error: eval: not an environment: 2"),
    ("(environment '(no such library))", "syntax-error: import: library (no such library) not found (searched no directories)"),
]


def test_values():
    check_values(VALUES)


def test_errors():
    check_errors(ERRORS)
