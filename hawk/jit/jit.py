"""The JIT as the VM sees it: hotness, recording, compiling, entering traces.

Why this shape: the interpreter's hooks are at LOOP and FUNCF, when the
running Func's hotness counter has run out (`f.hot <= 0`), so programs pay
nothing per instruction with the JIT on or off. `Jit.loop` / `Jit.func`
then either enter the trace rooted there, or record one
(hawk.jit.recorder), compile it (hawk.jit.emit) and enter it, and return
the interpreter state to continue with, (base, func, pc): the snapshot of
the exit taken may lie inside an inlined call, in another function and
frame. While a Func has a trace, its counter is kept at 1 so every arrival
at its LOOPs and FUNCF comes here.

Traces stay in machine code as long as they can (see docs/architecture.md,
"Trace linking"): an exit that returns here is counted, and when one exit
has been taken opts.hot_exit times a side trace is recorded from the state
the exit wrote back and the exit's table entry is set to it, so next time
the exit jumps straight there. Side traces end by linking to root traces.
Because traces chain, the trace and frame an exit left from are read from
the state block (EXIT_TRACE, EXIT_BASE), not assumed to be the one entered.

Native data (hawk.gc.memory JIT_START..JIT_END) holds, per trace, its gc
constants (a heap root range the collector updates in place) and its exit
table; code is never re-assembled or patched after it is installed.
"""
from __future__ import annotations

import os
import sys
import time
from array import array

from hawk.gc.memory import BC_INTERP, BC_TRACE, EXIT_BASE, EXIT_TRACE, HLIMIT, HP, JIT_END, JIT_START
from hawk.record import factory, record
from hawk.vm.bytecode import Op

_LOOP = int(Op.LOOP)
_JMP = int(Op.JMP)
MAX_ABORTS = 3           # aborts of one loop (or exit) before it is blacklisted
LOW_TRIP = 2             # recordings of a loop that left it before traces unroll it instead
PINNED = 1 << 60         # counter value of a Func with no loop worth recording
_BRANCHES = frozenset(int(op) for op in Op if op.name.startswith("IS"))   # then a JMP
_HOOKED = (int(Op.CALL), int(Op.LOOP))                 # lead to a FUNCF or LOOP hook
_ENDS = (int(Op.RET), int(Op.CALLT), int(Op.FUNCC))


def unwinds(code: list, pc: int) -> bool:
    """Whether every path from `pc` in `code` (pre-decoded) reaches the end
    of the function (RET, or a tail call, whose callee's FUNCF has a hook)
    without a CALL or LOOP: a return point after which only returns follow,
    so the interpreter meets no hook until the recursion has unwound."""
    seen, todo = set(), [pc]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        op, a, b, c = code[p]
        if op in _HOOKED:
            return False
        if op == _JMP:
            todo.append(b)
        elif op in _BRANCHES:
            todo += [p + 1, p + 2]
        elif op not in _ENDS:
            todo.append(p + 1)
    return True


@record(eq=False, slots=False)
class Trace:
    number: int
    func: object                    # the function it starts in
    pc: int
    ir: object
    snaps: list
    final: dict
    kind: str = "loop"              # "loop" (after LOOP pc), "func" (after FUNCF, pc 0),
                                    # "ret" (at return pc pc), "side"
    extent: int = 0                 # frame words above the entry base the trace may write
    top: int = 0                    # snapshot of its stack check
    no_side: frozenset = frozenset()   # exits that never grow side traces: the stack
                                    # check's and the nursery-full ones (the interpreter
                                    # must reach a safepoint there; under GC stress
                                    # every allocation exits)
    loop_delta: int = 0             # frame base change at its loop end, in words
    link: object = None             # the root Trace it ends in (None: its own loop)
    entry_delta: int = 0            # side trace: its base minus its parent's at the exit
    consts: int = 0                 # byte offset of its gc constants in native memory
    exit_table: int = 0             # byte offset of its exit table (one word per snapshot)
    address: int = 0
    size: int = 0
    side_entry: int = 0             # address of .Lentry (what a parent's exit table holds)
    unlinked: int = 0               # address of .Lret (its exit table's word for an exit
                                    # that returns to Python)
    regs_entry: int = 0             # address of .Lregs (what linking traces jump to)
    inputs: tuple = ()              # ((slot, register), ...) they pass there (hawk.jit.emit)
    exits: int = 0                  # exits from this trace that returned to Python
    exit_counts: dict = factory(dict)   # snapshot number -> exits taken there
    compile_ms: float = 0.0
    nbc: int = 0                    # bytecodes one iteration (or path to the link) runs
    notes: dict = factory(dict)     # -v asm: code address -> what the code from there does


class JitData:
    """Bump allocation in the native JIT data area [JIT_START, JIT_END):
    gc constants from the bottom, exit tables from the top. Only the
    constants' part, `range` = [JIT_START, end), is registered with the
    heap as a root range (updated in place by every collection); the exit
    tables hold raw code addresses (where each exit jumps: its trace's
    return to Python, or a linked side trace), which must not be scanned."""

    def __init__(self, heap):
        self.W = heap.W
        self.range = [JIT_START, JIT_START]
        self.tables = JIT_END
        heap.root_ranges.append(self.range)

    def alloc(self, words: list) -> int:
        """Store `words` (tagged) among the constants; their byte offset.
        Raises DataFull."""
        at = self.range[1]
        if at + 8 * len(words) > self.tables:
            raise DataFull("JIT data area full")
        for i, w in enumerate(words):
            self.W[(at >> 3) + i] = w
        self.range[1] = at + 8 * len(words)
        return at

    def alloc_table(self, n: int) -> int:
        """Room for an exit table of n raw words (filled by the caller once
        the code's addresses are known); its byte offset. Raises DataFull."""
        at = self.tables - 8 * n
        if at < self.range[1]:
            raise DataFull("JIT data area full")
        self.tables = at
        return at

    def reset(self) -> None:
        self.range[1] = JIT_START
        self.tables = JIT_END


class DataFull(Exception):
    """No room for a trace's constants and exit table (flush and retry)."""


class Jit:
    def __init__(self, vm):
        self.vm = vm
        self.opts = vm.jit_options
        self.rng = None
        if self.opts.seed is not None:   # random and statistics: imported when used (start-up)
            import random
            self.rng = random.Random(self.opts.seed)
        self._mcode = None
        self.gate = None                 # cffi (base, state, trace address) -> exit: hawk.jit.codemem
        self._callout = None             # hawk.jit.callout.Callout, made with the first trace
        self._jitdump = None             # --dump: hawk.jit.jitdump.JitDump, opened at the first trace
        self.data = JitData(vm.heap)
        self.traces: dict = {}           # (func id, pc) -> root Trace
        self.ret_hot: dict = {}          # (func id, return pc) -> counter (Jit.ret)
        self.blacklist: set = set()      # roots (func id, pc) and exits (Trace, snapshot)
        self.aborts: dict = {}
        self.waiting: dict = {}          # start key -> the inner loop its last recording met
        self.left: dict = {}             # loop key -> recordings of it that left the loop
        self.low_trip: set = set()       # loops left LOW_TRIP times: traces unroll them
        self.all_traces: list = []       # every trace ever made; trace n is all_traces[n - 1]
        self.stats = dict(compiled=0, root=0, side=0, aborted=0, exits=0, entries=0)
        self.t_record = 0.0
        self.t_compile = 0.0
        self.t_backend = 0.0             # loading the JIT's modules (not in any trace's time)
        self.t_traces = 0.0              # running trace code, callouts included
        from hawk.jit import ks
        ks.preload()                     # map keystone on another thread meanwhile

    # ---- counters ----------------------------------------------------------------
    def hotcount(self) -> int:
        """A fresh counter: the threshold, with a seeded jitter if asked."""
        hot = max(1, self.opts.hot)
        if self.rng is not None:
            hot += self.rng.randrange(hot + 1)
        return hot

    # ---- the hook -------------------------------------------------------------------
    def loop(self, f, pc: int, base: int):
        """Called at LOOP `pc` of `f` (frame at word `base`) when f's counter
        ran out; the (base, func, pc) to continue interpreting at."""
        return self._hook(f, pc, base, "loop")

    def func(self, f, base: int):
        """Called after FUNCF (pc 0) of `f` has run, when f's counter ran out."""
        return self._hook(f, 0, base, "func")

    def ret(self, f, pc: int, base: int):
        """Called when the interpreter's RET returned from `f` into a frame
        of `f` itself, at return pc `pc` (frame at word `base`): a recursion
        unwinding. Its returns have no FUNCF or LOOP to count, so after a
        trace exit in the middle of a deep recursion (an up-recursive trace
        left at its base case, before that exit grew a side trace) the
        interpreter used to run every remaining return itself: 85k of
        primes' 200k interpreted bytecodes. Counting these returns makes
        the point a "ret" root trace that loops down the recursion. Only
        return points where nothing but returns follows count (`unwinds`):
        after a call (fib, tak) a FUNCF hook soon enters a trace anyway.
        The (base, func, pc) to continue interpreting at."""
        key = (f.id, pc)
        t = self.traces.get(key)
        if t is None:
            n = self.ret_hot.get(key)
            if n is None:            # a call or loop follows: its hook will enter traces
                n = self.hotcount() if unwinds(f.code, pc) else PINNED
            n -= 1
            if n > 0 or key in self.blacklist or self.full():
                self.ret_hot[key] = n
                return base, f, pc
            self.ret_hot[key] = self.hotcount()
            t = self.record(f, pc, base, "ret")
            if t is None:
                return base, f, pc
        return self.enter(t, base)

    def _hook(self, f, pc: int, base: int, kind: str):
        key = (f.id, pc)
        t = self.traces.get(key)
        if t is None:
            if key in self.blacklist or self.full():
                f.hot = 1 if self._has_traces(f) else self._rest(f)
                return base, f, pc + 1
            t = self.record(f, pc, base, kind)
            if t is None:
                # waiting for a loop of f itself: f's counter is shared, and
                # FUNCF comes first, so else that loop never got to record
                # (%common-tail's, met by every trace through dynamic-wind)
                waits_here = self.waiting.get(key, (None,))[0] == f.id
                f.hot = 1 if waits_here or self._has_traces(f) else self.hotcount()
                return base, f, pc + 1
        f.hot = 1
        return self.enter(t, base)

    def wait(self, key, loop) -> None:
        """Don't record at `key` again until the inner loop `loop` has a
        trace (or is blacklisted), unless that loop waits for `key` in turn
        (queens at --hot 3: ok?'s function trace met try-it's loop, whose
        trace met ok?'s tail-call loop): then none of the cycle waits, and
        they retry as their counters run out, until one of them closes."""
        cycle, at = [], loop
        while at is not None and at not in cycle:
            cycle.append(at)
            if at == key:
                for k in cycle:
                    self.waiting.pop(k, None)
                return
            at = self.waiting.get(at)
        self.waiting[key] = loop

    def full(self) -> bool:
        """-m N: no more traces once N are compiled."""
        return self.opts.max_traces is not None and self.stats["compiled"] >= self.opts.max_traces

    def _has_traces(self, f) -> bool:
        return any(k[0] == f.id for k in self.traces)

    def _rest(self, f) -> int:
        """Counter for a Func with no trace and this root blacklisted: its
        other roots (FUNCF, LOOPs share the counter) may still get hot."""
        loops = [pc for pc, ins in enumerate(f.code) if ins[0] == _LOOP]
        if self.full() or all((f.id, pc) in self.blacklist for pc in [0, *loops]):
            return PINNED
        return self.hotcount()

    def enter(self, t: Trace, base: int):
        """Run trace t at frame `base` (for a side trace: its parent's base)
        until an exit returns to Python; grow a side trace there if that
        exit is hot now (and run it at once). The state to interpret from."""
        W = self.vm.W
        while True:
            self.stats["entries"] += 1
            t0 = time.perf_counter()
            n = self.gate(self.vm.mem.address, base << 3, t.side_entry)
            self.t_traces += time.perf_counter() - t0
            t = self.all_traces[W[EXIT_TRACE] - 1]
            base = W[EXIT_BASE] >> 3
            snap = t.snaps[n]
            t.exits += 1
            count = t.exit_counts[n] = t.exit_counts.get(n, 0) + 1
            self.stats["exits"] += 1
            if "exit" in self.opts.verbose:
                print(f"[jit] trace {t.number} exit {n} -> {snap.describe(t.ir)}", file=sys.stderr)
            if count < self.opts.hot_exit or n in t.no_side or (t, n) in self.blacklist \
                    or self.full():
                return self.resume(base + snap.delta, snap.func, snap.pc)
            side = self.record(snap.func, snap.pc, base + snap.delta, "side", parent=(t, n))
            if side is None:
                t.exit_counts[n] = 0           # penalty: wait another hot_exit exits
                return self.resume(base + snap.delta, snap.func, snap.pc)
            t = side

    def resume(self, base: int, f, pc: int):
        """The interpreter's state after an exit, which is a safepoint: if
        the nursery is past its soft limit (a trace's allocation exited
        there), collect now. Else the interpreter would run on to its next
        FUNC or LOOP, and a recursion unwinding through a ret trace (primes'
        drop-multiples) met neither: it re-entered the trace at every
        return, which exited again at its allocation, 2617 exits (and ~20
        ms) per collection. Safe under either engine: the loop engine keeps
        no slot in a Python local across a hook, and under the JIT the
        blocks engine nests no calls (templates.NEST_MAX is 0), so no
        generated function holds a caller's slots either."""
        W = self.vm.W
        if W[HP] > W[HLIMIT]:
            self.vm.collect(base + f.framesize, base)
        return base, f, pc

    # ---- recording and compiling -------------------------------------------------------
    def record(self, f, pc: int, base: int, kind: str = "loop", parent=None) -> Trace | None:
        """Record and compile a root trace at (f, pc), or a side trace for
        exit `parent` = (trace, snapshot number); None if it aborted."""
        t0 = time.perf_counter()
        from hawk.jit import ir as I           # the front end too is loaded when first needed
        from hawk.jit.recorder import Abort, EntryAssumed, Recorder
        self.t_backend += time.perf_counter() - t0
        verbose = self.opts.verbose
        t0 = time.perf_counter()
        key = (f.id, pc) if parent is None else parent    # (Trace, snapshot): never a root's key
        loop = self.waiting.get(key)
        if loop is not None:
            if loop not in self.traces and loop not in self.blacklist and loop not in self.low_trip:
                return None    # it would abort at that loop again (deriv: 8 times, ~3 ms)
            del self.waiting[key]
        try:
            for known, tags in (self.inherited(parent), ((), {})):
                rec = Recorder(self.vm, f, pc, base, kind=kind, roots=self.traces,
                               profile=self.opts.profile, blacklist=self.blacklist,
                               known=known, tags=tags, peel=self.opts.peel,
                               low_trip=self.low_trip)
                try:
                    ir, snaps, final = rec.run()
                    break
                except EntryAssumed:     # its own loop breaks what it inherited:
                    if not known and not tags:     # again, assuming nothing
                        raise
        except Abort as e:
            self.t_record += time.perf_counter() - t0
            self.stats["aborted"] += 1
            # a loop its own recordings leave: traces unroll it (Recorder.r_LOOP);
            # after that, leaving counts towards blacklisting it
            chance = e.chance and key not in self.low_trip
            if e.left and parent is None:
                self.left[key] = self.left.get(key, 0) + 1
                if self.left[key] >= LOW_TRIP:
                    self.low_trip.add(key)
            if not chance and (e.waits_for is None or e.waits_for in self.blacklist):
                self.aborts[key] = self.aborts.get(key, 0) + 1
            elif e.waits_for is not None:
                self.wait(key, e.waits_for)
                # that loop is on a hot path (this one): record it when it is
                # next reached, not after its own count (deriv: its benchmark
                # loop, ~56 iterations later; meanwhile 90 exits of map's
                # return path went to the interpreter)
                e.loop_func.hot = 1
            if self.aborts.get(key, 0) >= MAX_ABORTS:
                self.blacklist.add(key)
            if "record" in verbose:
                print(f"[jit] abort {kind} {f.name} pc {pc}: {e}", file=sys.stderr)
            return None
        self.t_record += time.perf_counter() - t0
        self.mcode                             # the first trace loads the back end (timed apart)
        t1 = time.perf_counter()
        from hawk.jit.codemem import CodeMemoryFull
        from hawk.jit.emit import TooManySpills
        # the trace as recorded is the fallback if its peeled loop needs too
        # many spill slots (hawk.jit.loopopt doubles the code, and the values
        # carried around the loop live longer)
        for ir, snaps, final in [(ir, snaps, final)] + [rec.recorded] * (rec.recorded is not None):
            t = Trace(len(self.all_traces) + 1, f, pc, ir, snaps, final, kind=kind,
                      extent=rec.extent, top=rec.top, loop_delta=rec.loop_delta, link=rec.link,
                      no_side=frozenset([rec.top, *(ir.snap_of[i] for i, ins in enumerate(ir.ins)
                                                    if I.FLAGS[ins[0]] & I.A or ins[0] == "LOOP"
                                                    and i in ir.snap_of)]),
                      nbc=rec.nbc,
                      entry_delta=parent[0].snaps[parent[1]].delta if parent else 0)
            try:
                try:
                    self.assemble(t)
                except (CodeMemoryFull, DataFull):
                    self.flush()
                    if parent is not None or t.link is not None:
                        return None            # what it linked to is gone
                    self.assemble(t)
                break
            except TooManySpills:
                continue
        else:
            self.stats["aborted"] += 1
            self.blacklist.add(key)
            return None
        t.compile_ms = (time.perf_counter() - t1) * 1e3
        self.t_compile += t.compile_ms / 1e3
        if parent is None:
            self.traces[key] = t
        else:
            self.vm.W[(parent[0].exit_table >> 3) + parent[1]] = t.side_entry
        self.all_traces.append(t)
        exits: dict = {}
        for snap in t.snaps:
            exits.setdefault(snap.func, set()).add(snap.pc)
        for func, pcs in exits.items():
            func.expect_exits(frozenset(pcs))
        self.stats["compiled"] += 1
        self.stats["side" if parent else "root"] += 1
        if "record" in verbose:
            how = f" -> trace {t.link.number}" if t.link else ""
            print(f"[jit] trace {t.number}: {kind} {f.name} pc {pc}"
                  f"{f' of trace {parent[0].number} exit {parent[1]}' if parent else ''}"
                  f"{how} delta {t.loop_delta}", file=sys.stderr)
        if "ir" in verbose:
            print(f"---- trace {t.number} IR ({f.name} pc {pc})", file=sys.stderr)
            print("\n".join(ir.listing(snaps)), file=sys.stderr)
            print("final " + " ".join(f"{s}={ir.fmt_ref(r)}" for s, r in sorted(final.items())),
                  file=sys.stderr)
        if "asm" in verbose:
            from hawk.jit.disasm import disassemble
            print(f"---- trace {t.number} mcode", file=sys.stderr)
            print("\n".join(disassemble(self.mcode.read(t.address, t.size), t.address, t.notes)),
                  file=sys.stderr)
        return t

    @staticmethod
    def inherited(parent) -> tuple[tuple, dict]:
        """What a side trace for exit `parent` = (trace, snapshot number)
        knows on entry, by slot relative to its own base: the slots the
        exit's stub stores a word constant into (they become constants of
        the side trace), and {slot: tag} for slots whose tags the parent
        had proven before every guard that exits there (a raw double the
        stub boxes is a flonum; an unmodified slot keeps the tag its load
        was checked for). The side trace loads those without checking them
        again (primes' kept elements: the pair and fixnum checks of the
        parent's loop, repeated at each entry of the side trace)."""
        if parent is None:
            return (), {}
        t, n = parent
        ir, snap = t.ir, t.snaps[n]
        consts = tuple(s - snap.delta for s, r in snap.slots if r < 0 and not ir.is_double(r))
        first = min((g for g, m in ir.snap_of.items() if m == n), default=None)
        if first is None:
            return consts, {}
        tags, stored = {}, {s for s, _ in snap.slots}
        for s, r in snap.slots:
            if ir.is_double(r):
                tags[s - snap.delta] = 2
            elif r >= 0 and ir.since.get(r, first) < first:
                tags[s - snap.delta] = ir.tags[r]
        for r in range(first):
            op, s = ir.ins[r][:2]
            if op == "SLOAD" and s not in stored and ir.since.get(r, first) < first:
                tags[s - snap.delta] = ir.tags[r]
        return consts, tags

    @property
    def mcode(self):
        """The code memory, made when the first trace is assembled: the back
        end's modules take ~5-9 ms to load (`-p`'s "back end"; keystone's
        dlopen is already under way, see hawk.jit.ks.preload), which a
        program that never gets hot should not pay at start-up."""
        if self._mcode is None:
            t0 = time.perf_counter()
            from hawk.jit.assembler import load
            from hawk.jit.codemem import CodeMemory, install_gate
            from hawk.jit.emit import PROFILE_COUNTER, SPILL_SLOTS
            load()
            self._mcode = CodeMemory()
            self.gate = install_gate(self._mcode, 8 * SPILL_SLOTS,
                                     (PROFILE_COUNTER, 8 * BC_TRACE) if self.opts.profile else None)
            self.t_backend += time.perf_counter() - t0
        return self._mcode

    @property
    def callout(self):
        """The VM's callback for primitives called from traces."""
        if self._callout is None:
            from hawk.jit.callout import Callout
            self._callout = Callout(self.vm, timed=self.opts.profile)
        return self._callout

    def assemble(self, t: Trace) -> None:
        """Lay out t's native data (gc constants, an exit table of .Lret) and
        install its code (counting bytecodes under -p)."""
        from hawk.jit.emit import PROFILE_COUNTER, Emitter, Shape
        t.consts = self.data.alloc(t.ir.gcrefs)
        t.exit_table = self.data.alloc_table(len(t.snaps))
        shape = Shape(number=t.number, entry_delta=t.entry_delta, loop_delta=t.loop_delta,
                      link=t.link.regs_entry if t.link else 0,
                      link_inputs=t.link.inputs if t.link else (), exits=t.exit_table,
                      consts=t.consts, top=t.top, extent=t.extent,
                      limit=self.vm.stack_limit << 3, nbc=t.nbc if self.opts.profile else 0,
                      counter=PROFILE_COUNTER if self.opts.profile else None,
                      callout=self.callout.address)
        em = Emitter(t.ir, t.snaps, t.final, shape, notes="asm" in self.opts.verbose)
        lines = em.lines()
        noted = tuple(em.notes or ())
        t.address, t.size, (t.side_entry, t.regs_entry, t.unlinked, *where) = \
            self.mcode.install_labelled(lines, (".Lentry", ".Lregs", ".Lret", *noted))
        for label, address in zip(noted, where):      # -v asm: what each block does
            t.notes.setdefault(address, []).append(em.notes[label])
        at = t.exit_table >> 3
        self.vm.W[at:at + len(t.snaps)] = array("q", [t.unlinked]) * len(t.snaps)
        t.inputs = em.inputs
        if self.opts.dump:
            self.dump(t)

    def dump(self, t: Trace) -> None:
        """--dump: one line per trace in the perf map
        file, `START SIZE NAME` in hex, so `perf report` names samples that
        land in trace code by the function and source line they came from;
        and the trace's bytes in /tmp/jit-PID.dump for `perf inject --jit`
        (hawk.jit.jitdump), so `perf annotate` can show its instructions.
        The first trace also writes the gate traces are entered through."""
        loc = t.func.proto.loc if t.func.proto is not None else None
        where = f" {loc.file}:{loc.line}" if loc is not None else ""
        if self._jitdump is None:
            from hawk.jit.jitdump import JitDump
            self._jitdump = JitDump()
            self.dump_code("hawk-gate", self.mcode.address, self.mcode.kept, None)
        self.dump_code(f"hawk-trace-{t.number} {t.kind} {t.func.name}{where}", t.address, t.size,
                       (loc.file, loc.line) if loc is not None else None)

    def dump_code(self, name: str, address: int, size: int, line) -> None:
        """One block of code into the perf map and the jitdump file."""
        with open(f"/tmp/perf-{os.getpid()}.map", "a") as fh:
            fh.write(f"{address:x} {size:x} {name}\n")
        self._jitdump.code_load(name, address, self.mcode.read(address, size), line)

    def flush(self) -> None:
        """Drop every trace (code memory or JIT data full, or a promoted
        global is assigned: hawk.vm.loader)."""
        self.traces.clear()
        self.waiting.clear()             # side starts of dropped traces; loops to trace again
        self.data.reset()
        self.mcode.flush()

    # ---- reporting ----------------------------------------------------------------------
    def seconds(self) -> dict:
        """-p: the JIT's share of the run's time, by stage (driver.time_split)."""
        times = {"recording": self.t_record, "compiling": self.t_compile,
                 "back end": self.t_backend, "traces": self.t_traces}
        if self._callout is not None:
            times["callouts"] = self._callout.seconds
        return times

    def report(self, stream=None) -> None:
        """-p: what the JIT did (the driver calls this at exit)."""
        s = self.stats
        stream = stream or sys.stderr
        import statistics
        ms = [t.compile_ms for t in self.all_traces]
        print(f"jit: {s['compiled']} traces compiled, {s['aborted']} aborted, "
              f"{s['root']} root + {s['side']} side, "
              f"{len(self.blacklist)} loops/exits blacklisted, {s['entries']} entries, "
              f"{s['exits']} exits taken; "
              f"median compile {statistics.median(ms) if ms else 0:.2f} ms/trace; "
              f"recording {self.t_record * 1e3:.1f} ms, compiling {self.t_compile * 1e3:.1f} ms "
              f"(+ {self.t_backend * 1e3:.1f} ms loading the back end)",
              file=stream)
        W = self.vm.W
        total = W[BC_TRACE] + W[BC_INTERP]
        if W[BC_INTERP] > 0:                   # the interpreter counts (under -p) too
            print(f"jit: {100 * W[BC_TRACE] / total:.1f}% of executed bytecodes ran in traces "
                  f"({W[BC_TRACE]} of {total})", file=stream)
