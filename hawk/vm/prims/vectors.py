"""Vector and bytevector primitives (R7RS 6.8, 6.9).

Why this shape: vectors and bytevectors offer the same operations (make,
construct, length, ref, set!, copy, copy!, append) over a run of elements
in native memory: tagged words in the W view for a vector, bytes in the U8
view for a bytevector. One descriptor per kind says where the elements are
and how an element converts to and from a word, and each operation is
written once over the descriptors. The vector-only procedures follow.
"""
from __future__ import annotations

import array
from collections.abc import Callable

from hawk.errors import SchemeError
from hawk.record import record
from hawk.vm import values as V
from hawk.vm.bytecode import Op
from hawk.vm.objects import T
from hawk.vm.primspec import primitive
from hawk.vm.prims.common import check_object, index, is_object, list_items, natural, span


def _byte(name: str, w: int) -> int:
    if (w & 7) != 0 or not 0 <= (w >> 3) <= 255:
        raise SchemeError(f"{name}: not a byte", [w])
    return w >> 3


@record(frozen=True, slots=False)
class _Kind:
    prefix: str                          # "vector" or "bytevector"
    type_: T
    view: str                            # attribute of Memory holding the elements
    start: Callable[[object, int], int]  # (vm, w) -> view index of element 0
    length: Callable[[object, int], int]
    build: Callable[[object, object], int]   # (vm, raw elements) -> new object
    unwrap: Callable[[str, int], int]    # (name, word) -> raw element, checked
    wrap: Callable[[int], int]           # raw element -> word
    fill: int                            # default fill word for make-


VECTOR_FILL = V.FALSE           # make-vector's default fill (hawk.jit.recorder makes vectors too)

_KINDS = [
    _Kind("vector", T.VECTOR, "W", lambda vm, w: (w >> 3) + 1, lambda vm, w: vm.data.size(w),
          lambda vm, items: vm.data.vector(items), lambda name, w: w, lambda x: x, VECTOR_FILL),
    _Kind("bytevector", T.BYTEVECTOR, "U8", lambda vm, w: vm.data.bytevector_index(w),
          lambda vm, w: vm.W[(w >> 3) + 1] >> 3, lambda vm, items: vm.data.bytevector(bytes(items)),
          _byte, V.fixnum, 0),
]

_OPCODES = {"vector-length": Op.VLEN, "vector-ref": Op.VREF, "vector-set!": Op.VSET}


def _register(kind: _Kind) -> None:
    """Define the operations common to vectors and bytevectors for `kind`."""
    p = kind.prefix
    ref_name = p + "-ref" if p == "vector" else "bytevector-u8-ref"
    set_name = p + "-set!" if p == "vector" else "bytevector-u8-set!"

    def checked(vm, name, w):
        """(memory view, index of element 0, length) of argument `w`."""
        check_object(vm, name, w, kind.type_)
        return getattr(vm.mem, kind.view), kind.start(vm, w), kind.length(vm, w)

    def predicate(vm, w):
        return V.boolean(is_object(vm, w, kind.type_))

    def make(vm, k, fill=kind.fill):
        return kind.build(vm, [kind.unwrap("make-" + p, fill)] * natural("make-" + p, k))

    def construct(vm, *items):
        return kind.build(vm, [kind.unwrap(p, w) for w in items])

    def length(vm, w):
        return V.fixnum(checked(vm, p + "-length", w)[2])

    def ref(vm, w, k):
        view, start, n = checked(vm, ref_name, w)
        return kind.wrap(view[start + index(ref_name, k, n)])

    def set_(vm, w, k, x):
        view, start, n = checked(vm, set_name, w)
        view[start + index(set_name, k, n)] = kind.unwrap(set_name, x)
        return V.UNSPECIFIED

    def copy(vm, w, start=None, end=None):
        view, base, n = checked(vm, p + "-copy", w)
        s, e = span(p + "-copy", n, start, end)
        return kind.build(vm, view[base + s:base + e])

    def copy_into(vm, to, at, source, start=None, end=None):
        name = p + "-copy!"
        view, dst, n = checked(vm, name, to)
        _, src, m = checked(vm, name, source)
        s, e = span(name, m, start, end)
        a = natural(name, at)
        if a + (e - s) > n:
            raise SchemeError(f"{name}: not enough room in the destination", [at])
        view[dst + a:dst + a + e - s] = view[src + s:src + e]     # memmove semantics
        return V.UNSPECIFIED

    def append(vm, *args):
        items = []
        for w in args:
            view, base, n = checked(vm, p + "-append", w)
            items.extend(view[base:base + n])
        return kind.build(vm, items)

    primitive(p + "?", 1)(predicate)
    primitive("make-" + p, 1, 2)(make)
    primitive(p, 0, None)(construct)
    primitive(p + "-length", 1, opcode=_OPCODES.get(p + "-length"))(length)
    primitive(ref_name, 2, opcode=_OPCODES.get(ref_name))(ref)
    primitive(set_name, 3, opcode=_OPCODES.get(set_name))(set_)
    primitive(p + "-copy", 1, 3)(copy)
    primitive(p + "-copy!", 3, 5)(copy_into)
    primitive(p + "-append", 0, None)(append)


for _kind in _KINDS:
    _register(_kind)


# ---- vector-only procedures --------------------------------------------------------

def _bounds(vm, name, w, start, end) -> tuple[int, int]:
    """W indices [i, j) of vector `w`'s elements start..end."""
    check_object(vm, name, w, T.VECTOR)
    s, e = span(name, vm.data.size(w), start, end)
    first = (w >> 3) + 1
    return first + s, first + e


@primitive("vector->list", 1, 3)
def vector_to_list(vm, w, start=None, end=None):
    i, j = _bounds(vm, "vector->list", w, start, end)
    return vm.data.list(list(vm.W[i:j]))


@primitive("list->vector", 1)
def list_to_vector(vm, w):
    return vm.data.vector(list_items(vm, "list->vector", w))


@primitive("vector-fill!", 2, 4)
def vector_fill(vm, w, x, start=None, end=None):
    i, j = _bounds(vm, "vector-fill!", w, start, end)
    vm.W[i:j] = array.array("q", [x]) * (j - i)
    return V.UNSPECIFIED
