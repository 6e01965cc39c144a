"""Printing heap values: `write`, `display` and friends on tagged words.

Why: hawk.frontend.printer already knows every external representation
(numbers, strings, symbols, datum labels for shared and cyclic structure),
so a value is printed by converting it to frontend data (Data.from_word,
which keeps sharing and cycles) and handing it to that printer. Values with
no datum form come back from from_word as Word wrappers; they are replaced
by Opaque objects, which the frontend printer writes as `#<...>` with their
repr inside: #<procedure car>, #<record point 1 2>, #<port>, #<hash-table>,
#<promise> (a foreign object names its kind in `kind_name`).
A record's fields are printed recursively in the same mode; a record met
again inside its own fields prints as #<record name ...>.
"""
from __future__ import annotations

from hawk.frontend import printer as P
from hawk.frontend.datum import Pair, Vector
from hawk.vm import values as V
from hawk.vm.data import Word
from hawk.vm.objects import T


class Opaque:
    """Stands for a value without external representation; the frontend
    printer shows it as #<text>."""
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _describe(vm, w: int, to_text, records: set) -> str:
    """The text inside #<...> for a value that from_word left as a Word."""
    t = w & 7
    if t == V.TAG_CLOSURE:
        # the interpreter's VM knows procedure names; a bare State does not
        name = vm.func_of(w).name if hasattr(vm, "func_of") else "lambda"
        return "procedure" if name == "lambda" else f"procedure {name}"
    if t == V.TAG_IMM:
        return V.IMMEDIATE_NAMES.get(w, "#<immediate>")[2:-1]
    ty = vm.data.type_of(w)
    if ty == T.RECORD:
        rtd = vm.data.field(w, 0)
        name = vm.data.symbol_name(vm.data.field(rtd, 0))
        if w in records:
            return f"record {name} ..."
        records.add(w)
        fields = "".join(" " + _text(vm, f, to_text, records) for f in vm.data.fields(w)[1:])
        records.discard(w)
        return f"record {name}{fields}"
    if ty == T.RTD:
        return "record-type " + vm.data.symbol_name(vm.data.field(w, 0))
    if ty == T.FOREIGN:
        return getattr(vm.data.foreign_value(w), "kind_name", "foreign")
    if ty == T.CONT:
        return "continuation"
    return T(ty).name.lower()


def _text(vm, w: int, to_text, records: set) -> str:
    """Print `w` with `to_text` (a hawk.frontend.printer function)."""
    root = vm.data.from_word(w)

    def opaque(x):
        return Opaque(_describe(vm, x.word, to_text, records)) if isinstance(x, Word) else x

    root = opaque(root)
    seen = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if not isinstance(node, (Pair, Vector)) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Pair):
            node.car = opaque(node.car)
            node.cdr = opaque(node.cdr)
            stack += (node.car, node.cdr)
        else:
            node[:] = map(opaque, node)
            stack += node
    return to_text(root)


def write_word(vm, w: int) -> str:
    return _text(vm, w, P.write_string, set())


def write_shared_word(vm, w: int) -> str:
    return _text(vm, w, P.write_shared_string, set())


def write_simple_word(vm, w: int) -> str:
    return _text(vm, w, P.write_simple_string, set())


def display_word(vm, w: int) -> str:
    if (w & 7) == 0:                                      # common cases first
        return str(w >> 3)
    if vm.data.type_of(w) == T.STRING:
        return vm.data.string_value(w)
    return _text(vm, w, P.display_string, set())
