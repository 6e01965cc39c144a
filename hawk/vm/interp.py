"""The bytecode interpreter's hot loop.

One function, all state in Python locals (`base`, `pc`, `code`, `consts`,
`f`), instructions pre-decoded to (op, a, b, c) tuples, and if-chains:
opcode numbers follow execution frequency (hawk/vm/bytecode.py), so one
range test picks a group and a short chain the handler. CPython 3.11 has
no computed goto; bench/dispatch.py measures if-chains against a table of
handler closures (docs/architecture.md records the choice). This loop is
the reference engine and the one under the JIT: without the JIT, `run`
hands over to the faster blocks engine (hawk/vm/specialize.py) unless
HAWK_ENGINE=loop or the code runs once (the runtime library's top level);
see engine_for. Both engines carry the JIT's hooks.

Only the common cases live here (fixnum arithmetic, bytecode calls and
returns, primitive calls); anything slow calls out to hawk.vm.vm or
hawk.vm.arith. Python exceptions raised by primitives are turned into
Scheme conditions by `VM.signal`.
"""
from __future__ import annotations

import os

from hawk.errors import SchemeError, SchemeExit
from hawk.gc.memory import BC_INTERP, HLIMIT, HP
from hawk.vm import arith
from hawk.vm import values as V
from hawk.vm.bytecode import HOST_LINK, LINK_PC_MASK, Op
from hawk.vm.loader import BYTECODE, NATIVE
from hawk.vm.objects import PAIR_HEADER, SIZE_SHIFT, T
from hawk.vm.primspec import INTEGRABLE
from hawk.vm.vm import HostReturn, arity_error

FALSE, TRUE, NIL, UNBOUND = V.FALSE, V.TRUE, V.NIL, V.UNBOUND
CLOSURE_HEADER_TYPE = int(T.CLOSURE)
(FUNCF, FUNCV, FUNCC, LOOP, JMP, MOV, KSHORT, KCONST, GGET, GSET, GDEF, UGET, BOX,
 UNBOX, SETBOX, CLOSURE, SETFREE, CHKDEF, NEG, CALL, CALLT, RET, PRIM, ADD, SUB, MUL, DIV,
 ADDN, SUBN, QUO, REM, MOD, ISLT, ISNLT, ISLE, ISNLE, ISNUM, ISNNUM, ISEQ, ISNE, ISEQV,
 ISNEV, IST, ISF, NOT, EQ, NULLP, PAIRP, CAR, CDR, CONS, SETCAR, SETCDR, VREF, VSET,
 VLEN, SREF, SLEN) = (int(getattr(Op, n)) for n in (
    "FUNCF FUNCV FUNCC LOOP JMP MOV KSHORT KCONST GGET GSET GDEF UGET BOX UNBOX SETBOX "
    "CLOSURE SETFREE CHKDEF NEG CALL CALLT RET PRIM ADD SUB MUL DIV ADDN SUBN QUO REM MOD "
    "ISLT ISNLT ISLE ISNLE ISNUM ISNNUM ISEQ ISNE ISEQV ISNEV IST ISF NOT EQ NULLP PAIRP "
    "CAR CDR CONS SETCAR SETCDR VREF VSET VLEN SREF SLEN").split())

# the first opcode of each dispatch group (see hawk/vm/bytecode.py)
SPLIT_FREQUENT, SPLIT_BRANCHES, SPLIT_COMMON = int(Op.CALL), int(Op.KSHORT), int(Op.MUL)

_BRANCH_TESTS = {
    ISLT: arith.lt, ISNLT: lambda vm, x, y: not arith.lt(vm, x, y),
    ISLE: arith.le, ISNLE: lambda vm, x, y: not arith.le(vm, x, y),
    ISNUM: arith.num_eq, ISNNUM: lambda vm, x, y: not arith.num_eq(vm, x, y),
}
_ARITH = {ADD: arith.add, SUB: arith.sub, MUL: arith.mul, DIV: arith.div,
          QUO: arith.quotient, REM: arith.remainder, MOD: arith.modulo}


ENGINE = os.environ.get("HAWK_ENGINE", "auto")


def engine_for(vm) -> str:
    """The engine that runs `vm`'s code: HAWK_ENGINE if set, else the loop
    engine under the JIT and the blocks engine without. Why: under the
    JIT, hot code leaves for traces after a few hundred instructions, so
    generating Python for each function first (~80 us per instruction,
    inside the program's run, again for every pc a trace exit lands on)
    cost more than it saved: on the r7rs benchmarks' timed parts codegen
    was 20-120 ms against 1-12 ms of interpreting (docs/architecture.md,
    "Engines")."""
    if ENGINE != "auto":
        return ENGINE
    return "loop" if vm.jit is not None else "blocks"


def run(vm, closure: int, args: list[int], once: bool = False) -> int:
    """Run `closure` on `args` (tagged words) until it returns to Python
    (on the engine engine_for picks, the loop if `once`: see VM.run)."""
    if not once and engine_for(vm) == "blocks":
        from hawk.vm import specialize
        return specialize.run(vm, closure, args)
    W = vm.W
    U32 = vm.mem.U32
    funcs = vm.funcs
    alloc = vm.heap.alloc
    stack_limit = vm.stack_limit
    jit = vm.jit
    try:
        base, f, pc, nargs = vm.enter_from_host(closure, args)
    except HostReturn as r:
        return r.value
    code = f.code
    consts = f.consts
    steps = 0               # instructions executed: -p reads W[BC_INTERP]
    try:
        while True:
            try:
                while True:
                    op, a, b, c = code[pc]
                    steps += 1
                    # one range test picks a group of opcodes (hawk/vm/bytecode.py
                    # numbers them by frequency), then a short chain the handler
                    if op < SPLIT_FREQUENT:
                        if op == MOV:
                            W[base + a] = W[base + b]
                            pc += 1
                        elif op == ADD:
                            x = W[base + b]
                            y = W[base + c]
                            if (x | y) & 7:
                                W[base + a] = arith.add(vm, x, y)
                            else:
                                try:
                                    W[base + a] = x + y
                                except ValueError:
                                    W[base + a] = arith.add(vm, x, y)
                            pc += 1
                        elif op == ADDN:
                            x = W[base + b]
                            if x & 7:
                                W[base + a] = arith.add(vm, x, c)
                            else:
                                try:
                                    W[base + a] = x + c
                                except ValueError:
                                    W[base + a] = arith.add(vm, x, c)
                            pc += 1
                        elif op == JMP:
                            pc = b
                        elif op == LOOP:
                            if W[HP] > W[HLIMIT]:
                                vm.collect(base + f.framesize, base)
                            f.hot -= 1
                            if f.hot <= 0 and jit is not None:
                                base, f, pc = jit.loop(f, pc, base)     # record and/or run a trace
                                code = f.code
                                consts = f.consts
                            else:
                                pc += 1
                        elif op == GGET:
                            v = W[(consts[b] >> 3) + 1]
                            if v == UNBOUND:
                                raise _unbound(vm, consts[b])
                            W[base + a] = v
                            pc += 1
                        elif op == FUNCF:
                            if nargs != b:
                                raise arity_error(vm, f, nargs)
                            if base + a > stack_limit:
                                raise SchemeError("stack overflow (recursion too deep)", [])
                            if W[HP] > W[HLIMIT]:
                                vm.collect(base + a, base)
                            f.hot -= 1
                            if f.hot <= 0 and jit is not None:
                                base, f, pc = jit.func(f, base)     # record and/or run a trace
                                code = f.code
                                consts = f.consts
                            else:
                                pc += 1
                        else:
                            v = W[base + a]
                            link = W[base - 1]
                            if link == HOST_LINK:
                                return v
                            W[base - 2] = v
                            base -= (link >> 3) & 0xffff
                            pc = (link >> 19) & LINK_PC_MASK
                            g = funcs[W[(W[base - 2] >> 3) + 1] >> 3]
                            if g is f and jit is not None:     # a recursion unwinding
                                base, f, pc = jit.ret(f, pc, base)
                            else:
                                f = g
                            code = f.code
                            consts = f.consts
                    elif op < SPLIT_BRANCHES:
                        if op == CALL:
                            fn = W[base + a]
                            if (fn & 7) != 3:
                                raise SchemeError("attempt to apply a non-procedure", [fn])
                            g = funcs[W[(fn >> 3) + 1] >> 3]
                            nb = base + a + 2
                            W[nb - 1] = (f.link | ((pc + 1) << 16) | (a + 2)) << 3   # link_word
                            if g.kind == BYTECODE:
                                base = nb
                                nargs = b
                                f = g
                                code = g.code
                                consts = g.consts
                                pc = 0
                            elif g.kind == NATIVE and g.nparams <= b and (g.nmax is None or b <= g.nmax):
                                W[base + a] = g.fn(vm, *W[nb:nb + b])
                                pc += 1
                            else:
                                base, f, pc, nargs = vm.invoke(g, nb, b)
                                code = f.code
                                consts = f.consts
                        elif op == SUBN:
                            x = W[base + b]
                            if x & 7:
                                W[base + a] = arith.sub(vm, x, c)
                            else:
                                try:
                                    W[base + a] = x - c
                                except ValueError:
                                    W[base + a] = arith.sub(vm, x, c)
                            pc += 1
                        else:
                            x = W[base + a]
                            y = W[base + b]
                            if (x | y) & 7:
                                t = _BRANCH_TESTS[op](vm, x, y)
                            elif op == ISLT:
                                t = x < y
                            elif op == ISNLT:
                                t = x >= y
                            elif op == ISLE:
                                t = x <= y
                            elif op == ISNLE:
                                t = x > y
                            else:
                                t = (x == y) == (op == ISNUM)
                            pc = code[pc + 1][2] if t else pc + 2
                    elif op < SPLIT_COMMON:
                        if op == KSHORT:
                            W[base + a] = b
                            pc += 1
                        elif op == CALLT:
                            fn = W[base + a]
                            if (fn & 7) != 3:
                                raise SchemeError("attempt to apply a non-procedure", [fn])
                            g = funcs[W[(fn >> 3) + 1] >> 3]
                            W[base - 2] = fn
                            W[base:base + b] = W[base + a + 2:base + a + 2 + b]
                            nargs = b
                            if g.kind == BYTECODE:
                                f = g
                                code = g.code
                                consts = g.consts
                                pc = 0
                            else:
                                base, f, pc, nargs = vm.invoke(g, base, b)
                                code = f.code
                                consts = f.consts
                        elif op == CAR or op == CDR:
                            x = W[base + b]
                            if (x & 7) != 1:
                                raise SchemeError(("car" if op == CAR else "cdr") + ": not a pair", [x])
                            W[base + a] = W[(x >> 3) + (1 if op == CAR else 2)]
                            pc += 1
                        elif op == IST:
                            pc = code[pc + 1][2] if W[base + b] != FALSE else pc + 2
                        elif op == ISF:
                            pc = code[pc + 1][2] if W[base + b] == FALSE else pc + 2
                        elif op == ISEQ:
                            pc = code[pc + 1][2] if W[base + a] == W[base + b] else pc + 2
                        elif op == ISNE:
                            pc = code[pc + 1][2] if W[base + a] != W[base + b] else pc + 2
                        elif op == NULLP:
                            W[base + a] = TRUE if W[base + b] == NIL else FALSE
                            pc += 1
                        elif op == SUB:
                            x = W[base + b]
                            y = W[base + c]
                            if (x | y) & 7:
                                W[base + a] = arith.sub(vm, x, y)
                            else:
                                try:
                                    W[base + a] = x - y
                                except ValueError:
                                    W[base + a] = arith.sub(vm, x, y)
                            pc += 1
                        elif op == KCONST:
                            W[base + a] = consts[b]
                            pc += 1
                        elif op == UGET:
                            W[base + a] = W[(W[base - 2] >> 3) + 2 + b]
                            pc += 1
                        elif op == PAIRP:
                            W[base + a] = TRUE if (W[base + b] & 7) == 1 else FALSE
                            pc += 1
                        elif op == NOT:
                            W[base + a] = TRUE if W[base + b] == FALSE else FALSE
                            pc += 1
                        elif op == CONS:
                            x = W[base + b]
                            y = W[base + c]
                            p = W[HP]
                            W[HP] = p + 24
                            i = p >> 3
                            W[i] = PAIR_HEADER
                            W[i + 1] = x
                            W[i + 2] = y
                            W[base + a] = p | 1
                            pc += 1
                        else:
                            W[base + a] = INTEGRABLE[c].fn(vm, *W[base + a:base + a + b])
                            pc += 1
                    else:
                        if op == MUL:
                            x = W[base + b]
                            y = W[base + c]
                            if (x | y) & 7:
                                W[base + a] = arith.mul(vm, x, y)
                            else:
                                try:
                                    W[base + a] = x * (y >> 3)
                                except ValueError:
                                    W[base + a] = arith.mul(vm, x, y)
                            pc += 1
                        elif op == VREF:
                            x = W[base + b]
                            k = W[base + c]
                            if (x & 7) != 5 or (W[x >> 3] & 0xff) != 6 or k & 7 or \
                                    not 0 <= (k >> 3) < (W[x >> 3] >> SIZE_SHIFT):
                                W[base + a] = _vector_ref_slow(vm, x, k)
                            else:
                                W[base + a] = W[(x >> 3) + 1 + (k >> 3)]
                            pc += 1
                        elif op == VSET:
                            x = W[base + a]
                            k = W[base + b]
                            if (x & 7) != 5 or (W[x >> 3] & 0xff) != 6 or k & 7 or \
                                    not 0 <= (k >> 3) < (W[x >> 3] >> SIZE_SHIFT):
                                _vector_ref_slow(vm, x, k, "vector-set!")
                            W[(x >> 3) + 1 + (k >> 3)] = W[base + c]
                            pc += 1
                        elif op == VLEN:
                            x = W[base + b]
                            if (x & 7) != 5 or (W[x >> 3] & 0xff) != 6:
                                raise SchemeError("vector-length: not a vector", [x])
                            W[base + a] = (W[x >> 3] >> SIZE_SHIFT) << 3
                            pc += 1
                        elif op == SREF:
                            x = W[base + b]
                            k = W[base + c]
                            if (x & 7) != 5 or (W[x >> 3] & 0xff) != 5 or k & 7 or \
                                    not 0 <= k < W[(x >> 3) + 1]:
                                _string_ref_check(vm, x, k)
                            W[base + a] = (U32[((x >> 3) + 2) * 2 + (k >> 3)] << 8) | 0x0e
                            pc += 1
                        elif op == SLEN:
                            x = W[base + b]
                            if (x & 7) != 5 or (W[x >> 3] & 0xff) != 5:
                                raise SchemeError("string-length: not a string", [x])
                            W[base + a] = W[(x >> 3) + 1]
                            pc += 1
                        elif op == UNBOX:
                            W[base + a] = W[(W[base + b] >> 3) + 1]
                            pc += 1
                        elif op == SETBOX:
                            W[(W[base + a] >> 3) + 1] = W[base + b]
                            pc += 1
                        elif op == BOX:
                            p = alloc(11, 1)
                            W[(p >> 3) + 1] = W[base + b]
                            W[base + a] = p | 5
                            pc += 1
                        elif op == CLOSURE:
                            g = f.children[b]
                            if g.upvals:
                                free = []
                                parent = W[base - 2] >> 3
                                for local, k in g.upvals:
                                    free.append(W[base + k] if local else W[parent + 2 + k])
                                W[base + a] = vm.closure_of(g, free)
                            else:
                                W[base + a] = vm.closure_of(g)
                            pc += 1
                        elif op == SETFREE:
                            W[(W[base + a] >> 3) + 2 + b] = W[base + c]
                            pc += 1
                        elif op == FUNCV:
                            if nargs < b:
                                raise arity_error(vm, f, nargs)
                            if base + a + nargs > stack_limit:
                                raise SchemeError("stack overflow (recursion too deep)", [])
                            W[base + b] = vm.data.list(W[base + b:base + nargs].tolist())
                            if W[HP] > W[HLIMIT]:
                                vm.collect(base + a, base)
                            f.hot -= 1
                            pc += 1
                        elif op == FUNCC:
                            W[base - 2] = f.clause_for(W, W[base - 2], nargs)
                            f = funcs[W[(W[base - 2] >> 3) + 1] >> 3]
                            code = f.code
                            consts = f.consts
                            pc = 0
                        elif op == ISEQV or op == ISNEV:
                            t = _eqv(vm, W[base + a], W[base + b]) == (op == ISEQV)
                            pc = code[pc + 1][2] if t else pc + 2
                        elif op == EQ:
                            W[base + a] = TRUE if W[base + b] == W[base + c] else FALSE
                            pc += 1
                        elif op == NEG:
                            W[base + a] = arith.neg(vm, W[base + b])
                            pc += 1
                        elif op in _ARITH:
                            W[base + a] = _ARITH[op](vm, W[base + b], W[base + c])
                            pc += 1
                        elif op == SETCAR or op == SETCDR:
                            x = W[base + a]
                            if (x & 7) != 1:
                                raise SchemeError(("set-car!" if op == SETCAR else "set-cdr!") +
                                                  ": not a pair", [x])
                            W[(x >> 3) + (1 if op == SETCAR else 2)] = W[base + b]
                            pc += 1
                        elif op == GSET:
                            cell = consts[b] >> 3
                            if W[cell + 1] == UNBOUND:
                                raise _unbound(vm, consts[b], "set!: ")
                            W[cell + 1] = W[base + a]
                            pc += 1
                        elif op == GDEF:
                            vm.define_cell(consts[b], W[base + a])
                            pc += 1
                        elif op == CHKDEF:
                            if W[base + a] == V.UNDEFINED:
                                raise SchemeError(f"{vm.data.from_word(consts[b]).name}: "
                                                  "used before its definition", [])
                            pc += 1
                        else:
                            raise SchemeError(f"internal: unknown opcode {op}", [])
            except HostReturn as r:
                return r.value
            except SchemeExit:
                raise
            except RecursionError:
                raise
            except Exception as e:          # noqa: BLE001 - every failure becomes a Scheme condition
                base, f, pc, nargs = vm.signal(e, f, pc, base)
                code = f.code
                consts = f.consts
    finally:
        if not once:                    # the runtime library's top level is start-up
            W[BC_INTERP] += steps


def _unbound(vm, cell: int, prefix: str = "") -> SchemeError:
    name = vm.data.symbol_name(vm.data.field(cell, 1))
    return SchemeError(f"{prefix}{name}", [], kind="unbound variable")   # printed "unbound variable: NAME"


def _vector_ref_slow(vm, x: int, k: int, who: str = "vector-ref") -> int:
    if vm.data.type_of(x) != T.VECTOR:
        raise SchemeError(f"{who}: not a vector", [x])
    if k & 7:
        raise SchemeError(f"{who}: index is not a fixnum", [k])
    raise SchemeError(f"{who}: index out of range", [k, x])


def _string_ref_check(vm, x: int, k: int) -> None:
    if vm.data.type_of(x) != T.STRING:
        raise SchemeError("string-ref: not a string", [x])
    if k & 7:
        raise SchemeError("string-ref: index is not a fixnum", [k])
    raise SchemeError("string-ref: index out of range", [k, x])


def _eqv(vm, x: int, y: int) -> bool:
    if x == y:
        return True
    from hawk.vm.primspec import PRIMS
    return PRIMS["eqv?"].fn(vm, x, y) != FALSE

