"""Number primitives (R7RS 6.2) over the tower in hawk.vm.arith.

Why tables: most of these procedures are one rule applied under several
names (folds, comparison chains, predicates, rounding, integer divisions,
transcendental functions), so each family is one table and one factory;
the odd ones out are written individually below.

hawk has no exact complex numbers: a complex result is always inexact.
"""
from __future__ import annotations

import cmath
import math
import operator
from fractions import Fraction

from hawk.errors import SchemeError
from hawk.frontend.printer import write_string
from hawk.frontend.reader import parse_number
from hawk.vm import arith
from hawk.vm import values as V
from hawk.vm.arith import EXACT, INEXACT, inexact, integer, number, real, to_float
from hawk.vm.bytecode import Op
from hawk.vm.objects import T
from hawk.vm.primspec import primitive
from hawk.vm.prims.common import string_value

ONE = V.fixnum(1)


# ---- + - * / -----------------------------------------------------------------------

def _checked(name):
    def one(vm, w):
        number(vm, w, name)
        return w
    return one


# name, binary operation, fewest arguments, opcode, result for no arguments,
# result for one argument
_FOLDS = [
    ("+", arith.add, 0, Op.ADD, 0, _checked("+")),
    ("*", arith.mul, 0, Op.MUL, ONE, _checked("*")),
    ("-", arith.sub, 1, Op.SUB, None, arith.neg),
    ("/", arith.div, 1, Op.DIV, None, lambda vm, w: arith.div(vm, ONE, w)),
]


def _make_fold(op, identity, unary):
    def fold(vm, *args):
        if not args:
            return identity
        acc = args[0]
        if len(args) == 1:
            return unary(vm, acc)
        for w in args[1:]:
            acc = op(vm, acc, w)
        return acc
    return fold


for _name, _op, _nmin, _opcode, _identity, _unary in _FOLDS:
    primitive(_name, _nmin, None, opcode=_opcode)(_make_fold(_op, _identity, _unary))


# ---- = < > <= >= ---------------------------------------------------------------------

# name, test, swap the operands?, argument check for a lone argument
_COMPARISONS = [
    ("=", arith.num_eq, False, number),
    ("<", arith.lt, False, real),
    (">", arith.lt, True, real),
    ("<=", arith.le, False, real),
    (">=", arith.le, True, real),
]


def _make_comparison(name, test, swap, check):
    def compare(vm, *args):
        if len(args) == 1:
            check(vm, args[0], name)
        result = True
        for a, b in zip(args, args[1:]):
            # no early exit: every argument still gets type-checked
            if not (test(vm, b, a, name) if swap else test(vm, a, b, name)):
                result = False
        return V.boolean(result)
    return compare


for _name, _test, _swap, _check in _COMPARISONS:
    primitive(_name, 1, None)(_make_comparison(_name, _test, _swap, _check))


# ---- integer division ----------------------------------------------------------------

_INTEGER_DIVISIONS = [
    ("quotient", arith.truncate_quotient_int, Op.QUO),
    ("remainder", arith.truncate_remainder_int, Op.REM),
    ("modulo", operator.mod, Op.MOD),
    ("truncate-quotient", arith.truncate_quotient_int, None),
    ("truncate-remainder", arith.truncate_remainder_int, None),
    ("floor-quotient", operator.floordiv, None),
    ("floor-remainder", operator.mod, None),
]


def _make_integer_division(name, op):
    def divide(vm, a, b):
        return arith.integer_division(vm, a, b, name, op)
    return divide


for _name, _op, _opcode in _INTEGER_DIVISIONS:
    primitive(_name, 2, opcode=_opcode)(_make_integer_division(_name, _op))

# the two-valued divisions: name, quotient, remainder (R7RS 6.2.6)
_DIVISION_PAIRS = [
    ("floor/", operator.floordiv, operator.mod),
    ("truncate/", arith.truncate_quotient_int, arith.truncate_remainder_int),
]


def _make_division_pair(name, quotient, remainder):
    def divide(vm, a, b):
        return vm.data.make(T.VALUES, [arith.integer_division(vm, a, b, name, quotient),
                                       arith.integer_division(vm, a, b, name, remainder)])
    return divide


for _name, _quotient, _remainder in _DIVISION_PAIRS:
    primitive(_name, 2, integrable=False)(_make_division_pair(_name, _quotient, _remainder))


# ---- predicates ---------------------------------------------------------------------

# type predicates: true or false for any object (x is None for non-numbers)
_TYPE_PREDICATES = [
    ("number?", lambda x: x is not None),
    ("complex?", lambda x: x is not None),
    ("real?", lambda x: x is not None and not isinstance(x, complex)),
    ("rational?", lambda x: isinstance(x, EXACT) or (isinstance(x, float) and math.isfinite(x))),
    ("integer?", lambda x: isinstance(x, int) or (isinstance(x, float) and x.is_integer())),
    ("exact-integer?", lambda x: isinstance(x, int)),
    ("exact-rational?", lambda x: isinstance(x, EXACT)),      # a hawk extra
]


def _make_type_predicate(test):
    def predicate(vm, w):
        return V.boolean(test(vm.data.number_value(w)))
    return predicate


for _name, _test in _TYPE_PREDICATES:
    primitive(_name, 1)(_make_type_predicate(_test))


def _integer_value(vm, w, name):
    return integer(vm, w, name)[0]


# tests of a number: name, argument conversion (also the check), test
_NUMBER_TESTS = [
    ("exact?", number, lambda x: isinstance(x, EXACT)),
    ("inexact?", number, lambda x: isinstance(x, INEXACT)),
    ("nan?", number, lambda x: isinstance(x, INEXACT) and cmath.isnan(x)),
    ("infinite?", number, lambda x: isinstance(x, INEXACT) and cmath.isinf(x)),
    ("finite?", number, lambda x: isinstance(x, EXACT) or cmath.isfinite(x)),
    ("zero?", number, lambda x: x == 0),
    ("positive?", real, lambda x: x > 0),
    ("negative?", real, lambda x: x < 0),
    ("odd?", _integer_value, lambda x: x & 1 == 1),
    ("even?", _integer_value, lambda x: x & 1 == 0),
]


def _make_number_test(name, convert, test):
    def predicate(vm, w):
        return V.boolean(test(convert(vm, w, name)))
    return predicate


for _name, _convert, _test in _NUMBER_TESTS:
    primitive(_name, 1)(_make_number_test(_name, _convert, _test))


# ---- abs min max gcd lcm -----------------------------------------------------------

@primitive("abs", 1)
def abs_(vm, w):
    if (w & 7) == 0 and w >= 0:
        return w
    return vm.data.number(abs(real(vm, w, "abs")))


def _make_extremum(name, pick):
    def extremum(vm, *args):
        xs = [real(vm, w, name) for w in args]
        if any(isinstance(x, float) for x in xs):
            xs = [to_float(x) for x in xs]
            if any(math.isnan(x) for x in xs):
                return vm.data.flonum(math.nan)
            return vm.data.flonum(pick(xs))
        return vm.data.number(pick(xs))
    return extremum


for _name, _pick in [("min", min), ("max", max)]:
    primitive(_name, 1, None)(_make_extremum(_name, _pick))


def _make_divisor_fold(name, fn):
    def fold(vm, *args):
        values = [integer(vm, w, name) for w in args]
        r = fn(*(x for x, _ in values))
        if any(is_inexact for _, is_inexact in values):
            return vm.data.flonum(float(r))
        return vm.data.integer(r)
    return fold


for _name, _fn in [("gcd", math.gcd), ("lcm", math.lcm)]:
    primitive(_name, 0, None)(_make_divisor_fold(_name, _fn))


# ---- rounding -------------------------------------------------------------------------

_ROUNDINGS = [("floor", math.floor), ("ceiling", math.ceil),
              ("round", round), ("truncate", math.trunc)]   # round: ties to even


def _make_rounding(name, fn):
    def rounding(vm, w):
        if (w & 7) == 0:
            return w
        x = real(vm, w, name)
        if isinstance(x, float):
            # the result has x's sign or is zero: copysign keeps -0.0
            return vm.data.flonum(math.copysign(float(fn(x)), x)) if math.isfinite(x) else w
        return vm.data.integer(fn(x))
    return rounding


for _name, _fn in _ROUNDINGS:
    primitive(_name, 1)(_make_rounding(_name, _fn))


# ---- exactness, numerator, denominator ---------------------------------------------

def _make_exact(name):
    def exact(vm, w):
        x = number(vm, w, name)
        if isinstance(x, EXACT):
            return w
        if isinstance(x, float) and math.isfinite(x):
            return vm.data.number(Fraction(x))
        raise SchemeError(f"{name}: no exact representation", [w])
    return exact


def _make_inexact(name):
    def inexact_(vm, w):
        x = number(vm, w, name)
        return w if isinstance(x, INEXACT) else vm.data.flonum(to_float(x))
    return inexact_


for _name in ("exact", "inexact->exact"):
    primitive(_name, 1)(_make_exact(_name))
for _name in ("inexact", "exact->inexact"):
    primitive(_name, 1)(_make_inexact(_name))


def _make_ratio_part(name, part):
    def ratio_part(vm, w):
        x = real(vm, w, name)
        if isinstance(x, float):
            if not math.isfinite(x):
                raise SchemeError(f"{name}: not a rational number", [w])
            return vm.data.flonum(float(part(Fraction(x))))
        return vm.data.integer(part(Fraction(x)))
    return ratio_part


for _name in ("numerator", "denominator"):
    primitive(_name, 1)(_make_ratio_part(_name, operator.attrgetter(_name)))


def simplest_rational(lo: Fraction, hi: Fraction) -> Fraction:
    """The rational with the smallest denominator in [lo, hi] (lo <= hi),
    by continued fractions."""
    if lo <= 0 <= hi:
        return Fraction(0)
    if hi < 0:
        return -simplest_rational(-hi, -lo)
    terms = []
    while True:
        whole = math.floor(lo)
        if whole == lo or whole + 1 <= hi:
            result = Fraction(whole if whole == lo else whole + 1)
            break
        terms.append(whole)
        lo, hi = 1 / (hi - whole), 1 / (lo - whole)
    for whole in reversed(terms):
        result = whole + 1 / result
    return result


@primitive("rationalize", 2, integrable=False)
def rationalize(vm, a, b):
    x, y = real(vm, a, "rationalize"), real(vm, b, "rationalize")
    if isinstance(x, float) or isinstance(y, float):
        x, y = to_float(x), to_float(y)
        if math.isnan(x) or math.isnan(y) or math.isinf(y):
            return vm.data.flonum(0.0 if math.isinf(y) and math.isfinite(x) else math.nan)
        if math.isinf(x):
            return vm.data.flonum(x)
        return vm.data.flonum(float(simplest_rational(Fraction(x) - abs(Fraction(y)),
                                                      Fraction(x) + abs(Fraction(y)))))
    return vm.data.number(simplest_rational(Fraction(x) - abs(Fraction(y)),
                                            Fraction(x) + abs(Fraction(y))))


# ---- roots, powers, transcendental functions ----------------------------------------

def _exact_root(x: Fraction) -> Fraction | None:
    """The exact square root of a non-negative rational, if it has one."""
    n, d = math.isqrt(x.numerator), math.isqrt(x.denominator)
    return Fraction(n, d) if n * n == x.numerator and d * d == x.denominator else None


def _big_sqrt(f: Fraction) -> float:
    """sqrt(f) for a positive rational beyond float range, as
    isqrt(f * 4**k) / 2**k with k giving the integer root about 64 bits."""
    k = 64 - (f.numerator.bit_length() - f.denominator.bit_length()) // 2
    if k >= 0:
        scaled = (f.numerator << 2 * k) // f.denominator
    else:
        scaled = f.numerator // (f.denominator << -2 * k)
    try:
        return math.ldexp(math.isqrt(scaled), -k)
    except OverflowError:
        return math.inf


@primitive("sqrt", 1)
def sqrt(vm, w):
    x = number(vm, w, "sqrt")
    if isinstance(x, complex) or x < 0:
        return vm.data.number(cmath.sqrt(inexact(x)))
    if isinstance(x, float):
        return vm.data.flonum(math.sqrt(x))
    f = Fraction(x)
    root = _exact_root(f)
    if root is not None:
        return vm.data.number(root)
    try:
        return vm.data.flonum(math.sqrt(f))
    except OverflowError:    # too big for a float, but its root may not be
        return vm.data.flonum(_big_sqrt(f))


@primitive("exact-integer-sqrt", 1)
def exact_integer_sqrt(vm, w):
    x = vm.data.number_value(w)
    if not isinstance(x, int) or x < 0:
        raise SchemeError("exact-integer-sqrt: not a non-negative exact integer", [w])
    s = math.isqrt(x)
    return vm.data.make(T.VALUES, [vm.data.integer(s), vm.data.integer(x - s * s)])


@primitive("expt", 2)
def expt(vm, a, b):
    x, y = number(vm, a, "expt"), number(vm, b, "expt")
    if isinstance(y, int) and isinstance(x, EXACT):
        if y >= 0:
            return vm.data.number(x ** y)
        if x == 0:
            raise SchemeError("expt: division by zero", [a])
        return vm.data.number(Fraction(x) ** y)
    x, y = inexact(x), inexact(y)
    try:
        return vm.data.number(x ** y)
    except ZeroDivisionError:
        return vm.data.flonum(math.inf)
    except OverflowError:
        odd_power_of_negative = isinstance(x, float) and x < 0 and isinstance(y, float) and y % 2 == 1
        return vm.data.flonum(-math.inf if odd_power_of_negative else math.inf)


@primitive("square", 1)
def square(vm, w):
    number(vm, w, "square")
    return arith.mul(vm, w, w)


def _transcendental(x, real_fn, complex_fn):
    """real_fn of x if x is real and inside its real domain, else complex_fn;
    NaN where neither has a value (sin of an infinity)."""
    x = inexact(x)
    if not isinstance(x, complex):
        try:
            return real_fn(x)
        except ValueError:
            pass
        except OverflowError:
            return math.inf
    try:
        return complex_fn(x)
    except (ValueError, OverflowError):
        return math.nan


_TRANSCENDENTALS = [
    ("exp", math.exp, cmath.exp), ("sin", math.sin, cmath.sin),
    ("cos", math.cos, cmath.cos), ("tan", math.tan, cmath.tan),
    ("asin", math.asin, cmath.asin), ("acos", math.acos, cmath.acos),
]


def _make_transcendental(name, real_fn, complex_fn):
    def fn(vm, w):
        return vm.data.number(_transcendental(number(vm, w, name), real_fn, complex_fn))
    return fn


for _name, _real_fn, _complex_fn in _TRANSCENDENTALS:
    primitive(_name, 1)(_make_transcendental(_name, _real_fn, _complex_fn))


def _log(x):
    if isinstance(x, EXACT) and x > 0:      # exact: no overflow for huge values
        f = Fraction(x)
        return math.log(f.numerator) - math.log(f.denominator)
    if x == 0:
        return -math.inf
    return _transcendental(x, math.log, cmath.log)


@primitive("log", 1, 2)
def log(vm, w, base=None):
    result = _log(number(vm, w, "log"))
    if base is not None:
        result = arith.ieee_divide(result, _log(number(vm, base, "log")))
    return vm.data.number(result)


@primitive("atan", 1, 2)
def atan(vm, w, x=None):
    if x is None:
        return vm.data.number(_transcendental(number(vm, w, "atan"), math.atan, cmath.atan))
    return vm.data.flonum(math.atan2(to_float(real(vm, w, "atan")), to_float(real(vm, x, "atan"))))


# ---- complex numbers --------------------------------------------------------------------

def _is_exact_zero(x) -> bool:
    return isinstance(x, EXACT) and x == 0


@primitive("make-rectangular", 2)
def make_rectangular(vm, a, b):
    x, y = real(vm, a, "make-rectangular"), real(vm, b, "make-rectangular")
    return a if _is_exact_zero(y) else vm.data.number(complex(to_float(x), to_float(y)))


@primitive("make-polar", 2)
def make_polar(vm, a, b):
    m, angle = real(vm, a, "make-polar"), real(vm, b, "make-polar")
    return a if _is_exact_zero(angle) else vm.data.number(cmath.rect(to_float(m), to_float(angle)))


@primitive("real-part", 1)
def real_part(vm, w):
    x = number(vm, w, "real-part")
    return vm.data.flonum(x.real) if isinstance(x, complex) else w


@primitive("imag-part", 1)
def imag_part(vm, w):
    x = number(vm, w, "imag-part")
    return vm.data.flonum(x.imag) if isinstance(x, complex) else 0


@primitive("magnitude", 1)
def magnitude(vm, w):
    return vm.data.number(abs(number(vm, w, "magnitude")))


@primitive("angle", 1)
def angle(vm, w):
    x = number(vm, w, "angle")
    if isinstance(x, complex):
        return vm.data.flonum(cmath.phase(x))
    if isinstance(x, float):
        return vm.data.flonum(math.atan2(0.0, x))
    return 0 if x >= 0 else vm.data.flonum(math.pi)


# ---- conversion to and from text ---------------------------------------------------------

_RADIX_FORMATS = {2: "b", 8: "o", 16: "x"}


def _radix(name, w) -> int:
    if w is None:
        return 10
    if (w & 7) != 0 or (w >> 3) not in (2, 8, 10, 16):
        raise SchemeError(f"{name}: radix must be 2, 8, 10 or 16", [w])
    return w >> 3


def _radix_text(x, r: int) -> str:
    f = Fraction(x)
    text = format(f.numerator, _RADIX_FORMATS[r])
    return text if f.denominator == 1 else text + "/" + format(f.denominator, _RADIX_FORMATS[r])


@primitive("number->string", 1, 2)
def number_to_string(vm, w, radix=None):
    """In radix 2, 8 or 16 an integral flonum is written as #i and its
    digits, which string->number reads back in that radix; other inexact
    numbers have no portable form there and are an error. A fixnum in
    radix 10 is str() at once (the printer's way cost ~3x as much, in a
    trace's call-out as in the interpreter)."""
    if w & 7 == V.TAG_FIXNUM and radix is None:
        return vm.data.string(str(w >> 3))
    x = number(vm, w, "number->string")
    r = _radix("number->string", radix)
    if r == 10 or (isinstance(x, float) and not math.isfinite(x)):
        text = write_string(x)
    elif isinstance(x, complex) or (isinstance(x, float) and not x.is_integer()):
        raise SchemeError("number->string: inexact non-integers are written only in radix 10", [w])
    else:
        text = ("#i" if isinstance(x, float) else "") + _radix_text(x, r)
    return vm.data.string(text)


@primitive("string->number", 1, 2)
def string_to_number(vm, s, radix=None):
    x = parse_number(string_value(vm, "string->number", s), _radix("string->number", radix))
    return V.FALSE if x is None else vm.data.number(x)
