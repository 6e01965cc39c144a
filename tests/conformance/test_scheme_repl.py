"""(scheme repl): interaction-environment keeps definitions and macros
between evals."""
from __future__ import annotations

from tables import check_values
from conftest import run_scheme


def out(text):
    r = run_scheme(text, "t.scm")
    assert (r.status, r.err) == (0, ""), r.err
    return r.out


def test_definitions_persist_in_the_interaction_environment():
    text = ("(eval '(define counter 41) (interaction-environment))"
            "(eval '(set! counter (+ counter 1)) (interaction-environment))"
            "(display (eval 'counter (interaction-environment)))")
    assert out(text) == "42"


def test_macros_defined_by_eval_are_usable_by_later_evals():
    text = ("(eval '(define-syntax twice (syntax-rules () ((_ e) (begin e e)))) (interaction-environment))"
            "(eval '(twice (display \"x\")) (interaction-environment))")
    assert out(text) == "xx"


def test_interaction_environment_is_one_environment():
    check_values([
        ("(eq? (interaction-environment) (interaction-environment))", "#t"),
        ("(begin (eval '(define from-eval 5) (interaction-environment)) (eval 'from-eval (interaction-environment)))",
         "5"),
    ])
