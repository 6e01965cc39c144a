"""The Python primitives, called directly on words (no interpreter)."""
import io
import math
import os
import re
from fractions import Fraction

import pytest

from hawk.errors import SchemeError, SchemeExit
from hawk.frontend.datum import EOF, NIL, Char, MString, Vector, from_list, sym
from hawk.frontend.reader import read_all
from hawk.vm import values as V
from hawk.vm.bytecode import Op
from hawk.vm.objects import T
from hawk.vm.primspec import PRIMS, load_all
from hawk.vm.printer import display_word, write_shared_word, write_word
from hawk.vm.state import State

load_all()


@pytest.fixture
def vm():
    return State(stdin=io.StringIO(""), stdout=io.StringIO(), stderr=io.StringIO(),
                 argv=["prog.scm", "x"])


def datum(text):
    return read_all(text)[0]


def call(vm, name, *args):
    """Apply primitive `name` to frontend data (converted to words); the
    result as a word. Arguments already words go in as Words."""
    spec = PRIMS[name]
    assert spec.nmin <= len(args) and (spec.nmax is None or len(args) <= spec.nmax)
    return spec.fn(vm, *[vm.data.to_word(a) for a in args])


def value(vm, name, *args):
    return vm.data.from_word(call(vm, name, *args))


def text(vm, name, *args):
    return write_word(vm, call(vm, name, *args))


def fails(vm, message, name, *args):
    with pytest.raises(SchemeError, match="^" + re.escape(message)) as e:
        call(vm, name, *args)
    return e.value


# ---- registry -------------------------------------------------------------------------

def test_registry_arities_and_opcodes():
    assert PRIMS["+"].nmax is None and PRIMS["+"].opcode == Op.ADD
    assert PRIMS["car"].opcode == Op.CAR and PRIMS["car"].integrable
    assert PRIMS["vector-set!"].opcode == Op.VSET
    assert PRIMS["string-ref"].opcode == Op.SREF
    assert PRIMS["modulo"].opcode == Op.MOD
    assert (PRIMS["number->string"].nmin, PRIMS["number->string"].nmax) == (1, 2)
    assert not PRIMS["display"].integrable
    assert all(spec.name == name for name, spec in PRIMS.items())
    for name in ["caddr", "cdadr", "exact-integer-sqrt", "string-ci>=?", "char-foldcase",
                 "bytevector-copy!", "write-shared", "features", "floor-remainder"]:
        assert name in PRIMS


# ---- numbers --------------------------------------------------------------------------------

@pytest.mark.parametrize("expr, expected", [
    (("+",), "0"), (("*",), "1"), (("+", 1, 2, 3), "6"), (("-", 5), "-5"),
    (("-", 10, 1, 2), "7"), (("/", 2), "1/2"), (("/", 1, 2, 4), "1/8"),
    (("/", 6, 3), "2"), (("*", 1.5, 2), "3.0"), (("-", 0.0), "-0.0"),
    (("+", Fraction(1, 3), Fraction(2, 3)), "1"),
    (("max", 1, 2.0), "2.0"), (("min", 1, 2), "1"), (("max", 3, Fraction(7, 2)), "7/2"),
    (("abs", -7), "7"), (("abs", Fraction(-1, 2)), "1/2"), (("abs", -2.5), "2.5"),
    (("gcd",), "0"), (("gcd", 12, -18), "6"), (("lcm", 4, 6), "12"), (("lcm",), "1"),
    (("gcd", 12.0, 18), "6.0"),
    (("floor", 2.5), "2.0"), (("ceiling", Fraction(5, 2)), "3"), (("round", 2.5), "2.0"),
    (("round", 3.5), "4.0"), (("round", Fraction(7, 2)), "4"), (("truncate", -2.7), "-2.0"),
    (("round", -0.4), "-0.0"), (("floor", 5), "5"),
    (("floor-quotient", -7, 2), "-4"), (("floor-remainder", -7, 2), "1"),
    (("truncate-quotient", -7, 2), "-3"), (("truncate-remainder", -7, 2), "-1"),
    (("exact", 0.5), "1/2"), (("inexact", Fraction(1, 4)), "0.25"), (("exact", 3.0), "3"),
    (("exact->inexact", 10 ** 400), "+inf.0"), (("inexact->exact", 2), "2"),
    (("numerator", Fraction(6, 4)), "3"), (("denominator", Fraction(6, 4)), "2"),
    (("denominator", 0.5), "2.0"), (("denominator", 5), "1"),
    (("sqrt", 16), "4"), (("sqrt", Fraction(9, 4)), "3/2"), (("sqrt", 2), "1.4142135623730951"),
    (("sqrt", -4), "+2.0i"), (("sqrt", 4.0), "2.0"), (("sqrt", 10 ** 400 + 1), "1e+200"),
    (("expt", 2, 10), "1024"), (("expt", 2, -2), "1/4"), (("expt", Fraction(2, 3), 2), "4/9"),
    (("expt", 2.0, 3), "8.0"), (("expt", 4, 0.5), "2.0"), (("expt", 0, 0), "1"),
    (("expt", 10.0, 400), "+inf.0"), (("expt", 0.0, -1), "+inf.0"),
    (("square", 5), "25"), (("square", Fraction(1, 2)), "1/4"),
    (("exp", 0), "1.0"), (("log", 1), "0.0"), (("log", 0), "-inf.0"), (("log", 8, 2), "3.0"),
    (("log", 10 ** 400), "921.0340371976182"), (("sin", 0), "0.0"), (("atan", 1, 1), "0.7853981633974483"),
    (("asin", 2), "1.5707963267948966+1.3169578969248166i"), (("exp", 1000), "+inf.0"),
    (("make-rectangular", 1, 2), "1.0+2.0i"), (("make-rectangular", 1.5, 0), "1.5"),
    (("real-part", 1 + 2j), "1.0"), (("imag-part", 1 + 2j), "2.0"), (("imag-part", 5), "0"),
    (("magnitude", 3 + 4j), "5.0"), (("magnitude", -5), "5"), (("angle", -1), "3.141592653589793"),
    (("angle", 1), "0"), (("make-polar", 2, 0), "2"),
    (("number->string", 255, 16), '"ff"'), (("number->string", -5, 2), '"-101"'),
    (("number->string", Fraction(-1, 10), 8), '"-1/12"'), (("number->string", 1e21), '"1e+21"'),
    (("number->string", 2 ** 70), '"1180591620717411303424"'),
    (("string->number", MString("ff"), 16), "255"), (("string->number", MString("#b101")), "5"),
    (("string->number", MString("1/2")), "1/2"), (("string->number", MString("abc")), "#f"),
    (("string->number", MString("-1.5e3")), "-1500.0"),
])
def test_number_results(vm, expr, expected):
    assert text(vm, *expr) == expected


def test_exact_integer_sqrt_returns_two_values(vm):
    w = call(vm, "exact-integer-sqrt", 17)
    assert vm.data.type_of(w) == T.VALUES
    assert [vm.data.from_word(f) for f in vm.data.fields(w)] == [4, 1]


@pytest.mark.parametrize("expr, expected", [
    (("=", 1, 1, 1.0), True), (("=", 1, 2), False), (("<", 1, 2, 3), True), (("<", 1, 3, 2), False),
    ((">", 3, 2, 1), True), (("<=", 1, 1, 2), True), ((">=", 2, 2, 3), False), (("<", 1), True),
    (("=", 1 + 2j, 1 + 2j), True), (("<", Fraction(1, 3), 0.34), True),
    (("number?", 1.5), True), (("number?", sym("a")), False), (("complex?", 1j), True),
    (("real?", 1j), False), (("real?", 1.5), True), (("rational?", 0.5), True),
    (("rational?", math.inf), False), (("integer?", 2.0), True), (("integer?", Fraction(1, 2)), False),
    (("integer?", "s"), False), (("exact-integer?", 2.0), False), (("exact-integer?", 2 ** 80), True),
    (("exact?", Fraction(1, 2)), True), (("inexact?", 1j), True), (("nan?", math.nan), True),
    (("nan?", 1), False), (("infinite?", -math.inf), True), (("finite?", 10 ** 400), True),
    (("finite?", math.nan), False), (("zero?", 0.0), True), (("zero?", 0j), True),
    (("positive?", Fraction(1, 2)), True), (("negative?", -0.0), False), (("odd?", -3), True),
    (("even?", 2 ** 100), True), (("odd?", 3.0), True),
])
def test_number_predicates(vm, expr, expected):
    assert value(vm, *expr) is expected


@pytest.mark.parametrize("expr, message", [
    (("+", 1, "a"), "+: not a number"), (("-", sym("x")), "-: not a number"),
    (("*", 2, NIL), "*: not a number"), (("/", 1, 0), "/: division by zero"),
    (("<", 1, 1j), "<: not a real number"), ((">", 1, 2, "z"), ">: not a number"),
    (("=", sym("q")), "=: not a number"), (("quotient", 1, 0), "quotient: division by zero"),
    (("modulo", 1.5, 1), "modulo: not an integer"), (("odd?", 1.5), "odd?: not an integer"),
    (("exact", math.inf), "exact: no exact representation"),
    (("inexact->exact", math.nan), "inexact->exact: no exact representation"),
    (("expt", 0, -1), "expt: division by zero"), (("abs", 1j), "abs: not a real number"),
    (("number->string", 1.5, 2), "number->string: inexact"),
    (("number->string", 1, 3), "number->string: radix must be"),
    (("string->number", 5), "string->number: not a string"),
    (("square", "x"), "square: not a number"), (("floor", 1j), "floor: not a real number"),
    (("exact-integer-sqrt", -1), "exact-integer-sqrt: not a non-negative exact integer"),
])
def test_number_errors(vm, expr, message):
    fails(vm, message, *expr)


def test_error_irritant_is_the_offending_word(vm):
    a = vm.data.intern("a")
    with pytest.raises(SchemeError) as e:
        PRIMS["+"].fn(vm, V.fixnum(1), a)
    assert e.value.irritants == [a]


def test_max_with_nan(vm):
    assert math.isnan(value(vm, "max", 1, math.nan, 2))


# ---- lists ----------------------------------------------------------------------------------

@pytest.mark.parametrize("expr, expected", [
    (("cons", 1, 2), "(1 . 2)"), (("car", datum("(1 2)")), "1"), (("cdr", datum("(1 2)")), "(2)"),
    (("cadr", datum("(1 2 3)")), "2"), (("cddr", datum("(1 2 3)")), "(3)"),
    (("caddr", datum("(1 2 3)")), "3"), (("caar", datum("((1) 2)")), "1"),
    (("cdadr", datum("(1 (2 3))")), "(3)"),
    (("list",), "()"), (("list", 1, 2), "(1 2)"), (("length", datum("(1 2 3)")), "3"),
    (("append",), "()"), (("append", datum("(1)"), datum("(2)"), 3), "(1 2 . 3)"),
    (("append", NIL, datum("(a)")), "(a)"), (("reverse", datum("(1 2 3)")), "(3 2 1)"),
    (("list-tail", datum("(1 2 3)"), 2), "(3)"), (("list-ref", datum("(a b c)"), 1), "b"),
    (("list-copy", datum("(1 2 . 3)")), "(1 2 . 3)"), (("list-copy", 5), "5"),
    (("last-pair", datum("(1 2 3)")), "(3)"), (("make-list", 2, 0), "(0 0)"),
    (("memq", sym("c"), datum("(a b c d)")), "(c d)"), (("memq", sym("z"), datum("(a)")), "#f"),
    (("memv", 1.5, datum("(1 1.5 2)")), "(1.5 2)"), (("member", datum("(1)"), datum("(0 (1) 2)")), "((1) 2)"),
    (("assq", sym("b"), datum("((a 1) (b 2))")), "(b 2)"), (("assv", 2, datum("((1 . a) (2 . b))")), "(2 . b)"),
    (("assoc", MString("x"), datum('(("x" . 1))')), '("x" . 1)'), (("assoc", 9, datum("((1 . 2))")), "#f"),
    (("list?", datum("(1 2)")), "#t"), (("list?", datum("(1 . 2)")), "#f"), (("list?", NIL), "#t"),
    (("list?", datum("#0=(1 . #0#)")), "#f"), (("pair?", NIL), "#f"), (("null?", NIL), "#t"),
])
def test_list_results(vm, expr, expected):
    assert text(vm, *expr) == expected


def test_append_shares_last_argument_and_copies_others(vm):
    first, last = vm.data.to_word(datum("(1 2)")), vm.data.to_word(datum("(3)"))
    result = PRIMS["append"].fn(vm, first, last)
    assert PRIMS["cddr"].fn(vm, result) == last
    assert result != first and write_word(vm, first) == "(1 2)"


def test_set_car_and_cdr(vm):
    p = call(vm, "cons", 1, 2)
    assert PRIMS["set-car!"].fn(vm, p, V.fixnum(5)) == V.UNSPECIFIED
    PRIMS["set-cdr!"].fn(vm, p, V.NIL)
    assert write_word(vm, p) == "(5)"


@pytest.mark.parametrize("expr, message", [
    (("car", 5), "car: not a pair"), (("cadr", datum("(1)")), "cadr: not a pair"),
    (("set-car!", NIL, 1), "set-car!: not a pair"),
    (("length", datum("(1 . 2)")), "length: not a proper list"),
    (("length", datum("#0=(1 2 . #0#)")), "length: not a proper list"),
    (("append", datum("(1 . 2)"), NIL), "append: not a proper list"),
    (("list-ref", datum("(1 2)"), 2), "list-ref: index out of range"),
    (("list-tail", datum("(1 2)"), 3), "list-tail: index out of range"),
    (("list-tail", datum("(1 2)"), -1), "list-tail: not a non-negative"),
    (("memq", 1, datum("#0=(2 . #0#)")), "memq: circular list"),
    (("last-pair", datum("#0=(2 . #0#)")), "last-pair: circular list"),
    (("last-pair", NIL), "last-pair: not a pair"),
    (("assq", 1, datum("(1 2)")), "assq: not a pair"),
])
def test_list_errors(vm, expr, message):
    fails(vm, message, *expr)


def test_car_error_names_the_argument(vm):
    e = fails(vm, "caddr: not a pair", "caddr", datum("(1 2)"))
    assert write_word(vm, e.irritants[0]) == "(1 2)"


# ---- equality --------------------------------------------------------------------------------

@pytest.mark.parametrize("expr, expected", [
    (("eq?", sym("a"), sym("a")), True), (("eq?", 1.5, 1.5), False), (("eqv?", 1.5, 1.5), True),
    (("eqv?", 0.0, -0.0), False), (("eqv?", math.nan, math.nan), True), (("eqv?", 2 ** 70, 2 ** 70), True),
    (("eqv?", Fraction(1, 3), Fraction(1, 3)), True), (("eqv?", 1, 1.0), False),
    (("eqv?", 1 + 2j, 1 + 2j), True), (("eqv?", MString("a"), MString("a")), False),
    (("equal?", MString("ab"), MString("ab")), True), (("equal?", MString("ab"), MString("ac")), False),
    (("equal?", datum('(1 #(2 "x") #u8(1 2))'), datum('(1 #(2 "x") #u8(1 2))')), True),
    (("equal?", datum("#(1 2)"), datum("#(1 2 3)")), False), (("equal?", datum("(1 2)"), datum("(1 . 2)")), False),
    (("equal?", datum("#0=(1 . #0#)"), datum("#0=(1 1 . #0#)")), True),
    (("equal?", datum("#0=(1 . #0#)"), datum("#0=(1 2 . #0#)")), False),
    (("equal?", 2.0, 2), False),
    (("not", False), True), (("not", NIL), False), (("boolean?", False), True), (("boolean?", 0), False),
    (("boolean=?", True, True, True), True), (("boolean=?", True, False), False),
    (("symbol?", sym("a")), True), (("symbol?", MString("a")), False),
    (("symbol=?", sym("a"), sym("a"), sym("b")), False), (("procedure?", sym("car")), False),
])
def test_equality(vm, expr, expected):
    assert value(vm, *expr) is expected


def test_equal_on_long_list_does_not_recurse(vm):
    lst = from_list(range(200_000))
    assert value(vm, "equal?", lst, from_list(range(200_000))) is True


def test_symbols(vm):
    assert text(vm, "symbol->string", sym("abc")) == '"abc"'
    assert call(vm, "string->symbol", MString("abc")) == vm.data.intern("abc")
    s = call(vm, "symbol->string", sym("abc"))
    PRIMS["string-set!"].fn(vm, s, 0, V.char(ord("x")))
    assert vm.data.symbol_name(vm.data.intern("abc")) == "abc"
    fails(vm, "boolean=?: not a boolean", "boolean=?", True, 1)
    fails(vm, "symbol->string: not a symbol", "symbol->string", MString("a"))


# ---- characters ----------------------------------------------------------------------------------

@pytest.mark.parametrize("expr, expected", [
    (("char->integer", Char(955)), "955"), (("integer->char", 65), "#\\A"),
    (("char<?", Char(97), Char(98), Char(99)), "#t"), (("char<?", Char(97), Char(97)), "#f"),
    (("char=?", Char(97), Char(97)), "#t"), (("char-ci=?", Char(ord("a")), Char(ord("A"))), "#t"),
    (("char>=?", Char(98), Char(97), Char(97)), "#t"), (("char-ci<?", Char(ord("a")), Char(ord("B"))), "#t"),
    (("char-alphabetic?", Char(ord("λ"))), "#t"), (("char-numeric?", Char(ord("7"))), "#t"),
    (("char-whitespace?", Char(ord("\t"))), "#t"), (("char-upper-case?", Char(ord("a"))), "#f"),
    (("char-lower-case?", Char(ord("a"))), "#t"), (("digit-value", Char(ord("7"))), "7"),
    (("digit-value", Char(0x0664)), "4"), (("digit-value", Char(ord("x"))), "#f"),
    (("char-upcase", Char(ord("ä"))), "#\\Ä"), (("char-downcase", Char(ord("A"))), "#\\a"),
    (("char-upcase", Char(ord("ß"))), "#\\ß"), (("char-foldcase", Char(ord("Σ"))), "#\\σ"),
    (("char?", Char(1)), "#t"), (("char?", 1), "#f"),
])
def test_chars(vm, expr, expected):
    assert text(vm, *expr) == expected


def test_char_errors(vm):
    fails(vm, "integer->char: not a Unicode scalar value", "integer->char", 0xD800)
    fails(vm, "char<?: not a character", "char<?", Char(1), 1)
    fails(vm, "char-upcase: not a character", "char-upcase", MString("a"))


# ---- strings --------------------------------------------------------------------------------------

@pytest.mark.parametrize("expr, expected", [
    (("make-string", 3, Char(ord("x"))), '"xxx"'), (("make-string", 2), '"  "'),
    (("string", Char(97), Char(955)), '"aλ"'), (("string-length", MString("héllo")), "5"),
    (("string-ref", MString("abc"), 1), "#\\b"), (("substring", MString("hello"), 1, 3), '"el"'),
    (("string-append", MString("a"), MString("bc"), MString("")), '"abc"'),
    (("string-copy", MString("hello"), 2), '"llo"'), (("string-copy", MString("hello"), 1, 2), '"e"'),
    (("string->list", MString("abc"), 1), "(#\\b #\\c)"), (("list->string", datum("(#\\a #\\b)")), '"ab"'),
    (("string->vector", MString("ab")), "#(#\\a #\\b)"), (("vector->string", datum("#(#\\a #\\b)"), 1), '"b"'),
    (("string=?", MString("a"), MString("a"), MString("a")), "#t"), (("string<?", MString("a"), MString("b")), "#t"),
    (("string<?", MString("ab"), MString("a")), "#f"), (("string>=?", MString("b"), MString("a")), "#t"),
    (("string-ci=?", MString("Straße"), MString("STRASSE")), "#t"),
    (("string-ci<?", MString("apple"), MString("Banana")), "#t"),
    (("string-upcase", MString("straße")), '"STRASSE"'), (("string-downcase", MString("ABC")), '"abc"'),
    (("string-foldcase", MString("ΣA")), '"σa"'),
    (("string->utf8", MString("aλ")), "#u8(97 206 187)"), (("string->utf8", MString("abc"), 1, 2), "#u8(98)"),
    (("utf8->string", bytearray(b"\xce\xbbx")), '"λx"'), (("string?", MString("")), "#t"),
    (("string?", sym("a")), "#f"),
])
def test_string_results(vm, expr, expected):
    assert text(vm, *expr) == expected


def test_string_mutation(vm):
    s = call(vm, "make-string", 5, Char(ord("-")))
    PRIMS["string-set!"].fn(vm, s, V.fixnum(0), V.char(ord("λ")))
    assert write_word(vm, s) == '"λ----"'
    PRIMS["string-fill!"].fn(vm, s, V.char(ord("x")), V.fixnum(3))
    assert write_word(vm, s) == '"λ--xx"'
    PRIMS["string-copy!"].fn(vm, s, V.fixnum(1), s, V.fixnum(0), V.fixnum(3))   # overlapping
    assert write_word(vm, s) == '"λλ--x"'


@pytest.mark.parametrize("expr, message", [
    (("string-ref", MString("abc"), 3), "string-ref: index out of range"),
    (("string-ref", MString("abc"), 1.0), "string-ref: not an exact integer"),
    (("string-length", sym("a")), "string-length: not a string"),
    (("substring", MString("abc"), 2, 1), "substring: bad range"),
    (("string-copy", MString("abc"), 0, 4), "string-copy: bad range"),
    (("string-append", MString("a"), Char(98)), "string-append: not a string"),
    (("list->string", datum("(1)")), "list->string: not a character"),
    (("string-copy!", MString("ab"), 1, MString("xyz")), "string-copy!: not enough room"),
    (("utf8->string", bytearray(b"\xff")), "utf8->string: invalid UTF-8"),
    (("string<?", MString("a"), 1), "string<?: not a string"),
])
def test_string_errors(vm, expr, message):
    fails(vm, message, *expr)


# ---- vectors and bytevectors -------------------------------------------------------------------------

@pytest.mark.parametrize("expr, expected", [
    (("make-vector", 2, sym("a")), "#(a a)"), (("vector", 1, MString("b")), '#(1 "b")'),
    (("vector",), "#()"), (("vector-length", datum("#(1 2 3)")), "3"),
    (("vector-ref", datum("#(1 2 3)"), 2), "3"), (("vector->list", datum("#(1 2 3)"), 1), "(2 3)"),
    (("vector->list", datum("#(1 2 3)"), 1, 2), "(2)"), (("list->vector", datum("(1 2)")), "#(1 2)"),
    (("vector-copy", datum("#(1 2 3)"), 1), "#(2 3)"),
    (("vector-append", datum("#(1)"), datum("#()"), datum("#(2 3)")), "#(1 2 3)"),
    (("vector?", datum("#(1)")), "#t"), (("vector?", datum("(1)")), "#f"),
    (("make-bytevector", 3, 7), "#u8(7 7 7)"), (("bytevector", 1, 255), "#u8(1 255)"),
    (("bytevector-u8-ref", bytearray(b"\x01\x02"), 1), "2"), (("bytevector-length", bytearray(3)), "3"),
    (("bytevector-copy", bytearray(b"\x01\x02\x03"), 1, 2), "#u8(2)"),
    (("bytevector-append", bytearray(b"\x01"), bytearray(b"\x02\x03")), "#u8(1 2 3)"),
    (("bytevector?", bytearray()), "#t"), (("bytevector?", datum("#()")), "#f"),
])
def test_vector_results(vm, expr, expected):
    assert text(vm, *expr) == expected


def test_vector_and_bytevector_mutation(vm):
    v = call(vm, "vector", 1, 2, 3, 4, 5)
    assert PRIMS["vector-set!"].fn(vm, v, V.fixnum(0), V.NIL) == V.UNSPECIFIED
    PRIMS["vector-fill!"].fn(vm, v, V.TRUE, V.fixnum(3))
    assert write_word(vm, v) == "#(() 2 3 #t #t)"
    PRIMS["vector-copy!"].fn(vm, v, V.fixnum(1), v, V.fixnum(0), V.fixnum(3))
    assert write_word(vm, v) == "#(() () 2 3 #t)"
    b = call(vm, "bytevector", 1, 2, 3)
    PRIMS["bytevector-u8-set!"].fn(vm, b, V.fixnum(2), V.fixnum(9))
    PRIMS["bytevector-copy!"].fn(vm, b, V.fixnum(0), b, V.fixnum(1))
    assert write_word(vm, b) == "#u8(2 9 9)"


@pytest.mark.parametrize("expr, message", [
    (("vector-ref", datum("#(1)"), 1), "vector-ref: index out of range"),
    (("vector-ref", MString("a"), 0), "vector-ref: not a vector"),
    (("vector-set!", datum("#(1)"), -1, 0), "vector-set!: index out of range"),
    (("make-vector", -1), "make-vector: not a non-negative exact integer"),
    (("bytevector", 256), "bytevector: not a byte"),
    (("bytevector-u8-set!", bytearray(1), 0, -1), "bytevector-u8-set!: not a byte"),
    (("vector-copy!", datum("#(1)"), 0, datum("#(1 2)")), "vector-copy!: not enough room"),
    (("vector-append", datum("#()"), datum("(1)")), "vector-append: not a vector"),
    (("list->vector", datum("(1 . 2)")), "list->vector: not a proper list"),
])
def test_vector_errors(vm, expr, message):
    fails(vm, message, *expr)


# ---- printing ---------------------------------------------------------------------------------------

def test_printing_words(vm):
    w = vm.data.to_word(datum('(1 "a" #\\b 2.5 #(x) #0=(c) #0#)'))
    assert write_word(vm, w) == '(1 "a" #\\b 2.5 #(x) (c) (c))'
    assert write_shared_word(vm, w) == '(1 "a" #\\b 2.5 #(x) #0=(c) #0#)'
    assert display_word(vm, w) == "(1 a b 2.5 #(x) (c) (c))"
    assert display_word(vm, vm.data.string("hi")) == "hi"
    assert display_word(vm, V.fixnum(-3)) == "-3"
    assert write_word(vm, V.UNSPECIFIED) == "#<unspecified>"
    assert write_word(vm, V.EOF) == "#<eof>"


def test_printing_opaque_objects(vm):
    d = vm.data
    point = d.make(T.RTD, [d.intern("point"), V.NIL, 0])
    record = d.make(T.RECORD, [point, V.fixnum(1), d.string("s")])
    closure = d.make(T.CLOSURE, [0])
    promise = d.make(T.PROMISE, [V.FALSE, V.FALSE])
    port = d.foreign_object(vm.cur_out)
    lst = d.list([record, closure, promise, port])
    assert write_word(vm, lst) == '(#<record point 1 "s"> #<procedure> #<promise> #<port>)'
    assert display_word(vm, record) == "#<record point 1 s>"
    d.set_field(record, 1, record)                      # a record inside itself
    assert write_word(vm, record) == '#<record point #<record point ...> "s">'


# ---- input and output -----------------------------------------------------------------------------------

def output(vm):
    vm.flush()
    return vm.cur_out.stream.getvalue()


def test_output_procedures(vm):
    d = vm.data
    for name, args in [("write", [d.string("a\nb")]), ("display", [d.string(" x ")]),
                       ("write-char", [V.char(955)]), ("newline", []),
                       ("write-string", [d.string("hello"), vm.data.foreign_object(vm.cur_out),
                                         V.fixnum(1), V.fixnum(3)]),
                       ("write-shared", [d.to_word(datum("(#0=(a) #0#)"))]),
                       ("write-simple", [d.to_word(datum("(#0=(a) #0#)"))])]:
        assert PRIMS[name].fn(vm, *args) == V.UNSPECIFIED
    assert output(vm) == '"a\\nb" x λ\nel(#0=(a) #0#)((a) (a))'


def test_string_ports(vm):
    port = call(vm, "open-input-string", MString("ab\ncd (x . y) 42"))
    rc = PRIMS["read-char"].fn
    assert rc(vm, port) == V.char(ord("a"))
    assert PRIMS["peek-char"].fn(vm, port) == V.char(ord("b"))
    assert display_word(vm, PRIMS["read-line"].fn(vm, port)) == "b"
    assert display_word(vm, PRIMS["read-string"].fn(vm, V.fixnum(2), port)) == "cd"
    assert write_word(vm, PRIMS["read"].fn(vm, port)) == "(x . y)"
    assert PRIMS["read-char"].fn(vm, port) == V.char(ord(" "))
    assert PRIMS["read"].fn(vm, port) == V.fixnum(42)
    assert PRIMS["read"].fn(vm, port) == V.EOF
    assert rc(vm, port) == V.EOF and PRIMS["read-line"].fn(vm, port) == V.EOF
    assert PRIMS["char-ready?"].fn(vm, port) == V.TRUE

    out = PRIMS["open-output-string"].fn(vm)
    PRIMS["write"].fn(vm, vm.data.to_word(datum("(1 . 2)")), out)
    PRIMS["write-char"].fn(vm, V.char(ord("!")), out)
    assert display_word(vm, PRIMS["get-output-string"].fn(vm, out)) == "(1 . 2)!"
    assert PRIMS["output-port?"].fn(vm, out) == V.TRUE
    assert PRIMS["input-port?"].fn(vm, out) == V.FALSE
    assert PRIMS["port?"].fn(vm, V.fixnum(1)) == V.FALSE
    PRIMS["close-port"].fn(vm, out)
    assert PRIMS["output-port-open?"].fn(vm, out) == V.FALSE
    with pytest.raises(SchemeError, match="^write: port is closed"):
        PRIMS["write"].fn(vm, V.fixnum(1), out)
    with pytest.raises(SchemeError, match="^read-char: not an input port"):
        PRIMS["read-char"].fn(vm, out)
    with pytest.raises(SchemeError, match="^close-input-port: wrong kind of port"):
        PRIMS["close-input-port"].fn(vm, out)


def test_read_from_stdin_and_read_errors():
    vm = State(stdin=io.StringIO("(a #(1 2) \"s\") ; comment\n#0=(x . #0#) (unclosed"),
               stdout=io.StringIO())
    read = PRIMS["read"].fn
    assert write_word(vm, read(vm)) == '(a #(1 2) "s")'
    assert write_word(vm, read(vm)) == "#0=(x . #0#)"
    with pytest.raises(SchemeError, match="^read: unterminated list") as e:
        read(vm)
    assert e.value.kind == "read-error"


def test_reading_lines_across_chunks(monkeypatch):
    from hawk.vm import ports
    monkeypatch.setattr(ports, "CHUNK", 4)
    vm = State(stdin=io.StringIO("first line\nsecond\nlast"), stdout=io.StringIO())
    lines = [PRIMS["read-line"].fn(vm) for _ in range(4)]
    assert [display_word(vm, w) for w in lines[:3]] == ["first line", "second", "last"]
    assert lines[3] == V.EOF


class FakeTerminal(io.StringIO):
    """Interactive stdin: read a line at a time; records the calls."""
    def __init__(self, text, log):
        super().__init__(text)
        self.log = log

    def isatty(self):
        return True

    def readline(self, *args):
        line = super().readline(*args)
        self.log.append(("line", line))
        return line

    def read(self, *args):
        raise AssertionError("a terminal must be read line by line")


def test_reading_a_terminal_line_by_line():
    log = []
    stdout = io.StringIO()
    vm = State(stdin=FakeTerminal("(a\n b) c\n\n\"x\ny\"\n", log), stdout=stdout)
    PRIMS["display"].fn(vm, vm.data.string("> "))             # a prompt
    assert write_word(vm, PRIMS["read"].fn(vm)) == "(a b)"    # needs two lines
    assert stdout.getvalue() == "> "                          # flushed before waiting
    assert [entry[1] for entry in log] == ["(a\n", " b) c\n"]
    assert write_word(vm, PRIMS["read"].fn(vm)) == "c"
    assert write_word(vm, PRIMS["read"].fn(vm)) == '"x\\ny"'
    assert PRIMS["read"].fn(vm) == V.EOF


def test_current_ports_are_stable_handles(vm):
    a = PRIMS["current-output-port"].fn(vm)
    assert a == PRIMS["current-output-port"].fn(vm)
    assert a != PRIMS["current-error-port"].fn(vm)
    assert PRIMS["input-port?"].fn(vm, PRIMS["current-input-port"].fn(vm)) == V.TRUE
    PRIMS["display"].fn(vm, vm.data.string("err"), PRIMS["current-error-port"].fn(vm))
    vm.flush()
    assert vm.cur_err.stream.getvalue() == "err"


def test_eof_object(vm):
    assert PRIMS["eof-object"].fn(vm) == V.EOF
    assert value(vm, "eof-object?", EOF) is True
    assert value(vm, "eof-object?", NIL) is False


def test_files(vm, tmp_path):
    path = vm.data.string(str(tmp_path / "f.txt"))
    assert PRIMS["file-exists?"].fn(vm, path) == V.FALSE
    out = PRIMS["open-output-file"].fn(vm, path)
    PRIMS["write"].fn(vm, vm.data.to_word(datum("(1 2)")), out)
    PRIMS["close-output-port"].fn(vm, out)
    assert PRIMS["file-exists?"].fn(vm, path) == V.TRUE
    port = PRIMS["open-input-file"].fn(vm, path)
    assert write_word(vm, PRIMS["read"].fn(vm, port)) == "(1 2)"
    PRIMS["close-input-port"].fn(vm, port)
    PRIMS["delete-file"].fn(vm, path)
    assert not os.path.exists(tmp_path / "f.txt")
    with pytest.raises(SchemeError, match="^open-input-file: ") as e:
        PRIMS["open-input-file"].fn(vm, path)
    assert e.value.kind == "file-error" and e.value.irritants == [path]
    with pytest.raises(SchemeError, match="^delete-file: ") as e:
        PRIMS["delete-file"].fn(vm, path)
    assert e.value.kind == "file-error"


def test_output_is_buffered_until_flush():
    stream = io.StringIO()
    vm = State(stdin=io.StringIO(), stdout=stream)
    PRIMS["display"].fn(vm, vm.data.string("line\n"))
    assert stream.getvalue() == ""
    PRIMS["flush-output-port"].fn(vm)
    assert stream.getvalue() == "line\n"


# ---- system ----------------------------------------------------------------------------------------------

def test_exit_codes(vm):
    for args, code in [((), 0), ((True,), 0), ((False,), 1), ((3,), 3)]:
        with pytest.raises(SchemeExit) as e:
            call(vm, "exit", *args)
        assert e.value.code == code and not e.value.emergency
    with pytest.raises(SchemeExit) as e:
        call(vm, "emergency-exit", 2)
    assert e.value.code == 2 and e.value.emergency
    fails(vm, "exit: exit code", "exit", MString("x"))


def test_process_context(vm, monkeypatch):
    monkeypatch.setenv("HAWK_TEST_VAR", "v1")
    assert text(vm, "command-line") == '("prog.scm" "x")'
    assert text(vm, "get-environment-variable", MString("HAWK_TEST_VAR")) == '"v1"'
    assert text(vm, "get-environment-variable", MString("HAWK_NO_SUCH_VAR_X")) == "#f"
    env = value(vm, "get-environment-variables")
    assert any(str(p.car) == "HAWK_TEST_VAR" and str(p.cdr) == "v1" for p in iter_list(env))
    assert isinstance(value(vm, "current-second"), float)
    j1, j2 = value(vm, "current-jiffy"), value(vm, "current-jiffy")
    assert isinstance(j1, int) and j2 >= j1
    assert value(vm, "jiffies-per-second") == 10 ** 9
    assert {s.name for s in iter_list(value(vm, "features"))} >= {"r7rs", "ratios", "full-unicode", "hawk"}


def iter_list(x):
    while x is not NIL:
        yield x.car
        x = x.cdr


def test_vector_datum_roundtrip(vm):
    assert value(vm, "vector", 1, 2) == Vector([1, 2])
