"""The bytecode instruction set: one table that the compiler, the
interpreter, `hawk --list` and (later) the trace recorder all derive from.

Format (LuaJIT's): 32-bit words, opcode in bits 0-7, A in 8-15, and either
C in 16-23 and B in 24-31, or a 16-bit D in 16-31. Jump targets are
`pc + 1 + D - JUMP_BIAS`. Registers are frame slots relative to `base`.

Frame layout (word slots on the native stack):
  base-2   the running closure
  base-1   the frame link: a fixnum naming the caller's function, the
           return pc and the distance down to the caller's base
           (`link_word`), or HOST_LINK for a frame entered from Python
  base+0.. R[0], R[1], ...: arguments first, then locals and temporaries

A call `CALL A B` puts the callee in R[A], leaves R[A+1] for the link,
passes B arguments in R[A+2 .. A+1+B]; the callee's base is base+A+2 and its
single result lands in R[A]. A procedure returning other than one value
returns a VALUES object (see hawk.vm.objects).

Compare-and-branch instructions (IS*) are always followed by a JMP: when the
test holds, the JMP is taken; otherwise it is skipped.

The table is ordered by how often each instruction executes in the
benchmarks (counted with bench/programs), in groups the interpreter tests
with one range comparison each: opcode numbers are dispatch order.
"""
from __future__ import annotations

from enum import IntEnum

from hawk.record import record

JUMP_BIAS = 0x8000
HOST_LINK = -8          # fixnum -1: the frame returns to the Python caller

# The frame link's fields: (func << 40) | (return pc << 16) | (base - caller
# base), as a fixnum. The caller's function id is there so that a trace
# returning below its entry guards the link word alone: before, it also
# loaded the caller's closure from its frame and compared its function,
# two dependent loads on every such return (fib, tak). Function ids from
# LINK_FUNC_ANY on share that field value, so their links name no function
# and the trace guards the closure as before.
LINK_UP_MASK = 0xffff    # the callee's base - the caller's base, in words
LINK_PC_BITS = 24
LINK_PC_MASK = (1 << LINK_PC_BITS) - 1
LINK_FUNC_SHIFT = 16 + LINK_PC_BITS
LINK_FUNC_ANY = (1 << (60 - LINK_FUNC_SHIFT)) - 1


def link_bits(func_id: int) -> int:
    """The function field of the links a function's calls write (Func.link)."""
    return min(func_id, LINK_FUNC_ANY) << LINK_FUNC_SHIFT


def link_word(bits: int, pc: int, up: int) -> int:
    """The link a call at `pc - 1` of the function with link_bits `bits`
    writes, for a callee frame `up` words above the caller's base (the
    interpreters inline this)."""
    return (bits | (pc << 16) | up) << 3


def link_pc(link: int) -> int:
    """The pc a frame with this link returns to in its caller."""
    return (link >> 19) & LINK_PC_MASK


def link_func(link: int) -> int | None:
    """The id of the caller's function, if the link names one."""
    f = link >> (LINK_FUNC_SHIFT + 3)
    return None if f == LINK_FUNC_ANY else f


@record(frozen=True)
class OpSpec:
    name: str
    mode: str           # "ABC" or "AD"
    a: str              # operand kinds: reg, lit, slit, const, jump, proto, prim, uv, -
    b: str
    c: str              # for mode AD, c is the kind of D and b is "-"
    doc: str
    safepoint: bool = False


_SPECS = [
    # most frequent (dispatched first; see hawk/vm/interp.py)
    OpSpec("MOV", "AD", "reg", "-", "reg", "R[A] = R[D]"),
    OpSpec("ADD", "ABC", "reg", "reg", "reg", "R[A] = R[B] + R[C]"),
    OpSpec("ADDN", "ABC", "reg", "reg", "slit", "R[A] = R[B] + fixnum C (signed 8-bit)"),
    OpSpec("JMP", "AD", "-", "-", "jump", "pc += D"),
    OpSpec("LOOP", "AD", "-", "-", "-", "loop header (target of lowered self tail calls)", True),
    OpSpec("GGET", "AD", "reg", "-", "const", "R[A] = value of global cell K[D] (error if unbound)"),
    OpSpec("FUNCF", "AD", "lit", "-", "lit", "fixed-arity entry: A = frame size, D = nparams", True),
    OpSpec("RET", "AD", "reg", "-", "-", "return R[A]"),
    # frequent: calls, fixnum arithmetic, compare-and-branch (followed by a JMP taken when the test holds)
    OpSpec("CALL", "ABC", "reg", "lit", "-", "R[A] = R[A](R[A+2] .. R[A+1+B])"),
    OpSpec("SUBN", "ABC", "reg", "reg", "slit", "R[A] = R[B] - fixnum C (signed 8-bit)"),
    OpSpec("ISLT", "AD", "reg", "-", "reg", "R[A] < R[D]"),
    OpSpec("ISNLT", "AD", "reg", "-", "reg", "not (R[A] < R[D])"),
    OpSpec("ISLE", "AD", "reg", "-", "reg", "R[A] <= R[D]"),
    OpSpec("ISNLE", "AD", "reg", "-", "reg", "not (R[A] <= R[D])"),
    OpSpec("ISNUM", "AD", "reg", "-", "reg", "R[A] = R[D] (numeric)"),
    OpSpec("ISNNUM", "AD", "reg", "-", "reg", "not (R[A] = R[D]) (numeric)"),
    # common
    OpSpec("KSHORT", "AD", "reg", "-", "slit", "R[A] = fixnum D (signed 16-bit)"),
    OpSpec("CALLT", "ABC", "reg", "lit", "-", "tail call R[A](R[A+2] .. R[A+1+B])"),
    OpSpec("CAR", "AD", "reg", "-", "reg", "R[A] = (car R[D])"),
    OpSpec("CDR", "AD", "reg", "-", "reg", "R[A] = (cdr R[D])"),
    OpSpec("IST", "AD", "-", "-", "reg", "R[D] is not #f"),
    OpSpec("ISF", "AD", "-", "-", "reg", "R[D] is #f"),
    OpSpec("ISEQ", "AD", "reg", "-", "reg", "(eq? R[A] R[D])"),
    OpSpec("ISNE", "AD", "reg", "-", "reg", "not (eq? R[A] R[D])"),
    OpSpec("NULLP", "AD", "reg", "-", "reg", "R[A] = (null? R[D])"),
    OpSpec("SUB", "ABC", "reg", "reg", "reg", "R[A] = R[B] - R[C]"),
    OpSpec("KCONST", "AD", "reg", "-", "const", "R[A] = K[D]"),
    OpSpec("UGET", "AD", "reg", "-", "uv", "R[A] = free variable D of the running closure"),
    OpSpec("PAIRP", "AD", "reg", "-", "reg", "R[A] = (pair? R[D])"),
    OpSpec("NOT", "AD", "reg", "-", "reg", "R[A] = (not R[D])"),
    OpSpec("CONS", "ABC", "reg", "reg", "reg", "R[A] = (cons R[B] R[C])"),
    OpSpec("PRIM", "ABC", "reg", "lit", "prim", "R[A] = primitive C applied to R[A] .. R[A+B-1]"),
    # the rest
    OpSpec("MUL", "ABC", "reg", "reg", "reg", "R[A] = R[B] * R[C]"),
    OpSpec("VREF", "ABC", "reg", "reg", "reg", "R[A] = (vector-ref R[B] R[C])"),
    OpSpec("VSET", "ABC", "reg", "reg", "reg", "(vector-set! R[A] R[B] R[C])"),
    OpSpec("VLEN", "AD", "reg", "-", "reg", "R[A] = (vector-length R[D])"),
    OpSpec("SREF", "ABC", "reg", "reg", "reg", "R[A] = (string-ref R[B] R[C])"),
    OpSpec("SLEN", "AD", "reg", "-", "reg", "R[A] = (string-length R[D])"),
    OpSpec("UNBOX", "AD", "reg", "-", "reg", "R[A] = contents of box R[D]"),
    OpSpec("SETBOX", "AD", "reg", "-", "reg", "contents of box R[A] = R[D]"),
    OpSpec("BOX", "AD", "reg", "-", "reg", "R[A] = a new box holding R[D]"),
    OpSpec("CLOSURE", "AD", "reg", "-", "proto", "R[A] = new closure of child prototype D"),
    OpSpec("SETFREE", "ABC", "reg", "lit", "reg", "free variable B of closure R[A] = R[C] (for letrec'd lambdas)"),
    OpSpec("FUNCV", "AD", "lit", "-", "lit", "variadic entry: extra args become a list in R[D]", True),
    OpSpec("FUNCC", "AD", "lit", "-", "lit", "case-lambda entry: pick the free variable (a clause closure) "
           "whose arity accepts the argument count and enter it in place; D = clause count", True),
    OpSpec("ISEQV", "AD", "reg", "-", "reg", "(eqv? R[A] R[D])"),
    OpSpec("ISNEV", "AD", "reg", "-", "reg", "not (eqv? R[A] R[D])"),
    OpSpec("EQ", "ABC", "reg", "reg", "reg", "R[A] = (eq? R[B] R[C])"),
    OpSpec("DIV", "ABC", "reg", "reg", "reg", "R[A] = R[B] / R[C]"),
    OpSpec("QUO", "ABC", "reg", "reg", "reg", "R[A] = (quotient R[B] R[C])"),
    OpSpec("REM", "ABC", "reg", "reg", "reg", "R[A] = (remainder R[B] R[C])"),
    OpSpec("MOD", "ABC", "reg", "reg", "reg", "R[A] = (modulo R[B] R[C])"),
    OpSpec("SETCAR", "AD", "reg", "-", "reg", "(set-car! R[A] R[D])"),
    OpSpec("SETCDR", "AD", "reg", "-", "reg", "(set-cdr! R[A] R[D])"),
    OpSpec("GSET", "AD", "reg", "-", "const", "global cell K[D] = R[A] (error if unbound)"),
    OpSpec("GDEF", "AD", "reg", "-", "const", "define global cell K[D] = R[A]"),
    OpSpec("CHKDEF", "AD", "reg", "-", "const", "error 'K[D] used before its definition' if R[A] is the undefined marker"),
    OpSpec("NEG", "AD", "reg", "-", "reg", "R[A] = (- R[D]), whose errors name -"),]

Op = IntEnum("Op", [(s.name, i) for i, s in enumerate(_SPECS)])
SPECS: dict[Op, OpSpec] = {Op(i): s for i, s in enumerate(_SPECS)}

# compare-and-branch opcodes and their negations (for the compiler)
NEGATE = {Op.ISLT: Op.ISNLT, Op.ISLE: Op.ISNLE, Op.ISNUM: Op.ISNNUM,
          Op.ISEQ: Op.ISNE, Op.ISEQV: Op.ISNEV, Op.IST: Op.ISF}
NEGATE.update({v: k for k, v in list(NEGATE.items())})


def encode_abc(op: int, a: int, b: int, c: int) -> int:
    assert 0 <= a < 256 and 0 <= b < 256 and 0 <= c < 256, (op, a, b, c)
    return op | (a << 8) | (c << 16) | (b << 24)


def encode_ad(op: int, a: int, d: int) -> int:
    assert 0 <= a < 256 and 0 <= d < 65536, (op, a, d)
    return op | (a << 8) | (d << 16)


def decode(ins: int) -> tuple[int, int, int, int, int]:
    """(op, a, b, c, d) of one instruction."""
    return ins & 0xff, (ins >> 8) & 0xff, ins >> 24, (ins >> 16) & 0xff, ins >> 16


def signed16(d: int) -> int:
    return d - 0x10000 if d >= 0x8000 else d


def signed8(c: int) -> int:
    return c - 0x100 if c >= 0x80 else c
