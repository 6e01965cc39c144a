"""Argument checks shared by the primitive modules.

Why: every primitive must reject bad arguments with a SchemeError whose
message starts with its own name and whose irritant is the offending word;
spelling the checks out once keeps the messages uniform ("vector-ref: not
a vector", "string-ref: index out of range").
"""
from __future__ import annotations

import operator

from hawk.errors import SchemeError
from hawk.vm import values as V
from hawk.vm.objects import T

# The comparison families of characters and strings: name suffix, test.
ORDERINGS = [("=?", operator.eq), ("<?", operator.lt), (">?", operator.gt),
             ("<=?", operator.le), (">=?", operator.ge)]

TYPE_NAMES = {T.STRING: "string", T.VECTOR: "vector", T.BYTEVECTOR: "bytevector"}


def is_object(vm, w: int, type_: int) -> bool:
    """Is `w` a pointer to a heap object of `type_` (object-tagged types)?"""
    return (w & 7) == V.TAG_OBJECT and (vm.W[w >> 3] & 0xff) == type_


def check_object(vm, name: str, w: int, type_: int) -> int:
    if (w & 7) != V.TAG_OBJECT or (vm.W[w >> 3] & 0xff) != type_:
        raise SchemeError(f"{name}: not a {TYPE_NAMES[type_]}", [w])
    return w


def check_pair(name: str, w: int) -> int:
    if (w & 7) != V.TAG_PAIR:
        raise SchemeError(f"{name}: not a pair", [w])
    return w


def check_char(name: str, w: int) -> int:
    """The code point of character `w`."""
    if (w & 0xff) != V.IMM_CHAR_TAG:
        raise SchemeError(f"{name}: not a character", [w])
    return w >> 8


def check_symbol(name: str, w: int) -> int:
    if (w & 7) != V.TAG_SYMBOL:
        raise SchemeError(f"{name}: not a symbol", [w])
    return w


def natural(name: str, w: int) -> int:
    """A non-negative fixnum argument (a length or a count)."""
    if (w & 7) != 0 or w < 0:
        raise SchemeError(f"{name}: not a non-negative exact integer", [w])
    return w >> 3


def index(name: str, w: int, n: int) -> int:
    """An index argument valid for a sequence of length `n`."""
    if (w & 7) != 0:
        raise SchemeError(f"{name}: not an exact integer", [w])
    k = w >> 3
    if not 0 <= k < n:
        raise SchemeError(f"{name}: index out of range", [w])
    return k


def span(name: str, n: int, start: int | None, end: int | None) -> tuple[int, int]:
    """The optional [start, end) arguments of a sequence operation on a
    sequence of length `n` (absent arguments are None)."""
    s = 0 if start is None else natural(name, start)
    e = n if end is None else natural(name, end)
    if not s <= e <= n:
        raise SchemeError(f"{name}: bad range", [w for w in (start, end) if w is not None])
    return s, e


def list_items(vm, name: str, w: int) -> list[int]:
    """The elements of a proper list argument."""
    items = vm.data.list_items(w)
    if items is None:
        raise SchemeError(f"{name}: not a proper list", [w])
    return items


def string_value(vm, name: str, w: int) -> str:
    return vm.data.string_value(check_object(vm, name, w, T.STRING))


def register_orderings(prefix: str, value, fold) -> None:
    """Register the ten comparison procedures `PREFIX=?` ... `PREFIX>=?` and
    `PREFIX-ci=?` ...: one or more arguments, each converted by
    `value(vm, name, w)` (and by `fold` for the -ci ones), adjacent pairs
    tested. Chars and strings both build their families here."""
    from hawk.vm.primspec import primitive
    for suffix, test in ORDERINGS:
        for folded in (False, True):
            name = prefix + ("-ci" if folded else "") + suffix
            primitive(name, 1, None)(_comparison(name, test, value, fold if folded else None))


def _comparison(name, test, value, fold):
    def compare(vm, *args):
        xs = [value(vm, name, w) for w in args]
        if fold is not None:
            xs = [fold(x) for x in xs]
        return V.boolean(all(test(a, b) for a, b in zip(xs, xs[1:])))
    return compare
