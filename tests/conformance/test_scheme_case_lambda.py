"""(scheme case-lambda): clause selection by argument count, rest clauses,
the first matching clause winning, and no clause matching."""
from __future__ import annotations

from tables import check_errors, check_values

PRELUDE = """
(define area (case-lambda ((r) (* 3 r r)) ((w h) (* w h)) ((a b . rest) (list a b rest))))
(define first-wins (case-lambda ((x) 'one) (args 'any)))
(define only-two (case-lambda ((a b) (+ a b))))
(define one-or-three (case-lambda ((a) a) ((a b c . r) r)))
"""

VALUES = [
    ("(list (area 2) (area 2 3) (area 1 2 3 4))", "(12 6 (1 2 (3 4)))"),
    ("(list (first-wins 1) (first-wins) (first-wins 1 2))", "(one any any)"),
    ("(apply area '(4 5))", "20"),
    ("((case-lambda (() 'none) ((x . r) r)))", "none"),
    ("(map (case-lambda ((x) (* x 10)) ((x y) (+ x y))) '(1 2) '(3 4))", "(4 6)"),
]

ERRORS = [
    ("(only-two 1)", "error: only-two: wrong number of arguments (expected 2, got 1)"),
    ("(one-or-three 1 2)", "error: one-or-three: wrong number of arguments (expected 1 or 3 or more, got 2)"),
    ("(case-lambda (x))", "t.scm:2:16: syntax error: malformed case-lambda"),
]


def test_values():
    check_values(VALUES, PRELUDE)


def test_errors():
    check_errors(ERRORS, PRELUDE)
