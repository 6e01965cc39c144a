"""Tests for hawk.frontend.printer: the text of each kind of datum, datum
labels in the three write modes, no recursion on big data, and round trips
through the reader (read(write(x)) equals x; write-shared keeps sharing)."""
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from hawk.frontend.datum import (DEFAULT, EOF, NIL, UNSPECIFIED, Char, MString, Pair,
                                 Symbol, Vector, from_list, sym)
from hawk.frontend.printer import (display_string, write_shared_string,
                                   write_simple_string, write_string)
from hawk.frontend.reader import read_all


def read1(text):
    data = read_all(text)
    assert len(data) == 1, (text, data)
    return data[0]


# --- equality helpers ----------------------------------------------------------

def _float_equal(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def _atom_equal(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return _float_equal(a, b)
    if isinstance(a, complex):
        return _float_equal(a.real, b.real) and _float_equal(a.imag, b.imag)
    if isinstance(a, Symbol):
        return a is b
    return a == b


def datum_equal(a, b) -> bool:
    """Structural equality: nan equals nan, -0.0 differs from 0.0, and cyclic
    data compares equal when it unfolds to the same infinite tree."""
    assumed = set()
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if isinstance(x, (Pair, Vector)) or isinstance(y, (Pair, Vector)):
            if type(x) is not type(y):
                return False
            if (id(x), id(y)) in assumed:
                continue
            assumed.add((id(x), id(y)))
            if isinstance(x, Pair):
                stack += [(x.car, y.car), (x.cdr, y.cdr)]
            elif len(x) != len(y):
                return False
            else:
                stack += zip(x, y)
        elif not _atom_equal(x, y):
            return False
    return True


def same_graph(a, b) -> bool:
    """datum_equal, and the pairs and vectors of `a` correspond one-to-one to
    those of `b` (sharing and cycles are reproduced exactly)."""
    forward, backward = {}, {}
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if not isinstance(x, (Pair, Vector)):
            if not _atom_equal(x, y):
                return False
            continue
        if type(x) is not type(y):
            return False
        if id(x) in forward or id(y) in backward:
            if forward.get(id(x)) is not y or backward.get(id(y)) is not x:
                return False
            continue
        forward[id(x)], backward[id(y)] = y, x
        if isinstance(x, Pair):
            stack += [(x.car, y.car), (x.cdr, y.cdr)]
        elif len(x) != len(y):
            return False
        else:
            stack += zip(x, y)
    return True


# --- atoms ---------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (0, "0"), (-42, "-42"), (10 ** 30, "1" + "0" * 30),
    (Fraction(1, 2), "1/2"), (Fraction(-7, 3), "-7/3"),
    (1.0, "1.0"), (0.1, "0.1"), (-0.0, "-0.0"), (1e100, "1e+100"), (1e-7, "1e-7"),
    (1.5e-7, "1.5e-7"), (1e16, "1e+16"), (123456789.0, "123456789.0"),
    (math.inf, "+inf.0"), (-math.inf, "-inf.0"), (math.nan, "+nan.0"),
    (1 + 2j, "1.0+2.0i"), (1 - 2j, "1.0-2.0i"), (complex(math.inf, 1), "+inf.0+1.0i"),
    (complex(0, -math.inf), "-inf.0i"), (complex(0, 2), "+2.0i"), (complex(-0.0, 2), "-0.0+2.0i"), (complex(1, math.nan), "1.0+nan.0i"),
    (True, "#t"), (False, "#f"), (NIL, "()"), (EOF, "#<eof>"),
    (UNSPECIFIED, "#<unspecified>"), (DEFAULT, "#<default>"),
    (bytearray([1, 2, 255]), "#u8(1 2 255)"), (bytearray(), "#u8()"),
])
def test_atoms(value, text):
    assert write_string(value) == text
    assert display_string(value) == text


def test_integers_beyond_python_str_limit():
    n = 7 * (10 ** 9000 - 1) // 9
    assert write_string(n) == "7" * 9000
    assert write_string(-n) == "-" + "7" * 9000
    assert write_string(Fraction(1, 10 ** 5000)) == "1/1" + "0" * 5000


@pytest.mark.parametrize("code, text", [
    (97, "#\\a"), (32, "#\\space"), (10, "#\\newline"), (0, "#\\null"), (7, "#\\alarm"),
    (8, "#\\backspace"), (9, "#\\tab"), (13, "#\\return"), (27, "#\\escape"),
    (127, "#\\delete"), (0x3BB, "#\\λ"), (ord("x"), "#\\x"), (ord("("), "#\\("),
    (1, "#\\x1"), (0xA0, "#\\xa0"), (0x2028, "#\\x2028"),
])
def test_write_characters(code, text):
    assert write_string(Char(code)) == text


def test_display_characters_and_strings_raw():
    assert display_string(Char(0x3BB)) == "λ"
    assert display_string(Char(32)) == " "
    assert display_string(MString('a "b"\n')) == 'a "b"\n'
    assert display_string(from_list([MString("a b"), Char(99), sym("x y")])) == "(a b c x y)"


@pytest.mark.parametrize("value, text", [
    ("abc", '"abc"'), ("", '""'), ('say "hi"', r'"say \"hi\""'), ("a\\b", r'"a\\b"'),
    ("a\nb\tc\rd", r'"a\nb\tc\rd"'), ("\a\b", r'"\a\b"'), ("\x00\x7f", r'"\x0;\x7f;"'),
    ("λ☃|", '"λ☃|"'),
])
def test_write_strings(value, text):
    assert write_string(MString(value)) == text


@pytest.mark.parametrize("name, text", [
    ("abc", "abc"), ("hello world", "|hello world|"), ("", "||"), ("1", "|1|"),
    ("+", "+"), ("-", "-"), ("...", "..."), ("->x", "->x"), ("1+", "1+"), ("λ", "λ"),
    ("a|b", r"|a\|b|"), (".", "|.|"), ("#t", "|#t|"), ("1/2", "|1/2|"), ("1/0", "|1/0|"),
    ("+i", "|+i|"), ("a(b", "|a(b|"), ("'a", "|'a|"), ("a;b", "|a;b|"), ("tab\t", r"|tab\t|"),
    ('say"', '|say"|'), ("back\\slash", "back\\slash"), ("\x00", r"|\x0;|"),
])
def test_write_symbols(name, text):
    assert write_string(sym(name)) == text
    assert display_string(sym(name)) == name


def test_lists_vectors_and_quote_forms():
    assert write_string(from_list([1, 2, 3])) == "(1 2 3)"
    assert write_string(Pair(1, 2)) == "(1 . 2)"
    assert write_string(from_list([1, 2], 3)) == "(1 2 . 3)"
    assert write_string(from_list([from_list([1]), Vector([2, Vector()])])) == "((1) #(2 #()))"
    assert write_string(Vector([NIL, Pair(1, 2)])) == "#(() (1 . 2))"
    assert write_string(read1("'(a `b ,c ,@d)")) == \
        "(quote (a (quasiquote b) (unquote c) (unquote-splicing d)))"


def test_unknown_objects():
    assert write_string(object).startswith("#<")


# --- datum labels -----------------------------------------------------------------------

def _circular(*items):
    head = from_list(items)
    last = head
    while last.cdr is not NIL:
        last = last.cdr
    last.cdr = head
    return head


def test_cycles_get_labels_in_write_and_display():
    ring = _circular(sym("a"), sym("b"))
    assert write_string(ring) == "#0=(a b . #0#)"
    assert display_string(ring) == "#0=(a b . #0#)"
    assert write_shared_string(ring) == "#0=(a b . #0#)"
    vector = Vector([1, None])
    vector[1] = vector
    assert write_string(vector) == "#0=#(1 #0#)"


def test_sharing_without_cycles_only_labelled_by_write_shared():
    shared = from_list([1])
    data = from_list([shared, shared, Vector([shared])])
    assert write_string(data) == "((1) (1) #((1)))"
    assert write_simple_string(data) == "((1) (1) #((1)))"
    assert write_shared_string(data) == "(#0=(1) #0# #(#0#))"


def test_shared_tail_is_printed_dotted():
    tail = from_list([2, 3])
    data = from_list([from_list([1], tail), tail])
    assert write_shared_string(data) == "((1 . #0=(2 3)) #0#)"


def test_labels_numbered_in_print_order():
    a, b = from_list([1]), from_list([2])
    data = from_list([b, a, a, b])
    assert write_shared_string(data) == "(#0=(2) #1=(1) #1# #0#)"


def test_cycle_through_car():
    pair = Pair(None, NIL)
    pair.car = pair
    assert write_string(pair) == "#0=(#0#)"


# --- big data ---------------------------------------------------------------------------

def test_million_element_list():
    data = from_list(range(1_000_000))
    text = write_string(data)
    assert text.startswith("(0 1 2 ") and text.endswith(" 999999)")
    assert write_shared_string(data) == text


def test_deeply_nested_cars_and_vectors():
    nested = NIL
    for _ in range(100_000):
        nested = Pair(nested, NIL)
    assert write_string(nested) == "(" * 100_000 + "()" + ")" * 100_000
    vector = Vector()
    for _ in range(100_000):
        vector = Vector([vector, 1])
    text = write_string(vector)
    assert text.startswith("#(#(#(") and text.endswith(" 1) 1)")


def test_long_cycle():
    ring = _circular(*range(100_000))
    text = write_string(ring)
    assert text.startswith("#0=(0 1 ") and text.endswith(" 99999 . #0#)")


# --- round trips ---------------------------------------------------------------------------

def _normalise(fraction: Fraction):
    return fraction.numerator if fraction.denominator == 1 else fraction


atoms = st.one_of(
    st.booleans(),
    st.just(NIL),
    st.integers(),
    st.integers(min_value=-10 ** 60, max_value=10 ** 60),
    st.fractions().map(_normalise),
    st.floats(),
    st.complex_numbers(),
    st.text().map(MString),
    st.characters(exclude_categories=("Cs",)).map(lambda c: Char(ord(c))),   # chars are scalar values
    st.text().map(sym),
    st.sampled_from(["+", "-", "...", "1+", ".", "|", "#", "a b", "", "λ"]).map(sym),
    st.binary().map(bytearray),
)


def _compounds(children):
    return st.one_of(
        st.lists(children).map(from_list),
        st.tuples(st.lists(children, min_size=1), children).map(
            lambda items_tail: from_list(*items_tail)),
        st.lists(children).map(Vector),
    )


data = st.recursive(atoms, _compounds, max_leaves=40)


@settings(max_examples=250, deadline=None)
@given(data)
def test_write_then_read_round_trip(datum):
    text = write_string(datum)
    assert datum_equal(read1(text), datum), text


@settings(max_examples=100, deadline=None)
@given(data)
def test_write_simple_agrees_with_write_on_acyclic_data(datum):
    assert write_simple_string(datum) == write_string(datum)


@st.composite
def graphs(draw):
    """A random graph of pairs and vectors (shared and cyclic) whose slots
    hold other nodes or atoms; returns its first node."""
    count = draw(st.integers(1, 6))
    nodes = [Pair(None, None) if draw(st.booleans())
             else Vector([None] * draw(st.integers(0, 3)))
             for _ in range(count)]
    slot = st.one_of(st.sampled_from(nodes), atoms)
    for node in nodes:
        if isinstance(node, Pair):
            node.car, node.cdr = draw(slot), draw(slot)
        else:
            for i in range(len(node)):
                node[i] = draw(slot)
    return nodes[0]


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_write_shared_round_trip_keeps_sharing(root):
    text = write_shared_string(root)
    assert same_graph(root, read1(text)), text


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_write_round_trip_on_cyclic_data(root):
    text = write_string(root)
    assert datum_equal(root, read1(text)), text
    display_string(root)  # terminates


def test_shared_round_trip_examples():
    for text in ["#0=(a . #0#)", "(#0=(x y) #0# . #0#)", "#0=#(1 #0# (#0#))",
                 "#0=(a #1=(b . #0#) . #1#)", "#0=(#0# . #0#)"]:
        datum = read1(text)
        assert write_shared_string(datum) == text
        assert datum_equal(datum, read1(write_string(datum)))
