"""(scheme eval), (scheme load), (scheme repl): the compiler at run time."""
from __future__ import annotations

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


def test_definitions_persist_in_the_interaction_environment():
    text = ("(eval '(define counter 41) (interaction-environment))"
            "(eval '(set! counter (+ counter 1)) (interaction-environment))"
            "(display (eval 'counter (interaction-environment)))")
    assert out(text) == "42"


def test_macros_defined_by_eval_are_usable_by_later_evals():
    text = ("(eval '(define-syntax twice (syntax-rules () ((_ e) (begin e e)))) (interaction-environment))"
            "(eval '(twice (display \"x\")) (interaction-environment))")
    assert out(text) == "xx"


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


def test_load_runs_every_form_of_a_file(tmp_path):
    lib = tmp_path / "defs.scm"
    lib.write_text("(define (sq x) (* x x))\n(define loaded 'yes)\n")
    text = f'(load "{lib}") (display (list (eval \'(sq 7) (interaction-environment)) ' \
           f'(eval \'loaded (interaction-environment))))'
    assert out(text) == "(49 yes)"


def test_load_of_a_missing_file_is_a_file_error():
    text = '(display (guard (e ((file-error? e) (quote file-error))) (load "/nonexistent.scm")))'
    assert out(text) == "file-error"


def test_scheme_report_environment_sees_r5rs():
    assert out("(display (eval '(cadr '(1 2)) (scheme-report-environment 5)))") == "2"
