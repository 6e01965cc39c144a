"""The "blocks" engine: per-function specialised Python code.

Why: the interpreter loop (hawk.vm.interp.run) pays about half of every
instruction's time for dispatch: fetching and unpacking the (op, a, b, c)
tuple, walking the if-chain, and going round the loop. This engine instead
turns each bytecode Func into one Python function whose body executes that
Func's bytecode with the operands baked in as constants: one
`if pc <= LEADER:` test per basic block (not per instruction), straight-line
code inside a block, a jump is `pc = TARGET; continue`.

Shape of the generated code (see `source_of`; `HAWK_BLOCKS_DUMP=1` prints it):

    def _make(f, consts, vm, W, U32, funcs, alloc, stack_limit, limit, IC7, IC10):
        def blocks_fib(base, pc, nargs, depth):
            if pc:                   # landing pads: entered from outside at a
                if pc == 8:          # block that expects slots in locals
                    r0 = W[base + 0]
            while True:
                if pc <= 0:          # leaders in ascending order; a block
                    ...              # that falls through runs into the next
                if pc <= 5:          # one, since its entry pc <= its leader
                    ...
                return _missing(vm, f, base, pc, nargs)
        return blocks_fib

Functions with many blocks get a second level: groups of blocks under
`if pc < FIRST_LEADER_OF_NEXT_GROUP:`, so a jump costs about 2*sqrt(blocks)
comparisons. Leaders are pc 0, jump targets, the instruction after a
compare-and-branch's JMP, the return point after each CALL and the start
of code after an unconditional transfer. Entries (where the driver may
enter from outside) are pc 0, the return points and any pc the driver was
handed (a trace exit, the instruction after a safepoint or after one that
raised an error the program handled): `_entry` adds such a pc and
regenerates the function before continuing there (with all the exit pcs
of the traces compiled so far, Func.expect_exits).

Frame slots live in Python locals as well as on the native stack
(hawk.vm.forward: reads come from a local while it is known to hold the
slot; a store reaches memory unless nothing can read the stack's copy
before the slot is stored again), and so do globals read twice in a block.
A fixed-arity function's entry loads its parameters into locals. A global
that no loaded code assigns is read from a cache (templates.CACHED_GGET,
`_promote`) rather than from its cell.

A self tail call (CALLT whose callee is the running Func) stores the
arguments and jumps to pc 0 in the same Python frame: the loops of
Scheme written as self tail calls never go back to the driver.

Calls: a CALL of a bytecode function whose code is generated calls that
code directly, as a Python call (`depth` counts the nesting; past
templates.NEST_MAX it hands the call to the driver instead, so deep Scheme
recursion never deepens the Python stack beyond that). The callee's RET
hands back the value alone when the Python caller running its frame is the
frame it returns to (the low bit of `depth` says so): the caller goes on in
line with the value in a local and the slots below the callee still in
theirs. Anything else comes back as a state (base, func or None, pc,
nargs or value): a tail call, a frame to run further up, a return further
down. `_drive` runs it while it is above the caller's frame and otherwise
returns it outward, each nested caller doing the same, down to the driver
loop (`run`), so proper tail calls still run in constant stack. The
callee's generated function comes from the call site's inline cache
IC{pc} (`_lookup`). Events that change the stack under nested callers (a
collection moves objects, a continuation is thrown) raise Unwind: every
nested frame is dropped and the driver resumes from the native stack,
which is always exact. Primitive (NATIVE) calls stay inline. The return to
the Python caller raises HostReturn, as vm.return_to does.

The code of each instruction comes from the template table of
hawk.vm.templates; the slow paths are the interpreter's own (hawk.vm.arith,
vm.invoke, vm.collect, vm.signal, ...), so only the fast paths exist twice.
tests/test_specialize.py runs every tests/scheme program under both engines
and compares the output.

Errors: the fast path keeps no pc. When a Python exception leaves generated
code, the driver finds the innermost generated function's frame in the
traceback, maps its line number to the pc of the instruction (a line -> pc
table made with the source) and takes the Func and base from its locals,
then calls vm.signal(exc, func, pc, base) exactly as the interpreter does.

Generated code objects are cached by source text, so every VM (each test
program makes one, and loads the same runtime library) compiles a given
function once per process; per-Func state (consts, the Func itself, the
inline caches) comes in through the factory's closure.

The JIT: its FUNCF/LOOP hooks are generated only for a VM with a JIT (a
third of FUNCF's code otherwise); under the JIT, NEST_MAX is 0, since a
trace may rewrite any frame below the one whose hook entered it, and the
CALL template has no nested call (templates.JIT_TEMPLATES). -p: the
code counts executed bytecodes into W[BC_INTERP] (see `_lines`). The
engine is picked by HAWK_ENGINE=loop|blocks; by default
(hawk.vm.interp.engine_for) it is this one without the JIT and the loop
engine under it.

Measured: see docs/architecture.md ("Interpreter") for the figures behind
each of these choices.
"""
from __future__ import annotations

import os
from time import perf_counter

from hawk.errors import SchemeError, SchemeExit
from hawk.gc.memory import BC_INTERP
from hawk.vm import forward
from hawk.vm.bytecode import Op
from hawk.vm.interp import _unbound
from hawk.vm.objects import CELL_ASSIGNED, CELL_PROMOTED
from hawk.vm.templates import (BAKED, BRANCH, CACHED_GGET, CALL, EXIT, GLOBALS, JUMP, OFF_END,
                               TEMPLATES, UNKNOWN, fields_of)
from hawk.vm.values import UNBOUND
from hawk.vm.vm import HostReturn

CHECK = os.environ.get("HAWK_BLOCKS_CHECK", "") not in ("", "0")   # assert every pc entered from outside is an entry
DUMP = os.environ.get("HAWK_BLOCKS_DUMP", "") not in ("", "0")
GROUP_MIN = 12          # blocks before the dispatch gets a second level
_OPS = {op.value: op for op in Op}     # Op(n) costs ~1.5 us; source_of makes a few per instruction


# ---- code generation ------------------------------------------------------------------------
def leaders_of(code: list[tuple], extra=()) -> list[int]:
    """Sorted block starts of pre-decoded `code` (see the module docstring)."""
    n = len(code)
    lead = {0, *(p for p in extra if 0 <= p < n)}
    for pc, (op, a, b, c) in enumerate(code):
        kind = TEMPLATES.get(_OPS[op], UNKNOWN)[0]
        if kind == BRANCH:
            if pc + 1 < n:
                lead.add(code[pc + 1][2])
            lead.add(pc + 2)
        elif kind == JUMP:
            lead.add(b)
            lead.add(pc + 1)
        elif kind == EXIT:
            lead.add(pc + 1)
        elif kind == CALL:
            lead.add(pc + 1)
    return sorted(p for p in lead if 0 <= p < n)


def _call_sites(code: list[tuple]) -> list[int]:
    """The pcs of CALL and CALLT: each has an inline cache IC{pc}."""
    return [pc for pc, ins in enumerate(code) if ins[0] in (Op.CALL, Op.CALLT)]


def entries_of(code: list[tuple], extra=()) -> set[int]:
    """The pcs a generated function can be entered at from outside: 0, the
    return point after each CALL, and `extra` (see specialize)."""
    n = len(code)
    calls = (pc + 1 for pc, ins in enumerate(code) if TEMPLATES.get(_OPS[ins[0]], UNKNOWN)[0] == CALL)
    return {p for p in (0, *calls, *extra) if 0 <= p < n}


def source_of(f, extra=(), jit: bool = False, profile: bool = False,
              cached: frozenset[int] = frozenset()) -> tuple[str, list[int], list[int]]:
    """(source of the factory `_make`, line -> pc table, leaders). jit: with
    the JIT's hooks; profile: counting bytecodes into W[BC_INTERP]; cached:
    the constants (global cells) whose GGETs read a cache (templates.CACHED_GGET)."""
    code = f.code
    leaders = leaders_of(code, extra)
    lead = set(leaders)
    # blocks: leader, instructions as [pc, kind, text, op, a, b], successor leaders
    blocks = []
    falls = None
    skip_jmp = False
    for pc, ins in enumerate(code):
        if pc in lead:
            if blocks and falls is not None:
                blocks[-1][2].append(falls)
                if falls != pc:
                    blocks[-1][1].append([pc - 1, JUMP, f"pc = {falls}; continue", None, 0, 0])
            blocks.append((pc, [], []))
            falls = pc
        elif skip_jmp:              # the JMP of a compare-and-branch: the branch takes it
            skip_jmp = False
            continue
        op = CACHED_GGET if ins[0] == Op.GGET and ins[2] in cached else _OPS[ins[0]]
        kind, tmpl = BAKED[jit].get(op, UNKNOWN)
        fields = fields_of(f, pc, ins)
        blocks[-1][1].append([pc, kind, tmpl.format(**fields), _OPS[ins[0]], ins[1], ins[2]])
        if kind == BRANCH:
            blocks[-1][2].append(fields["j"])
        elif kind == JUMP:
            blocks[-1][2].append(ins[2])
        elif ins[0] == Op.CALLT and _may_loop(code, ins[2]):     # a self tail call loops to pc 0
            blocks[-1][2].append(0)
        skip_jmp = kind == BRANCH
        falls = None if kind in (JUMP, EXIT) else pc + (2 if kind == BRANCH else 1)
    if falls is not None:
        blocks[-1][1].append([len(code) - 1, EXIT, OFF_END, None, 0, 0])
    states = _forward_slots(blocks, _params(code))
    forward.drop_dead_stores(blocks, _params(code), f.framesize)
    blocks = [(leader, _lines(ins, profile)) for leader, ins, _ in blocks]
    # dispatch: one level, or groups of blocks
    nb = len(blocks)
    size = nb if nb <= GROUP_MIN else max(4, int(nb ** 0.5))
    groups = [blocks[i:i + size] for i in range(0, nb, size)]
    name = "".join(ch if ch.isalnum() else "_" for ch in f"blocks_{f.name}")[:60]
    ics = "".join(f", IC{pc}" for pc in _call_sites(code)) + "".join(f", G{b}" for b in sorted(cached))
    out = [(f"def _make(f, consts, vm, W, U32, funcs, alloc, stack_limit, limit{ics}):", 0),
           (f"    def {name}(base, pc, nargs, depth):", 0)]
    # landing pads: entered from outside at a block that expects slots in
    # locals, load them first (hawk.vm.forward)
    pads = [(p, states[p]) for p in sorted(entries_of(code, extra)) if states.get(p)]
    if pads:
        # pc 0 (the usual entry) tested first; without a pad there, one
        # test skips the rest
        ind = "        " if pads[0][0] == 0 else "            "
        if pads[0][0] != 0:
            out.append(("        if pc:", 0))
        for i, (p, known) in enumerate(pads):
            out.append((f"{ind}{'el' if i else ''}if pc == {p}:", p))
            out.extend((f"{ind}    {forward.load(k)}", p) for k in sorted(known))
    out.append(("        while True:", 0))
    for gi, group in enumerate(groups):
        ind = "            "
        if len(groups) > 1 and gi + 1 < len(groups):
            out.append((f"{ind}if pc < {groups[gi + 1][0][0]}:", group[0][0]))
            ind += "    "
        for bi, (leader, lines) in enumerate(group):
            out.append((f"{ind}if pc <= {leader}:", leader))
            out.extend((ind + "    " + text, pc) for text, pc in lines)
        if len(groups) > 1 and gi + 1 < len(groups):
            last_pc = group[-1][1][-1][1]
            # falling out of the group: into the next group's first block
            out.append((f"{ind}pc = {groups[gi + 1][0][0]}", last_pc))
    out.append(("            return _missing(vm, f, base, pc, nargs)", 0))
    out.append((f"    return {name}", 0))
    return "\n".join(t for t, _ in out) + "\n", [0] + [p for _, p in out], leaders


_HOOKS = (Op.FUNCF, Op.LOOP)     # where the JIT may take over in the middle of a block


def _lines(ins: list, profile: bool) -> list[tuple[str, int]]:
    """A block's (line, pc) list. Under -p, each stretch of instructions
    that runs to its end unless it leaves the block first (up to a JIT
    hook, or to the end) starts by adding its length to W[BC_INTERP]: a
    count per stretch rather than per instruction, and none without -p."""
    out = []
    for i, (pc, _, text, _, _, _) in enumerate(ins):
        if profile and (i == 0 or ins[i - 1][3] in _HOOKS):
            n = 0
            for _, _, _, o, _, _ in ins[i:]:
                n += o is not None          # a compare-and-branch counts once with its JMP
                if o in _HOOKS:
                    break
            out.append((f"W[{BC_INTERP}] += {n}", pc))
        out.extend((line, pc) for line in text.split("\n"))
    return out


def _may_loop(code: list[tuple], nargs: int) -> bool:
    """Can a CALLT with nargs arguments be a self tail call that goes on
    past pc 0? Not into a fixed-arity entry expecting another count (it
    raises at once), so such a CALLT does not weaken what pc 0 knows."""
    return code[0][0] != Op.FUNCF or code[0][2] == nargs


def _params(code: list[tuple]) -> frozenset[int]:
    """The slots a fixed-arity function's entry loads into locals: its
    parameters. Why: nearly every function reads its arguments, and a self
    tail call (CALLT looping to pc 0) then enters with them in locals
    already, having just stored them."""
    if code and code[0][0] == Op.FUNCF:
        return frozenset(range(code[0][2]))
    return frozenset()


def _forward_slots(blocks: list, entry: frozenset[int]) -> dict[int, frozenset[int]]:
    """Rewrite each instruction's text to keep slots in locals
    (hawk.vm.forward); returns the slots known at each block's start,
    `entry` at pc 0."""
    def after(known, item):
        _, kind, text, op, a, _ = item
        if kind == CALL:
            return forward.after_call(known, a)
        if op is Op.PRIM:                   # a primitive may assign globals
            known = forward.without_globals(known)
        return forward.after(text, known)

    def transfer(ins):
        def known_after(known):
            for item in ins:
                known = after(known, item)
            return known
        return known_after
    states = forward.entry_states([(leader, succs, transfer(ins)) for leader, ins, succs in blocks], entry)
    for leader, ins, _ in blocks:
        known = states[leader]
        for item in ins:
            nxt = after(known, item)
            item[2] = forward.rewrite(item[2], known)
            known = nxt
    return states


_CACHE: dict[str, object] = {}       # source -> code object of `_make`
_LINES: dict[object, list[int]] = {}  # code object of a generated function -> its line -> pc table


def _inner_code(module_code):
    """The code object of the generated function: inside `_make`'s, inside
    the compiled module's."""
    code = module_code
    for _ in range(2):
        code = next(c for c in code.co_consts if hasattr(c, "co_code"))
    return code


def _cacheable(vm, f) -> frozenset[int]:
    """The constants of f that are global cells GGET reads and no loaded
    code assigns: their GGETs read a cache (templates.CACHED_GGET)."""
    W = vm.W
    return frozenset(b for op, a, b, c in f.code
                     if op == Op.GGET and not W[f.consts[b] >> 3] & CELL_ASSIGNED)


def specialize(vm, f, extra=()):
    """Create (or re-create, with more leaders) f's generated function;
    the pcs traces may exit to (f.exits) are entries too."""
    t0 = perf_counter()
    extra = f.exits.union(extra)
    cached = _cacheable(vm, f)
    src, lines, leaders = source_of(f, extra, vm.jit is not None, vm.jit_options.profile, cached)
    code = _CACHE.get(src)
    if code is None:
        code = _CACHE[src] = compile(src, f"<blocks {f.name}>", "exec")
        _LINES[_inner_code(code)] = lines
        if DUMP:
            print(f"---- blocks {f.name}\n{src}")
    ns = dict(GLOBALS)
    ns["_missing"] = _missing
    ns["_after_jit"] = _after_jit
    ns["_invoke"] = _invoke
    ns["_drive"] = _drive
    ns["_lookup"] = _lookup
    ns["_promote"] = _promote
    ns["Unwind"] = Unwind
    exec(code, ns)
    ics = [vm.call_caches.setdefault((f.id, pc), [None, None, None]) for pc in _call_sites(f.code)]
    ics += [vm.call_caches.setdefault((f.id, "G", b), [None]) for b in sorted(cached)]
    fn = ns["_make"](f, f.consts, vm, vm.W, vm.mem.U32, vm.funcs, vm.heap.alloc, vm.stack_limit,
                     vm.heap.limit, *ics)
    fn.lines = lines
    fn.leaders = frozenset(leaders)
    fn.entries = frozenset(entries_of(f.code, extra))
    fn.vm = vm
    f.spec = fn
    vm.seconds["codegen"] += perf_counter() - t0
    return fn


def _after_jit(vm, state, nargs):
    """A JIT hook's (base, func, pc) as the driver's next entry."""
    return _entry(vm, *state, nargs)


def _entry(vm, base, f, pc, nargs):
    """A state whose pc may be any instruction (a trace exit, the one after
    a safepoint) as the driver's next entry: generated code may only be
    entered at its entries (see entries_of), so make the pc one
    (regenerating, with f.exits: see Func.expect_exits)."""
    s = f.spec
    if s is None or s.vm is not vm:
        s = specialize(vm, f)
    if pc not in s.entries:
        specialize(vm, f, s.entries | {pc})
    return base, f, pc, nargs


class Unwind(Exception):
    """Drop every nested generated function: the stack under them changed
    (a collection moved objects, a continuation was thrown), so the slots
    they keep in locals are stale. The driver continues at `state`."""

    def __init__(self, state):
        self.state = state


def _lookup(vm, fn: int, ic: list):
    """A call site's inline cache missed: the generated function of closure
    `fn` (None for a primitive or a function not generated yet), cached in
    `ic` with its Func. Why: the hit costs one compare where the lookup
    reads the closure, indexes vm.funcs and loads .spec (fib(25) ~10%
    faster). A collection moves closures, so VM.collect empties every
    cache (VM.call_caches) before an address can be reused."""
    if (fn & 7) != 3:
        raise SchemeError("attempt to apply a non-procedure", [fn])
    g = vm.funcs[vm.W[(fn >> 3) + 1] >> 3]
    s = g.spec
    if s is not None:
        ic[:] = fn, s, g
    return s


def _promote(vm, cell: int, cache: list) -> int:
    """A cached GGET's cache is empty: the global's value, kept in `cache`
    while no loaded code assigns the global. Why: reading the cell costs a
    memoryview read, a shift and an UNBOUND test at every GGET (fib and tak
    read their own global at each call). The cell is marked promoted (as
    the JIT's traces mark it), so loading code that assigns it later calls
    VM.forget_promoted; a collection empties the cache (the value may move)."""
    W = vm.W
    i = cell >> 3
    v = W[i + 1]
    if v == UNBOUND:
        raise _unbound(vm, cell)
    h = W[i]
    if not h & CELL_ASSIGNED:
        W[i] = h | CELL_PROMOTED
        cache[0] = v
    return v


def _drive(vm, state, base: int, a2: int, depth: int):
    """A CALL's callee (at base + a2) handed back a state rather than its
    value: run the frames above the caller (at `base`) until one returns
    the value to it, or a state leaves them (returned to pass outward).
    The frame at base + a2 returns to the caller; any other is run as not
    returning to its Python caller (see templates.DEPTH_MAX)."""
    W = vm.W
    nb, g, p, n = state
    while nb > base:
        if g is None:                   # a RET's state: the frame's function is its closure's
            g = vm.funcs[W[(W[nb - 2] >> 3) + 1] >> 3]
        v = (g.spec or specialize(vm, g))(nb, p, n, (depth | 1) + 2 if nb == base + a2 else (depth & -2) + 2)
        if v.__class__ is not tuple:
            return v
        nb, g, p, n = v
    return nb, g, p, n


def _invoke(vm, g, nb: int, nargs: int, depth: int):
    """vm.invoke (apply, call/cc, continuations) from generated code."""
    throws = vm.throws
    state = vm.invoke(g, nb, nargs)
    if depth and vm.throws != throws:
        raise Unwind(state)
    return state


def _missing(vm, f, base, pc, nargs):
    """Entered at a pc that is not a leader (past the last one): add it."""
    if not 0 <= pc < len(f.code):
        raise SchemeError(f"internal: no instruction at pc {pc} of {f.name}", [])
    s = f.spec
    specialize(vm, f, (s.entries if s is not None else frozenset()) | {pc})
    return base, f, pc, nargs


def _failing_frame(exc):
    """(func, pc, base) of the innermost generated function that an
    exception left, or None if it came from the driver itself. Generated
    functions call each other (nested calls), so the one that failed may
    be many Python frames below the driver's: its code's line table gives
    the pc, its locals the Func and the frame base."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        lines = _LINES.get(tb.tb_frame.f_code)
        if lines is not None:
            found = tb
        tb = tb.tb_next
    if found is None:
        return None
    loc = found.tb_frame.f_locals
    return loc["f"], _LINES[found.tb_frame.f_code][found.tb_lineno], loc["base"]


# ---- the driver -------------------------------------------------------------------------------
def run(vm, closure: int, args: list[int]) -> int:
    """Run `closure` on `args` (tagged words) until it returns to Python;
    the blocks engine's equivalent of hawk.vm.interp.run."""
    check = CHECK
    W = vm.W
    funcs = vm.funcs
    try:
        base, f, pc, nargs = vm.enter_from_host(closure, args)
    except HostReturn as r:
        return r.value
    while True:
        try:
            if check:
                while True:
                    if f is None:
                        f = vm.func_of(W[base - 2])
                    s = f.spec
                    if s is None or s.vm is not vm:
                        s = specialize(vm, f)
                    assert pc in s.entries, (f.name, pc, sorted(s.entries))
                    base, f, pc, nargs = s(base, pc, nargs, 0)
            while True:
                if f is None:           # a RET's state: the frame's function is its closure's
                    f = funcs[W[(W[base - 2] >> 3) + 1] >> 3]
                s = f.spec
                if s is None:
                    s = specialize(vm, f)
                base, f, pc, nargs = s(base, pc, nargs, 0)
        except HostReturn as r:
            return r.value
        except Unwind as u:
            base, f, pc, nargs = _entry(vm, *u.state)
        except SchemeExit:
            raise
        except RecursionError:
            raise
        except Exception as e:          # noqa: BLE001 - every failure becomes a Scheme condition
            where = _failing_frame(e)
            if where is not None:
                f, at, base = where
            else:
                at = pc
                if f is None:
                    f = vm.func_of(W[base - 2])
            base2, f2, pc2, nargs2 = vm.signal(e, f, at, base)
            # the handler's frame returns to f at pc+1: make it a block start
            if f.spec is not None and at + 1 not in f.spec.entries and at + 1 < len(f.code):
                specialize(vm, f, f.spec.entries | {at + 1})
            base, f, pc, nargs = base2, f2, pc2, nargs2
