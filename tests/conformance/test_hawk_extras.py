"""(hawk): everything hawk provides, including what no standard library
exports: exact-rational?, port?, hash-table-contains?, hash-table-clear!."""
from __future__ import annotations

from tables import check_errors, check_values

PRELUDE = "(import (hawk)) (define t (make-hash-table)) (hash-table-set! t 'k 1)"

VALUES = [
    ("(list (exact-rational? 1/2) (exact-rational? 3) (exact-rational? 0.5) (exact-rational? 'a))",
     "(#t #t #f #f)"),
    ("(list (port? (current-output-port)) (port? (open-input-bytevector #u8())) (port? 5))", "(#t #t #f)"),
    ("(list (hash-table-contains? t 'k) (hash-table-contains? t 'z))", "(#t #f)"),
    ("(begin (hash-table-clear! t) (list (hash-table-size t) (hash-table-contains? t 'k)))", "(0 #f)"),
    ("(list (car '(1)) (string-upcase \"a\") (sqrt 4) (force (delay-force (delay 1))) (first '(1)))",
     '(1 "A" 2 1 1)'),
]

ERRORS = [
    ("(hash-table-clear! 5)", "error: hash-table-clear!: not a hash table: 5"),
    ("(hash-table-contains? t)", "error: hash-table-contains?: wrong number of arguments (expected 2, got 1)"),
    ("(port?)", "error: port?: wrong number of arguments (expected 1, got 0)"),
]


def test_values():
    check_values(VALUES, PRELUDE)


def test_errors():
    check_errors(ERRORS, PRELUDE)
