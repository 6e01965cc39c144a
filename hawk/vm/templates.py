"""The blocks engine's instruction templates: the Python source each
bytecode becomes in hawk.vm.specialize's generated functions.

One table, `TEMPLATES`, holds each opcode's source with {a} {b} {c} (and
derived, see `fields_of`) placeholders next to its control-flow kind; `BAKED`
is that table as generated, with the constants below written in as
literals (LOAD_CONST rather than LOAD_GLOBAL) and the JIT's lines kept or
left out. Frame slots appear only as `W[base + N]` reads and whole-line
`W[base + N] = ...` stores, the forms hawk.vm.forward rewrites.
"""
from __future__ import annotations

import re

from hawk.errors import SchemeError
from hawk.gc.memory import HP
from hawk.vm import arith
from hawk.vm import values as V
from hawk.vm.bytecode import HOST_LINK, LINK_PC_MASK, Op, link_word
from hawk.vm.interp import _eqv, _string_ref_check, _unbound, _vector_ref_slow
from hawk.vm.loader import BYTECODE, NATIVE
from hawk.vm.objects import PAIR_HEADER, SIZE_SHIFT
from hawk.vm.primspec import INTEGRABLE
from hawk.vm.vm import HostReturn, arity_error

NEST_MAX = 100          # nested Python calls of generated functions (0 under the JIT: its hooks rewrite the stack)
# The generated functions' `depth` argument: 2 * nesting level, plus 1 when
# the Python caller running the frame is the frame its RET returns to, so
# RET can hand it the value alone (see hawk.vm.specialize).
DEPTH_MAX = 2 * NEST_MAX

# Control-flow kinds: how an instruction ends (or not) its basic block.
SEQ = "seq"             # falls through to pc+1
BRANCH = "branch"       # compare-and-branch: taken -> the next JMP's target ({j}); else pc+2
JUMP = "jump"           # JMP: to {b}
EXIT = "exit"           # leaves the generated function (RET, CALLT, FUNCC)
CALL = "call"           # may leave (bytecode callee); returns at pc+1, a leader

# ---- the one table of per-opcode templates ------------------------------------------------
# Placeholders: {a} {b} {c} as pre-decoded by hawk.vm.loader.predecode (jump
# targets absolute, KSHORT/ADDN/SUBN immediates tagged), {j} the branch target
# (the following JMP's), {pc}, and derived: {a1}=a+1 {a2}=a+2 {pc1}=pc+1
# {b2}=b+2 {fs}=framesize {link}=the CALL's frame link word, {args} {pargs}
# a CALL's / PRIM's argument words, {moves} a CALLT's argument moves.
# Names the code sees: base pc nargs depth (state), f consts vm W U32 funcs
# alloc stack_limit limit (the heap's soft limit) IC{pc} G{b} (per Func), and
# the module globals below.

_CMP = """\
x = W[base + {a}]
y = W[base + {b}]
if (x | y) & 7:
    if {neg}arith.{fn}(vm, x, y): pc = {j}; continue
elif x {op} y: pc = {j}; continue"""

_ARITH2 = """\
x = W[base + {b}]
y = W[base + {c}]
if (x | y) & 7:
    W[base + {a}] = arith.{fn}(vm, x, y)
else:
    try:
        W[base + {a}] = {expr}
    except ValueError:
        W[base + {a}] = arith.{fn}(vm, x, y)"""

_ARITHN = """\
x = W[base + {b}]
if x & 7:
    W[base + {a}] = arith.{fn}(vm, x, {c})
else:
    try:
        W[base + {a}] = x {op} {c}
    except ValueError:
        W[base + {a}] = arith.{fn}(vm, x, {c})"""

# the callee's closure, and its generated function through the call site's
# inline cache IC{pc} = [closure word, generated function, Func] (see _lookup)
_CALLEE = """\
fn = W[base + {a}]
if fn == IC{pc}[0]:
    s = IC{pc}[1]
else:
    s = _lookup(vm, fn, IC{pc})"""

# a CALL of anything but generated code: bytecode not generated yet (to
# the driver), a primitive in line, apply/call/cc/continuations (_invoke)
_CALL_OTHER = """\
g = funcs[W[(fn >> 3) + 1] >> 3]
if g.kind == BYTECODE:
    return base + {a2}, g, 0, {b}
if g.kind == NATIVE and g.nparams <= {b} and (g.nmax is None or {b} <= g.nmax):
    W[base + {a}] = g.fn(vm, {args})
else:
    return _invoke(vm, g, base + {a2}, {b}, depth)"""


def _indent(t: str) -> str:
    return "\n".join("    " + line for line in t.split("\n"))


# a collection moves objects under the slots that callers nested below
# this frame keep in locals: they are all dropped (Unwind to the driver)
_SAFEPOINT = """\
if W[HP] > limit[0]:
    vm.collect(base + {sp}, base)
    if depth:
        raise Unwind((base, f, {pc1}, nargs))"""

# the JIT's hooks, as in the loop engine: count down the hotness counter;
# when it runs out, record and/or run a trace and continue wherever it left
# off (see _after_jit). Lines marked JIT_ONLY are left out of the code
# generated for a VM without a JIT (the default, --joff): a third of the
# instructions of FUNCF, and fib(25) ~6% faster.
JIT_ONLY = "  # jit"
_HOT = "\nf.hot -= 1" + JIT_ONLY
_JIT_HOOK = _HOT + """
if f.hot <= 0:  # jit
    return _after_jit(vm, vm.jit.{hook}, nargs)  # jit"""


def _partial(t: str, **kw) -> str:
    """Fill some placeholders of a template now, leaving the rest."""
    for k, v in kw.items():
        t = t.replace("{" + k + "}", v)
    return t


# GGET of a global that no loaded code assigns (see hawk.vm.objects
# CELL_ASSIGNED): its value comes from the cache G{b} = [word or None],
# which a collection empties (the value may move) and _promote fills.
CACHED_GGET = "GGET cached"

TEMPLATES: dict[Op | str, tuple[str, str]] = {
    Op.MOV: (SEQ, "W[base + {a}] = W[base + {b}]"),
    Op.ADD: (SEQ, _partial(_ARITH2, fn="add", expr="x + y")),
    Op.SUB: (SEQ, _partial(_ARITH2, fn="sub", expr="x - y")),
    Op.MUL: (SEQ, _partial(_ARITH2, fn="mul", expr="x * (y >> 3)")),
    Op.ADDN: (SEQ, _partial(_ARITHN, fn="add", op="+")),
    Op.SUBN: (SEQ, _partial(_ARITHN, fn="sub", op="-")),
    Op.NEG: (SEQ, "W[base + {a}] = arith.neg(vm, W[base + {b}])"),
    Op.DIV: (SEQ, "W[base + {a}] = arith.div(vm, W[base + {b}], W[base + {c}])"),
    Op.QUO: (SEQ, "W[base + {a}] = arith.quotient(vm, W[base + {b}], W[base + {c}])"),
    Op.REM: (SEQ, "W[base + {a}] = arith.remainder(vm, W[base + {b}], W[base + {c}])"),
    Op.MOD: (SEQ, "W[base + {a}] = arith.modulo(vm, W[base + {b}], W[base + {c}])"),
    Op.JMP: (JUMP, "pc = {b}; continue"),
    Op.LOOP: (SEQ, _partial(_SAFEPOINT, sp="{fs}") + _partial(_JIT_HOOK, hook="loop(f, {pc}, base)")),
    Op.GGET: (SEQ, """\
v = W[(consts[{b}] >> 3) + 1]
if v == UNBOUND:
    raise _unbound(vm, consts[{b}])
W[base + {a}] = v"""),
    CACHED_GGET: (SEQ, """\
v = G{b}[0]
if v is None:
    v = _promote(vm, consts[{b}], G{b})
W[base + {a}] = v"""),
    Op.FUNCF: (SEQ, """\
if nargs != {b}:
    raise arity_error(vm, f, nargs)
if base + {a} > stack_limit:
    raise SchemeError("stack overflow (recursion too deep)", [])
""" + _partial(_SAFEPOINT, sp="{a}") + _partial(_JIT_HOOK, hook="func(f, base)")),
    Op.FUNCV: (SEQ, """\
if nargs < {b}:
    raise arity_error(vm, f, nargs)
if base + {a} + nargs > stack_limit:
    raise SchemeError("stack overflow (recursion too deep)", [])
W[base + {b}] = vm.data.list(W[base + {b}:base + nargs].tolist())
""" + _partial(_SAFEPOINT, sp="{a}") + _HOT),
    Op.FUNCC: (EXIT, """\
W[base - 2] = f.clause_for(W, W[base - 2], nargs)
return base, funcs[W[(W[base - 2] >> 3) + 1] >> 3], 0, nargs"""),
    Op.RET: (EXIT, """\
v = W[base + {a}]
if depth & 1:               # to the Python caller running this frame, which stores
    return v                # v unless dead; no link to read (never HOST_LINK there)
link = W[base - 1]
if link == HOST_LINK:
    raise HostReturn(v)
W[base - 2] = v
nb = base - ((link >> 3) & 0xffff)
return nb, None, (link >> 19) & LINK_PC_MASK, v"""),
    Op.CALL: (CALL, _CALLEE + """
W[base + {a1}] = {link}
if s is not None:
    if depth >= DEPTH_MAX:
        return base + {a2}, IC{pc}[2], 0, {b}
    v = s(base + {a2}, 0, {b}, (depth | 1) + 2)
    if v.__class__ is tuple:
        v = _drive(vm, v, base, {a2}, depth)
        if v.__class__ is tuple:
            return v
    W[base + {a}] = v
else:
""" + _indent(_CALL_OTHER)),
    Op.CALLT: (EXIT, _CALLEE + """
W[base - 2] = fn
{moves}
if s is not None:
    if IC{pc}[2] is f:      # a self tail call: loop in this Python frame
        nargs = {b}
        pc = 0; continue
    return base, IC{pc}[2], 0, {b}
g = funcs[W[(fn >> 3) + 1] >> 3]
if g.kind == BYTECODE:
    return base, g, 0, {b}
return _invoke(vm, g, base, {b}, depth)"""),
    Op.ISLT: (BRANCH, _partial(_CMP, neg="", fn="lt", op="<")),
    Op.ISNLT: (BRANCH, _partial(_CMP, neg="not ", fn="lt", op=">=")),
    Op.ISLE: (BRANCH, _partial(_CMP, neg="", fn="le", op="<=")),
    Op.ISNLE: (BRANCH, _partial(_CMP, neg="not ", fn="le", op=">")),
    Op.ISNUM: (BRANCH, _partial(_CMP, neg="", fn="num_eq", op="==")),
    Op.ISNNUM: (BRANCH, _partial(_CMP, neg="not ", fn="num_eq", op="!=")),
    Op.IST: (BRANCH, "if W[base + {b}] != FALSE: pc = {j}; continue"),
    Op.ISF: (BRANCH, "if W[base + {b}] == FALSE: pc = {j}; continue"),
    Op.ISEQ: (BRANCH, "if W[base + {a}] == W[base + {b}]: pc = {j}; continue"),
    Op.ISNE: (BRANCH, "if W[base + {a}] != W[base + {b}]: pc = {j}; continue"),
    Op.ISEQV: (BRANCH, "if _eqv(vm, W[base + {a}], W[base + {b}]): pc = {j}; continue"),
    Op.ISNEV: (BRANCH, "if not _eqv(vm, W[base + {a}], W[base + {b}]): pc = {j}; continue"),
    Op.KSHORT: (SEQ, "W[base + {a}] = {b}"),
    Op.KCONST: (SEQ, "W[base + {a}] = consts[{b}]"),
    Op.UGET: (SEQ, "W[base + {a}] = W[(W[base - 2] >> 3) + {b2}]"),
    Op.CAR: (SEQ, """\
x = W[base + {b}]
if (x & 7) != 1:
    raise SchemeError("car: not a pair", [x])
W[base + {a}] = W[(x >> 3) + 1]"""),
    Op.CDR: (SEQ, """\
x = W[base + {b}]
if (x & 7) != 1:
    raise SchemeError("cdr: not a pair", [x])
W[base + {a}] = W[(x >> 3) + 2]"""),
    Op.NULLP: (SEQ, "W[base + {a}] = TRUE if W[base + {b}] == NIL else FALSE"),
    Op.PAIRP: (SEQ, "W[base + {a}] = TRUE if (W[base + {b}] & 7) == 1 else FALSE"),
    Op.NOT: (SEQ, "W[base + {a}] = TRUE if W[base + {b}] == FALSE else FALSE"),
    Op.EQ: (SEQ, "W[base + {a}] = TRUE if W[base + {b}] == W[base + {c}] else FALSE"),
    Op.CONS: (SEQ, """\
x = W[base + {b}]
y = W[base + {c}]
p = W[HP]
W[HP] = p + 24
i = p >> 3
W[i] = PAIR_HEADER
W[i + 1] = x
W[i + 2] = y
W[base + {a}] = p | 1"""),
    Op.PRIM: (SEQ, "W[base + {a}] = INTEGRABLE[{c}].fn(vm, {pargs})"),
    Op.VREF: (SEQ, """\
x = W[base + {b}]
k = W[base + {c}]
if (x & 7) != 5 or (W[x >> 3] & 0xff) != 6 or k & 7 or \\
        not 0 <= (k >> 3) < (W[x >> 3] >> SIZE_SHIFT):
    W[base + {a}] = _vector_ref_slow(vm, x, k)
else:
    W[base + {a}] = W[(x >> 3) + 1 + (k >> 3)]"""),
    Op.VSET: (SEQ, """\
x = W[base + {a}]
k = W[base + {b}]
if (x & 7) != 5 or (W[x >> 3] & 0xff) != 6 or k & 7 or \\
        not 0 <= (k >> 3) < (W[x >> 3] >> SIZE_SHIFT):
    _vector_ref_slow(vm, x, k, "vector-set!")
W[(x >> 3) + 1 + (k >> 3)] = W[base + {c}]"""),
    Op.VLEN: (SEQ, """\
x = W[base + {b}]
if (x & 7) != 5 or (W[x >> 3] & 0xff) != 6:
    raise SchemeError("vector-length: not a vector", [x])
W[base + {a}] = (W[x >> 3] >> SIZE_SHIFT) << 3"""),
    Op.SREF: (SEQ, """\
x = W[base + {b}]
k = W[base + {c}]
if (x & 7) != 5 or (W[x >> 3] & 0xff) != 5 or k & 7 or \\
        not 0 <= k < W[(x >> 3) + 1]:
    _string_ref_check(vm, x, k)
W[base + {a}] = (U32[((x >> 3) + 2) * 2 + (k >> 3)] << 8) | 0x0e"""),
    Op.SLEN: (SEQ, """\
x = W[base + {b}]
if (x & 7) != 5 or (W[x >> 3] & 0xff) != 5:
    raise SchemeError("string-length: not a string", [x])
W[base + {a}] = W[(x >> 3) + 1]"""),
    Op.UNBOX: (SEQ, "W[base + {a}] = W[(W[base + {b}] >> 3) + 1]"),
    Op.SETBOX: (SEQ, "W[(W[base + {a}] >> 3) + 1] = W[base + {b}]"),
    Op.BOX: (SEQ, """\
p = alloc(11, 1)
W[(p >> 3) + 1] = W[base + {b}]
W[base + {a}] = p | 5"""),
    Op.CLOSURE: (SEQ, """\
g = f.children[{b}]
if g.upvals:
    free = []
    parent = W[base - 2] >> 3
    for local, k in g.upvals:
        free.append(W[base + k] if local else W[parent + 2 + k])
    W[base + {a}] = vm.closure_of(g, free)
else:
    W[base + {a}] = vm.closure_of(g)"""),
    Op.SETFREE: (SEQ, "W[(W[base + {a}] >> 3) + {b2}] = W[base + {c}]"),
    Op.SETCAR: (SEQ, """\
x = W[base + {a}]
if (x & 7) != 1:
    raise SchemeError("set-car!: not a pair", [x])
W[(x >> 3) + 1] = W[base + {b}]"""),
    Op.SETCDR: (SEQ, """\
x = W[base + {a}]
if (x & 7) != 1:
    raise SchemeError("set-cdr!: not a pair", [x])
W[(x >> 3) + 2] = W[base + {b}]"""),
    Op.GSET: (SEQ, """\
if W[(consts[{b}] >> 3) + 1] == UNBOUND:
    raise _unbound(vm, consts[{b}], "set!: ")
W[(consts[{b}] >> 3) + 1] = W[base + {a}]"""),
    Op.GDEF: (SEQ, "vm.define_cell(consts[{b}], W[base + {a}])"),
    Op.CHKDEF: (SEQ, """\
if W[base + {a}] == UNDEFINED:
    raise SchemeError(vm.data.from_word(consts[{b}]).name + ": used before its definition", [])"""),
}

# Under the JIT, every call goes back to the driver (NEST_MAX 0): a CALL
# without the nested call, which would be dead code. Why: the generated
# function is regenerated as traces add exits to it (Func.expect_exits),
# inside a program's timed run, and compiling it costs by its length.
JIT_TEMPLATES = {**TEMPLATES, Op.CALL: (CALL, _CALLEE + """
W[base + {a1}] = {link}
if s is not None:
    return base + {a2}, IC{pc}[2], 0, {b}
""" + _CALL_OTHER)}

# the templates as generated: constants of the table above baked in as literals
# (LOAD_CONST rather than LOAD_GLOBAL)
_CONSTANTS = dict(HP=HP, FALSE=V.FALSE, TRUE=V.TRUE, NIL=V.NIL, UNBOUND=V.UNBOUND,
                  UNDEFINED=V.UNDEFINED, HOST_LINK=HOST_LINK, BYTECODE=BYTECODE, NATIVE=NATIVE,
                  LINK_PC_MASK=LINK_PC_MASK, PAIR_HEADER=PAIR_HEADER, SIZE_SHIFT=SIZE_SHIFT, DEPTH_MAX=DEPTH_MAX)


def _bake(t: str, **more) -> str:
    consts = {**_CONSTANTS, **more}
    return re.sub(r"\b(" + "|".join(consts) + r")\b", lambda m: str(consts[m.group(1)]), t)


def _for_jit(t: str, jit: bool) -> str:
    """A template with its JIT_ONLY lines kept (unmarked) or left out."""
    lines = t.split("\n")
    if jit:
        return "\n".join(line.removesuffix(JIT_ONLY) for line in lines)
    return "\n".join(line for line in lines if not line.endswith(JIT_ONLY))


BAKED = {jit: {op: (kind, _bake(_for_jit(t, jit)))
                for op, (kind, t) in (JIT_TEMPLATES if jit else TEMPLATES).items()}
          for jit in (False, True)}
UNKNOWN = (EXIT, 'raise SchemeError("internal: unknown opcode {op}", [])')
OFF_END = 'raise IndexError("list index out of range")'   # the loop's code[pc] past the end

# module globals the generated code uses
GLOBALS = dict(
    arith=arith, SchemeError=SchemeError, HostReturn=HostReturn, arity_error=arity_error,
    _unbound=_unbound, _vector_ref_slow=_vector_ref_slow, _string_ref_check=_string_ref_check,
    _eqv=_eqv, INTEGRABLE=INTEGRABLE, FALSE=V.FALSE, TRUE=V.TRUE, NIL=V.NIL,
    UNBOUND=V.UNBOUND, UNDEFINED=V.UNDEFINED, HP=HP, PAIR_HEADER=PAIR_HEADER,
    SIZE_SHIFT=SIZE_SHIFT, HOST_LINK=HOST_LINK, BYTECODE=BYTECODE, NATIVE=NATIVE)


UNROLL = 4      # argument words moved one by one up to this many: a memoryview
                # slice copy costs about as much as three single moves


def _words(first: int, n: int) -> str:
    """Slots first..first+n-1 as call arguments."""
    if n > UNROLL:
        return f"*W[base + {first}:base + {first + n}]"
    return ", ".join(f"W[base + {first + i}]" for i in range(n))


def _moves(a: int, n: int) -> str:
    """A tail call's arguments (from slot a+2 on) moved down to slot 0 on;
    in ascending order, each source is read before any move overwrites it."""
    if n > UNROLL:
        return f"W[base:base + {n}] = W[base + {a + 2}:base + {a + 2 + n}]"
    return "\n".join(f"W[base + {i}] = W[base + {a + 2 + i}]" for i in range(n))


def fields_of(f, pc: int, ins: tuple) -> dict:
    op, a, b, c = ins
    code = f.code
    return dict(a=a, b=b, c=c, pc=pc, op=op, j=code[pc + 1][2] if pc + 1 < len(code) else -1,
                a1=a + 1, a2=a + 2, b2=b + 2, fs=f.framesize, pc1=pc + 1,
                link=link_word(f.link, pc + 1, a + 2), args=_words(a + 2, b), pargs=_words(a, b),
                moves=_moves(a, b))
