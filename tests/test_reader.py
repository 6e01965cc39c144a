"""Tests for hawk.frontend.reader: every lexical feature, every error with its
exact line:column, and a fuzz property that only ReadError ever escapes."""
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from hawk.errors import ReadError
from hawk.frontend.datum import (DEFAULT, EOF, NIL, UNSPECIFIED, Char, MString, Pair,
                                 SourceLoc, Vector, sym, to_list)
from hawk.frontend.reader import Reader, _Placeholder, parse_number, read_all


def read1(text):
    data = read_all(text)
    assert len(data) == 1, data
    return data[0]


def read_error(text) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_all(text)
    return info.value


# --- numbers -----------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("0", 0), ("42", 42), ("-17", -17), ("+5", 5),
    ("123456789012345678901234567890", 123456789012345678901234567890),
    ("1/2", Fraction(1, 2)), ("-6/4", Fraction(-3, 2)), ("4/2", 2), ("0/5", 0),
    ("#x-ff", -255), ("#XFF", 255), ("#b101", 5), ("#o17", 15), ("#d10", 10),
    ("#xA/F", Fraction(2, 3)),
    ("#e1.5", Fraction(3, 2)), ("#e1.2e-3", Fraction(3, 2500)), ("#e1e3", 1000),
    ("#e-0.5", Fraction(-1, 2)), ("#x#e10", 16), ("#e#x10", 16),
    ("1@0", 1), ("1+0i", 1), ("#e2@0", 2),
])
def test_exact_numbers(text, value):
    result = read1(text)
    assert result == value and type(result) is type(value)


@pytest.mark.parametrize("text, value", [
    ("1.5", 1.5), ("1e10", 1e10), ("1.5e-3", 1.5e-3), ("1E2", 100.0), (".5", 0.5),
    ("1.", 1.0), ("+.5e2", 50.0), ("-2.25", -2.25), ("1e400", math.inf),
    ("#i1/2", 0.5), ("#i3", 3.0), ("#x#i10", 16.0), ("#i#x10", 16.0),
    ("+inf.0", math.inf), ("-inf.0", -math.inf), ("+INF.0", math.inf),
])
def test_inexact_numbers(text, value):
    result = read1(text)
    assert type(result) is float and result == value


def test_negative_zero_and_nan():
    assert math.copysign(1.0, read1("-0.0")) == -1.0
    assert math.isnan(read1("+nan.0")) and math.isnan(read1("-nan.0"))


@pytest.mark.parametrize("text, value", [
    ("1+2i", 1 + 2j), ("1-2i", 1 - 2j), ("+i", 1j), ("-i", -1j), ("-2.5i", -2.5j),
    ("1/2+3/4i", 0.5 + 0.75j), ("+inf.0i", complex(0, math.inf)),
    ("1-inf.0i", complex(1, -math.inf)), ("#x1+fi", 1 + 15j),
])
def test_rectangular_complex(text, value):
    result = read1(text)
    assert type(result) is complex and result == value


def test_polar_complex():
    result = read1("1@2")
    assert type(result) is complex
    assert result == pytest.approx(complex(math.cos(2), math.sin(2)))


def test_huge_integers_beyond_python_str_limit():
    repunit = (10 ** 9000 - 1) // 9          # 9000 ones
    assert read1("7" * 9000) == 7 * repunit
    assert read1("-" + "7" * 9000 + "/7") == -repunit


@pytest.mark.parametrize("text", ["+", "-", "...", "->x", "1+", "1e", "1/2/3", "--1",
                                  "1.2.3", "+-i", ".x", "+a", "-1a"])
def test_numeric_looking_symbols(text):
    assert read1(text) is sym(text)


def test_parse_number():
    assert parse_number("ff", 16) == 255
    assert parse_number("#d10", 16) == 10
    assert parse_number("1/0") is None
    assert parse_number("abc") is None
    assert parse_number("#e1.25") == Fraction(5, 4)


# --- symbols, booleans, strings, characters ------------------------------------

def test_symbols_are_case_sensitive_and_interned():
    a, b, c = read_all("Hello hello Hello")
    assert a is c and a is not b and b is sym("hello")


@pytest.mark.parametrize("text, name", [
    ("|hello world|", "hello world"), ("||", ""), (r"|a\|b|", "a|b"),
    (r"|\x41;bc|", "Abc"), (r"|tab\there|", "tab\there"), ("|1|", "1"),
    ('|"q"|', '"q"'), (r"|back\\slash|", "back\\slash"), ("<=?", "<=?"),
    ("λx", "λx"), ("a.b", "a.b"),
])
def test_symbols(text, name):
    assert read1(text) is sym(name)


def test_vertical_line_delimits_tokens():
    assert read_all("abc|def|") == [sym("abc"), sym("def")]


def test_booleans():
    assert read_all("#t #f #true #false #T #FALSE") == [True, False, True, False, True, False]


@pytest.mark.parametrize("text, value", [
    (r'"abc"', "abc"), (r'""', ""), (r'"a\nb"', "a\nb"), (r'"\a\b\t\r"', "\a\b\t\r"),
    (r'"\"\\\|"', '"\\|'), (r'"\x41;\x3bb;"', "A\u03bb"), ('"λ☃"', "λ☃"),
    ('"line\\\n   next"', "linenext"), ('"line\\  \t\n\t  next"', "linenext"),
    ('"line\\\r\n  next"', "linenext"), ('"two\nlines"', "two\nlines"),
])
def test_strings(text, value):
    result = read1(text)
    assert isinstance(result, MString) and str(result) == value


@pytest.mark.parametrize("text, code", [
    (r"#\a", 97), (r"#\A", 65), (r"#\space", 32), (r"#\newline", 10), (r"#\tab", 9),
    (r"#\alarm", 7), (r"#\backspace", 8), (r"#\delete", 127), (r"#\escape", 27),
    (r"#\null", 0), (r"#\return", 13), (r"#\x41", 0x41), (r"#\x3bb", 0x3BB),
    (r"#\x", ord("x")), (r"#\λ", 0x3BB), (r"#\(", 40), (r"#\)", 41), (r"#\;", 59),
    ('#\\"', 34), (r"#\ ", 32), (r"#\#", 35),
])
def test_characters(text, code):
    assert read1(text) == Char(code)


def test_character_followed_by_delimiter():
    assert to_list(read1(r"(#\a #\( #\))")) == [Char(97), Char(40), Char(41)]


# --- fold case -------------------------------------------------------------------

def test_fold_case_directives():
    data = read_all("#!fold-case ABC #\\NEWLINE #\\A |XY| #!no-fold-case ABC")
    assert data == [sym("abc"), Char(10), Char(65), sym("XY"), sym("ABC")]


def test_fold_case_persists_across_reads():
    reader = Reader("#!fold-case FOO\nBAR")
    assert reader.read() is sym("foo")
    assert reader.read() is sym("bar")
    assert reader.fold_case


# --- comments ----------------------------------------------------------------------

def test_line_and_block_comments():
    text = "; line\n a #| block #| nested |# still |# b ; end"
    assert read_all(text) == [sym("a"), sym("b")]


def test_datum_comments():
    assert read_all("#;(a b) c") == [sym("c")]
    assert read_all("#; #; a b c") == [sym("c")]
    assert to_list(read1("(a #;b c #;d)")) == [sym("a"), sym("c")]
    pair = read1("(a . #;b c)")
    assert pair.car is sym("a") and pair.cdr is sym("c")
    assert read_all("#;a") == []
    assert read_all("#|only a comment|#") == []


# --- lists, vectors, bytevectors -----------------------------------------------------

def test_lists_and_dotted_pairs():
    assert read1("()") is NIL
    assert to_list(read1("(a b c)")) == [sym("a"), sym("b"), sym("c")]
    pair = read1("(a . b)")
    assert pair.car is sym("a") and pair.cdr is sym("b")
    pair = read1("(a b . c)")
    assert pair.cdr.car is sym("b") and pair.cdr.cdr is sym("c")
    assert to_list(read1("(a . (b))")) == [sym("a"), sym("b")]


def test_brackets():
    result = read1("[a (b) [c]]")
    assert result.car is sym("a")
    assert to_list(result.cdr.cdr.car) == [sym("c")]
    assert read1("[]") is NIL


def test_quote_forms():
    assert to_list(read1("'x")) == [sym("quote"), sym("x")]
    assert to_list(read1("`x")) == [sym("quasiquote"), sym("x")]
    assert to_list(read1(",x")) == [sym("unquote"), sym("x")]
    assert to_list(read1(",@x")) == [sym("unquote-splicing"), sym("x")]
    nested = read1("''a")
    assert nested.cdr.car.car is sym("quote")


def test_vectors_and_bytevectors():
    vector = read1("#(1 (2) #(3))")
    assert type(vector) is Vector and vector[0] == 1 and vector[2] == Vector([3])
    assert read1("#()") == Vector()
    assert read1("#u8(0 1 255)") == bytearray([0, 1, 255])
    assert read1("#U8()") == bytearray()
    assert read1("#u8(#xff #;1)") == bytearray([255])


def test_extension_directives():
    assert to_list(read1("(#!eof #!default #!unspecific)")) == [EOF, DEFAULT, UNSPECIFIED]


# --- datum labels ----------------------------------------------------------------------

def test_circular_list():
    pair = read1("#0=(a . #0#)")
    assert pair.car is sym("a") and pair.cdr is pair


def test_shared_structure():
    result = read1("(#1=(x y) #1# #1#)")
    first = result.car
    assert result.cdr.car is first and result.cdr.cdr.car is first


def test_labels_in_vectors():
    vector = read1("#0=#(1 #0# (#0#))")
    assert vector[1] is vector and vector[2].car is vector


def test_nested_labels():
    outer = read1("#0=(a #1=(b . #0#) . #1#)")
    inner = outer.cdr.car
    assert inner.cdr is outer and outer.cdr.cdr is inner


def test_label_defined_as_reference_to_unfinished_label():
    outer = read1("(#0=(a #1=#0#) #1#)")
    inner = outer.car
    assert inner.cdr.car is inner and outer.cdr.car is inner


def test_quote_around_label():
    quoted = read1("'#0=(a . #0#)")
    target = quoted.cdr.car
    assert target.cdr is target


def test_labels_are_scoped_to_one_datum():
    reader = Reader("#0=(a) #0#")
    reader.read()
    with pytest.raises(ReadError, match="undefined datum label"):
        reader.read()


# --- source locations and reader state ----------------------------------------------

def test_list_locations():
    outer = read_all("(a\n  (b c)\n 'd)", "f.scm")[0]
    assert outer.loc == SourceLoc("f.scm", 1, 1)
    assert outer.cdr.loc == SourceLoc("f.scm", 1, 1)
    assert outer.cdr.car.loc == SourceLoc("f.scm", 2, 3)
    quote = outer.cdr.cdr.car
    assert quote.loc == SourceLoc("f.scm", 3, 2) and quote.cdr.loc == quote.loc


def test_locations_after_tabs_and_crlf():
    data = read_all("\t(a)\r\n (b)\r(c)")
    assert [d.loc.line for d in data] == [1, 2, 3]
    assert [d.loc.column for d in data] == [2, 2, 1]


def test_successive_reads_and_position():
    reader = Reader("  foo\n  (bar)  baz ")
    assert reader.read() is sym("foo")
    assert reader.position == (1, 6)
    assert to_list(reader.read()) == [sym("bar")]
    assert reader.position == (2, 8)
    assert reader.read() is sym("baz")
    assert reader.read() is EOF
    assert reader.read() is EOF
    assert reader.offset == 19


def test_read_all_keeps_eof_directive():
    assert read_all("a #!eof b") == [sym("a"), EOF, sym("b")]
    assert Reader("#!eof b").read() is EOF


def test_long_and_deep_input():
    long = read1("(" + " ".join(map(str, range(200_000))) + ")")
    assert to_list(long)[-1] == 199_999
    deep = read1("(" * 100_000 + ")" * 100_000)
    depth = 0
    while deep is not NIL:
        deep = deep.car
        depth += 1
    assert depth == 99_999        # the innermost () is NIL
    deep_quotes = read1("'" * 50_000 + "x")
    assert deep_quotes.car is sym("quote")


# --- errors --------------------------------------------------------------------------

@pytest.mark.parametrize("text, message, line, column", [
    ("(a b", "unterminated list", 1, 1),
    ("(a\n (b c", "unterminated list", 2, 2),
    ("#(1 2", "unterminated vector", 1, 1),
    ("#u8(1 2", "unterminated bytevector", 1, 1),
    ("a)", "unexpected ')'", 1, 2),
    ("(a]", "expected ')' to close '(' but found ']'", 1, 3),
    ("[a)", "expected ']' to close '[' but found ')'", 1, 3),
    ('x\n  "abc', "unterminated string", 2, 3),
    ("|abc", "unterminated |symbol|", 1, 1),
    ("a #| x #| y |#", "unterminated block comment", 1, 3),
    ('"ab\\qc"', "bad escape", 1, 4),
    ('"\\x41"', "bad \\x escape", 1, 2),
    ('"\\xZZ;"', "bad \\x escape", 1, 2),
    ('(a\n  "x\\x110000;")', "escape is not a Unicode scalar value", 2, 5),
    ('|a\\qb|', "bad escape", 1, 3),
    ("  #\\foo", "unknown character name", 1, 3),
    ("#\\xd800", "character is not a Unicode scalar value", 1, 1),
    ("#\\", "unterminated character", 1, 1),
    ("(. a)", "unexpected '.'", 1, 2),
    ("(a . )", "expected a datum after '.' but found ')'", 1, 6),
    ("(a . b c)", "more than one datum after '.'", 1, 8),
    ("(a . b . c)", "unexpected '.'", 1, 8),
    ("#(a . b)", "unexpected '.'", 1, 5),
    (". a", "unexpected '.'", 1, 1),
    ("(#0#)", "undefined datum label", 1, 2),
    ("#0=(a #0=b)", "duplicate datum label", 1, 7),
    ("#0=#0#", "datum label refers only to itself", 1, 1),
    ("(1 #xfg)", "bad number", 1, 4),
    ("#b102", "bad number", 1, 1),
    ("#e+inf.0", "no exact number for an infinity or NaN", 1, 1),
    ("#e1+2i", "exact complex numbers are not supported", 1, 1),
    ("#e1e1000000", "exponent too large", 1, 1),
    ("(1/0)", "division by zero in number", 1, 2),
    ("#u8(1 256)", "bytevector element must be an exact integer 0..255", 1, 7),
    ("#u8(a)", "bytevector element must be an exact integer 0..255", 1, 5),
    ("#u8(1.0)", "bytevector element must be an exact integer 0..255", 1, 5),
    ("#u8((1))", "bytevector element must be an exact integer 0..255", 1, 5),
    ("'", "missing datum after quote", 1, 1),
    ("(a ')", "expected a datum after quote but found ')'", 1, 5),
    ("(a #;]", "expected a datum after #; but found ']'", 1, 6),
    ("#;", "missing datum after #;", 1, 1),
    ("#0=", "missing datum after #0=", 1, 1),
    ("#q", "bad # syntax", 1, 1),
    ("#", "bad # syntax", 1, 1),
    ("#12x", "bad # syntax", 1, 1),
    ("#u9(1)", "bad # syntax", 1, 1),
    ("#!foo", "unknown directive", 1, 1),
])
def test_errors(text, message, line, column):
    error = read_error(text)
    assert error.message.startswith(message)
    assert error.loc == SourceLoc("<string>", line, column)


@pytest.mark.parametrize("text", ["(a", "#(", "'", "(a #;", "#0=", '"ab', "|ab", "#| x",
                                  "#\\", "(a .", "[(a) 'b"])
def test_end_of_input_errors_say_so(text):
    # hawk.vm.ports asks an interactive port for more text on exactly these.
    assert read_error(text).message.startswith(("unterminated", "missing datum after"))


def test_error_irritants_and_file_name():
    with pytest.raises(ReadError) as info:
        read_all("\n\n  (foo #\\bogus)", "prog.scm")
    assert info.value.irritants == ["#\\bogus"]
    assert str(info.value.loc) == "prog.scm:3:8"


# Pieces of text that exercise every branch of the scanner and parser.
_FUZZ_PIECES = st.sampled_from(list("()[]#\\|\"';`,@.+-eix/0129afu8!=; \n\ttλ")
                               + ["#0=", "#1=", "#0#", "#1#", "#;", "#|", "|#", "#("])
_FUZZ_TEXT = st.lists(_FUZZ_PIECES, max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(_FUZZ_TEXT)
def test_only_read_errors_escape(text):
    try:
        data = read_all(text)
    except ReadError as error:
        assert error.loc is not None and error.loc.line >= 1 and error.loc.column >= 1
    else:
        assert not _contains_placeholder(data)


def _contains_placeholder(data) -> bool:
    """Did a datum-label placeholder leak into the data read?"""
    seen = set()
    stack = list(data)
    while stack:
        node = stack.pop()
        if isinstance(node, _Placeholder):
            return True
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Pair):
            stack += [node.car, node.cdr]
        elif isinstance(node, Vector):
            stack += node
    return False
