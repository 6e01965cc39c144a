"""hawk.vm.arith: the numeric tower on tagged words, checked against
Python's own int/Fraction/float arithmetic."""
import math
import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hawk.errors import SchemeError
from hawk.vm import arith
from hawk.vm import values as V
from hawk.vm.state import State

vm = State()
num = vm.data.number
val = vm.data.number_value

FIX_MIN, FIX_MAX = V.FIXNUM_MIN, V.FIXNUM_MAX
boundary_ints = st.sampled_from([FIX_MIN, FIX_MIN + 1, FIX_MAX - 1, FIX_MAX, -1, 0, 1,
                                 FIX_MAX + 1, FIX_MIN - 1, 2 ** 64, -(2 ** 64)])
ints = st.one_of(st.integers(), st.integers(min_value=-2 ** 130, max_value=2 ** 130), boundary_ints)
fractions = st.builds(Fraction, ints, st.integers(min_value=1, max_value=2 ** 70))
exacts = st.one_of(ints, fractions)
floats = st.floats(allow_nan=False, allow_infinity=False)


def is_normalised(w, x):
    """Exact results are fixnums exactly when they fit."""
    if isinstance(x, int) or (isinstance(x, Fraction) and x.denominator == 1):
        return ((w & 7) == 0) == V.fits_fixnum(int(x))
    return True


@settings(max_examples=300)
@given(exacts, exacts)
def test_exact_operations_match_fractions(x, y):
    a, b = num(x), num(y)
    for op, expected in [(arith.add, x + y), (arith.sub, x - y), (arith.mul, x * y)]:
        w = op(vm, a, b)
        assert val(w) == expected
        assert type(val(w)) is (int if Fraction(expected).denominator == 1 else Fraction)
        assert is_normalised(w, expected)
    if y != 0:
        w = arith.div(vm, a, b)
        assert val(w) == Fraction(x) / Fraction(y)
        assert is_normalised(w, Fraction(x) / Fraction(y))
    assert arith.lt(vm, a, b) == (x < y)
    assert arith.le(vm, a, b) == (x <= y)
    assert arith.num_eq(vm, a, b) == (x == y)


@given(ints, ints)
def test_integer_division_matches_python(x, y):
    a, b = num(x), num(y)
    if y == 0:
        for op in (arith.quotient, arith.remainder, arith.modulo):
            with pytest.raises(SchemeError, match="division by zero"):
                op(vm, a, b)
        return
    q = val(arith.quotient(vm, a, b))
    r = val(arith.remainder(vm, a, b))
    assert q * y + r == x and abs(r) < abs(y) and (r == 0 or (r < 0) == (x < 0))
    assert val(arith.modulo(vm, a, b)) == x % y


def test_fixnum_overflow_becomes_bignum_and_back():
    big = arith.add(vm, num(FIX_MAX), num(1))
    assert (big & 7) != 0 and val(big) == FIX_MAX + 1
    assert arith.sub(vm, big, num(1)) == V.fixnum(FIX_MAX)
    assert val(arith.sub(vm, num(FIX_MIN), num(1))) == FIX_MIN - 1
    assert val(arith.mul(vm, num(FIX_MIN), num(-1))) == -FIX_MIN
    assert val(arith.neg(vm, num(FIX_MIN))) == -FIX_MIN
    assert val(arith.quotient(vm, num(FIX_MIN), num(-1))) == -FIX_MIN
    assert arith.div(vm, num(FIX_MIN), num(FIX_MIN)) == V.fixnum(1)


@given(exacts, floats)
def test_exact_with_inexact_is_inexact(x, f):
    for a, b in [(num(x), num(f)), (num(f), num(x))]:
        for op in (arith.add, arith.sub, arith.mul):
            assert isinstance(val(op(vm, a, b)), float)


def test_huge_exact_with_float_overflows_to_infinity():
    assert val(arith.add(vm, num(10 ** 400), num(1.0))) == math.inf
    assert val(arith.mul(vm, num(-10 ** 400), num(2.0))) == -math.inf
    # comparisons stay exact even where floats would round
    assert arith.lt(vm, num(2 ** 53 + 1), num(float(2 ** 53 + 1))) is False
    assert arith.lt(vm, num(float(2 ** 53)), num(2 ** 53 + 1)) is True
    assert arith.lt(vm, num(10 ** 400), num(math.inf))


@given(floats, floats)
def test_flonum_operations_match_python(x, y):
    a, b = num(x), num(y)
    assert val(arith.add(vm, a, b)) == x + y
    assert val(arith.mul(vm, a, b)) == x * y
    assert arith.lt(vm, a, b) == (x < y)


def test_division_by_zero():
    with pytest.raises(SchemeError, match=r"^/: division by zero"):
        arith.div(vm, num(1), num(0))
    with pytest.raises(SchemeError, match=r"^/: division by zero"):
        arith.div(vm, num(Fraction(1, 3)), num(0))
    assert val(arith.div(vm, num(1.0), num(0))) == math.inf
    assert val(arith.div(vm, num(-1), num(0.0))) == -math.inf
    assert val(arith.div(vm, num(1.0), num(-0.0))) == -math.inf
    assert math.isnan(val(arith.div(vm, num(0.0), num(0.0))))
    assert val(arith.div(vm, num(1), num(3))) == Fraction(1, 3)


def test_nan_comparisons_are_false():
    nan = num(math.nan)
    for a, b in [(nan, nan), (nan, num(1)), (num(1), nan), (num(Fraction(1, 2)), nan)]:
        assert not arith.lt(vm, a, b)
        assert not arith.le(vm, a, b)
        assert not arith.num_eq(vm, a, b)


def test_complex():
    z = arith.add(vm, num(1), num(2j))
    assert val(z) == 1 + 2j
    assert val(arith.mul(vm, z, z)) == (1 + 2j) ** 2
    assert arith.num_eq(vm, num(complex(2, 0)), num(2))
    with pytest.raises(SchemeError, match=r"^<: not a real number"):
        arith.lt(vm, z, num(1))


def test_integer_division_with_flonum_integers():
    w = arith.quotient(vm, num(7.0), num(2))
    assert val(w) == 3.0 and isinstance(val(w), float)
    assert val(arith.modulo(vm, num(-7), num(2.0))) == 1.0
    assert val(arith.remainder(vm, num(-7.0), num(2))) == -1.0
    with pytest.raises(SchemeError, match=r"^quotient: not an integer"):
        arith.quotient(vm, num(7.5), num(2))
    with pytest.raises(SchemeError, match=r"^modulo: not an integer"):
        arith.modulo(vm, num(Fraction(1, 2)), num(2))


def test_non_numbers_are_errors():
    sym = vm.data.intern("x")
    for op, name in [(arith.add, "+"), (arith.sub, "-"), (arith.mul, "*"), (arith.div, "/")]:
        with pytest.raises(SchemeError, match="^" + re.escape(name) + ": not a number") as e:
            op(vm, num(1), sym)
        assert e.value.irritants == [sym]
    with pytest.raises(SchemeError, match="^-: not a number"):
        arith.neg(vm, V.NIL)
    with pytest.raises(SchemeError, match="^>: not a number"):
        arith.lt(vm, V.TRUE, num(1), ">")
