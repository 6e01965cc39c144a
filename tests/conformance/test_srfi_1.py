"""SRFI 1 (hawk/lib/srfi1.scm): every procedure's normal and edge cases
(the linear-update `!` variants give the same results as the pure ones),
errors, and constant stack on lists of 10^5 elements."""
from __future__ import annotations

from conftest import run_scheme
from tables import check_errors, check_values


def out(program: str) -> str:
    result = run_scheme(program)
    assert result.status == 0, result.err
    return result.out


VALUES = [
    ("(cons* 1 2 '(3 4))", "(1 2 3 4)"), ("(cons* 1)", "1"), ("(xcons 1 2)", "(2 . 1)"),
    ("(list-tabulate 4 (lambda (i) (* i i)))", "(0 1 4 9)"), ("(list-tabulate 0 list)", "()"),
    ("(iota 5)", "(0 1 2 3 4)"), ("(iota 3 1)", "(1 2 3)"), ("(iota 3 0 1/2)", "(0 1/2 1)"),
    ("(iota 0)", "()"),
    ("(list (first '(1 2 3)) (second '(1 2 3)) (third '(1 2 3)) (fourth (iota 4)))", "(1 2 3 3)"),
    ("(list (fifth (iota 10)) (tenth (iota 10)))", "(4 9)"),
    ("(fold + 0 '(1 2 3))", "6"), ("(fold cons '() '(1 2 3))", "(3 2 1)"),
    ("(fold cons* '() '(a b c) '(1 2))", "(b 2 a 1)"),
    ("(fold-right cons '() '(1 2 3))", "(1 2 3)"), ("(fold-right list 'z '(a b) '(1 2 3))",
                                                   "(a 1 (b 2 z))"),
    ("(reduce max 0 '(3 9 2))", "9"), ("(reduce + 0 '())", "0"),
    ("(reduce-right append '() '((1) (2) (3)))", "(1 2 3)"),
    ("(append-map (lambda (x) (list x x)) '(1 2))", "(1 1 2 2)"),
    ("(append-map list '(1 2) '(a b))", "(1 a 2 b)"),
    ("(filter odd? '(1 2 3 4 5))", "(1 3 5)"), ("(remove odd? '(1 2 3 4 5))", "(2 4)"),
    ("(delete 3 '(1 3 2 3))", "(1 2)"), ("(delete 3 '(1 3 5) <)", "(1 3)"),
    ("(delete-duplicates '(a b a c b))", "(a b c)"),
    ("(delete-duplicates '(1 2 3 4) (lambda (a b) (= (modulo a 2) (modulo b 2))))", "(1 2)"),
    ("(any odd? '(2 4 5))", "#t"), ("(any odd? '())", "#f"), ("(any + '(1) '(2))", "3"),
    ("(every odd? '())", "#t"), ("(every (lambda (x) (and (odd? x) x)) '(1 3 5))", "5"),
    ("(every < '(1 2) '(2 1))", "#f"),
    ("(find even? '(1 3 4 5))", "4"), ("(find even? '(1 3))", "#f"),
    ("(find-tail even? '(1 3 4 5))", "(4 5)"),
    ("(filter-map (lambda (x) (and (odd? x) (* x x))) '(0 1 2 3))", "(1 9)"),
    ("(count odd? '(1 2 3))", "2"), ("(count < '(1 5 2) '(2 3 4))", "2"),
    ("(last '(1 2 3))", "3"), ("(take '(1 2 3 4) 2)", "(1 2)"), ("(drop '(1 2 3 4) 2)", "(3 4)"),
    ("(take '(1 2) 0)", "()"), ("(take-right '(1 2 3 4) 1)", "(4)"),
    ("(drop-right '(1 2 3 4) 1)", "(1 2 3)"),
    ("(take-while odd? '(1 3 4 5))", "(1 3)"), ("(drop-while odd? '(1 3 4 5))", "(4 5)"),
    ("(list-index even? '(1 3 4))", "2"), ("(list-index even? '(1 3))", "#f"),
    ("(concatenate '((1) (2 3) ()))", "(1 2 3)"), ("(concatenate '())", "()"),
    ("(append-reverse '(3 2 1) '(4 5))", "(1 2 3 4 5)"),
    ("(alist-copy '((a . 1)))", "((a . 1))"),
    ("(alist-delete 'a '((a . 1) (b . 2) (a . 3)))", "((b . 2))"),
    ("(alist-cons 'k 1 '())", "((k . 1))"),
    ("(lset-adjoin eq? '(a b) 'c 'a)", "(c a b)"),
    ("(lset-union eq? '(a b) '(b c))", "(c a b)"),
    ("(lset-intersection eq? '(a b c) '(b c d))", "(b c)"),
    ("(lset-difference eq? '(a b c) '(b))", "(a c)"),
    ("(unfold (lambda (x) (> x 3)) square (lambda (x) (+ x 1)) 1)", "(1 4 9)"),
    ("(unfold-right zero? square (lambda (x) (- x 1)) 3)", "(1 4 9)"),
    ("(list (length+ '(1 2)) (length+ (let ((l (list 1))) (set-cdr! l l) l)))", "(2 #f)"),
    ("(list (proper-list? '(1)) (dotted-list? '(1 . 2)) (circular-list? '(1)) "
     "(null-list? '()) (not-pair? 5))", "(#t #t #f #t #t)"),
    ("(list= eq? '(a b) '(a b) '(a b))", "#t"), ("(list= = '(1) '(1 2))", "#f"),
    ("(pair-fold cons '() '(1 2))", "((2) (1 2))"),
    ("(last-pair '(1 2 3))", "(3)"),
    ("(let ((acc '())) (pair-for-each (lambda (p) (set! acc (cons p acc))) '(1 2)) acc)",
     "((2) (1 2))"),
    ("(let ((acc '())) (map-in-order (lambda (x) (set! acc (cons x acc)) x) '(1 2 3)) acc)",
     "(3 2 1)"),
    ("(list (take! (list 1 2 3) 2) (drop-right! (list 1 2 3) 1) (append! (list 1) '() (list 2))"
     " (concatenate! (list (list 1) (list 2))) (reverse! (list 1 2 3)) (append-reverse! (list 2 1) '(3)))",
     "((1 2) (1 2) (1 2) (1 2) (3 2 1) (1 2 3))"),
    ("(list (append-map! list '(1 2)) (filter! odd? (list 1 2 3)) (remove! odd? (list 1 2 3))"
     " (delete! 1 (list 1 2 1)) (delete-duplicates! (list 1 1 2)) (take-while! odd? (list 1 2 3)))",
     "((1 2) (1 3) (2) (2) (1 2) (1))"),
    ("(alist-delete! 'a (list (cons 'a 1) (cons 'b 2)))", "((b . 2))"),
    ("(list (lset-union! eq? (list 'a) (list 'b)) (lset-intersection! eq? (list 'a 'b) '(b))"
     " (lset-difference! eq? (list 'a 'b) '(b)) (lset-xor! eq? (list 'a 'b) (list 'b 'c)))",
     "((b a) (b) (a) (a c))"),
    ("(list (circular-list? (circular-list 1)) (dotted-list? '(1)) (proper-list? (circular-list 1)))",
     "(#t #f #f)"),
    ("(list (sixth (iota 10)) (seventh (iota 10)) (eighth (iota 10)) (ninth (iota 10)))", "(5 6 7 8)"),
    ("(list (reduce-right + 0 '(1 2 3)) (pair-fold-right cons '() '(1 2)) (unzip1 '((1) (2))))",
     "(6 ((1 2) (2)) (1 2))"),
]

# procedures returning several values: their results as a list
MULTIPLE_VALUES = [
    ("(partition odd? '(1 2 3 4 5))", "((1 3 5) (2 4))"),
    ("(span odd? '(1 3 4 5))", "((1 3) (4 5))"),
    ("(break odd? '(2 4 5 6))", "((2 4) (5 6))"),
    ("(split-at '(1 2 3) 1)", "((1) (2 3))"),
    ("(car+cdr '(1 . 2))", "(1 2)"),
    ("(split-at! (list 1 2 3) 2)", "((1 2) (3))"),
    ("(partition! odd? (list 1 2 3))", "((1 3) (2))"),
    ("(span! odd? (list 1 3 4))", "((1 3) (4))"),
    ("(break! odd? (list 2 1))", "((2) (1))"),
    ("(unzip3 '((1 a x) (2 b y)))", "((1 2) (a b) (x y))"),
    ("(unzip4 '((1 2 3 4)))", "((1) (2) (3) (4))"),
    ("(unzip5 '((1 2 3 4 5)))", "((1) (2) (3) (4) (5))"),
    ("(lset-diff+intersection! eq? (list 'a 'b) '(b))", "((a) (b))"),
]

ERRORS = [
    ("(iota -1)", "error: iota: not a non-negative exact integer: -1"),
    ("(take '(1 2) 3)", "error: take: list too short: 3"),
    ("(drop '(1 2) 3)", "error: list-tail: index out of range: 3"),
    ("(null-list? 5)", "error: null-list?: not a list: 5"),
    ("(list-set! (list 1) 1 'x)", "error: list-set!: index out of range: 1"),
    ("(cadddr '(1 2))", "error: cadddr: not a pair: (1 2)"),
    ("(fifth '(1 2))", "error: list-ref: index out of range: 4"),
    ("(last '())", "error: last-pair: not a pair: ()"),
    ("(fold + 0 '(1 a))", "error: +: not a number: a"),
]


def test_values():
    check_values(VALUES)


def test_multiple_values():
    check_values([(f"(call-with-values (lambda () {expr}) list)", expected)
                  for expr, expected in MULTIPLE_VALUES])


def test_errors():
    check_errors(ERRORS)


def test_long_lists_in_constant_stack():
    assert out("""
      (define big (iota 100000))
      (write (list (length (filter odd? big)) (fold + 0 big) (fold-right + 0 big)
                   (reduce-right + 0 big) (length (append-map list big)) (last big)
                   (length (take big 99999)) (length (drop-right big 1)) (count odd? big)
                   (length (delete 5 big)) (every number? big) (any negative? big)
                   (length (cons* 1 2 big)) (length (list-tabulate 100000 values))
                   (list-index (lambda (x) (= x 99999)) big) (length (concatenate (list big big)))
                   (call-with-values (lambda () (partition odd? big))
                                     (lambda (a b) (+ (length a) (length b))))
                   (length (take-while number? big)) (length (filter-map values big))))""") \
        == ("(50000 4999950000 4999950000 4999950000 100000 99999 99999 99999 50000 99999 #t #f "
            "100002 100000 99999 200000 100000 100000 100000)")


def test_srfi1_zip_unzip_sets_and_circular_lists():
    text = """(import (scheme base) (scheme write) (srfi 1))
    (write (list (zip '(1 2) '(a b)) (lset<= eq? '(a) '(a b)) (lset<= eq? '(a c) '(a b))
                 (lset= eq? '(a b) '(b a)) (lset-xor eq? '(a b) '(b c))
                 (pair-fold-right cons '() '(1 2 3)) (unzip1 '((1) (2)))
                 (car (cdr (cdr (circular-list 1 2))))))
    (call-with-values (lambda () (unzip2 '((1 a) (2 b)))) (lambda (x y) (write (list x y))))
    (call-with-values (lambda () (lset-diff+intersection eq? '(a b c) '(b)))
                      (lambda (d i) (write (list d i))))"""
    r = run_scheme(text)
    assert r.err == ""
    assert r.out == ("(((1 a) (2 b)) #t #f #t (a c) ((1 2 3) (2 3) (3)) (1 2) 1)"
                     "((1 2) (a b))((a c) (b))")
