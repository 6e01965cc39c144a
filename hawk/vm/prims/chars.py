"""Character primitives (R7RS 6.6).

Why this shape: characters are immediates holding a code point, so every
procedure here is a Python string operation on chr(code). The comparison
families (case-sensitive and -ci) come from common.register_orderings, the
predicates and case mappings from tables of str methods. Case mappings are
the simple (one character to one character) ones: where Python's full
mapping yields several characters (e.g. upcasing "ß"), the character is
left unchanged.
"""
from __future__ import annotations

import unicodedata

from hawk.errors import SchemeError
from hawk.vm import values as V
from hawk.vm.primspec import primitive
from hawk.vm.prims.common import check_char, register_orderings


def _case_map(code: int, method) -> int:
    mapped = method(chr(code))
    return ord(mapped) if len(mapped) == 1 else code


@primitive("char?", 1)
def char_p(vm, w):
    return V.boolean((w & 0xff) == V.IMM_CHAR_TAG)


@primitive("char->integer", 1)
def char_to_integer(vm, w):
    return V.fixnum(check_char("char->integer", w))


@primitive("integer->char", 1)
def integer_to_char(vm, w):
    code = w >> 3
    if (w & 7) != 0 or not (0 <= code <= 0x10FFFF) or 0xD800 <= code <= 0xDFFF:
        raise SchemeError("integer->char: not a Unicode scalar value", [w])
    return V.char(code)


register_orderings("char", lambda vm, name, w: check_char(name, w),
                   lambda code: _case_map(code, str.casefold))


_PREDICATES = [
    ("char-alphabetic?", str.isalpha), ("char-numeric?", str.isdecimal),
    ("char-whitespace?", str.isspace), ("char-upper-case?", str.isupper),
    ("char-lower-case?", str.islower),
]


def _make_predicate(name, test):
    def predicate(vm, w):
        return V.boolean(test(chr(check_char(name, w))))
    return predicate


for _name, _test in _PREDICATES:
    primitive(_name, 1)(_make_predicate(_name, _test))


_CASE_MAPPINGS = [("char-upcase", str.upper), ("char-downcase", str.lower),
                  ("char-foldcase", str.casefold)]


def _make_case_mapping(name, method):
    def mapping(vm, w):
        return V.char(_case_map(check_char(name, w), method))
    return mapping


for _name, _method in _CASE_MAPPINGS:
    primitive(_name, 1)(_make_case_mapping(_name, _method))


@primitive("digit-value", 1)
def digit_value(vm, w):
    value = unicodedata.decimal(chr(check_char("digit-value", w)), None)
    return V.FALSE if value is None else V.fixnum(value)
