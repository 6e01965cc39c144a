"""String primitives (R7RS 6.7), plus the string/UTF-8 conversions of 6.9.

Why this shape: a string is a length plus one uint32 code point per
character (hawk.vm.objects), so single-character access and in-place
updates go straight to the U32 view at Data.string_index; operations that
build a new string go through a Python str and Data.string. The
comparison families come from common.register_orderings (the -ci ones compare
Unicode case-folded strings), case conversions from one table.
"""
from __future__ import annotations

import array

from hawk.errors import SchemeError
from hawk.vm import values as V
from hawk.vm.bytecode import Op
from hawk.vm.objects import T
from hawk.vm.primspec import primitive
from hawk.vm.prims.common import (check_char, register_orderings, check_object, index,
                                  is_object, list_items, natural, span,
                                  string_value)

SPACE = V.char(ord(" "))


def _checked(vm, name, w):
    """(U32 index of character 0, length) of string argument `w`."""
    check_object(vm, name, w, T.STRING)
    return vm.data.string_index(w), vm.data.string_length(w)


def _chars_to_str(name, words) -> str:
    return "".join(chr(check_char(name, c)) for c in words)


@primitive("string?", 1)
def string_p(vm, w):
    return V.boolean(is_object(vm, w, T.STRING))


@primitive("make-string", 1, 2)
def make_string(vm, k, fill=SPACE):
    return vm.data.make_string(natural("make-string", k), check_char("make-string", fill))


@primitive("string", 0, None)
def string(vm, *chars):
    return vm.data.string(_chars_to_str("string", chars))


@primitive("string-length", 1, opcode=Op.SLEN)
def string_length(vm, w):
    return V.fixnum(_checked(vm, "string-length", w)[1])


@primitive("string-ref", 2, opcode=Op.SREF)
def string_ref(vm, w, k):
    base, n = _checked(vm, "string-ref", w)
    return V.char(vm.mem.U32[base + index("string-ref", k, n)])


@primitive("string-set!", 3)
def string_set(vm, w, k, c):
    base, n = _checked(vm, "string-set!", w)
    vm.mem.U32[base + index("string-set!", k, n)] = check_char("string-set!", c)
    return V.UNSPECIFIED


def _make_copy(name):
    def copy(vm, w, start=None, end=None):
        s, e = span(name, _checked(vm, name, w)[1], start, end)
        return vm.data.string(vm.data.string_value(w)[s:e])
    return copy


for _name, _nmin in [("string-copy", 1), ("substring", 2)]:
    primitive(_name, _nmin, 3)(_make_copy(_name))


@primitive("string-append", 0, None)
def string_append(vm, *strings):
    return vm.data.string("".join(string_value(vm, "string-append", w) for w in strings))


@primitive("string-copy!", 3, 5)
def string_copy_into(vm, to, at, source, start=None, end=None):
    dst, n = _checked(vm, "string-copy!", to)
    src, m = _checked(vm, "string-copy!", source)
    s, e = span("string-copy!", m, start, end)
    a = natural("string-copy!", at)
    if a + (e - s) > n:
        raise SchemeError("string-copy!: not enough room in the destination", [at])
    U32 = vm.mem.U32
    U32[dst + a:dst + a + e - s] = U32[src + s:src + e]     # memmove semantics
    return V.UNSPECIFIED


@primitive("string-fill!", 2, 4)
def string_fill(vm, w, c, start=None, end=None):
    base, n = _checked(vm, "string-fill!", w)
    s, e = span("string-fill!", n, start, end)
    vm.mem.U32[base + s:base + e] = array.array("I", [check_char("string-fill!", c)]) * (e - s)
    return V.UNSPECIFIED


@primitive("string->list", 1, 3)
def string_to_list(vm, w, start=None, end=None):
    base, n = _checked(vm, "string->list", w)
    s, e = span("string->list", n, start, end)
    return vm.data.list([V.char(c) for c in vm.mem.U32[base + s:base + e]])


@primitive("list->string", 1)
def list_to_string(vm, w):
    return vm.data.string(_chars_to_str("list->string", list_items(vm, "list->string", w)))


@primitive("string->vector", 1, 3)
def string_to_vector(vm, w, start=None, end=None):
    base, n = _checked(vm, "string->vector", w)
    s, e = span("string->vector", n, start, end)
    return vm.data.vector([V.char(c) for c in vm.mem.U32[base + s:base + e]])


@primitive("vector->string", 1, 3)
def vector_to_string(vm, w, start=None, end=None):
    check_object(vm, "vector->string", w, T.VECTOR)
    s, e = span("vector->string", vm.data.size(w), start, end)
    return vm.data.string(_chars_to_str("vector->string", vm.data.fields(w)[s:e]))


register_orderings("string", string_value, str.casefold)


_CASE_CONVERSIONS = [("string-upcase", str.upper), ("string-downcase", str.lower),
                     ("string-foldcase", str.casefold)]


def _make_case_conversion(name, method):
    def convert(vm, w):
        return vm.data.string(method(string_value(vm, name, w)))
    return convert


for _name, _method in _CASE_CONVERSIONS:
    primitive(_name, 1)(_make_case_conversion(_name, _method))


@primitive("string->utf8", 1, 3)
def string_to_utf8(vm, w, start=None, end=None):
    s, e = span("string->utf8", _checked(vm, "string->utf8", w)[1], start, end)
    return vm.data.bytevector(vm.data.string_value(w)[s:e].encode("utf-8"))


@primitive("utf8->string", 1, 3)
def utf8_to_string(vm, w, start=None, end=None):
    data = vm.data.bytevector_value(check_object(vm, "utf8->string", w, T.BYTEVECTOR))
    s, e = span("utf8->string", len(data), start, end)
    try:
        return vm.data.string(data[s:e].decode("utf-8"))
    except UnicodeDecodeError:
        raise SchemeError("utf8->string: invalid UTF-8", [w]) from None
