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

Heap pointers a trace uses as constants (global cells, quoted data) are
held in a list registered as a GC root; the collector moves objects, so
before entering a trace assembled before the last collection, the code is
regenerated from the IR if any of them moved.
"""
from __future__ import annotations

import os
import random
import sys
import time
from dataclasses import dataclass, field

from hawk.jit.recorder import Abort, Recorder
from hawk.vm.bytecode import Op

_LOOP = int(Op.LOOP)
MAX_ABORTS = 3           # aborts of one loop before it is blacklisted
PINNED = 1 << 60         # counter value of a Func with no loop worth recording


@dataclass(eq=False)
class Trace:
    number: int
    func: object
    pc: int
    ir: object
    snaps: list
    final: dict
    gcrefs: list                    # registered with the heap as a root list
    entry: object = None
    address: int = 0
    size: int = 0
    epoch: int = -1                 # heap.collections when assembled
    assembled_with: list = field(default_factory=list)
    exits: int = 0
    exit_counts: dict = field(default_factory=dict)   # snapshot number -> exits taken there
    kind: str = "loop"              # "loop" (rooted after LOOP pc) or "func" (after FUNCF, pc 0)
    extent: int = 0                 # frame words above the entry base the trace may write


class Jit:
    def __init__(self, vm):
        self.vm = vm
        self.opts = vm.jit_options
        self.rng = random.Random(self.opts.seed) if self.opts.seed is not None else None
        self._mcode = None
        self._jitdump = None             # --dump: hawk.jit.jitdump.JitDump, opened at the first trace
        self.traces: dict = {}           # (func id, pc) -> Trace
        self.blacklist: set = set()
        self.aborts: dict = {}
        self.all_traces: list = []
        self.stats = dict(compiled=0, aborted=0, exits=0, entries=0, reassembled=0)
        self.t_record = 0.0
        self.t_compile = 0.0

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

    def _hook(self, f, pc: int, base: int, kind: str):
        key = (f.id, pc)
        t = self.traces.get(key)
        if t is None:
            if key in self.blacklist or (self.opts.max_traces is not None and
                                         self.stats["compiled"] >= self.opts.max_traces):
                f.hot = 1 if self._has_traces(f) else self._rest(f)
                return base, f, pc + 1
            t = self.record(f, pc, base, kind)
            if t is None:
                f.hot = 1 if self._has_traces(f) else self.hotcount()
                return base, f, pc + 1
        f.hot = 1
        if base + t.extent > self.vm.stack_limit:       # let the interpreter report the overflow
            return base, f, pc + 1
        return self.enter(t, base)

    def _has_traces(self, f) -> bool:
        return any(k[0] == f.id for k in self.traces)

    def _rest(self, f) -> int:
        """Counter for a Func with no trace and this root blacklisted: its
        other roots (FUNCF, LOOPs share the counter) may still get hot."""
        loops = [pc for pc, ins in enumerate(f.code) if ins[0] == _LOOP]
        full = self.opts.max_traces is not None and self.stats["compiled"] >= self.opts.max_traces
        if full or all((f.id, pc) in self.blacklist for pc in [0, *loops]):
            return PINNED
        return self.hotcount()

    def enter(self, t: Trace, base: int):
        heap = self.vm.heap
        if t.gcrefs and t.epoch != heap.collections:
            if t.gcrefs != t.assembled_with:
                self.assemble(t)
                self.stats["reassembled"] += 1
            t.epoch = heap.collections
        self.stats["entries"] += 1
        n = t.entry(self.vm.mem.address, base << 3)
        snap = t.snaps[n]
        t.exits += 1
        t.exit_counts[n] = t.exit_counts.get(n, 0) + 1
        self.stats["exits"] += 1
        if "exit" in self.opts.verbose:
            print(f"[jit] trace {t.number} exit {n} -> {snap.describe(t.ir)}", file=sys.stderr)
        return base + snap.delta, snap.func or t.func, snap.pc

    # ---- recording and compiling -------------------------------------------------------
    def record(self, f, pc: int, base: int, kind: str = "loop") -> Trace | None:
        verbose = self.opts.verbose
        t0 = time.perf_counter()
        key = (f.id, pc)
        try:
            rec = Recorder(self.vm, f, pc, base, kind=kind)
            ir, snaps, final = rec.run()
        except Abort as e:
            self.t_record += time.perf_counter() - t0
            self.stats["aborted"] += 1
            self.aborts[key] = self.aborts.get(key, 0) + 1
            if self.aborts[key] >= MAX_ABORTS:
                self.blacklist.add(key)
            if "record" in verbose:
                print(f"[jit] abort {kind} {f.name} pc {pc}: {e}", file=sys.stderr)
            return None
        t1 = time.perf_counter()
        self.t_record += t1 - t0
        t = Trace(len(self.all_traces) + 1, f, pc, ir, snaps, final, list(ir.gcrefs),
                  kind=kind, extent=rec.extent)
        if t.gcrefs:
            self.vm.heap.root_lists.append(t.gcrefs)
        from hawk.jit.codemem import CodeMemoryFull
        try:
            self.assemble(t)
        except CodeMemoryFull:
            self.flush()
            self.assemble(t)
        t.epoch = self.vm.heap.collections
        self.t_compile += time.perf_counter() - t1
        self.traces[key] = t
        self.all_traces.append(t)
        self.stats["compiled"] += 1
        if "record" in verbose:
            print(f"[jit] trace {t.number}: {kind} {f.name} pc {pc}", file=sys.stderr)
        if "ir" in verbose:
            print(f"---- trace {t.number} IR ({f.name} pc {pc})", file=sys.stderr)
            print("\n".join(ir.listing(snaps)), file=sys.stderr)
            print("final " + " ".join(f"{s}={ir.fmt_ref(r)}" for s, r in sorted(final.items())),
                  file=sys.stderr)
        if "asm" in verbose:
            from hawk.jit.disasm import disassemble
            print(f"---- trace {t.number} mcode", file=sys.stderr)
            print("\n".join(disassemble(self.mcode.read(t.address, t.size), t.address)),
                  file=sys.stderr)
        return t

    @property
    def mcode(self):
        """The code memory, made when the first trace is assembled: the back
        end (cffi, keystone) takes ~30 ms to load, which a program that
        never gets hot should not pay at start-up."""
        if self._mcode is None:
            from hawk.jit.codemem import CodeMemory
            self._mcode = CodeMemory()
        return self._mcode

    def assemble(self, t: Trace) -> None:
        from hawk.jit.emit import trace_lines
        lines = trace_lines(t.ir, t.snaps, t.final, t.gcrefs)
        t.address = self.mcode.install(lines)
        t.size = self.mcode.used - (t.address - self.mcode.address)
        t.entry = self.mcode.entry(t.address)
        t.assembled_with = list(t.gcrefs)
        if self.opts.dump:
            self.dump(t)

    def dump(self, t: Trace) -> None:
        """--dump: one line per trace (and per re-assembly) in the perf map
        file, `START SIZE NAME` in hex, so `perf report` names samples that
        land in trace code by the function and source line they came from;
        and the trace's bytes in /tmp/jit-PID.dump for `perf inject --jit`
        (hawk.jit.jitdump), so `perf annotate` can show its instructions."""
        loc = t.func.proto.loc if t.func.proto is not None else None
        where = f" {loc.file}:{loc.line}" if loc is not None else ""
        name = f"hawk-trace-{t.number} {t.kind} {t.func.name}{where}"
        with open(f"/tmp/perf-{os.getpid()}.map", "a") as fh:
            fh.write(f"{t.address:x} {t.size:x} {name}\n")
        if self._jitdump is None:
            from hawk.jit.jitdump import JitDump
            self._jitdump = JitDump()
        self._jitdump.code_load(name, t.address, self.mcode.read(t.address, t.size),
                                (loc.file, loc.line) if loc is not None else None)

    def flush(self) -> None:
        """Drop every trace (code memory full)."""
        for t in self.traces.values():
            if t.gcrefs in self.vm.heap.root_lists:
                self.vm.heap.root_lists.remove(t.gcrefs)
        self.traces.clear()
        self.mcode.flush()

    # ---- reporting ----------------------------------------------------------------------
    def report(self, stream=None) -> None:
        """-p: what the JIT did (the driver calls this at exit)."""
        s = self.stats
        print(f"jit: {s['compiled']} traces compiled, {s['aborted']} aborted, "
              f"{len(self.blacklist)} loops blacklisted, {s['entries']} entries, {s['exits']} exits taken "
              f"({s['reassembled']} reassembled after GC); "
              f"recording {self.t_record * 1e3:.1f} ms, compiling {self.t_compile * 1e3:.1f} ms",
              file=stream or sys.stderr)
