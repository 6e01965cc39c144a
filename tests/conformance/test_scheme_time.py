"""(scheme time): the clocks. Exact values are not predictable, so the
cases check types, units and monotonicity."""
from __future__ import annotations

from tables import check_errors, check_values

VALUES = [
    ("(let ((j (jiffies-per-second))) (and (exact-integer? j) (positive? j)))", "#t"),
    ("(let ((a (current-jiffy)) (b (current-jiffy))) (and (exact-integer? a) (<= a b)))", "#t"),
    ("(let ((s (current-second))) (and (inexact? s) (real? s) (> s 1.5e9)))", "#t"),
    ("(let ((a (current-jiffy))) (let loop ((i 0)) (if (< i 10000) (loop (+ i 1))))"
     " (< (/ (- (current-jiffy) a) (jiffies-per-second)) 60))", "#t"),
]

ERRORS = [
    ("(current-second 1)", "error: current-second: wrong number of arguments (expected 0, got 1)"),
    ("(jiffies-per-second 'x)", "error: jiffies-per-second: wrong number of arguments (expected 0, got 1)"),
]


def test_values():
    check_values(VALUES)


def test_errors():
    check_errors(ERRORS)
