"""Register allocation for one trace: dead-code removal, live ranges,
linear scan.

Why linear scan: a trace is straight-line code, so every value has a
single interval [definition, last use], where uses include the snapshots
of the guards that may exit while it is live and the write-back at the
end of the body. A peeled loop (hawk.jit.loopopt) keeps that shape: the
pre-roll values its body uses simply live to the back edge, where PHIs
move the body's values into their places (`carry`). Linear scan over the intervals in order of definition
gives each value one location for its whole life (a register or a spill
slot), so exit stubs can find every snapshot value without any
bookkeeping per guard. When registers run out, the interval that ends
last is spilled (Poletto & Sarkar).

r14/r15 are pinned (frame, memory base), rsp is the stack, and r10/r11
are the code generator's scratch registers, so 11 remain. Raw doubles
(hawk.jit.ir.DOUBLE) form a second class allocated the same way over
xmm0..xmm13 (xmm14/xmm15 are scratch); both classes spill to 8-byte slots
handed out by `spill_slot`.
"""
from __future__ import annotations

from hawk.jit import ir as I
from hawk.jit.x64 import XMMS, Reg

ALLOCATABLE = (Reg.RAX, Reg.RCX, Reg.RDX, Reg.RBX, Reg.RSI, Reg.RDI, Reg.R8, Reg.R9,
               Reg.R12, Reg.R13, Reg.RBP)
XMM_ALLOCATABLE = XMMS[:14]       # xmm14/xmm15 are the code generator's double scratch


class Allocation:
    """Where each live value of a trace is kept. (A plain class: see IR.)"""

    def __init__(self, live: set, last: dict):
        self.live = live                   # instructions that must be emitted
        self.loc: dict = {}                # ref -> Reg or ("spill", byte offset)
        self.nspill = 0
        self.used_snaps: set = set()
        self.last = last                   # ref -> index of its last use (liveness)
        self.loop: int | None = None       # index of LOOP (hawk.jit.loopopt), if any
        self.phis: list = []               # live (pre-roll ref, body ref) PHIs
        self.inputs: list = []             # SLOADs loaded at the top (see inputs)

    def live_across(self, ref: int, i: int) -> bool:
        """Does ref's value stay live across instruction i (an input from
        the top, anything else from its definition)?"""
        return (ref < i or ref in self.inputs) and i <= self.last.get(ref, -1)


def liveness(ir, snaps, final: dict) -> tuple[set, dict]:
    """Backward pass: the instructions to keep, and each value's last use
    (index; len(ir.ins) means the loop-end write-back)."""
    n = len(ir.ins)
    last: dict = {}
    needed: set = set()
    for ref in final.values():
        if ref >= 0:
            last.setdefault(ref, n)
    for i in range(n - 1, -1, -1):
        op, a, b, c = ir.ins[i]
        flags = I.FLAGS[op]
        # an allocation nobody uses is dropped even though it may exit (FBOX)
        if not (flags & I.S or flags & I.G and not flags & I.A or i in last):
            continue
        needed.add(i)
        # PHI's a is where b goes at the back edge, not a use (see carry)
        uses = [b] if op == "PHI" else [x for x, kd in zip((a, b, c), I.KINDS[op]) if kd == "r"]
        if i in ir.snap_of:
            uses += [r for _, r in snaps[ir.snap_of[i]].slots]
        for r in uses:
            if r >= 0:
                last.setdefault(r, n if op == "PHI" else i)   # PHIs read at the back edge
    return needed, last


MAX_INPUTS = 4        # SLOADs of the entry frame's own slots moved to the top (see inputs)


def inputs(ir, last: dict) -> list:
    """The SLOADs a trace loads at its top, in registers that trace jumping
    to it (a link, its own loop end) can fill directly (hawk.jit.emit):
    those before any other instruction, and the first MAX_INPUTS of slots
    >= 0 (the entry frame's arguments and locals; a function trace reads
    some of them only after its guards: tak's z). A SLOAD reads the slot's
    value at entry wherever it stands, and reading a frame word early is
    harmless, but every one moved up holds its register from the top."""
    found, own = [], 0
    for i, (op, a, b, c) in enumerate(ir.ins):
        if op == "SLOAD" and i in last and not ir.is_double(i):
            leading = len(found) == i
            if leading or a >= 0 and own < MAX_INPUTS:
                found.append(i)
                own += not leading and a >= 0
        elif op == "LOOP":
            break
    return found


def allocate(ir, snaps, final: dict, registers=ALLOCATABLE, xregisters=XMM_ALLOCATABLE) -> Allocation:
    needed, last = liveness(ir, snaps, final)
    al = Allocation(live=needed, last=last)
    share = carry(ir, al)                          # body ref -> pre-roll ref it shares a place with
    sharer: dict = {}                              # the other way, once the body ref is defined
    # one free list and one active list per register class (False: GPR, True: XMM)
    free = {False: list(reversed(registers)), True: list(reversed(xregisters))}
    active: dict = {False: [], True: []}          # (end, ref) holding a register
    first = inputs(ir, last)
    hoisted = set(first)
    for i in first + [i for i in range(len(ir.ins)) if i not in hoisted]:
        if i not in needed:
            continue
        if i in ir.snap_of:
            al.used_snaps.add(ir.snap_of[i])
        if i not in last:
            continue                             # a guard or store without a value used
        now = -1 if i in hoisted else i            # inputs all live from the top
        for cls, act in active.items():
            free[cls].extend(al.loc[ref] for end, ref in act if end < now)
            active[cls] = [(end, ref) for end, ref in act if end >= now]
        if i in share:
            al.loc[i] = al.loc[share[i]]           # the PHI's move is then no move at all
            sharer[share[i]] = i
            continue
        cls = ir.is_double(i)
        end = last[i]
        if free[cls]:
            al.loc[i] = free[cls].pop()
            active[cls].append((end, i))
            continue
        victim = max(active[cls], default=None)
        if victim is not None and victim[0] > end:   # steal the register of the longest interval
            al.loc[i] = al.loc[victim[1]]
            al.loc[victim[1]] = spill_slot(al)
            if victim[1] in sharer:
                al.loc[sharer[victim[1]]] = al.loc[victim[1]]
            active[cls].remove(victim)
            active[cls].append((end, i))
        else:
            al.loc[i] = spill_slot(al)
    al.inputs = [i for i in first if isinstance(al.loc.get(i), Reg)]
    return al


def carry(ir, al: Allocation) -> dict:
    """Liveness around a peeled loop (hawk.jit.loopopt): every pre-roll
    value the body uses lives to the back edge (the body repeats; a PHI'd
    one receives its next value there), so its interval is extended to
    the end. Sets al.loop and al.phis; returns {body ref: pre-roll ref}
    for each PHI whose two sides can share one location: the pre-roll
    value is not used after the body value is defined (nor read at the
    back edge by another PHI), so the body value can be computed straight
    into its place and the back edge needs no move."""
    al.loop = next((i for i, ins in enumerate(ir.ins) if ins[0] == "LOOP"), None)
    if al.loop is None:
        return {}
    last, loop, end = al.last, al.loop, len(ir.ins)
    al.phis = [(a, b) for op, a, b, c in ir.ins[loop:] if op == "PHI" and last.get(a, -1) > loop]
    share = {}
    for x, y in al.phis:
        if y > loop and y not in share and last[x] <= y and ir.is_double(x) == ir.is_double(y):
            share[y] = x
    for r, use in last.items():
        if r < loop < use:
            last[r] = end
    return share


def spill_slot(al: Allocation):
    """A new 8-byte spill slot (either class: a double spills as its bits),
    by its offset from rsp: the first at 8, above the return address into
    the gate (hawk.jit.codemem)."""
    al.nspill += 1
    return ("spill", 8 * al.nspill)
