"""Allocation and the roots the collector must know about.

Allocation bumps the pointer in the VM state block (word HP), which traces
will bump inline too. Nothing here ever collects: crossing the soft limit
(HLIMIT) is noticed by the interpreter at its next safepoint, which calls
`Heap.collect`. So Python code may hold raw pointers for as long as it does
not return to the interpreter loop. The hard limit (HEND) is the end of the
semispace; crossing it between two safepoints is a fatal "out of memory".
"""
from __future__ import annotations

import os
import time

from hawk.errors import SchemeError
from hawk.gc import collector, native
from hawk.gc.memory import (HEND, HLIMIT, HP, MiB, SPACE0_START, SPACE1_START,
                            SPACE_SIZE, STACK_START, STATIC_END, STATIC_START, Memory)
from hawk.vm.objects import SIZE_SHIFT

DEFAULT_NURSERY = 4 * MiB


class Heap:
    """The allocator plus the registry of Python-side roots.

    Roots are: the stack words below the `sp` the interpreter passes to
    `collect`; the native word ranges in `root_ranges` (each a mutable
    [lo, hi) pair of byte offsets, e.g. the JIT's constant table); every
    list in `root_lists` (lists of tagged words, updated in place: handles
    held by Python code across safepoints, hash table entries); every dict
    in `root_dicts` (values are tagged words); and the fields of every
    object in the static space.

    The static space ([STATIC_START, static_top), see `static`) holds what
    lives as long as the process: load-time constants, symbols, global
    cells, the shared closures. Its objects never move, so the Python
    lists and dicts that hold their words (each function's constants, the
    symbol table, the global cells) need not be roots. Before it, those
    were ~670 root lists in a small program (one per function), and
    slicing them into and out of the native collector cost ~0.7 ms a
    collection, far more than copying the live data, which forced a 32 MiB
    nursery whose first touch cost deriv ~20 ms of page faults.

    Weak references are the `sweepers`: functions called after each copy,
    while from-space is still readable, with `forwarded(word)` (the
    object's new word, or None if it died); the foreign handle table is
    one (hawk.vm.data.Data.sweep_foreign)."""

    def __init__(self, mem: Memory | None = None, stress: int | None = None,
                 nursery: int | None = None):
        """stress: 0 off; N > 0 collects at every N-th safepoint (1: every
        one). Defaults to the HAWK_GC_STRESS environment variable."""
        self.mem = mem or Memory()
        self.W = self.mem.W
        if stress is None:
            stress = int(os.environ.get("HAWK_GC_STRESS", "0") or 0)
        if nursery is None:
            nursery = int(os.environ.get("HAWK_NURSERY_MB", "0")) * MiB or DEFAULT_NURSERY
        self.stress = stress
        self.stress_ticks = 0
        self.nursery = nursery
        self.space = SPACE0_START
        self.static_top = STATIC_START  # the static space's allocation pointer (byte offset)
        self.root_ranges: list[list[int]] = []
        self.root_lists: list[list[int]] = []
        self.root_dicts: list[dict] = []
        self.sweepers: list = []
        self.collections = 0
        self.seconds = 0.0          # time spent collecting, with VM.collect's stack work (-p prints it)
        self.max_live = 0           # most bytes live after a collection
        self.verbose = False
        self.limit = [0]        # W[HLIMIT] mirrored, for safepoint tests in Python (one memoryview read less)
        W = self.W
        W[HP] = self.space
        W[HEND] = self.space + SPACE_SIZE
        self._set_limit(0)

    def _set_limit(self, live: int) -> int:
        """Set HLIMIT (and its mirror) after a collection that left `live`
        bytes, HP just above them; return it. Computed here, not read
        back: another thread may zero it at any time (to interrupt the run)."""
        limit = 0 if self.stress else self.W[HP] + max(self.nursery, 2 * live)  # 0: every safepoint collects
        self.W[HLIMIT] = self.limit[0] = limit
        return limit

    def alloc(self, type_: int, size: int) -> int:
        """Reserve a header plus `size` payload words; return the untagged
        byte offset of the header (already written)."""
        W = self.W
        p = W[HP]
        end = p + ((size + 1) << 3)
        if end > W[HEND]:
            raise SchemeError("out of memory", [])
        W[HP] = end
        W[p >> 3] = (size << SIZE_SHIFT) | type_
        return p

    def static(self, make, *args):
        """make(*args), with every allocation it makes (through `alloc`)
        in the static space: HP and HEND point there meanwhile. Python code
        only, between safepoints (no trace runs, no collection happens);
        HLIMIT is left alone, so an interrupt still lands at the next one.
        Nests (a constant's symbol, a global cell's name)."""
        W = self.W
        hp, hend = W[HP], W[HEND]
        if hend == STATIC_END:
            return make(*args)
        W[HP], W[HEND] = self.static_top, STATIC_END
        try:
            return make(*args)
        finally:
            self.static_top = W[HP]
            W[HP], W[HEND] = hp, hend

    def drop_root_lists(self, lists) -> None:
        """Stop treating `lists` (members of root_lists) as roots."""
        gone = {id(lst) for lst in lists}
        self.root_lists[:] = [lst for lst in self.root_lists if id(lst) not in gone]

    def due(self) -> bool:
        """Called at a safepoint that found HP over HLIMIT: collect now? In
        stress mode HLIMIT is 0, and only every N-th safepoint collects."""
        if not self.stress:
            return True
        self.stress_ticks += 1
        return self.stress_ticks % self.stress == 0

    def collect(self, sp: int) -> None:
        """Copy everything reachable from the roots (stack words in
        [STACK_START, sp), root lists, root dicts) into the other semispace."""
        t0 = time.perf_counter()
        W = self.W
        old_start, old_end = self.space, W[HP]
        to = SPACE1_START if self.space == SPACE0_START else SPACE0_START
        copy = native.copier() or collector.copy_live
        new_hp = copy(self, to, STACK_START, sp, (old_start, old_end))
        for sweep in self.sweepers:
            sweep(lambda w: collector.forwarded(W, w) if old_start <= w < old_end else w)
        self.space = to
        W[HP] = new_hp
        W[HEND] = to + SPACE_SIZE
        live = new_hp - to
        limit = self._set_limit(live)
        self.collections += 1
        self.max_live = max(self.max_live, live)
        # Keep as many from-space pages resident as this cycle may allocate
        # (to its soft limit): that space is the next cycle's to-space, and a
        # released page costs a kernel fault (and zeroing) when touched
        # again, several times the collector's work per page of nursery.
        keep = max(0, limit - to)
        if old_end - old_start > keep:
            self.mem.release(old_start + keep, old_end - old_start - keep)
        self.seconds += time.perf_counter() - t0
        if self.verbose:
            import sys
            print(f"[gc #{self.collections}: {(old_end - old_start) >> 10} KiB -> "
                  f"{live >> 10} KiB live]", file=sys.stderr)
