"""Equivalence predicates, booleans, procedures and symbols (R7RS 6.1, 6.3,
6.5). `eqv` and `equal` are also used by memv/member/assv/assoc.

Why this shape: `eq?` is word identity. `eqv?` differs only on numbers held
in the heap (flonums, bignums, ratnums, compnums), which are compared by
value; flonums by their bits, so (eqv? 0.0 -0.0) is #f and a NaN is eqv? to
itself. `equal?` walks both structures with an explicit stack and assumes a
pair or vector pair already under comparison to be equal, which makes it
terminate on cyclic data (the coinductive reading R7RS asks for).
"""
from __future__ import annotations

from hawk.errors import SchemeError
from hawk.vm import values as V
from hawk.vm.bytecode import Op
from hawk.vm.objects import T
from hawk.vm.primspec import primitive
from hawk.vm.prims.common import check_symbol, string_value

_BOXED_NUMBERS = (T.BIGNUM, T.RATNUM)


def eq(vm, a: int, b: int) -> bool:
    return a == b


def eqv(vm, a: int, b: int) -> bool:
    if a == b:
        return True
    t = a & 7
    if t != (b & 7):
        return False
    W = vm.W
    if t == V.TAG_FLONUM:
        return W[(a >> 3) + 1] == W[(b >> 3) + 1]
    if t == V.TAG_OBJECT:
        ty = W[a >> 3] & 0xff
        if ty != (W[b >> 3] & 0xff):
            return False
        if ty in _BOXED_NUMBERS:
            return vm.data.number_value(a) == vm.data.number_value(b)
        if ty == T.COMPNUM:      # parts are flonums: compare their bits
            i, j = a >> 3, b >> 3
            return all(W[(W[i + k] >> 3) + 1] == W[(W[j + k] >> 3) + 1] for k in (1, 2))
    return False


def equal(vm, a: int, b: int) -> bool:
    W = vm.W
    mem = vm.mem
    data = vm.data
    assumed = set()          # (a, b) pairs of pairs/vectors under comparison
    stack = [(a, b)]
    while stack:
        a, b = stack.pop()
        if a == b:
            continue
        t = a & 7
        if t != (b & 7):
            return False
        if t == V.TAG_PAIR:
            if (a, b) not in assumed:
                assumed.add((a, b))
                i, j = a >> 3, b >> 3
                stack.append((W[i + 2], W[j + 2]))
                stack.append((W[i + 1], W[j + 1]))
            continue
        if t == V.TAG_OBJECT:
            ty = W[a >> 3] & 0xff
            if ty != (W[b >> 3] & 0xff):
                return False
            if ty == T.VECTOR:
                n = data.size(a)
                if n != data.size(b):
                    return False
                if (a, b) not in assumed:
                    assumed.add((a, b))
                    i, j = a >> 3, b >> 3
                    stack.extend(zip(W[i + 1:i + 1 + n], W[j + 1:j + 1 + n]))
                continue
            if ty == T.STRING:
                n = data.string_length(a)
                if n != data.string_length(b):
                    return False
                sa, sb = data.string_index(a), data.string_index(b)
                if mem.U32[sa:sa + n] != mem.U32[sb:sb + n]:
                    return False
                continue
            if ty == T.BYTEVECTOR:
                if data.bytevector_value(a) != data.bytevector_value(b):
                    return False
                continue
        if not eqv(vm, a, b):
            return False
    return True


def _make_predicate(same):
    def predicate(vm, a, b):
        return V.boolean(same(vm, a, b))
    return predicate


for _name, _same, _opcode in [("eq?", eq, Op.EQ), ("eqv?", eqv, None), ("equal?", equal, None)]:
    primitive(_name, 2, opcode=_opcode)(_make_predicate(_same))


@primitive("not", 1, opcode=Op.NOT)
def not_(vm, w):
    return V.boolean(w == V.FALSE)


@primitive("boolean?", 1)
def boolean_p(vm, w):
    return V.boolean(w == V.TRUE or w == V.FALSE)


@primitive("boolean=?", 2, None)
def boolean_eq(vm, *args):
    for w in args:
        if w != V.TRUE and w != V.FALSE:
            raise SchemeError("boolean=?: not a boolean", [w])
    return V.boolean(all(w == args[0] for w in args))


@primitive("procedure?", 1)
def procedure_p(vm, w):
    return V.boolean((w & 7) == V.TAG_CLOSURE)


@primitive("symbol?", 1)
def symbol_p(vm, w):
    return V.boolean((w & 7) == V.TAG_SYMBOL)


@primitive("symbol=?", 2, None)
def symbol_eq(vm, *args):
    for w in args:
        check_symbol("symbol=?", w)
    return V.boolean(all(w == args[0] for w in args))


@primitive("symbol->string", 1)
def symbol_to_string(vm, w):
    # a copy: the symbol's own name string must never be mutated
    return vm.data.string(vm.data.symbol_name(check_symbol("symbol->string", w)))


@primitive("string->symbol", 1)
def string_to_symbol(vm, w):
    return vm.data.intern(string_value(vm, "string->symbol", w))
