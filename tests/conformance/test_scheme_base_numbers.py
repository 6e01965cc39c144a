"""(scheme base), numbers: arithmetic across fixnums, bignums, rationals and
flonums, exactness, integer division families, comparisons, and the
number <-> string conversions. (Property tests against Python's fractions
and the radix round trip are in test_scheme_base_numbers_properties.py.)"""
from __future__ import annotations

from tables import check_errors, check_values

BIG = "1152921504606846976"          # 2^60: past the fixnum range

VALUES = [
    ("(list (+) (+ 1 2 3) (+ 1/2 1/2) (+ 1 0.5) (+ 2305843009213693951 1))",
     "(0 6 1 1.5 2305843009213693952)"),
    ("(list (*) (* 2 3 4) (* 1/3 3) (* 1.5 2) (* 0 +inf.0))", "(1 24 1 3.0 +nan.0)"),
    ("(list (- 5) (- 5 1 1) (- 1/2) (- 0.0) (- -2305843009213693952))",
     "(-5 3 -1/2 -0.0 2305843009213693952)"),
    ("(list (/ 2) (/ 6 4) (/ 6 3) (/ 1.0 4) (/ 1 2 2))", "(1/2 3/2 2 0.25 1/4)"),
    ("(list (= 1 1.0 1) (= 1/2 0.5) (< 1 2 3) (< 1 3 2) (> 3 2 1) (<= 1 1 2) (>= 2 2 3))",
     "(#t #t #t #f #t #t #f)"),
    ("(list (= +nan.0 +nan.0) (< 1 +inf.0) (< -inf.0 " + BIG + "))", "(#f #t #t)"),
    ("(list (abs -7) (abs 7/2) (abs -0.5) (abs -" + BIG + "))", "(7 7/2 0.5 " + BIG + ")"),
    ("(list (max 1 2 3) (max 1 2.0) (min 1 2 3) (min 1/2 1/3))", "(3 2.0 1 1/3)"),
    ("(list (quotient 17 5) (remainder 17 5) (modulo 17 5))", "(3 2 2)"),
    ("(list (quotient -17 5) (remainder -17 5) (modulo -17 5) (modulo 17 -5))", "(-3 -2 3 -3)"),
    ("(call-with-values (lambda () (floor/ -7 2)) list)", "(-4 1)"),
    ("(call-with-values (lambda () (truncate/ -7 2)) list)", "(-3 -1)"),
    ("(list (floor-quotient 7 -2) (floor-remainder 7 -2))", "(-4 -1)"),
    ("(list (truncate-quotient 7 -2) (truncate-remainder 7 -2))", "(-3 1)"),
    ("(list (floor-quotient 7.0 2) (modulo -7.0 2))", "(3.0 1.0)"),
    ("(list (gcd) (gcd 12 18) (gcd -4 6) (lcm) (lcm 4 6) (lcm -3 4))", "(0 6 2 1 12 12)"),
    ("(list (numerator 6/4) (denominator 6/4) (denominator 5) (numerator 0.5) (denominator 0.5))",
     "(3 2 1 1.0 2.0)"),
    ("(list (floor 2.5) (ceiling 2.5) (truncate -2.5) (round 2.5) (round 3.5) (round -2.5))",
     "(2.0 3.0 -2.0 2.0 4.0 -2.0)"),
    ("(list (floor 7/2) (ceiling 7/2) (truncate -7/2) (round 7/2) (round 5))", "(3 4 -3 4 5)"),
    ("(list (rationalize 1/3 1/100) (rationalize .3 1/10))", "(1/3 0.3333333333333333)"),
    ("(list (exact 2.5) (exact 2.0) (inexact 1/4) (exact 7) (inexact " + BIG + "))",
     "(5/2 2 0.25 7 1.152921504606847e+18)"),
    ("(list (exact? 1/2) (exact? 0.5) (inexact? 0.5) (exact-integer? 5) (exact-integer? 5.0))",
     "(#t #f #t #t #f)"),
    ("(list (number? 1) (complex? 1/2) (real? 1.5) (rational? 1/2) (rational? +inf.0)"
     " (integer? 2.0) (integer? 5/2) (number? 'a))", "(#t #t #t #t #f #t #f #f)"),
    ("(list (zero? 0) (zero? -0.0) (positive? 1) (positive? 0) (negative? -1/2)"
     " (odd? 3) (even? 0) (even? " + BIG + "))", "(#t #t #t #f #t #t #t #t)"),
    ("(list (square 5) (square 1/2) (square -1.5) (expt 2 10) (expt 2 -2) (expt 4 1/2)"
     " (expt 2.0 3) (expt 0 0))", "(25 1/4 2.25 1024 1/4 2.0 8.0 1)"),
    ("(call-with-values (lambda () (exact-integer-sqrt 17)) list)", "(4 1)"),
    ("(call-with-values (lambda () (exact-integer-sqrt 0)) list)", "(0 0)"),
    ("(list (number->string 255 16) (number->string -10 2) (number->string 1/3 2)"
     " (number->string 1.5) (number->string 7))", '("ff" "-1010" "1/11" "1.5" "7")'),
    ("(list (string->number \"ff\" 16) (string->number \"#b101\") (string->number \"1/2\")"
     " (string->number \"1e3\") (string->number \"abc\") (string->number \"\"))",
     "(255 5 1/2 1000.0 #f #f)"),
    ("(list (string->number \"+inf.0\") (string->number \"-5\" 8) (string->number \"#e1.5\")"
     " (string->number \"#i1/2\"))", "(+inf.0 -5 3/2 0.5)"),
]

ERRORS = [
    ("(+ 1 'a)", "error: +: not a number: a"),
    ("(- \"5\" 1)", 'error: -: not a number: "5"'),
    ("(- \"5\")", 'error: -: not a number: "5"'),
    ("(let loop ((i 0)) (if (< i 9) (loop (+ i (- -1))) (- 'x)))", "t.scm:2:53: error: -: not a number: x"),
    ("(* 2 #t)", "error: *: not a number: #t"),
    ("(/ 5 0)", "error: /: division by zero: 5"),
    ("(< 1 'b)", "error: <: not a number: b"),
    ("(quotient 1 0)", "error: quotient: division by zero: 1"),
    ("(modulo 1.5 1)", "error: modulo: not an integer: 1.5"),
    ("(floor/ 1 0)", "error: floor/: division by zero: 1"),
    ("(exact +inf.0)", "error: exact: no exact representation: +inf.0"),
    ("(exact-integer-sqrt -1)", "error: exact-integer-sqrt: not a non-negative exact integer: -1"),
    ("(number->string 10 37)", "error: number->string: radix must be 2, 8, 10 or 16: 37"),
    ("(string->number 'a)", "error: string->number: not a string: a"),
    ("(odd? 1.5)", "error: odd?: not an integer: 1.5"),
    ("(abs)", "error: abs: wrong number of arguments (expected 1, got 0)"),
    ("(gcd 1/2 1)", "error: gcd: not an integer: 1/2"),
    ("(max 'x)", "error: max: not a number: x"),
]


def test_values():
    check_values(VALUES)


def test_errors():
    check_errors(ERRORS)
