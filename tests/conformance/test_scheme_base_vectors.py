"""(scheme base), vectors and bytevectors: construction, access, copying
with ranges (overlapping too), filling, conversion, map/for-each."""
from __future__ import annotations

from tables import check_errors, check_values

PRELUDE = "(define v (vector 1 2 3 4 5)) (define b (bytevector 1 2 3 4 5))"

VALUES = [
    ("(list (vector? #(1)) (vector? '(1)) (vector) (vector 'a \"b\") (make-vector 2 0) (vector-length (make-vector 3)))",
     '(#t #f #() #(a "b") #(0 0) 3)'),
    ("(list (vector-ref v 0) (vector-ref v 4) (vector-length #()))", "(1 5 0)"),
    ("(let ((x (vector 1 2))) (vector-set! x 0 'z) x)", "#(z 2)"),
    ("(list (vector->list v) (vector->list v 3) (vector->list v 1 2) (list->vector '(a b)) (list->vector '()))",
     "((1 2 3 4 5) (4 5) (2) #(a b) #())"),
    ("(list (vector-copy v 3) (vector-copy v 1 3) (vector-copy #()) (eq? v (vector-copy v)))",
     "(#(4 5) #(2 3) #() #f)"),
    ("(let ((x (vector-copy v))) (vector-copy! x 1 x 0 3) x)", "#(1 1 2 3 5)"),
    ("(let ((x (vector-copy v))) (vector-copy! x 0 #(a b) 1) x)", "#(b 2 3 4 5)"),
    ("(list (vector-append) (vector-append #(1) #() #(2 3)))", "(#() #(1 2 3))"),
    ("(let ((x (vector-copy v))) (vector-fill! x 0 3) (vector-fill! x 'f 0 1) x)", "#(f 2 3 0 0)"),
    ("(list (vector-map + #(1 2) #(10 20 30)) (vector-map car #()))", "(#(11 22) #())"),
    ("(let ((n 0)) (vector-for-each (lambda (x y) (set! n (+ n (* x y)))) #(1 2) #(3 4)) n)", "11"),
    ("(list (bytevector? b) (bytevector? #(1)) (bytevector) (make-bytevector 2 255) (bytevector-length (make-bytevector 3)))",
     "(#t #f #u8() #u8(255 255) 3)"),
    ("(let ((x (bytevector 1 2))) (bytevector-u8-set! x 1 200) (list x (bytevector-u8-ref x 0)))",
     "(#u8(1 200) 1)"),
    ("(list (bytevector-copy b 3) (bytevector-copy b 1 2) (bytevector-append #u8(1) #u8() #u8(2)))",
     "(#u8(4 5) #u8(2) #u8(1 2))"),
    ("(let ((x (bytevector-copy b))) (bytevector-copy! x 2 x 0 3) x)", "#u8(1 2 1 2 3)"),
]

ERRORS = [
    ("(vector-ref #(1 2) 2)", "error: vector-ref: index out of range: 2 #(1 2)"),
    ("(vector-ref '(1) 0)", "error: vector-ref: not a vector: (1)"),
    ("(vector-ref (vector 1) 1.0)", "error: vector-ref: index is not a fixnum: 1.0"),
    ("(make-vector -1)", "error: make-vector: not a non-negative exact integer: -1"),
    ("(vector-copy #(1 2) 1 3)", "error: vector-copy: bad range: 1 3"),
    ("(vector-copy! (vector 1) 0 #(1 2))", "error: vector-copy!: not enough room in the destination: 0"),
    ("(list->vector '(1 . 2))", "error: list->vector: not a proper list: (1 . 2)"),
    ("(bytevector 256)", "error: bytevector: not a byte: 256"),
    ("(bytevector-u8-ref #u8(1) 1)", "error: bytevector-u8-ref: index out of range: 1"),
    ("(bytevector-u8-set! (bytevector 1) 0 -1)", "error: bytevector-u8-set!: not a byte: -1"),
    ("(make-bytevector 2 'x)", "error: make-bytevector: not a byte: x"),
    ("(bytevector-append #u8() #(1))", "error: bytevector-append: not a bytevector: #(1)"),
]


def test_values():
    check_values(VALUES, PRELUDE)


def test_errors():
    check_errors(ERRORS)
