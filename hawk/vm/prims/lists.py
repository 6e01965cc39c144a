"""Pair and list primitives (R7RS 6.4).

Why this shape: the c[ad]r family is generated from its names (car and cdr
included: the interpreter runs those through opcodes anyway), and the
member/assoc families from one table of (name, equivalence). Every walk
along a list detects cycles, so a circular argument is an error rather than
a hang. `member` and `assoc` with a predicate argument must call Scheme
code, which a primitive cannot do; they reject that form (the Scheme
library can define the three-argument versions).
"""
from __future__ import annotations

from itertools import product

from hawk.errors import SchemeError
from hawk.vm import values as V
from hawk.vm.bytecode import Op
from hawk.vm.primspec import primitive
from hawk.vm.prims.common import check_pair, list_items, natural
from hawk.vm.prims.equality import eq, equal, eqv

CAR, CDR = 1, 2          # payload word offsets of a pair's fields


def pairs(vm, name: str, w: int):
    """Yield the successive pairs of the list `w` (stopping at any
    non-pair); a circular list is an error."""
    W = vm.W
    start = slow = w
    n = 0
    while (w & 7) == V.TAG_PAIR:
        yield w
        w = W[(w >> 3) + CDR]
        n += 1
        if n & 1 == 0:
            slow = W[(slow >> 3) + CDR]
            if slow == w:
                raise SchemeError(f"{name}: circular list", [start])


# ---- pairs ------------------------------------------------------------------------

@primitive("cons", 2, opcode=Op.CONS)
def cons(vm, a, d):
    return vm.data.cons(a, d)


def _make_cxr(name, path):
    offsets = [CAR if c == "a" else CDR for c in reversed(path)]

    def cxr(vm, w):
        W = vm.W
        x = w
        for offset in offsets:
            if (x & 7) != V.TAG_PAIR:
                raise SchemeError(f"{name}: not a pair", [w])
            x = W[(x >> 3) + offset]
        return x
    return cxr


_CXR_OPCODES = {"car": Op.CAR, "cdr": Op.CDR}
for _depth in (1, 2, 3, 4):
    for _path in product("ad", repeat=_depth):
        _name = "c" + "".join(_path) + "r"
        # the (scheme cxr) four-deep ones are rare: no PRIM slot for them
        primitive(_name, 1, opcode=_CXR_OPCODES.get(_name), integrable=_depth < 4)(
            _make_cxr(_name, _path))


def _make_setter(name, offset):
    def setter(vm, p, x):
        vm.W[(check_pair(name, p) >> 3) + offset] = x
        return V.UNSPECIFIED
    return setter


primitive("set-car!", 2, opcode=Op.SETCAR)(_make_setter("set-car!", CAR))
primitive("set-cdr!", 2, opcode=Op.SETCDR)(_make_setter("set-cdr!", CDR))


@primitive("pair?", 1, opcode=Op.PAIRP)
def pair_p(vm, w):
    return V.boolean((w & 7) == V.TAG_PAIR)


@primitive("null?", 1, opcode=Op.NULLP)
def null_p(vm, w):
    return V.boolean(w == V.NIL)


# ---- lists --------------------------------------------------------------------------

@primitive("list?", 1)
def list_p(vm, w):
    return V.boolean(vm.data.list_items(w) is not None)


@primitive("list", 0, None)
def list_(vm, *items):
    return vm.data.list(items)


@primitive("make-list", 1, 2)
def make_list(vm, k, fill=V.FALSE):
    return vm.data.list([fill] * natural("make-list", k))


@primitive("length", 1)
def length(vm, w):
    return V.fixnum(len(list_items(vm, "length", w)))


@primitive("append", 0, None)
def append(vm, *args):
    if not args:
        return V.NIL
    result = args[-1]
    for w in reversed(args[:-1]):
        result = vm.data.list(list_items(vm, "append", w), result)
    return result


@primitive("reverse", 1)
def reverse(vm, w):
    result = V.NIL
    for x in list_items(vm, "reverse", w):
        result = vm.data.cons(x, result)
    return result


def _tail(vm, name, w, k):
    """The list `w` after `k` (a fixnum word) cdrs."""
    W = vm.W
    for _ in range(natural(name, k)):
        if (w & 7) != V.TAG_PAIR:
            raise SchemeError(f"{name}: index out of range", [k])
        w = W[(w >> 3) + CDR]
    return w


@primitive("list-tail", 2)
def list_tail(vm, w, k):
    return _tail(vm, "list-tail", w, k)


@primitive("list-ref", 2)
def list_ref(vm, w, k):
    p = _tail(vm, "list-ref", w, k)
    if (p & 7) != V.TAG_PAIR:
        raise SchemeError("list-ref: index out of range", [k])
    return vm.W[(p >> 3) + CAR]


@primitive("list-set!", 3, integrable=False)
def list_set(vm, w, k, x):
    p = _tail(vm, "list-set!", w, k)
    if (p & 7) != V.TAG_PAIR:
        raise SchemeError("list-set!: index out of range", [k])
    vm.W[(p >> 3) + CAR] = x
    return V.UNSPECIFIED


@primitive("list-copy", 1)
def list_copy(vm, w):
    W = vm.W
    spine = list(pairs(vm, "list-copy", w))
    if not spine:
        return w
    return vm.data.list([W[(p >> 3) + CAR] for p in spine], W[(spine[-1] >> 3) + CDR])


@primitive("last-pair", 1)
def last_pair(vm, w):
    last = check_pair("last-pair", w)
    for last in pairs(vm, "last-pair", w):
        pass
    return last


# ---- searching ------------------------------------------------------------------------

def _searched(vm, name: str, w: int):
    """The pairs of the list searched, `w`, which R7RS requires to be a
    list: reaching an end other than () is an error."""
    end = w
    for p in pairs(vm, name, w):
        yield p
        end = vm.W[(p >> 3) + CDR]
    if end != V.NIL:
        raise SchemeError(f"{name}: not a proper list", [w])


def _make_member(name, same):
    def member(vm, x, w):
        W = vm.W
        for p in _searched(vm, name, w):
            if same(vm, x, W[(p >> 3) + CAR]):
                return p
        return V.FALSE
    return member


def _make_assoc(name, same):
    def assoc(vm, x, w):
        W = vm.W
        for p in _searched(vm, name, w):
            entry = W[(p >> 3) + CAR]
            if same(vm, x, W[(check_pair(name, entry) >> 3) + CAR]):
                return entry
        return V.FALSE
    return assoc


# member name, assoc name, equivalence. The three-argument member and assoc
# (with a predicate, which calls back into Scheme) are in hawk/lib/prelude.scm.
_SEARCHES = [("memq", "assq", eq), ("memv", "assv", eqv), ("member", "assoc", equal)]
for _member, _assoc, _same in _SEARCHES:
    primitive(_member, 2)(_make_member(_member, _same))
    primitive(_assoc, 2)(_make_assoc(_assoc, _same))
