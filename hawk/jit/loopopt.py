"""Loop optimisation: peel one iteration so loop-carried values stay in
registers (after LuaJIT's lj_opt_loop.c; our own code).

Why: a recorded trace is one iteration that reads its slots from the frame
(SLOAD), guards their tags, unboxes flonums, and at its end writes the
modified slots back (boxing every raw double on the heap) before jumping
to its top. For a loop that closes on itself at the same frame, that
round trip through memory is most of the work of a tight loop.

How: the recorded instructions become the *pre-roll* (the first
iteration), followed by a LOOP marker and a second copy of the same
instructions, the *loop body*, re-emitted through the IR's folding and CSE
with every operand substituted: an SLOAD of slot s becomes the pre-roll's
final value of s, every other instruction its own copy. In the body, a
pre-roll reference therefore means "this value as of the start of the
current iteration"; what it must become for the next iteration is its
substitute, which a PHI(pre-roll ref, body ref) at the end states and the
back end realises by register moves at the back edge. References the body
uses with an unchanged substitute are loop-invariant and computed once.
Because the body is re-emitted through folding and CSE:
  - a tag guard on a value whose type the previous iteration already
    proves (an ADDOV result is a fixnum, an FADD a raw double) folds away;
  - a guard identical to one of the pre-roll on invariant values is
    dropped (it was checked once);
  - a double that arrives raw instead of boxed (the pre-roll's SLOAD gave
    a flonum box, the previous iteration an FADD) needs no CHKTAG/FUNBOX.
A raw double the body gets where the pre-roll had a box and needs a word
(cons, a call argument, a value carried as a word around the loop) is
boxed in the body, once. If the loop is not type-stable even so (a word
where a double was, a class change the body cannot box at that point, a
guard that folds to false) the pass gives up and the trace keeps its
write-back form.

Exits: the frame is no longer written at the back edge, so each body
guard's snapshot is the pre-roll's final slot map (the values at the start
of the iteration, held in the PHIs' registers) updated with the
substituted snapshot of the copied guard; exit stubs box raw doubles and
write the frame exactly as before, and side traces start from them as
from any exit. Traces that link into this one still enter at the top of
the pre-roll (`.Lloop`), which reads everything from the frame.

GC: the body passes no safepoint. If it allocates, LOOP carries a
snapshot of the loop head (the final map, the start pc) and the back end
checks the nursery there, so a full nursery leaves for the interpreter.
"""
from __future__ import annotations

from hawk.jit import ir as I
from hawk.jit.ir import TRUE_REF, FoldFailure


class LoopFailure(Exception):
    """The loop is not type-stable: keep the trace as recorded."""


def _chktag_raw(ref, tag):
    """CHKTAG of a raw double: a flonum's tag holds, any other fails."""
    if tag != 2:
        raise LoopFailure("a raw double where another type was guarded")
    return TRUE_REF


# operations on a box that the body gets as a raw double instead
_ON_RAW = {"CHKTAG": _chktag_raw, "FUNBOX": lambda ref, _: ref}


def unroll(ir, snaps, final: dict, pc: int, func):
    """(ir, snapshot table, final slot map) of the trace with its loop
    peeled; the ones given if the loop is not type-stable. `pc` and `func`:
    where the loop head resumes in the interpreter."""
    try:
        return _unroll(ir.copy(), snaps.copy(), final, pc, func)
    except (LoopFailure, FoldFailure):
        return ir, snaps, final


def _unroll(ir, snaps, final: dict, pc: int, func):
    n = len(ir.ins)
    # the body's copy of an instruction has the tag its result has by its
    # operation (a NEWPAIR's, an ADDOV's: the instruction's own `since`),
    # taken before the body is emitted. A tag a CHKTAG established holds
    # for the pre-roll's value only, and the body's CHKTAGs set tags of
    # pre-roll values as they are emitted (its check of the carried l
    # checks the pre-roll's (cdr l)): copying those gave the body's
    # (cdr l) the pair tag that only its next iteration checks, and a side
    # trace from a later body guard trusted it (tests/scheme/jit_peeled_tags)
    intrinsic = {i: tag for i, tag in ir.tags.items() if i >= 0 and ir.since.get(i) == i}
    # its own snapshot: a guard's with the same state must still grow side traces
    loop = ir.emit("LOOP", snap=snaps.take(pc, final, func, shared=False))
    subst: dict = {}
    boxes: dict = {}                   # raw double -> its box, made in the body

    def sub(r):
        return r if r < 0 else subst[r]

    def body_snap(g, alloc: bool):
        """The body's snapshot for the pre-roll's guard g: the state at the
        start of the iteration, updated with g's slots, boxes made so far
        named instead of their doubles; `alloc` for an allocation's (see
        SnapshotTable.take)."""
        s = snaps.snaps[ir.snap_of[g]]
        slots = dict(final)
        slots.update((k, sub(r)) for k, r in s.slots)
        return snaps.take(s.pc, {k: boxes.get(r, r) for k, r in slots.items()},
                          s.func, s.delta, s.nbc, alloc=alloc)

    for i in range(n):
        op, a, b, c = ir.ins[i]
        if op == "SLOAD":
            subst[i] = final.get(a, i)
            continue
        kinds = I.KINDS[op]
        args = [sub(x) if kd == "r" else x for x, kd in zip((a, b, c), kinds)]
        if op in _ON_RAW and ir.is_double(args[0]):
            subst[i] = _ON_RAW[op](args[0], b)
            continue
        snap = body_snap(i, bool(I.FLAGS[op] & I.A)) if i in ir.snap_of else None
        for j, (x, kd) in enumerate(zip((a, b, c), kinds)):
            y = args[j]
            if kd == "r" and ir.is_double(x) != ir.is_double(y):
                g = i if snap is not None else _call_of(ir, i, n)
                args[j] = _box(ir, boxes, x, y, None if g is None else body_snap(g, True))
        subst[i] = ir.emit(op, *args, *[0] * (3 - len(args)), snap=snap, tag=intrinsic.get(i))
    end = {k: sub(r) for k, r in final.items()}          # the state at the back edge
    phis = _phis(ir, snaps, loop, subst, end.values())
    for x, y in phis:
        if ir.is_double(y) and not ir.is_double(x) and y not in boxes:
            # a flonum read from the frame by the pre-roll, computed raw by the
            # body: carried boxed (as the recorded trace's write-back boxed
            # it); a full nursery exits to the loop head with the body's values
            boxes[y] = ir.emit("FBOX", y, snap=snaps.take(pc, end, func, alloc=True), tag=2)
    # the PHIs come last: they all read their values at the back edge
    for x, y in phis:
        ir.ins.append(("PHI", x, boxes[y] if ir.is_double(y) and not ir.is_double(x) else y, 0))
    if not any(I.FLAGS[ins[0]] & I.A for ins in ir.ins[loop + 1:]):
        del ir.snap_of[loop]           # no nursery check needed at the loop head
    return ir, snaps, {}


def _call_of(ir, i: int, n: int):
    """The CALLP whose argument CARG i stores (same bytecode, so its
    snapshot is a place to exit before the argument is boxed), or None."""
    j = i
    while j < n and ir.ins[j][0] == "CARG":
        j += 1
    return j if ir.ins[i][0] == "CARG" and j < n and ir.ins[j][0] == "CALLP" else None


def _box(ir, boxes: dict, x: int, y: int, snap) -> int:
    """The tagged word for operand y, a raw double where the pre-roll had
    the box x (a flonum read from the frame): boxed once in the body, as
    the recorder boxes (later body snapshots name the box). Only with a
    snapshot (of a guard at the same bytecode) the allocation can exit
    through."""
    if ir.is_double(x) or snap is None:
        raise LoopFailure("an operand changes class around the loop")
    if y not in boxes:
        boxes[y] = ir.emit("FBOX", y, snap=snap, tag=2)
    return boxes[y]


def _phis(ir, snaps, loop: int, subst: dict, end) -> list:
    """(pre-roll ref, body ref) for each pre-roll value the body uses
    (`end`: the values of the state at the back edge, which a box made
    there exits with) whose next-iteration value differs; a body ref that
    is itself a pre-roll value needs its own PHI (LuaJIT's PHI closure)."""
    used = set(end)
    for j in range(loop + 1, len(ir.ins)):
        op, a, b, c = ir.ins[j]
        used.update(x for x, kd in zip((a, b, c), I.KINDS[op]) if kd == "r")
    for j, s in ir.snap_of.items():
        if j > loop:
            used.update(r for _, r in snaps.snaps[s].slots)
    work = sorted(r for r in used if 0 <= r < loop)
    seen = set(work)
    phis = []
    while work:
        x = work.pop()
        y = subst[x]
        if y == x:
            continue                    # loop-invariant
        if ir.is_double(x) and not ir.is_double(y):
            raise LoopFailure("a loop-carried double becomes a word")
        phis.append((x, y))
        if 0 <= y < loop and y not in seen:
            seen.add(y)
            work.append(y)
    return sorted(phis)
