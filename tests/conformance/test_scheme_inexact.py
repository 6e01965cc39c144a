"""(scheme inexact): transcendental functions (inexact results, exact
arguments accepted), square roots, and the IEEE predicates."""
from __future__ import annotations

from tables import check_errors, check_values

VALUES = [
    ("(list (exp 0) (exp 1))", "(1.0 2.718281828459045)"),
    ("(list (log 1) (log 100 10) (log 8 2))", "(0.0 2.0 3.0)"),
    ("(log 0.0)", "-inf.0"),
    ("(list (sin 0) (cos 0) (tan 0))", "(0.0 1.0 0.0)"),
    ("(list (asin 1) (acos 1) (atan 1))", "(1.5707963267948966 0.0 0.7853981633974483)"),
    ("(list (atan 1 1) (atan -1 -1) (atan 0 1))",
     "(0.7853981633974483 -2.356194490192345 0.0)"),
    ("(list (sqrt 16) (sqrt 1/4) (sqrt 2) (sqrt 16.0) (sqrt 0))",
     "(4 1/2 1.4142135623730951 4.0 0)"),
    ("(sqrt (expt 10 40))", "100000000000000000000"),
    ("(list (finite? 1) (finite? +inf.0) (finite? +nan.0) (finite? 1.5))", "(#t #f #f #t)"),
    ("(list (infinite? -inf.0) (infinite? 1e308) (infinite? +nan.0))", "(#t #f #f)"),
    ("(list (nan? +nan.0) (nan? 1) (nan? (/ 0.0 0.0)))", "(#t #f #t)"),
]

ERRORS = [
    ("(sqrt 'x)", "error: sqrt: not a number: x"),
    ("(exp \"1\")", 'error: exp: not a number: "1"'),
    ("(log)", "error: log: wrong number of arguments (expected 1 to 2, got 0)"),
    ("(sin #f)", "error: sin: not a number: #f"),
    ("(atan 'a 1)", "error: atan: not a number: a"),
    ("(finite? 'x)", "error: finite?: not a number: x"),
    ("(nan? \"n\")", 'error: nan?: not a number: "n"'),
]


def test_values():
    check_values(VALUES)


def test_errors():
    check_errors(ERRORS)
