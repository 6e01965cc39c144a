"""(scheme base), syntax and control: every binding and conditional form,
quasiquote, macros, records, parameters, continuations, dynamic-wind,
multiple values, and their syntax errors."""
from __future__ import annotations

from tables import check_errors, check_values

PRELUDE = """
(define-record-type point (make-point x y) point? (x point-x set-point-x!) (y point-y))
(define-values (q r) (floor/ 7 2))
(define-values (first . rest) (values 1 2 3))
(define-syntax swap! (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define-syntax my-if (syntax-rules (then else) ((_ c then t else e) (cond (c t) (else e)))))
(define radix (make-parameter 10 (lambda (x) (if (integer? x) x (error "bad radix" x)))))
(define trail '())
(define (note x) (set! trail (cons x trail)))
"""

VALUES = [
    ("(list (quote a) 'b '(1 . 2) '#(1) (if #f #f 'no) (if 0 'yes 'no))", "(a b (1 . 2) #(1) no yes)"),
    ("((lambda (a . b) (list a b)) 1 2 3)", "(1 (2 3))"),
    ("((lambda args args))", "()"),
    ("(let ((x 1)) (set! x 2) x)", "2"),
    ("(list (cond ((assv 2 '((1 . a) (2 . b))) => cdr) (else 'none)) (cond (#f 1)) (cond (5)))",
     "(b #<unspecified> 5)"),
    ("(list (case 3 ((1 2) 'low) ((3 4) 'mid) (else 'high)) (case 'z ((a) 1) (else => (lambda (x) x)))"
     " (case 2 ((2) => (lambda (x) (* x 10)))))", "(mid z 20)"),
    ("(list (and) (and 1 2) (and #f (car '())) (or) (or #f 3) (or 1 (car '())))", "(#t 2 #f #f 3 1)"),
    ("(list (when (> 1 0) 'a 'b) (unless (> 1 0) 'c) (unless #f 'd))", "(b #<unspecified> d)"),
    ("(list (let () 5) (let ((x 1) (y 2)) (+ x y)) (let* ((x 1) (y (+ x 1))) y))", "(5 3 2)"),
    ("(let loop ((i 0) (acc '())) (if (= i 3) acc (loop (+ i 1) (cons i acc))))", "(2 1 0)"),
    ("(letrec ((even? (lambda (n) (if (= n 0) #t (odd? (- n 1))))) (odd? (lambda (n) (if (= n 0) #f (even? (- n 1)))))) (even? 100))",
     "#t"),
    ("(letrec* ((a 1) (b (+ a 1))) (list a b))", "(1 2)"),
    ("(let-values (((a b) (values 1 2)) ((c . d) (values 3 4 5))) (list a b c d))", "(1 2 3 (4 5))"),
    ("(let ((a 'outer)) (let*-values (((a) (values 1)) ((b) (values a))) (list a b)))", "(1 1)"),
    ("(list q r first rest)", "(3 1 1 (2 3))"),
    ("(do ((i 0 (+ i 1)) (acc '() (cons i acc))) ((= i 3) acc))", "(2 1 0)"),
    ("(let ((x 1) (y 2)) (swap! x y) (list x y))", "(2 1)"),
    ("(let ((tmp 5) (other 6)) (swap! tmp other) (list tmp other))", "(6 5)"),
    ("(list (my-if #t then 1 else 2) (let ((else #f)) (cond (else 'shadowed) (#t 'kept))))", "(1 kept)"),
    ("(let-syntax ((foo (syntax-rules () ((_ x) (* x 2))))) (foo 21))", "42"),
    ("(letrec-syntax ((ev? (syntax-rules () ((_) #t) ((_ x . r) (od? . r)))) (od? (syntax-rules () ((_) #f) ((_ x . r) (ev? . r))))) (ev? 1 2 3 4))",
     "#t"),
    ("(let-syntax ((dots (syntax-rules () ((_ (a b ...) ...) '((b ... a) ...))))) (dots (1 2 3) (4)))",
     "((2 3 1) (4))"),
    ("(list `(1 ,(+ 1 1) ,@(list 3 4)) `#(a ,(car '(b))) `(x `(y ,(z ,(+ 1 2)))) `(1 . ,(+ 1 1)))",
     "((1 2 3 4) #(a b) (x (quasiquote (y (unquote (z 3))))) (1 . 2))"),
    ("(list (quasiquote (a (unquote (+ 1 2)))) (let ((unquote-splicing 1)) unquote-splicing))", "((a 3) 1)"),
    ("(let ((p (make-point 1 2))) (set-point-x! p 10) (list (point? p) (point? 5) (point-x p) (point-y p)))",
     "(#t #f 10 2)"),
    ("(list (radix) (parameterize ((radix 2)) (radix)) (radix))", "(10 2 10)"),
    ("(let ((p (make-parameter 1 (lambda (x) (* x 2))))) (list (p) (parameterize ((p 5)) (p))))", "(2 10)"),
    ("(list (call/cc (lambda (k) (+ 1 (k 42)))) (call-with-current-continuation procedure?))", "(42 #t)"),
    ("(let ((k2 #f) (n 0)) (call/cc (lambda (k) (set! k2 k))) (set! n (+ n 1)) (if (< n 3) (k2 'again)) n)", "3"),
    ("(begin (dynamic-wind (lambda () (note 'in)) (lambda () (call/cc (lambda (k) (k 1))) (note 'body)) (lambda () (note 'out))) (reverse trail))",
     "(in body out)"),
    ("(list (call-with-values (lambda () (values 1 2)) +) (call-with-values values list) (+ (values 5)))",
     "(3 () 5)"),
    ("(list (procedure? car) (procedure? 'car) (procedure? (lambda () 1)) (procedure? radix))", "(#t #f #t #t)"),
    ("(list (eq? 'a 'a) (eq? '() '()) (eqv? 1.0 1.0) (eqv? 1 1.0) (eqv? \"\" \"\") (equal? \"ab\" \"ab\")"
     " (equal? #(1 (2)) #(1 (2))) (eqv? +nan.0 +nan.0) (eqv? 0.0 -0.0))", "(#t #t #t #f #f #t #t #t #f)"),
    ("(list (not #f) (not 0) (boolean? #f) (boolean? '()) (boolean=? #t #t #t) (boolean=? #f #t))",
     "(#t #f #t #f #t #f)"),
    ("(let ((x 1)) (define y 2) (define (f) (* x y)) (f))", "2"),
    ("(list (pair? (features)) (pair? (memq 'r7rs (features))))", "(#t #t)"),
    ("(cond-expand ((and r7rs (not no-such-feature)) 'yes) (else 'no))", "yes"),
    ("(cond-expand ((library (scheme base)) 'have) (else 'missing))", "have"),
]

ERRORS = [
    ("(if)", "syntax error: malformed if"),
    ("(let ((x)) x)", "t.scm:2:9: syntax error: malformed let"),
    ("(lambda (x x) x)", "syntax error: duplicate variable x in lambda"),
    ("(let-syntax ((two (syntax-rules () ((_ a b) 0)))) (two 1))",
     "t.scm:2:53: syntax error: no syntax-rules pattern of macro two matches this use: (two 1)"),
    ("(syntax-error \"custom message\" 42)", "syntax error: custom message: 42"),
    ("(quasiquote)", "syntax error: malformed quasiquote"),
    ("(unquote 1)", "syntax error: misplaced auxiliary keyword unquote"),
    # accessors and modifiers name themselves and are located at the call
    ("(point-x 5)", "error: point-x: not a record of type point: 5"),
    ("(set-point-x! 'p 1)", "error: set-point-x!: not a record of type point: p"),
    ("(list (point-y (make-point 1 2)) (point-y 'q))",
     "t.scm:2:36: error: point-y: not a record of type point: q"),
    ("(make-point 1)", "error: make-point: wrong number of arguments (expected 2, got 1)"),
    ("(radix 'x)", "error: bad radix: x"),
    ("(call-with-values (lambda () (values 1 2)) car)",
     "error: car: wrong number of arguments (expected 1, got 2)"),
]


def test_values():
    check_values(VALUES, PRELUDE)


def test_errors():
    check_errors(ERRORS, PRELUDE)
