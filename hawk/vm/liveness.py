"""Which frame slots a function still reads after each of its calls returns.

Why: while a call runs, the caller's frame sits suspended on the native
stack, and the collector would otherwise treat every one of its slots as a
root. A slot whose value the caller never reads again (a list that was
only passed on to the callee, as in a recursive sieve) would then keep
its whole structure alive for as long as the call lasts, so a deep
recursion retains the data of every level. The compiler records, per call
site, the registers below the call that are *dead* once it returns
(`Proto.dead_after_call`, keyed by the return pc the frame link holds);
before a collection the VM overwrites those slots in every suspended frame
(hawk.vm.vm.VM.clear_dead_slots).

The analysis is a backward dataflow over the bytecode itself, not over the
AST, so it holds whatever the compiler's register allocation does: a slot
is live after a call if some path from the return point reads it before
writing it. Everything that runs a frame's code reads slots only as the
bytecode does: both interpreter engines, and traces, which are recorded by
following the bytecode and load slots at their first read.
"""
from __future__ import annotations

from hawk.vm.bytecode import JUMP_BIAS, SPECS, Op, decode

# Opcodes whose A register is an input (tested or stored), not the
# instruction's destination. tests/test_liveness.py checks this against
# the instruction table's descriptions.
READS_A = frozenset({Op.ISLT, Op.ISNLT, Op.ISLE, Op.ISNLE, Op.ISNUM, Op.ISNNUM, Op.ISEQ,
                     Op.ISNE, Op.ISEQV, Op.ISNEV, Op.VSET, Op.SETCAR, Op.SETCDR, Op.SETBOX,
                     Op.GSET, Op.GDEF, Op.CHKDEF, Op.SETFREE, Op.RET, Op.CALLT})
_BRANCHES = frozenset(op for op, s in SPECS.items() if s.name.startswith("IS"))
_ENDS = frozenset({Op.RET, Op.CALLT, Op.FUNCC})     # no successor in this function
_CLOBBER = (1 << 256) - 1                           # more than any frame's registers


def _bits(regs) -> int:
    m = 0
    for r in regs:
        m |= 1 << r
    return m


def _effect(proto, pc: int) -> tuple[int, int, list[int]]:
    """(registers read, registers written, successor pcs) of instruction pc.
    Written registers are those whose old value cannot be read afterwards."""
    op, a, b, c, d = decode(proto.code[pc])
    op = Op(op)
    spec = SPECS[op]
    succ = [pc + 1]
    if op is Op.CALL:           # the callee's frame is every register from A up
        return 1 << a | _bits(range(a + 2, a + 2 + b)), _CLOBBER << a, succ
    if op is Op.CALLT:
        return 1 << a | _bits(range(a + 2, a + 2 + b)), 0, []
    if op is Op.PRIM:
        return _bits(range(a, a + b)), 1 << a, succ
    if op is Op.CLOSURE:        # reads the registers the child captures
        return _bits(r for own, r in proto.protos[d].upvals if own), 1 << a, succ
    if op is Op.FUNCV:          # the rest list goes to R[D]
        return 0, 1 << d, succ
    if op is Op.JMP:
        return 0, 0, [pc + 1 + d - JUMP_BIAS]
    if op in _ENDS:
        succ = []
    elif op in _BRANCHES:       # the JMP after it, or the instruction after that
        succ = [pc + 1, pc + 2]
    reads = writes = 0
    if spec.a == "reg":
        if op in READS_A:
            reads |= 1 << a
        else:
            writes |= 1 << a
    if spec.mode == "AD":
        if spec.c == "reg":
            reads |= 1 << d
    else:
        reads |= (1 << b if spec.b == "reg" else 0) | (1 << c if spec.c == "reg" else 0)
    return reads, writes, succ


def live_in(proto) -> list[int]:
    """Per pc, the bitmask of registers live on entry to that instruction."""
    n = len(proto.code)
    effects = [_effect(proto, pc) for pc in range(n)]
    live = [0] * (n + 1)
    changed = True
    while changed:
        changed = False
        for pc in range(n - 1, -1, -1):
            reads, writes, succ = effects[pc]
            out = 0
            for s in succ:
                out |= live[s] if s < n else 0
            new = reads | (out & ~writes)
            if new != live[pc]:
                live[pc] = new
                changed = True
    return live[:n]


def dead_after_calls(proto) -> dict[int, tuple[int, ...]]:
    """Return pc (a CALL's pc + 1) -> the registers below the CALL's A that
    hold nothing the function reads again after the call (empty tuples are
    left out). Registers from A up belong to the callee's frame anyway."""
    live = None
    out = {}
    for pc, ins in enumerate(proto.code):
        op, a, _, _, _ = decode(ins)
        if op != Op.CALL:
            continue
        if live is None:
            live = live_in(proto)
        after = live[pc + 1] if pc + 1 < len(live) else 0
        dead = tuple(r for r in range(a) if not after >> r & 1)
        if dead:
            out[pc + 1] = dead
    return out
