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
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Snapshot:
    pc: int                       # where the interpreter resumes
    slots: tuple                  # ((slot, ref), ...) sorted by slot

    def describe(self, ir) -> str:
        body = " ".join(f"{s}={ir.fmt_ref(r)}" for s, r in self.slots)
        return f"pc {self.pc} {{{body}}}"


class SnapshotTable:
    """Snapshots of one trace; identical ones are shared (one exit stub each)."""

    def __init__(self):
        self.snaps: list[Snapshot] = []
        self._index: dict = {}

    def take(self, pc: int, slots: dict) -> int:
        snap = Snapshot(pc, tuple(sorted(slots.items())))
        n = self._index.get(snap)
        if n is None:
            n = self._index[snap] = len(self.snaps)
            self.snaps.append(snap)
        return n
