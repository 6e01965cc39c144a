"""(scheme complex): rectangular and polar construction and access. Complex
numbers with a non-zero imaginary part are inexact in hawk (R7RS allows
it, as Chibi does); a zero exact imaginary part gives back the real."""
from __future__ import annotations

from tables import check_errors, check_values

VALUES = [
    ("(make-rectangular 1 2)", "1.0+2.0i"),
    ("(make-rectangular 1.5 0)", "1.5"),
    ("(make-rectangular 3 -4.5)", "3.0-4.5i"),
    ("(list (real-part 1+2i) (imag-part 1+2i))", "(1.0 2.0)"),
    ("(list (real-part 3) (imag-part 3) (imag-part 2.5))", "(3 0 0)"),
    ("(magnitude 3+4i)", "5.0"),
    ("(list (magnitude -5) (magnitude 1/2) (magnitude -2.5))", "(5 1/2 2.5)"),
    ("(list (angle 1) (angle -1) (angle +i))", "(0 3.141592653589793 1.5707963267948966)"),
    ("(make-polar 2 0)", "2"),
    ("(make-polar 1 3.141592653589793)", "-1.0+1.2246467991473532e-16i"),
    ("(list (sqrt -4) (* +i +i) (+ 1+i 1-i))", "(+2.0i -1.0+0.0i 2.0+0.0i)"),
    ("(list (complex? 1+i) (real? 1+i) (number? -i) (exact? 1+i))", "(#t #f #t #f)"),
]

ERRORS = [
    ("(real-part 'x)", "error: real-part: not a number: x"),
    ("(make-rectangular 1 \"2\")", 'error: make-rectangular: not a number: "2"'),
    ("(magnitude)", "error: magnitude: wrong number of arguments (expected 1, got 0)"),
    ("(angle #t)", "error: angle: not a number: #t"),
    ("(make-polar 'r 1)", "error: make-polar: not a number: r"),
    ("(imag-part \"i\")", 'error: imag-part: not a number: "i"'),
]


def test_values():
    check_values(VALUES)


def test_errors():
    check_errors(ERRORS)
