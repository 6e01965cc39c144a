"""(scheme base), pairs and lists: construction, access, mutation, the
list procedures (with their optional comparison arguments), association
lists and membership, on empty, improper and shared lists."""
from __future__ import annotations

from tables import check_errors, check_values

PRELUDE = "(define l (list 1 2 3)) (define al '((a . 1) (b . 2) (\"c\" . 3) (2.0 . 4)))"

VALUES = [
    ("(list (cons 1 2) (cons 1 '()) (car '(a b)) (cdr '(a b)) (cdr '(a)))", "((1 . 2) (1) a (b) ())"),
    ("(list (caar '((1) 2)) (cadr '(1 2)) (cdar '((1 . 3))) (cddr '(1 2 3)))", "(1 2 3 (3))"),
    ("(let ((p (cons 1 2))) (set-car! p 'x) (set-cdr! p 'y) p)", "(x . y)"),
    ("(list (pair? '(1)) (pair? '()) (null? '()) (null? '(1)) (list? '(1 2)) (list? '(1 . 2)))",
     "(#t #f #t #f #t #f)"),
    ("(let ((c (list 1 2))) (set-cdr! (cdr c) c) (list? c))", "#f"),
    ("(list (make-list 2 'x) (length (make-list 3)) (make-list 0 1))", "((x x) 3 ())"),
    ("(list (list) (list 1 2) (length '()) (length '(1 2 3)))", "(() (1 2) 0 3)"),
    ("(list (append) (append '(1) '(2 3) '() '(4)) (append '(1) 2) (append '() 'a))",
     "(() (1 2 3 4) (1 . 2) a)"),
    ("(let ((x (list 3))) (eq? x (cdr (append '(1) x))))", "#t"),
    ("(list (reverse '()) (reverse '(1 (2 3) 4)))", "(() (4 (2 3) 1))"),
    ("(list (list-tail '(1 2 3) 0) (list-tail '(1 2 3) 2) (list-tail '(1 2 3) 3))",
     "((1 2 3) (3) ())"),
    ("(list (list-ref '(a b c) 0) (list-ref '(a b c) 2))", "(a c)"),
    ("(let ((x (list 1 2))) (list-set! x 1 'y) x)", "(1 y)"),
    ("(list (memq 'c '(a b c d)) (memq 'z '(a)) (memq 'a '()))", "((c d) #f #f)"),
    ("(list (memv 2.0 '(1 2.0 3)) (memv 101 '(100 101 102)))", "((2.0 3) (101 102))"),
    ("(list (member '(a) '(b (a) c)) (member 2.0 '(1 2 3) =) (member \"B\" '(\"a\" \"b\") string-ci=?))",
     "(((a) c) (2 3) (\"b\"))"),
    ("(list (assq 'b al) (assq 'z al) (assv 2.0 al) (assoc \"c\" al))",
     "((b . 2) #f (2.0 . 4) (\"c\" . 3))"),
    ("(assoc 2 '((1 . a) (2 . b)) =)", "(2 . b)"),
    ("(let* ((a (list 1 (list 2))) (b (list-copy a))) (list (equal? a b) (eq? a b)"
     " (eq? (cadr a) (cadr b)) (list-copy 5)))", "(#t #f #t 5)"),
    ("(list (map + '(1 2 3) '(10 20)) (map car '()) (map (lambda (x) (* x x)) l))",
     "((11 22) () (1 4 9))"),
    ("(let ((acc '())) (for-each (lambda (x y) (set! acc (cons (+ x y) acc))) '(1 2) '(3 4 5)) acc)",
     "(6 4)"),
    ("(list (apply + '()) (apply + 1 2 '(3 4)) (apply list 'a '(b)))", "(0 10 (a b))"),
]

ERRORS = [
    ("(car '())", "error: car: not a pair: ()"),
    ("(cdr 5)", "error: cdr: not a pair: 5"),
    ("(set-car! '() 1)", "error: set-car!: not a pair: ()"),
    ("(cadr '(1))", "error: cadr: not a pair: (1)"),
    ("(length '(1 . 2))", "error: length: not a proper list: (1 . 2)"),
    ("(list-tail '(1 2) 3)", "error: list-tail: index out of range: 3"),
    ("(list-ref '(a b) 2)", "error: list-ref: index out of range: 2"),
    ("(list-ref '(a b) -1)", "error: list-ref: not a non-negative exact integer: -1"),
    ("(make-list 'a)", "error: make-list: not a non-negative exact integer: a"),
    ("(reverse '(1 . 2))", "error: reverse: not a proper list: (1 . 2)"),
    ("(append '(1 . 2) '(3))", "error: append: not a proper list: (1 . 2)"),
    ("(apply + 1)", "error: apply: last argument is not a list: 1"),
    ("(assq 'a '(1))", "error: assq: not a pair: 1"),
    ("(cons 1)", "error: cons: wrong number of arguments (expected 2, got 1)"),
]


def test_values():
    check_values(VALUES, PRELUDE)


def test_errors():
    check_errors(ERRORS)
