"""A Cheney-style copying collector over the two semispaces.

Simple and correct rather than fast: this Python loop is the
specification of hawk.gc.native, the same algorithm as machine code, which
collections use wherever the JIT's back end works (this one elsewhere, or
with HAWK_GC=python). The immix/RC collector of the architecture brief
replaces both later. It moves every live object, so
anything that holds a pointer across a safepoint must be a registered root
(see hawk.gc.heap.Heap).
"""
from __future__ import annotations

from hawk.gc.memory import STATIC_START
from hawk.vm.objects import ALL, SCANNED, T

FORWARD = int(T.FORWARD)
# per type: the count of leading payload words to scan (-1 = all)
_SCAN = [0] * 256
for _t, _n in SCANNED.items():
    _SCAN[int(_t)] = _n


def copy_live(heap, to: int, stack_lo: int, stack_hi: int, space: tuple[int, int]) -> int:
    """Copy the live graph out of `space` (from-space: byte offsets [lo, hi))
    into the space starting at byte offset `to`; update every root in place
    (the stack words, heap.root_ranges, root_lists, root_dicts, then the
    fields of the static space's objects, which never move themselves);
    return the new allocation pointer. A word outside from-space is never
    treated as a pointer into it, whatever its tag (a raw number in a root
    list must not make the collector write through it)."""
    W = heap.W
    free = to >> 3          # next free word in to-space
    lo, hi = space

    def forward(w: int) -> int:
        nonlocal free
        t = w & 7
        if t == 0 or t >= 6 or not lo <= w < hi:
            return w
        i = w >> 3
        h = W[i]
        if (h & 0xff) == FORWARD:
            return W[i + 1] | t
        n = (h >> 16) + 1
        W[free:free + n] = W[i:i + n]
        new = free << 3
        free += n
        W[i] = FORWARD
        W[i + 1] = new
        return new | t

    for rlo, rhi in [(stack_lo, stack_hi), *heap.root_ranges]:
        for k in range(rlo >> 3, rhi >> 3):
            w = W[k]
            if 1 <= (w & 7) <= 5:
                W[k] = forward(w)
    for lst in heap.root_lists:
        for k, w in enumerate(lst):
            if 1 <= (w & 7) <= 5:
                lst[k] = forward(w)
    for d in heap.root_dicts:
        for key, w in d.items():
            if 1 <= (w & 7) <= 5:
                d[key] = forward(w)

    def scan_objects(at: int, end: int | None) -> None:
        """Forward the pointer fields of the objects from word `at` up to
        word `end` (None: up to the moving free pointer)."""
        while at < (free if end is None else end):
            h = W[at]
            size = h >> 16
            n = _SCAN[h & 0xff]
            if n == ALL:
                n = size
            for k in range(at + 1, at + 1 + n):
                w = W[k]
                if 1 <= (w & 7) <= 5:
                    W[k] = forward(w)
            at += size + 1

    scan_objects(STATIC_START >> 3, heap.static_top >> 3)   # the static space: roots in place
    scan_objects(to >> 3, None)                              # Cheney's scan of to-space
    return free << 3


def forwarded(W, w: int) -> int | None:
    """After copy_live, before from-space is released: the new word of
    from-space object `w`, or None if the copy did not reach it (it died)."""
    i = w >> 3
    if (W[i] & 0xff) == FORWARD:
        return W[i + 1] | (w & 7)
    return None
