"""SRFI 8 (receive), 9 (define-record-type), 23 (error) and 39
(make-parameter, parameterize), each imported through its own library."""
from __future__ import annotations

from tables import check_errors, check_values

PRELUDE = """
(import (scheme base) (scheme write) (srfi 8) (srfi 9) (srfi 23) (srfi 39))
(define-record-type <account> (make-account owner balance) account?
  (owner account-owner) (balance account-balance set-account-balance!))
(define-record-type empty (make-empty) empty?)
(define depth (make-parameter 0))
"""

VALUES = [
    ("(receive (q r) (floor/ 7 2) (list q r))", "(3 1)"),
    ("(receive all (values 1 2) all)", "(1 2)"),
    ("(receive (a . rest) (values 1 2 3) (list a rest))", "(1 (2 3))"),
    ("(receive () (values) 'none)", "none"),
    ("(let ((a (make-account 'ann 10))) (set-account-balance! a 20)"
     " (list (account? a) (account-owner a) (account-balance a) (account? 'ann)))", "(#t ann 20 #f)"),
    ("(list (empty? (make-empty)) (account? (make-empty)))", "(#t #f)"),
    ("(guard (e (#t (list (error-object-message e) (error-object-irritants e)))) (error \"srfi 23\" 1 2))",
     '("srfi 23" (1 2))'),
    ("(list (depth) (parameterize ((depth 1)) (parameterize ((depth (+ (depth) 1))) (depth))) (depth))",
     "(0 2 0)"),
    ("(let ((k #f) (seen '())) (parameterize ((depth 5)) (call/cc (lambda (c) (set! k c))) (set! seen (cons (depth) seen)))"
     " (if (< (length seen) 2) (k #f)) (list seen (depth)))", "((5 5) 0)"),
]

ERRORS = [
    ("(receive (a b) (values 1) a)", "error: lambda: wrong number of arguments (expected 2, got 1)"),
    ("(account-owner 5)", "error: account-owner: not a record of type <account>: 5"),
    ("(error \"plain\")", "error: plain"),
]


def test_values():
    check_values(VALUES, PRELUDE)


def test_errors():
    check_errors(ERRORS, PRELUDE)
