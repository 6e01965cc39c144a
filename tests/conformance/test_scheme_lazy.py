"""(scheme lazy): delay, delay-force, force, make-promise, promise?; a
promise runs its body once; delay-force chains run in constant space."""
from __future__ import annotations

from tables import check_errors, check_values

PRELUDE = """
(define count 0)
(define p (delay (begin (set! count (+ count 1)) count)))
(define (stream-drop n) (delay-force (if (= n 0) (delay 'done) (stream-drop (- n 1)))))
"""

VALUES = [
    ("(list (force p) (force p) count)", "(1 1 1)"),
    ("(force (stream-drop 30000))", "done"),
    ("(list (promise? p) (promise? (make-promise 1)) (promise? 5) (promise? (lambda () 1)))",
     "(#t #t #f #f)"),
    ("(force (make-promise 'v))", "v"),
    ("(let ((q (make-promise 2))) (eq? q (make-promise q)))", "#t"),
    # delay is (delay-force (make-promise e)), and make-promise keeps a promise
    ("(list (force 7) (force (delay (delay 1))))", "(7 1)"),
    ("(let* ((x 5) (q (delay x))) (set! x 6) (force q))", "6"),
    ("(force (delay-force (delay (+ 1 2))))", "3"),
    ("(force (delay (values 9)))", "9"),
]

ERRORS = [
    ("(force (delay (car 5)))", "t.scm:2:17: error: car: not a pair: 5"),
    ("(make-promise)", "error: make-promise: wrong number of arguments (expected 1, got 0)"),
]


def test_values():
    check_values(VALUES, PRELUDE)


def test_errors():
    check_errors(ERRORS)
