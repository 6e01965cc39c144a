"""Generic arithmetic on tagged words: the numeric tower's one home.

Why: the interpreter's arithmetic opcodes handle fixnum+fixnum inline and
call these functions for everything else; the number primitives
(hawk.vm.prims.numbers) call them too, so exactness and error rules live in
one place. Each operation tries the common cases on raw words first (two
fixnums, then two flonums via the F64 view) and otherwise converts to
Python numbers (int, Fraction, float, complex), computes, and converts back
with Data.number, which normalises (an integral ratio or a small bignum
becomes a fixnum).

Rules (R7RS): exact op inexact is inexact; exact division by exact zero is
an error while inexact division follows IEEE (inf/nan); comparisons are
exact (Python compares int/Fraction with float exactly) and false on NaN.
hawk has no exact complex numbers, so complex values are always inexact.
"""
from __future__ import annotations

import math
import operator
from fractions import Fraction

from hawk.errors import SchemeError
from hawk.vm.values import WORD_MAX, WORD_MIN

EXACT = (int, Fraction)
INEXACT = (float, complex)


# ---- conversions and argument checks ---------------------------------------

def to_float(x) -> float:
    """Inexact version of a real; an exact too large becomes an infinity."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def inexact(x):
    """Inexact version of any number (complex stays complex)."""
    return x if isinstance(x, INEXACT) else to_float(x)


def number(vm, w: int, name: str):
    """The Python number of `w`, or a "<name>: not a number" error."""
    x = vm.data.number_value(w)
    if x is None:
        raise SchemeError(f"{name}: not a number", [w])
    return x


def real(vm, w: int, name: str):
    x = number(vm, w, name)
    if isinstance(x, complex):
        raise SchemeError(f"{name}: not a real number", [w])
    return x


def integer(vm, w: int, name: str) -> tuple[int, bool]:
    """(value, inexact?) of an integer argument; integral flonums allowed."""
    x = number(vm, w, name)
    if isinstance(x, int):
        return x, False
    if isinstance(x, float) and x.is_integer():
        return int(x), True
    raise SchemeError(f"{name}: not an integer", [w])


def _contagion(x, y):
    """Make an exact/inexact pair both inexact (Python would overflow when
    mixing a huge int with a float)."""
    if isinstance(x, INEXACT):
        if isinstance(y, EXACT):
            y = to_float(y)
    elif isinstance(y, INEXACT):
        x = to_float(x)
    return x, y


def _generic(vm, a: int, b: int, name: str, op) -> int:
    x, y = _contagion(number(vm, a, name), number(vm, b, name))
    return vm.data.number(op(x, y))


def _is_flonum_pair(a: int, b: int) -> bool:
    return ((a ^ 2) | (b ^ 2)) & 7 == 0


# ---- the four operations ------------------------------------------------------

def add(vm, a: int, b: int) -> int:
    if (a | b) & 7 == 0:
        s = a + b
        return s if WORD_MIN <= s <= WORD_MAX else vm.data.integer(s >> 3)
    if _is_flonum_pair(a, b):
        F = vm.mem.F64
        return vm.data.flonum(F[(a >> 3) + 1] + F[(b >> 3) + 1])
    return _generic(vm, a, b, "+", operator.add)


def sub(vm, a: int, b: int) -> int:
    if (a | b) & 7 == 0:
        s = a - b
        return s if WORD_MIN <= s <= WORD_MAX else vm.data.integer(s >> 3)
    if _is_flonum_pair(a, b):
        F = vm.mem.F64
        return vm.data.flonum(F[(a >> 3) + 1] - F[(b >> 3) + 1])
    return _generic(vm, a, b, "-", operator.sub)


def mul(vm, a: int, b: int) -> int:
    if (a | b) & 7 == 0:
        p = (a >> 3) * b
        return p if WORD_MIN <= p <= WORD_MAX else vm.data.integer(p >> 3)
    if _is_flonum_pair(a, b):
        F = vm.mem.F64
        return vm.data.flonum(F[(a >> 3) + 1] * F[(b >> 3) + 1])
    return _generic(vm, a, b, "*", operator.mul)


def neg(vm, a: int) -> int:
    if (a & 7) == 0 and a != WORD_MIN:
        return -a
    return vm.data.number(-number(vm, a, "-"))


def ieee_divide(x, y):
    """x / y for inexact operands, with IEEE results for a zero divisor."""
    try:
        return x / y
    except ZeroDivisionError:
        if isinstance(x, complex):
            return complex(ieee_divide(x.real, y), ieee_divide(x.imag, y))
        if x == 0 or math.isnan(x):
            return math.nan
        return math.copysign(math.inf, x) * math.copysign(1.0, y)


def div(vm, a: int, b: int) -> int:
    if (a | b) & 7 == 0 and b != 0 and a % b == 0:
        return vm.data.integer(a // b)
    if _is_flonum_pair(a, b):
        F = vm.mem.F64
        return vm.data.flonum(ieee_divide(F[(a >> 3) + 1], F[(b >> 3) + 1]))
    x, y = _contagion(number(vm, a, "/"), number(vm, b, "/"))
    if isinstance(x, INEXACT):
        return vm.data.number(ieee_divide(x, y))
    if y == 0:
        raise SchemeError("/: division by zero", [a])
    return vm.data.number(Fraction(x, y))


# ---- integer division ------------------------------------------------------------

def truncate_quotient_int(x: int, y: int) -> int:
    q = abs(x) // abs(y)
    return q if (x ^ y) >= 0 else -q


def truncate_remainder_int(x: int, y: int) -> int:
    return x - y * truncate_quotient_int(x, y)


def integer_division(vm, a: int, b: int, name: str, op) -> int:
    """`op` (a Python function on ints) applied to two integer arguments;
    the result is inexact if either argument is."""
    if (a | b) & 7 == 0 and b != 0:
        return vm.data.integer(op(a >> 3, b >> 3))
    x, x_inexact = integer(vm, a, name)
    y, y_inexact = integer(vm, b, name)
    if y == 0:
        raise SchemeError(f"{name}: division by zero", [a])
    r = op(x, y)
    return vm.data.flonum(float(r)) if x_inexact or y_inexact else vm.data.integer(r)


def quotient(vm, a: int, b: int) -> int:
    return integer_division(vm, a, b, "quotient", truncate_quotient_int)


def remainder(vm, a: int, b: int) -> int:
    return integer_division(vm, a, b, "remainder", truncate_remainder_int)


def modulo(vm, a: int, b: int) -> int:
    return integer_division(vm, a, b, "modulo", operator.mod)


# ---- comparison -------------------------------------------------------------------

def lt(vm, a: int, b: int, name: str = "<") -> bool:
    if (a | b) & 7 == 0:
        return a < b
    if _is_flonum_pair(a, b):
        F = vm.mem.F64
        return F[(a >> 3) + 1] < F[(b >> 3) + 1]
    return real(vm, a, name) < real(vm, b, name)


def le(vm, a: int, b: int, name: str = "<=") -> bool:
    if (a | b) & 7 == 0:
        return a <= b
    if _is_flonum_pair(a, b):
        F = vm.mem.F64
        return F[(a >> 3) + 1] <= F[(b >> 3) + 1]
    return real(vm, a, name) <= real(vm, b, name)


def num_eq(vm, a: int, b: int, name: str = "=") -> bool:
    if (a | b) & 7 == 0:
        return a == b
    if _is_flonum_pair(a, b):
        F = vm.mem.F64
        return F[(a >> 3) + 1] == F[(b >> 3) + 1]
    return number(vm, a, name) == number(vm, b, name)
