"""Snapshots: what a trace exit must put back so the interpreter can resume.

Why this design: a trace keeps every slot it modified in registers (or
spill slots, or as constants) until the loop's end, where it writes them
back. A guard's snapshot is the resume pc plus the map slot -> IR
reference of every slot modified so far in the iteration; the exit stub
stores exactly those into the frame (slots not in the map still hold what
the frame held at the top of the iteration, which is what the interpreter
would see). The pc is the instruction whose guard failed: guards come
before any effect of their instruction, so the interpreter simply runs
that instruction again (and takes its slow path: bignums, errors, ...).
An exit is thus indistinguishable from never having entered the trace.

Inlined calls: slots are numbered relative to the trace's entry frame, so
an inlined callee's slots are simply higher slots (callee slot i is trace
slot delta + i, delta = the callee base minus the entry base). A snapshot
taken inside an inlined call also names the function running there and
its delta; the callee's closure slot and link word (delta-2, delta-1) are
ordinary modified slots, so the exit stub materialises the callee frame
and the caller frame below it with the same stores, and the interpreter
resumes in the callee at base + delta, returning later through that link.

Returns below the entry frame (hawk.jit.recorder, r_RET) make the delta
and slot numbers negative: the caller's frame lies below the entry base,
and its slots are addressed the same way, [r14 + 8*slot].
"""
from __future__ import annotations

from collections import namedtuple


class Snapshot(namedtuple("Snapshot", "pc slots func delta nbc", defaults=(None, 0, 0))):
    """An exit's resume state; hashable, so equal snapshots are shared.
    A namedtuple rather than a frozen dataclass, which costs ~0.8 ms to
    create at import, inside the timed run that first gets hot.

    pc     where the interpreter resumes
    slots  ((slot, ref), ...) sorted by slot
    func   the Func running at the exit (None: the trace's own)
    delta  its frame base minus the trace's entry base (< 0: a caller)
    nbc    -p: bytecodes the trace ran before this exit
    """
    __slots__ = ()

    def describe(self, ir) -> str:
        body = " ".join(f"{s}={ir.fmt_ref(r)}" for s, r in self.slots)
        where = f"{self.func.name}+{self.delta} " if self.delta else ""
        return f"{where}pc {self.pc} {{{body}}}"


class SnapshotTable:
    """Snapshots of one trace; identical ones are shared (one exit stub each)."""

    def __init__(self):
        self.snaps: list[Snapshot] = []
        self._index: dict = {}

    def take(self, pc: int, slots: dict, func=None, delta: int = 0, nbc: int = 0,
             shared: bool = True, alloc: bool = False) -> int:
        """The number of the snapshot; shared=False makes one of its own
        (the stack check's: its exit must not be counted with a guard's).
        An allocation's snapshot (alloc) is shared only with allocations':
        its exit is taken when the nursery is full and never grows a side
        trace (hawk.jit.jit's no_side), and a guard sharing it could not
        either (compose's list-shape guard: 200000 exits to the
        interpreter, none of them ever traced)."""
        snap = Snapshot(pc, tuple(sorted(slots.items())), func, delta, nbc)
        key = (snap, alloc)
        n = self._index.get(key) if shared else None
        if n is None:
            n = len(self.snaps)
            self.snaps.append(snap)
            if shared:
                self._index[key] = n
        return n

    def copy(self) -> "SnapshotTable":
        """A table to add to without changing this one (hawk.jit.loopopt
        adds the loop body's snapshots, and drops them if it gives up)."""
        t = SnapshotTable()
        t.snaps = list(self.snaps)
        t._index = dict(self._index)
        return t
