"""Frame slots kept in Python locals by the blocks engine's generated code.

Why: a read of the native stack (`W[base + 3]`, a memoryview subscript)
costs ~28 ns; a Python local ~2 ns. Every store to a slot still goes to the
native stack (so the stack is exact at every safepoint, call, error and JIT
hook: the collector, backtraces, call/cc, error handlers and traces all read
it), but it also goes to a local `r3`, and later reads of slot 3 use `r3`
while that local is known to hold the slot's value ("load forwarding").

Where `rN` holds slot N: a forward must-analysis over the basic blocks of one
generated function. A block that the driver can enter from outside (pc 0,
the return point after a CALL, the extra entries of specialize: trace exits,
resumption after a handled error) starts with nothing known, since its
locals are fresh; any other block starts with what all its predecessors
agree on. A CALL forgets everything (the callee owns the slots above it, and
a continuation may restore older values below it). A collection moves
objects, so the safepoint's `vm.collect(...)` line is followed by reloads of
the known slots, keeping them known across LOOP.

The templates of hawk.vm.specialize write a slot only as a whole statement
`W[base + N] = expr` and read it as `W[base + N]`; a slot written through
any other form (`W[k]`, a slice) is read back from memory, which is always
right because every store reaches memory.
"""
from __future__ import annotations

import re
from functools import lru_cache

from hawk.vm.templates import CALL

_WRITE = re.compile(r"^(\s*)W\[base \+ (\d+)\] = ")
_LOAD = re.compile(r"^(\w+) = W\[base \+ (\d+)\]$")     # an unconditional load into a temporary
_READ = re.compile(r"W\[base \+ (\d+)\](?! =[^=])")
_COLLECT = re.compile(r"^(\s*)vm\.collect\(")
_GGET = re.compile(r"^(\w+) = W\[\(consts\[(\d+)\] >> 3\) \+ 1\]$")   # a global's value
_GSET = re.compile(r"^\s*W\[\(consts\[(\d+)\] >> 3\) \+ 1\] = ")      # a global's new value


# Known values are keyed by int: slot N is N (local rN); the global whose
# cell is consts[B] is -1-B (local gB).
def _name(k: int) -> str:
    return f"r{k}" if k >= 0 else f"g{-1 - k}"


def load(k: int) -> str:
    """The statement that puts known value k in its local from memory."""
    return f"r{k} = W[base + {k}]" if k >= 0 else f"g{-1 - k} = W[(consts[{-1 - k}] >> 3) + 1]"


def after(text: str, known: frozenset[int]) -> frozenset[int]:
    """Known values after an instruction's generated text: plus the slots
    it stores to or loads unconditionally (a whole line `x = W[base + N]`
    at the template's top level) and the globals it reads; minus the
    globals it assigns."""
    adds, drops = _gains(text)
    return (known - drops) | adds


@lru_cache(maxsize=4096)
def _gains(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """(values known after `text`, values no longer known), the later of
    a gain and a loss of the same value winning. Cached by text: the
    entry-state fixpoint applies each instruction several times, and a
    function regenerated with more entries has the same texts."""
    adds: set[int] = set()
    drops: set[int] = set()
    for line in text.split("\n"):
        for m in (_WRITE.match(line), _LOAD.match(line)):
            if m:
                adds.add(int(m.group(2)))
                drops.discard(int(m.group(2)))
        m = _GGET.match(line)
        if m:
            adds.add(-1 - int(m.group(2)))
            drops.discard(-1 - int(m.group(2)))
        m = _GSET.match(line)
        if m:
            drops.add(-1 - int(m.group(1)))
            adds.discard(-1 - int(m.group(1)))
    return frozenset(adds), frozenset(drops)


@lru_cache(maxsize=4096)
def rewrite(text: str, known: frozenset[int]) -> str:
    """An instruction's text with reads of known values from locals, stores
    also kept in locals, and the known values reloaded after a collection
    (cached, like _gains)."""
    out = []
    written: set[int] = set()
    for line in text.split("\n"):
        gget = _GGET.match(line)
        if gget:
            k = -1 - int(gget.group(2))
            out.append(f"{gget.group(1)} = {_name(k)}" if k in known else f"{gget.group(1)} = {_name(k)} = {line.split(' = ', 1)[1]}")
            written.add(k)
            continue
        m = _WRITE.match(line)
        head = ""
        if m:
            n = int(m.group(2))
            head = f"{m.group(1)}r{n} = W[base + {n}] = "
            line = line[m.end():]
        ld = _LOAD.match(line)
        if ld and int(ld.group(2)) not in known:
            n = int(ld.group(2))
            out.append(f"{ld.group(1)} = r{n} = W[base + {n}]")
            written.add(n)
            continue
        line = _READ.sub(lambda r: f"r{r.group(1)}" if int(r.group(1)) in known else r.group(0), line)
        out.append(head + line)
        if m:
            written.add(n)
        c = _COLLECT.match(line)
        if c:
            out.extend(c.group(1) + load(k) for k in sorted(known | written))
    return "\n".join(out)


def after_call(known: frozenset[int], a: int) -> frozenset[int]:
    """Known values after a CALL with its callee at slot a continues in
    line: the callee owns the slots from a up and left its value in slot a,
    and may have assigned any global."""
    return frozenset(k for k in known if 0 <= k < a) | {a}


def without_globals(known: frozenset[int]) -> frozenset[int]:
    """Known values after code that may assign globals (a primitive)."""
    return frozenset(k for k in known if k >= 0)


def entry_states(blocks: list, entry: frozenset[int] = frozenset()) -> dict[int, frozenset[int]]:
    """Known slots at the start of each block: what all its predecessors
    agree on. blocks: (leader, successor leaders, transfer) where
    transfer(known) gives the known slots at the block's end, in order, so
    the first block is the function's entry, where `entry` is known (its
    landing pad loads them)."""
    state: dict[int, frozenset[int] | None] = {leader: None for leader, _, _ in blocks}
    if blocks:
        state[blocks[0][0]] = entry
    changed = True
    while changed:
        changed = False
        for leader, succs, transfer in blocks:
            known = state[leader]
            if known is None:
                continue
            out = transfer(known)
            for s in succs:
                if s not in state:
                    continue
                old = state[s]
                new = out if old is None else old & out
                if new != old:
                    state[s] = new
                    changed = True
    return {leader: known or frozenset() for leader, known in state.items()}


# ---- dead stores ---------------------------------------------------------------------------
# Why: a store whose slot is overwritten before anything reads the native
# stack's copy (the code reads the local) is a wasted memoryview write,
# ~28 ns: fib has two per call (the constant 2 compared with n, the sum
# before RET), queens' ok? five per step. The stack must still be exact
# wherever something other than this code may read it, so such points read
# every slot ("escapes"): a CALL (the callee, call/cc's copy, collections
# and backtraces while it runs, the driver's landing pad at the return
# point), LOOP (collection, JIT hook), CLOSURE and FUNCV (computed slot
# numbers), FUNCC. FUNCF reads the parameters (its collection reloads
# them, a trace starts from them); CALLT the arguments it moved down. An
# error never resumes the frame (a handler returning from a non-continuable
# raise is itself an error), RET ends it. A RET to the Python caller
# running its frame hands back the value alone: the caller's store of it
# (after the call, in the CALL's text) is one more store that may be dead. A store under `try:` stays: the
# memoryview refusing a word past 64 bits is the fixnum overflow check of
# the arithmetic templates. A slot left stale is harmless to
# the collector: it holds a word written since the last collection or one
# that collection updated (see docs/architecture.md, "Stack invariant").
_STORE = re.compile(r"^(\s*)(r(\d+)) = W\[base \+ \d+\] = ")
_ODD = re.compile(r"W\[base(?! \+ \d+\]| - [12]\])")     # a slice or a computed slot
_ESCAPES = ("LOOP", "CLOSURE", "FUNCV", "FUNCC")        # and CALL


def _reads(line: str, every: frozenset[int]) -> set[int]:
    """The slots a line reads from the native stack."""
    if _ODD.search(line):
        return set(every)
    return {int(m.group(1)) for m in _READ.finditer(line)}


def _effect(item, params: frozenset[int], every: frozenset[int]):
    _, kind, text, op, a, b = item
    return _effect_of(kind, text, getattr(op, "name", None), a, b, params, every)


@lru_cache(maxsize=4096)
def _effect_of(kind, text: str, name, a: int, b: int, params: frozenset[int], every: frozenset[int]):
    """How `item` changes the slots whose stack copy may still be read,
    going backward: (kills, gens, stores) with live before it = (live after
    it - kills) | gens, and stores = ((slot, line indexes), ...) of the stores
    that are dead when their slot is not live after it. Within an
    instruction, every path that does not raise stores the same slots (the
    templates' arithmetic stores on each of its paths), and any read counts
    as made before the stores. Computed once per instruction, so the
    fixpoint of drop_dead_stores is set operations only; cached, since a
    function regenerated with more entries has mostly the same texts."""
    lines = text.split("\n")
    if kind == CALL:        # its stores to slot a are of the result, after the call
        at = tuple(i for i, line in enumerate(lines) if (m := _STORE.match(line)) and int(m.group(3)) == a)
        return every, every, ((a, at),) if at else ()
    if name in _ESCAPES:
        return every, every, ()
    extra = frozenset(range(b)) if name == "CALLT" else params if name == "FUNCF" else frozenset()
    stores, reads, checked = {}, set(), set()
    for i, line in enumerate(lines):
        m = _STORE.match(line)
        if m:
            stores.setdefault(int(m.group(3)), []).append(i)
            if i and lines[i - 1].strip() == "try:":
                checked.add(int(m.group(3)))
            line = line[m.end():]
        reads |= _reads(line, every)
    kills = frozenset(stores)
    dead = tuple((n, tuple(at)) for n, at in stores.items()
                 if n not in reads and n not in checked and n not in extra)
    return kills, frozenset(reads) | (extra - kills), dead


def drop_dead_stores(blocks: list, params: frozenset[int], framesize: int) -> None:
    """Remove the native-stack half of each store (`rN = W[base + N] = e`
    -> `rN = e`) that nothing reads before the slot is stored again: a
    backward liveness analysis over the blocks (leader, items, successor
    leaders) of hawk.vm.specialize, whose item texts are rewritten."""
    top = framesize
    for _, items, _ in blocks:
        for item in items:
            top = max([top, *(int(m.group(1)) + 1 for m in _READ.finditer(item[2]))])
    every = frozenset(range(top))
    effects = {leader: [_effect(item, params, every) for item in items] for leader, items, _ in blocks}
    live_in: dict[int, frozenset[int]] = {leader: frozenset() for leader, _, _ in blocks}

    def live_out(succs):
        live = frozenset()
        for s in succs:
            live |= live_in.get(s, frozenset())
        return live
    changed = True
    while changed:
        changed = False
        for leader, _, succs in reversed(blocks):
            live = live_out(succs)
            for kills, gens, _ in reversed(effects[leader]):
                live = (live - kills) | gens
            if live != live_in[leader]:
                live_in[leader] = live
                changed = True
    for leader, items, succs in blocks:
        live = live_out(succs)
        for item, (kills, gens, stores) in zip(reversed(items), reversed(effects[leader])):
            dead = [i for n, at in stores if n not in live for i in at]
            if dead:
                lines = item[2].split("\n")
                for i in dead:
                    m = _STORE.match(lines[i])
                    lines[i] = f"{m.group(1)}{m.group(2)} = " + lines[i][m.end():]
                item[2] = "\n".join(lines)
            live = (live - kills) | gens
