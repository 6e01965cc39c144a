"""Machine code for one trace: x86-64 template lines, assembled as one batch.

Layout (entered through hawk.jit.codemem's gate, which pins r15 = memory
base and r14 = frame, reserves the fixed spill area and, under -p, loads
the counter):
  .Lentry:  [add r14, entry delta]      side traces: from the parent's base
  .Lloop:
    load the inputs                     SLOADs moved to the top (regalloc.inputs)
  .Lregs:                               where linking traces (and the own loop
                                        end) jump, the inputs in their registers
    [stack check]                       r14 + extent against the stack limit
    [nursery check]                     if the loop end boxes doubles
    body                                guards jump to .Lx<n>
    write back the slots the iteration modified
    [add r14, loop delta]               up/down-recursion: a deeper/shallower frame
    inputs of the trace jumped to       one parallel move (from registers, spill
                                        slots, constants, or the frame)
    jmp .Lregs  |  movabs r11, link; jmp r11   (own loop, or another trace;
                                        none after a final EXIT to the interpreter)
  .Lx<n>: (one stub per snapshot)       store the snapshot's slots (boxing
                                        raw doubles: store_slots), eax = n,
                                        jmp *exit table[n]: a linked side
                                        trace's .Lentry, else
  .Lret:                                store the trace number and r14 in the
                                        state block, return n to the gate

Why so simple: values live in one location each (hawk.jit.regalloc); the
code generator computes into the value's own register (`dest`: loads and
integer ALU ops), or into the scratch register r11 when the value is
spilled or unused (second operand in r10), then moves the result to its
location if it is not there yet; every instruction is thus independent of
how its operands were allocated (registers, spill slots or constants).
Raw doubles use xmm15/xmm14 as scratch (fsrc, fresult).

Why inputs: a trace loads the frame slots it reads (fib: its argument n),
which the trace that jumps there has just stored,
so every link and recursive loop put a store-to-load forwarding (~5
cycles) on the critical path of the argument; 40% of the samples of fib's
root trace sat on that load. The stores stay (an exit must find the frame
the interpreter expects), but the jumping trace also hands the values over
in the registers the target allocated to them (Shape.link_inputs, the
target's Emitter.inputs, kept on its Trace).

Why every trace has the same stack frame (SPILL_SLOTS) and every exit goes
through a table in native memory: a trace jumps into another trace's code
(linking) without returning, so rsp must mean the same thing in all of
them, and linking an exit to a new side trace must be a data write (the
table entry), not a code patch. Heap pointers used as constants are read
from a table in native memory too (Shape.consts), which the collector
updates in place, so the code never changes after it is assembled.
"""
from __future__ import annotations

import functools

from hawk.gc.memory import CALL_ARGS, EXIT_BASE, EXIT_TRACE, HLIMIT, HP
from hawk.jit import ir as I
from hawk.jit import x64
from hawk.jit.codemem import FRAME, MEMBASE
from hawk.jit.callout import FAILED
from hawk.jit.regalloc import ALLOCATABLE, allocate
from hawk.jit.x64 import Mem, Reg
from hawk.vm import values as V
from hawk.vm.objects import FLONUM_HEADER, PAIR_HEADER, SIZE_SHIFT, T, header

ACC = Reg.R11
TMP = Reg.R10
XACC = Reg.XMM15        # double scratch registers (hawk.jit.regalloc leaves them out)
XTMP = Reg.XMM14
PROFILE_COUNTER = Reg.R13  # -p: counts BC_TRACE (callee-saved: kept across call-outs)
SPILL_SLOTS = 64           # the spill area every trace shares (see the module docstring)


class TooManySpills(Exception):
    """The trace needs more spill slots than the shared area has."""


class Shape:
    """What the code around the body needs to know about the trace.
    (A plain class, not a dataclass: see hawk.jit.ir.IR.)"""

    def __init__(self, *, number: int = 0, entry_delta: int = 0, loop_delta: int = 0,
                 link: int = 0, exits: int = 0, consts: int = 0, top: int | None = None,
                 extent: int = 0, limit: int = 0, nbc: int = 0, link_inputs: tuple = (),
                 counter: Reg | None = None, callout: int = 0):
        self.number = number            # stored to EXIT_TRACE by exits that return to Python
        self.entry_delta = entry_delta  # side trace: its frame base minus the parent's, in words
        self.loop_delta = loop_delta    # frame base change at the loop end (recursion), in words
        self.link = link                # address of another trace's .Lloop to end in (0: own loop)
        self.exits = exits              # byte offset of the exit table (0: exits always return)
        self.consts = consts            # byte offset of the gc constant table
        self.top = top                  # snapshot of the stack check at .Lloop (None: no check)
        self.extent = extent            # frame words above the base an iteration may write
        self.limit = limit              # the stack limit, a byte offset
        self.nbc = nbc                  # -p: bytecodes per iteration, added to BC_TRACE
        self.link_inputs = link_inputs  # the linked trace's inputs: (slot, register) pairs
        self.counter = counter          # -p: the register BC_TRACE is counted in (see count)
        self.callout = callout          # address of the VM's primitive callback (hawk.jit.callout)


# guard op -> condition code that EXITS
_EXIT_CC = {"LT": "ge", "GE": "l", "LE": "g", "GT": "le", "EQ": "ne", "NE": "e", "ULT": "ae"}
# double guards: (compare b with a instead of a with b?, conditions that exit).
# ucomisd sets ZF, PF and CF all to 1 when either operand is NaN, so each
# test is chosen to exit (or not) on NaN exactly as Python's float
# comparisons, which the interpreter uses, are false on NaN.
_FEXIT = {"FLT": (True, ("be",)), "FNLT": (True, ("a",)), "FLE": (True, ("b",)),
          "FNLE": (True, ("ae",)), "FEQ": (False, ("ne", "p"))}
_BOOL_CC = {"BOOLEQ": "e", "BOOLLT": "l", "BOOLGT": "g"}
_FARITH = {"FADD": "addsd", "FSUB": "subsd", "FMUL": "mulsd", "FDIV": "divsd"}


def _i32(v) -> bool:
    return v is not None and -2**31 <= v < 2**31


@functools.lru_cache(maxsize=1024)
def frame_slot(i: int) -> Mem:
    """Frame slot i's operand; kept, as a trace's lines name the same few
    slots over and over (a Mem takes ~0.35 us to build, a kept one ~0.07)."""
    return Mem(MEMBASE, FRAME, 1, 8 * i)


class Emitter:
    def __init__(self, ir, snaps, final: dict, shape: Shape | None = None, registers=None,
                 notes: bool = False):
        """notes: label the code of each IR instruction, exit stub and
        part of the trace, for `-v asm` (`self.notes`: label -> what its
        code does); labels take no bytes, so the code is the same."""
        self.ir = ir
        self.snaps = snaps
        self.final = final
        self.notes: dict | None = {} if notes else None
        self.shape = shape or Shape()
        if self.shape.counter is not None:
            registers = tuple(r for r in registers or ALLOCATABLE if r != self.shape.counter)
        self.al = allocate(ir, snaps, final) if registers is None else \
            allocate(ir, snaps, final, registers)
        if self.al.nspill > SPILL_SLOTS:
            raise TooManySpills(f"{self.al.nspill} spill slots needed, {SPILL_SLOTS} available")
        self.out: list = []
        # (slot, register) of the SLOADs loaded at .Lloop (hawk.jit.regalloc.inputs)
        self.inputs = tuple((ir.ins[i][1], self.al.loc[i]) for i in self.al.inputs)

    # ---- operands --------------------------------------------------------------
    def const(self, ref):
        """The word of a constant that is not a heap pointer, else None."""
        if ref >= 0:
            return None
        kind, x = self.ir.consts[-ref - 1]
        return x if kind == "k" else None

    def src(self, ref: int, scratch: Reg) -> Reg:
        """A register holding ref's value (loading into scratch if needed)."""
        if ref < 0:
            kind, x = self.ir.consts[-ref - 1]
            if kind == "k":
                self.out.append(x64.mov_ri(scratch, x & (2**64 - 1)))
            else:
                self.out.append(x64.mov_rm(scratch, self.gc_word(ref)))
            return scratch
        loc = self.al.loc[ref]
        if isinstance(loc, Reg):
            return loc
        self.out.append(x64.mov_rm(scratch, Mem(Reg.RSP, disp=loc[1])))
        return scratch

    def gc_word(self, ref: int) -> Mem:
        """The constant table word of gc constant ref (the collector
        updates it in place when the object moves)."""
        return Mem(MEMBASE, disp=self.shape.consts + 8 * self.ir.consts[-ref - 1][1])

    def fsrc(self, ref: int, scratch: Reg) -> Reg:
        """An XMM register holding double ref (loading into scratch if
        needed; a constant goes through ACC)."""
        if ref < 0:
            self.out.append(x64.mov_ri(ACC, self.ir.consts[-ref - 1][1]))
            self.out.append(x64.movq_xr(scratch, ACC))
            return scratch
        loc = self.al.loc[ref]
        if isinstance(loc, Reg):
            return loc
        self.out.append(x64.movsd_xm(scratch, Mem(Reg.RSP, disp=loc[1])))
        return scratch

    def fresult(self, i: int, reg: Reg = XACC) -> None:
        loc = self.al.loc.get(i)
        if loc is None:
            return
        if isinstance(loc, Reg):
            if loc != reg:
                self.out.append(x64.movaps_xx(loc, reg))
        else:
            self.out.append(x64.movsd_mx(Mem(Reg.RSP, disp=loc[1]), reg))

    def store_slots(self, pairs) -> None:
        """Frame slots = values as tagged words, for (slot, ref) pairs: a
        raw double is boxed here, once however many slots hold it (so they
        stay eq? as in the interpreter), without a limit check: an exit
        cannot exit before allocating, and a loop end is followed by the
        nursery check at .Lloop; past the soft limit HLIMIT the interpreter
        collects at its next safepoint (hawk.gc.heap)."""
        boxes: dict = {}
        for slot, ref in pairs:
            if not self.ir.is_double(ref):
                self.store(frame_slot(slot), ref)
                continue
            if ref not in boxes:
                x = self.fsrc(ref, XACC)
                self.bump(16, FLONUM_HEADER)
                self.out.append(x64.movsd_mx(Mem(MEMBASE, ACC, 1, 8), x))
                self.out.append(x64.or_ri(ACC, 2))
                boxes[ref] = frame_slot(slot)
                self.out.append(x64.mov_mr(boxes[ref], ACC))
            else:
                self.out.append(x64.mov_rm(ACC, boxes[ref]))
                self.out.append(x64.mov_mr(frame_slot(slot), ACC))

    def bump(self, size: int, header: int, exit_label: str | None = None) -> None:
        """ACC = the untagged address of a new object of `size` bytes with
        its header written; exit to exit_label first if that would pass the
        soft limit."""
        out = self.out
        out.append(x64.mov_rm(ACC, Mem(MEMBASE, disp=8 * HP)))
        out.append(x64.lea(TMP, Mem(ACC, disp=size)))
        if exit_label is not None:
            out.append(x64.cmp_rm(TMP, Mem(MEMBASE, disp=8 * HLIMIT)))
            out.append(x64.jg(exit_label))
        out.append(x64.mov_mr(Mem(MEMBASE, disp=8 * HP), TMP))
        out.append(x64.mov_mi(Mem(MEMBASE, ACC, 1, 0), header))

    def acc(self, ref: int, reg: Reg = ACC) -> None:
        """reg = ref's value."""
        r = self.src(ref, reg)
        if r != reg:
            self.out.append(x64.mov_rr(reg, r))

    def dest(self, i: int) -> Reg:
        """Where to compute instruction i: its own register, else ACC (its
        value is spilled or unused, or the register is an operand's). An
        operand's register must stay intact: a guard of i that exits needs
        every operand for the snapshot. Linear scan never gives i an
        operand's register, but a PHI'd body value of a peeled loop shares
        its pre-roll value's register (hawk.jit.regalloc.carry), and that
        value may be i's own operand (s = s + x)."""
        loc = self.al.loc.get(i)
        if not isinstance(loc, Reg):
            return ACC
        op, *args = self.ir.ins[i]
        if any(kd == "r" and x >= 0 and self.al.loc.get(x) == loc
               for x, kd in zip(args, I.KINDS[op])):
            return ACC
        return loc

    def result(self, i: int, reg: Reg = ACC) -> None:
        loc = self.al.loc.get(i)
        if loc is None:
            return
        if isinstance(loc, Reg):
            if loc != reg:
                self.out.append(x64.mov_rr(loc, reg))
        else:
            self.out.append(x64.mov_mr(Mem(Reg.RSP, disp=loc[1]), reg))

    def store(self, mem: Mem, ref: int) -> None:
        k = self.const(ref)
        if _i32(k):
            self.out.append(x64.mov_mi(mem, k))
        else:
            self.out.append(x64.mov_mr(mem, self.src(ref, ACC)))

    def alu(self, name: str, i: int, a: int, b: int) -> Reg:
        """dest(i) = a <name> b; that register."""
        d = self.dest(i)
        self.acc(a, d)
        k = self.const(b)
        if _i32(k):
            self.out.append(x64.emit(name + "_ri", d, k))
        else:
            self.out.append(x64.emit(name + "_rr", d, self.src(b, TMP)))
        return d

    def exit_to(self, i: int) -> str:
        return f".Lx{self.ir.snap_of[i]}"

    # ---- the trace ---------------------------------------------------------------
    def lines(self) -> list:
        out, sh = self.out, self.shape
        self.mark(".Lentry", "entry")
        if sh.entry_delta:
            out.append(x64.add_ri(FRAME, 8 * sh.entry_delta))
        self.mark(".Lloop", "the frame slots the trace keeps in registers" if self.inputs else None)
        for slot, reg in self.inputs:
            out.append(x64.mov_rm(reg, frame_slot(slot)))
        loaded = set(self.al.inputs)
        self.mark(".Lregs", "stack check" if sh.top is not None else None)
        exits = set(self.al.used_snaps)
        if sh.top is not None:
            exits.add(sh.top)
            out.append(x64.cmp_ri(FRAME, sh.limit - 8 * sh.extent))
            out.append(x64.jg(f".Lx{sh.top}"))
            if any(self.ir.is_double(ref) for ref in self.final.values()):
                # the loop end boxes doubles without a limit check (store_slots),
                # so the nursery is checked here, once per iteration
                out.append(x64.mov_rm(ACC, Mem(MEMBASE, disp=8 * HP)))
                out.append(x64.cmp_rm(ACC, Mem(MEMBASE, disp=8 * HLIMIT)))
                out.append(x64.jg(f".Lx{sh.top}"))
        for i, ins in enumerate(self.ir.ins):
            if i in self.al.live and i not in loaded:
                if self.notes is not None:
                    self.mark(f".Li{i}", self.ir.line(i))
                getattr(self, "e_" + ins[0])(i, *ins[1:])
        if not (self.ir.ins and self.ir.ins[-1][0] == "EXIT"):
            if self.notes is not None:
                self.mark(".Lend", "trace end: the frame written back")
            self.loop_end()
        for n in sorted(exits):
            self.mark(f".Lx{n}")
            if self.notes is not None:        # (a snapshot's text costs ~5 us: only for -v asm)
                self.notes[f".Lx{n}"] = f"exit {n} -> {self.snaps[n].describe(self.ir)}"
            self.store_slots(self.snaps[n].slots)
            self.count(self.snaps[n].nbc)
            out.append(x64.mov_ri(Reg.RAX, n))
            if sh.exits:
                # each stub its own indirect jump, which the branch predictor
                # learns: the exit table word is .Lret until a side trace is
                # linked there (hawk.jit.jit.JitData)
                out.append(x64.jmp_m(Mem(MEMBASE, disp=sh.exits + 8 * n)))
            else:
                out.append(x64.jmp(".Lret"))
        self.mark(".Lret", "return to Python")
        out.append(x64.mov_mi(Mem(MEMBASE, disp=8 * EXIT_TRACE), sh.number))
        out.append(x64.mov_mr(Mem(MEMBASE, disp=8 * EXIT_BASE), FRAME))
        out.append(x64.ret())
        return out

    def loop_end(self) -> None:
        """Write back, then loop or jump to the linked trace (a peeled
        loop: the PHIs' moves, then back to the body)."""
        out, sh = self.out, self.shape
        if self.al.loop is not None:
            self.phi_moves()
            out.append(x64.jmp(".Lbody"))
            return
        self.store_slots(sorted(self.final.items()))
        self.count(sh.nbc)
        if sh.loop_delta:
            out.append(x64.add_ri(FRAME, 8 * sh.loop_delta))
        self.pass_inputs(sh.link_inputs if sh.link else self.inputs)
        if sh.link:
            out.append(x64.movabs_ri(ACC, sh.link))
            out.append(x64.jmp_r(ACC))
        else:
            out.append(x64.jmp(".Lregs"))

    def pass_inputs(self, inputs) -> None:
        """Registers = the inputs of the trace jumped to, after the write-back
        and the frame change: each slot's final value where this trace has
        it as a word (register, spill slot, constant), else (unmodified, or
        a raw double the write-back boxed) the frame slot just written."""
        pending = {}
        for slot, reg in inputs:
            ref = self.final.get(slot + self.shape.loop_delta)
            if ref is None or self.ir.is_double(ref):
                src = ("slot", slot)
            else:
                src = ("k", ref) if ref < 0 else self.al.loc[ref]
            if src != reg:
                pending[reg] = (src, False)
        self.parallel_move(pending)

    def phi_moves(self) -> None:
        """Each PHI's pre-roll location gets its body value, all at once."""
        al = self.al
        pending = {}                    # destination -> (source, is a double)
        for x, y in al.phis:
            src = ("k", y) if y < 0 else al.loc[y]
            if src != al.loc[x]:
                pending[al.loc[x]] = (src, self.ir.is_double(x))
        self.parallel_move(pending)

    def parallel_move(self, pending: dict) -> None:
        """{destination: (source, is a double)} all at once: a move goes
        first when no other still reads its destination; a cycle parks one
        destination's value in a scratch register (TMP, or XTMP for
        doubles) and reads it from there."""
        while pending:
            sources = {src for src, _ in pending.values()}
            ready = next((d for d in pending if d not in sources), None)
            if ready is not None:
                self.move(ready, *pending.pop(ready))
                continue
            d, (_, dbl) = next(iter(pending.items()))
            park = XTMP if dbl else TMP
            self.move(park, d, dbl)
            pending = {k: (park if src == d else src, f) for k, (src, f) in pending.items()}

    def move(self, dst, src, dbl: bool) -> None:
        """dst = src for locations (a register or a spill slot), a
        constant ("k", ref) or a frame word ("slot", i) of one class (dbl:
        raw doubles)."""
        out = self.out
        scratch = XACC if dbl else ACC
        if isinstance(dst, Reg) and not dbl:
            scratch = dst                # a word goes straight into a register destination
        if isinstance(src, tuple) and src[0] == "k":
            reg = self.fsrc(src[1], XACC) if dbl else self.src(src[1], scratch)
        elif isinstance(src, Reg):
            reg = src
        else:
            reg = scratch
            mem = frame_slot(src[1]) if src[0] == "slot" else Mem(Reg.RSP, disp=src[1])
            out.append(x64.movsd_xm(reg, mem) if dbl else x64.mov_rm(reg, mem))
        if isinstance(dst, Reg):
            if dst != reg:
                out.append(x64.movaps_xx(dst, reg) if dbl else x64.mov_rr(dst, reg))
        else:
            mem = Mem(Reg.RSP, disp=dst[1])
            out.append(x64.movsd_mx(mem, reg) if dbl else x64.mov_mr(mem, reg))

    def mark(self, name: str, note: str | None = None) -> None:
        """Define label `name` here; with notes on, `note` says what the
        code from here does."""
        self.out.append(x64.label(name))
        if note is not None and self.notes is not None:
            self.notes[name] = note

    def count(self, n: int) -> None:
        """-p: BC_TRACE += n (the bytecodes this path ran), in the counter
        register, which every trace under -p leaves to it: entering from
        Python loads it from BC_TRACE, returning stores it back, and
        traces linked in between keep counting in it. (An add to the
        memory word was one chain of read-modify-writes through every trace
        path: ~6 cycles each, fib ran 1.4x slower under -p.)"""
        if n:
            self.out.append(x64.add_ri(self.shape.counter, n))

    # one method per IR op: e_<OP>(i, a, b, c)
    def e_SLOAD(self, i, a, b, c):
        loc = self.al.loc.get(i)
        reg = loc if isinstance(loc, Reg) else ACC
        self.out.append(x64.mov_rm(reg, frame_slot(a)))
        self.result(i, reg)

    def e_LOAD(self, i, a, b, c):
        """One mov, which reads the address before it writes: it may load
        into its operand's register (a PHI'd body value sharing it, see
        dest), as nqueens' `(cdr l)` does, with no move through ACC."""
        p = self.src(a, ACC)
        loc = self.al.loc.get(i)
        d = loc if isinstance(loc, Reg) else ACC
        self.out.append(x64.mov_rm(d, Mem(MEMBASE, p, 1, b)))
        self.result(i, d)

    def e_STORE(self, i, a, b, c):
        p = self.src(a, ACC)
        v = self.src(b, TMP)
        self.out.append(x64.mov_mr(Mem(MEMBASE, p, 1, c), v))

    def e_ADD(self, i, a, b, c):
        self.result(i, self.alu("add", i, a, b))

    def e_BAND(self, i, a, b, c):
        self.result(i, self.alu("and", i, a, b))

    def e_SHR(self, i, a, b, c):
        d = self.dest(i)
        self.acc(a, d)
        self.out.append(x64.shr_ri(d, b))
        self.result(i, d)

    def e_SHL(self, i, a, b, c):
        d = self.dest(i)
        self.acc(a, d)
        self.out.append(x64.shl_ri(d, b))
        self.result(i, d)

    def _cmp(self, a, b):
        x = self.src(a, ACC)
        k = self.const(b)
        if _i32(k):
            self.out.append(x64.cmp_ri(x, k))
        elif b < 0 and k is None:                  # a gc constant: compare with its table word
            self.out.append(x64.cmp_rm(x, self.gc_word(b)))
        else:
            self.out.append(x64.cmp_rr(x, self.src(b, TMP)))

    def _boolcmp(self, i, op, a, b):
        self._cmp(a, b)
        self.out.append(x64.mov_ri(ACC, V.FALSE))      # mov leaves the flags alone
        self.out.append(x64.mov_ri(TMP, V.TRUE))
        self.out.append(x64.cmovcc(_BOOL_CC[op], ACC, TMP))
        self.result(i)

    def e_BOOLEQ(self, i, a, b, c):
        self._boolcmp(i, "BOOLEQ", a, b)

    def e_BOOLLT(self, i, a, b, c):
        self._boolcmp(i, "BOOLLT", a, b)

    def e_BOOLGT(self, i, a, b, c):
        self._boolcmp(i, "BOOLGT", a, b)

    def _ov(self, i, name, a, b):
        d = self.alu(name, i, a, b)
        self.out.append(x64.jo(self.exit_to(i)))
        self.result(i, d)

    def e_ADDOV(self, i, a, b, c):
        self._ov(i, "add", a, b)

    def e_SUBOV(self, i, a, b, c):
        self._ov(i, "sub", a, b)

    def e_MULOV(self, i, a, b, c):
        d = self.dest(i)
        k = self.const(b)
        if _i32(k):
            self.out.append(x64.imul_rri(d, self.src(a, d), k >> 3))
        else:
            y = self.src(b, TMP)
            if y != TMP:
                self.out.append(x64.mov_rr(TMP, y))
            self.out.append(x64.sar_ri(TMP, 3))
            self.acc(a, d)
            self.out.append(x64.imul_rr(d, TMP))
        self.out.append(x64.jo(self.exit_to(i)))
        self.result(i, d)

    def e_ABSOV(self, i, a, b, c):
        """Branch-free: TMP = -a (exit on the most negative fixnum), then a
        itself if -a is negative."""
        x = self.src(a, ACC)
        self.out += [x64.mov_rr(TMP, x), x64.neg_r(TMP), x64.jo(self.exit_to(i)),
                     x64.cmovcc("s", TMP, x)]
        self.result(i, TMP)

    def e_CHKTAG(self, i, a, b, c):
        """(a & 7) == b: the low bits tested directly for a fixnum, else
        those of a - b (lea: one instruction, where mov/and/cmp were three)."""
        x = self.src(a, ACC)
        if b:
            self.out.append(x64.lea(ACC, Mem(x, disp=-b)))
            x = ACC
        self.out.append(x64.test_ri(x, 7))
        self.out.append(x64.jne(self.exit_to(i)))

    def _guard(self, i, op, a, b):
        self._cmp(a, b)
        self.out.append(x64.jcc(_EXIT_CC[op], self.exit_to(i)))

    def e_LT(self, i, a, b, c):
        self._guard(i, "LT", a, b)

    def e_GE(self, i, a, b, c):
        self._guard(i, "GE", a, b)

    def e_LE(self, i, a, b, c):
        self._guard(i, "LE", a, b)

    def e_GT(self, i, a, b, c):
        self._guard(i, "GT", a, b)

    def e_EQ(self, i, a, b, c):
        self._guard(i, "EQ", a, b)

    def e_NE(self, i, a, b, c):
        self._guard(i, "NE", a, b)

    def e_ULT(self, i, a, b, c):
        self._guard(i, "ULT", a, b)

    def e_EXIT(self, i, a, b, c):
        self.out.append(x64.jmp(self.exit_to(i)))

    def e_NEWPAIR(self, i, a, b, c):
        out = self.out
        self.bump(24, PAIR_HEADER, self.exit_to(i))
        for ref, disp in ((a, 8), (b, 16)):
            k = self.const(ref)
            if _i32(k):
                out.append(x64.mov_mi(Mem(MEMBASE, ACC, 1, disp), k))
            else:
                out.append(x64.mov_mr(Mem(MEMBASE, ACC, 1, disp), self.src(ref, TMP)))
        out.append(x64.or_ri(ACC, 1))
        self.result(i)

    # ---- reverse and append: a loop in the trace, no call-out -------------------------
    def e_REVAPP(self, i, a, b, c):
        self.copy_list(i, a, b, last_first=True)

    def e_APPEND(self, i, a, b, c):
        self.copy_list(i, a, b, last_first=False)

    def copy_list(self, i, a, b, last_first: bool) -> None:
        """ACC = fresh pairs holding list a's elements, ending in b: in
        reverse order (each new pair's cdr the one before, the first's b),
        or in order (each new pair stored into the cdr of the one before
        through rdx, which points at that word: at first at a word on the
        stack that ends up holding the head). The walk bumps a private
        allocation pointer (rax) and stores it to HP only when it reaches
        the end, so an exit on a non-pair or a full nursery has allocated
        nothing and the interpreter redoes the operation (reporting the
        error). rax, rcx and rdx may hold values: they are saved on the
        stack, after a and b are loaded (the spill slots are rsp-relative)."""
        out = self.out
        loop, done, fail = f".Lcl{i}", f".Lcd{i}", f".Lcf{i}"
        self.acc(a, TMP)
        self.acc(b)
        saved = (Reg.RAX, Reg.RCX, Reg.RDX)
        out += [x64.push_r(r) for r in saved]
        out += [x64.push_r(ACC), x64.lea(Reg.RDX, Mem(Reg.RSP)),
                x64.mov_rm(Reg.RAX, Mem(MEMBASE, disp=8 * HP)),
                x64.label(loop), x64.cmp_ri(TMP, V.NIL), x64.je(done),
                x64.mov_rr(Reg.RCX, TMP), x64.and_ri(Reg.RCX, 7), x64.cmp_ri(Reg.RCX, 1),
                x64.jne(fail),
                x64.lea(Reg.RCX, Mem(Reg.RAX, disp=24)),
                x64.cmp_rm(Reg.RCX, Mem(MEMBASE, disp=8 * HLIMIT)), x64.jg(fail),
                x64.mov_mi(Mem(MEMBASE, Reg.RAX, 1, 0), PAIR_HEADER),
                x64.mov_rm(Reg.RCX, Mem(MEMBASE, TMP, 1, 7)),
                x64.mov_mr(Mem(MEMBASE, Reg.RAX, 1, 8), Reg.RCX)]
        if last_first:
            out += [x64.mov_mr(Mem(MEMBASE, Reg.RAX, 1, 16), ACC),
                    x64.lea(ACC, Mem(Reg.RAX, disp=1))]
        else:
            out += [x64.lea(Reg.RCX, Mem(Reg.RAX, disp=1)), x64.mov_mr(Mem(Reg.RDX), Reg.RCX),
                    x64.lea(Reg.RDX, Mem(MEMBASE, Reg.RAX, 1, 16))]
        out += [x64.add_ri(Reg.RAX, 24), x64.mov_rm(TMP, Mem(MEMBASE, TMP, 1, 15)),
                x64.jmp(loop)]
        restore = [x64.add_ri(Reg.RSP, 8), *(x64.pop_r(r) for r in reversed(saved))]
        out += [x64.label(fail), *restore, x64.jmp(self.exit_to(i)),
                x64.label(done), x64.mov_mr(Mem(MEMBASE, disp=8 * HP), Reg.RAX)]
        if not last_first:
            out += [x64.mov_mr(Mem(Reg.RDX), ACC), x64.mov_rm(ACC, Mem(Reg.RSP))]
        out += restore
        self.result(i)

    def e_LENGTH(self, i, a, b, c):
        """ACC = the length of list a as a fixnum, counted by a walk down
        its cdrs (TMP); rdx follows at half speed and meeting it means a
        cycle. A non-pair before '() or a cycle exits, and the interpreter
        redoes the call (reporting the error). rcx and rdx may hold
        values: saved on the stack after a is loaded."""
        out = self.out
        loop, done, fail = f".Lnl{i}", f".Lnd{i}", f".Lnf{i}"
        self.acc(a, TMP)
        saved = (Reg.RCX, Reg.RDX)
        out += [x64.push_r(r) for r in saved]
        out += [x64.mov_rr(Reg.RDX, TMP), x64.mov32_ri(ACC, 0),
                x64.label(loop), x64.cmp_ri(TMP, V.NIL), x64.je(done),
                x64.lea(Reg.RCX, Mem(TMP, disp=-V.TAG_PAIR)), x64.test_ri(Reg.RCX, 7),
                x64.jne(fail),                              # not a pair (as e_CHKTAG)
                x64.mov_rm(TMP, Mem(MEMBASE, TMP, 1, 15)), x64.add_ri(ACC, 8),
                x64.test_ri(ACC, 8), x64.jne(loop),         # an odd count: rdx stays
                x64.mov_rm(Reg.RDX, Mem(MEMBASE, Reg.RDX, 1, 15)),
                x64.cmp_rr(Reg.RDX, TMP), x64.jne(loop)]
        restore = [x64.pop_r(r) for r in reversed(saved)]
        out += [x64.label(fail), *restore, x64.jmp(self.exit_to(i)),
                x64.label(done), *restore]
        self.result(i)

    def e_LOADCP(self, i, a, b, c):
        out = self.out
        y = self.src(b, TMP)
        if y != TMP:
            out.append(x64.mov_rr(TMP, y))
        out.append(x64.shr_ri(TMP, 1))          # fixnum k = 8*k: 4 bytes per code point
        out.append(x64.add_rr(TMP, self.src(a, ACC)))
        out.append(x64.mov32_rm(ACC, Mem(MEMBASE, TMP, 1, 16 - 5)))   # after header, length
        out.append(x64.shl_ri(ACC, 8))
        out.append(x64.or_ri(ACC, V.IMM_CHAR_TAG))
        self.result(i)

    def e_NEWCLO(self, i, a, b, c):
        self.bump(16 + 8 * b, header(T.CLOSURE, 1 + b), self.exit_to(i))
        self.out.append(x64.mov_mi(Mem(MEMBASE, ACC, 1, 8), a))
        self.out.append(x64.or_ri(ACC, 3))
        self.result(i)

    def e_NEWOBJ(self, i, a, b, c):
        self.bump(8 + 8 * b, a, self.exit_to(i))
        self.out.append(x64.or_ri(ACC, 5))
        self.result(i)

    def e_NEWVEC(self, i, a, b, c):
        """A vector of fixnum a (0 <= a guarded small by the recorder)
        elements, all b. TMP runs down the elements from the last one; the
        fill needs a third register: its own, an immediate, or rax, saved
        around the loop (after every RSP-relative spill slot is read, as in
        _intdiv), with the nursery-full exit popping it first."""
        out = self.out
        n = self.src(a, TMP)
        if n != TMP:
            out.append(x64.mov_rr(TMP, n))
        k = self.const(b)
        fill = None if k is not None and _i32(k) else self.src(b, ACC)
        full = self.exit_to(i)
        if fill == ACC:
            out += [x64.push_r(Reg.RAX), x64.mov_rr(Reg.RAX, ACC)]
            fill, full = Reg.RAX, f".Lv{i}"
        out += [x64.mov_rm(ACC, Mem(MEMBASE, disp=8 * HP)),
                x64.lea(TMP, Mem(ACC, TMP, 1, 8)),
                x64.cmp_rm(TMP, Mem(MEMBASE, disp=8 * HLIMIT)),
                x64.jg(full),
                x64.mov_mr(Mem(MEMBASE, disp=8 * HP), TMP),
                x64.sub_rr(TMP, ACC), x64.sub_ri(TMP, 8),     # 8 * the length again
                x64.shl_ri(TMP, SIZE_SHIFT - 3), x64.or_ri(TMP, int(T.VECTOR)),
                x64.mov_mr(Mem(MEMBASE, ACC, 1, 0), TMP),
                x64.mov_rm(TMP, Mem(MEMBASE, disp=8 * HP)),
                x64.label(f".Lf{i}"), x64.sub_ri(TMP, 8), x64.cmp_rr(TMP, ACC),
                x64.je(f".Ld{i}"),
                x64.mov_mr(Mem(MEMBASE, TMP, 1, 0), fill) if fill is not None
                else x64.mov_mi(Mem(MEMBASE, TMP, 1, 0), k),
                x64.jmp(f".Lf{i}"), x64.label(f".Ld{i}")]
        if fill == Reg.RAX and full != self.exit_to(i):
            out += [x64.pop_r(Reg.RAX), x64.jmp(f".Le{i}"),
                    x64.label(full), x64.pop_r(Reg.RAX), x64.jmp(self.exit_to(i)),
                    x64.label(f".Le{i}")]
        out.append(x64.or_ri(ACC, 5))
        self.result(i)

    # ---- integer division: idiv needs rax and rdx, which hold allocated
    # values, so they are saved around it (operands are in ACC/TMP first,
    # since pushing moves rsp and with it the spill slots)
    def _intdiv(self, i, op, a, b):
        out = self.out
        self.acc(a)
        y = self.src(b, TMP)
        if y != TMP:
            out.append(x64.mov_rr(TMP, y))
        out += [x64.push_r(Reg.RAX), x64.push_r(Reg.RDX), x64.mov_rr(Reg.RAX, ACC),
                x64.cqo(), x64.idiv_r(TMP)]
        # tagged a / tagged b: the quotient is untagged, the remainder tagged
        if op == "QUOT":
            out.append(x64.mov_rr(ACC, Reg.RAX))
        else:
            if op == "MODT":           # the remainder takes the divisor's sign
                done = f".Lm{i}"
                out += [x64.test_rr(Reg.RDX, Reg.RDX), x64.je(done), x64.mov_rr(Reg.RAX, Reg.RDX),
                        x64.xor_rr(Reg.RAX, TMP), x64.jns(done), x64.add_rr(Reg.RDX, TMP),
                        x64.label(done)]
            out.append(x64.mov_rr(ACC, Reg.RDX))
        out += [x64.pop_r(Reg.RDX), x64.pop_r(Reg.RAX)]
        if op == "QUOT":
            out += [x64.imul_rri(ACC, ACC, 8), x64.jo(self.exit_to(i))]
        self.result(i)

    def e_QUOT(self, i, a, b, c):
        self._intdiv(i, "QUOT", a, b)

    def e_REMT(self, i, a, b, c):
        self._intdiv(i, "REMT", a, b)

    def e_MODT(self, i, a, b, c):
        self._intdiv(i, "MODT", a, b)

    # ---- raw doubles ------------------------------------------------------------------
    def e_FUNBOX(self, i, a, b, c):
        loc = self.al.loc.get(i)
        reg = loc if isinstance(loc, Reg) else XACC
        p = self.src(a, ACC)
        self.out.append(x64.movsd_xm(reg, Mem(MEMBASE, p, 1, 6)))     # payload: +8, tag 2
        self.fresult(i, reg)

    def e_FCONV(self, i, a, b, c):
        self.acc(a)
        self.out.append(x64.sar_ri(ACC, 3))
        self.out.append(x64.cvtsi2sd_xr(XACC, ACC))
        self.fresult(i)

    def _farith(self, i, op, a, b):
        x = self.fsrc(a, XACC)
        if x != XACC:
            self.out.append(x64.movaps_xx(XACC, x))
        self.out.append(x64.emit(_FARITH[op] + "_xx", XACC, self.fsrc(b, XTMP)))
        self.fresult(i)

    def e_FADD(self, i, a, b, c):
        self._farith(i, "FADD", a, b)

    def e_FSUB(self, i, a, b, c):
        self._farith(i, "FSUB", a, b)

    def e_FMUL(self, i, a, b, c):
        self._farith(i, "FMUL", a, b)

    def e_FDIV(self, i, a, b, c):
        self._farith(i, "FDIV", a, b)

    def e_FSQRT(self, i, a, b, c):
        self.out.append(x64.sqrtsd_xx(XACC, self.fsrc(a, XACC)))
        self.fresult(i)

    def _fguard(self, i, op, a, b):
        swap, exits = _FEXIT.get(op, (False, ()))
        if swap:
            a, b = b, a
        self.out.append(x64.ucomisd_xx(self.fsrc(a, XACC), self.fsrc(b, XTMP)))
        for cc in exits:
            self.out.append(x64.jcc(cc, self.exit_to(i)))
        if op == "FNE":                # exit when equal and ordered
            ok = f".Lf{i}"
            self.out += [x64.jp(ok), x64.je(self.exit_to(i)), x64.label(ok)]

    def e_FLT(self, i, a, b, c):
        self._fguard(i, "FLT", a, b)

    def e_FNLT(self, i, a, b, c):
        self._fguard(i, "FNLT", a, b)

    def e_FLE(self, i, a, b, c):
        self._fguard(i, "FLE", a, b)

    def e_FNLE(self, i, a, b, c):
        self._fguard(i, "FNLE", a, b)

    def e_FEQ(self, i, a, b, c):
        self._fguard(i, "FEQ", a, b)

    def e_FNE(self, i, a, b, c):
        self._fguard(i, "FNE", a, b)

    def e_FBOX(self, i, a, b, c):
        x = self.fsrc(a, XACC)
        self.bump(16, FLONUM_HEADER, self.exit_to(i))
        self.out.append(x64.movsd_mx(Mem(MEMBASE, ACC, 1, 8), x))
        self.out.append(x64.or_ri(ACC, 2))
        self.result(i)

    # ---- the peeled loop (hawk.jit.loopopt) ------------------------------------------------
    def e_LOOP(self, i, a, b, c):
        """The body's top, where the back edge jumps: count the iteration
        (-p) and, if the body allocates, check the nursery (the body passes
        no other safepoint)."""
        self.mark(".Lbody")
        self.count(self.shape.nbc)
        if i in self.ir.snap_of:
            self.out.append(x64.mov_rm(ACC, Mem(MEMBASE, disp=8 * HP)))
            self.out.append(x64.cmp_rm(ACC, Mem(MEMBASE, disp=8 * HLIMIT)))
            self.out.append(x64.jg(self.exit_to(i)))

    def e_PHI(self, i, a, b, c):
        """Nothing here: the back edge moves all PHIs at once (phi_moves)."""

    # ---- calls of primitives written in Python (hawk.jit.callout) ----------------------
    def e_SYNC(self, i, a, b, c):
        self.store_slots(self.snaps[self.ir.snap_of[i]].slots)

    def e_FRAME(self, i, a, b, c):
        d = self.dest(i)
        self.out.append(x64.lea(d, Mem(FRAME, disp=8 * a)))
        self.result(i, d)

    def e_CARG(self, i, a, b, c):
        self.store(Mem(MEMBASE, disp=8 * (CALL_ARGS + b)), a)

    def e_CALLP(self, i, a, b, c):
        """callout(a, b) with the caller-saved registers that hold values
        live after it (its snapshot's included) saved in a 16-byte aligned
        area below the spill slots; exit if it returned FAILED."""
        out, al = self.out, self.al
        saved = sorted({loc for ref, loc in al.loc.items()
                        if isinstance(loc, Reg) and loc not in x64.CALLEE_SAVED
                        and al.live_across(ref, i)})
        size = (8 * len(saved) + 15) & ~15
        slots = [(reg, Mem(Reg.RSP, disp=8 * k)) for k, reg in enumerate(saved)]
        if size:
            out.append(x64.sub_ri(Reg.RSP, size))
        out += [x64.movsd_mx(m, r) if r.is_xmm else x64.mov_mr(m, r) for r, m in slots]
        out += [x64.mov_ri(Reg.RDI, a), x64.mov_ri(Reg.RSI, b),
                x64.movabs_ri(ACC, self.shape.callout), x64.call_r(ACC),
                x64.mov_rr(ACC, Reg.RAX)]
        out += [x64.movsd_xm(r, m) if r.is_xmm else x64.mov_rm(r, m) for r, m in slots]
        if size:
            out.append(x64.add_ri(Reg.RSP, size))
        out += [x64.cmp_ri(ACC, FAILED), x64.je(self.exit_to(i))]
        self.result(i)


def trace_lines(ir, snaps, final, shape: Shape | None = None, registers=None) -> list:
    return Emitter(ir, snaps, final, shape, registers).lines()
