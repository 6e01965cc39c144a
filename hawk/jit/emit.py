"""Machine code for one trace: x86-64 template lines, assembled as one batch.

Layout:
    prologue (hawk.jit.codemem)         pins r15 = memory base, r14 = frame
  .Lloop:
    body                                guards jump to .Lx<n>
    write back the slots the iteration modified
    jmp .Lloop
  .Lx<n>: (one stub per snapshot)       store the snapshot's slots, rax = n
    jmp .Lexit
    epilogue

Why so simple: values live in one location each (hawk.jit.regalloc); the
code generator computes into the scratch register r11 (second operand in
r10) and then moves the result to its location, which makes every
instruction independent of how its operands were allocated (registers,
spill slots or constants) at the price of one extra register move.
"""
from __future__ import annotations

from hawk.gc.memory import HLIMIT, HP
from hawk.jit import x64
from hawk.jit.codemem import EXIT_LABEL, FRAME, MEMBASE, epilogue, prologue
from hawk.jit.regalloc import allocate
from hawk.jit.x64 import Mem, Reg
from hawk.vm import values as V
from hawk.vm.objects import PAIR_HEADER

ACC = Reg.R11
TMP = Reg.R10
# guard op -> condition code that EXITS
_EXIT_CC = {"LT": "ge", "GE": "l", "LE": "g", "GT": "le", "EQ": "ne", "NE": "e", "ULT": "ae"}


def _i32(v) -> bool:
    return v is not None and -2**31 <= v < 2**31


def frame_slot(i: int) -> Mem:
    return Mem(MEMBASE, FRAME, 1, 8 * i)


class Emitter:
    def __init__(self, ir, snaps, final: dict, gcrefs: list | None = None, registers=None):
        self.ir = ir
        self.snaps = snaps
        self.final = final
        self.gcrefs = gcrefs if gcrefs is not None else ir.gcrefs
        self.al = allocate(ir, snaps, final) if registers is None else \
            allocate(ir, snaps, final, registers)
        self.out: list = []

    # ---- operands --------------------------------------------------------------
    def const(self, ref):
        return self.ir.const_value(ref, self.gcrefs) if ref < 0 else None

    def src(self, ref: int, scratch: Reg) -> Reg:
        """A register holding ref's value (loading into scratch if needed)."""
        if ref < 0:
            self.out.append(x64.mov_ri(scratch, self.const(ref) & (2**64 - 1)))
            return scratch
        loc = self.al.loc[ref]
        if isinstance(loc, Reg):
            return loc
        self.out.append(x64.mov_rm(scratch, Mem(Reg.RSP, disp=loc[1])))
        return scratch

    def acc(self, ref: int) -> None:
        r = self.src(ref, ACC)
        if r != ACC:
            self.out.append(x64.mov_rr(ACC, r))

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

    def alu(self, name: str, a: int, b: int) -> None:
        """ACC = a <name> b."""
        self.acc(a)
        k = self.const(b)
        if _i32(k):
            self.out.append(x64.emit(name + "_ri", ACC, k))
        else:
            self.out.append(x64.emit(name + "_rr", ACC, self.src(b, TMP)))

    def exit_to(self, i: int) -> str:
        return f".Lx{self.ir.snap_of[i]}"

    # ---- the trace ---------------------------------------------------------------
    def lines(self) -> list:
        out = self.out
        out.extend(prologue(8 * self.al.nspill))
        out.append(x64.label(".Lloop"))
        for i, ins in enumerate(self.ir.ins):
            if i in self.al.live:
                getattr(self, "e_" + ins[0])(i, *ins[1:])
        for slot, ref in sorted(self.final.items()):
            self.store(frame_slot(slot), ref)
        out.append(x64.jmp(".Lloop"))
        for n in sorted(self.al.used_snaps):
            out.append(x64.label(f".Lx{n}"))
            for slot, ref in self.snaps[n].slots:
                self.store(frame_slot(slot), ref)
            out.append(x64.mov_ri(Reg.RAX, n))
            out.append(x64.jmp(EXIT_LABEL))
        out.extend(epilogue(8 * self.al.nspill))
        return out

    # one method per IR op: e_<OP>(i, a, b, c)
    def e_SLOAD(self, i, a, b, c):
        loc = self.al.loc.get(i)
        reg = loc if isinstance(loc, Reg) else ACC
        self.out.append(x64.mov_rm(reg, frame_slot(a)))
        self.result(i, reg)

    def e_LOAD(self, i, a, b, c):
        p = self.src(a, ACC)
        self.out.append(x64.mov_rm(ACC, Mem(MEMBASE, p, 1, b)))
        self.result(i)

    def e_STORE(self, i, a, b, c):
        p = self.src(a, ACC)
        v = self.src(b, TMP)
        self.out.append(x64.mov_mr(Mem(MEMBASE, p, 1, c), v))

    def e_ADD(self, i, a, b, c):
        self.alu("add", a, b)
        self.result(i)

    def e_BAND(self, i, a, b, c):
        self.alu("and", a, b)
        self.result(i)

    def e_SHR(self, i, a, b, c):
        self.acc(a)
        self.out.append(x64.shr_ri(ACC, b))
        self.result(i)

    def _cmp(self, a, b):
        x = self.src(a, ACC)
        k = self.const(b)
        if _i32(k):
            self.out.append(x64.cmp_ri(x, k))
        else:
            self.out.append(x64.cmp_rr(x, self.src(b, TMP)))

    def e_BOOLEQ(self, i, a, b, c):
        self._cmp(a, b)
        self.out.append(x64.mov_ri(ACC, V.FALSE))      # mov leaves the flags alone
        self.out.append(x64.mov_ri(TMP, V.TRUE))
        self.out.append(x64.cmovcc("e", ACC, TMP))
        self.result(i)

    def _ov(self, i, name, a, b):
        self.alu(name, a, b)
        self.out.append(x64.jo(self.exit_to(i)))
        self.result(i)

    def e_ADDOV(self, i, a, b, c):
        self._ov(i, "add", a, b)

    def e_SUBOV(self, i, a, b, c):
        self._ov(i, "sub", a, b)

    def e_MULOV(self, i, a, b, c):
        k = self.const(b)
        if _i32(k):
            self.out.append(x64.imul_rri(ACC, self.src(a, ACC), k >> 3))
        else:
            y = self.src(b, TMP)
            if y != TMP:
                self.out.append(x64.mov_rr(TMP, y))
            self.out.append(x64.sar_ri(TMP, 3))
            self.acc(a)
            self.out.append(x64.imul_rr(ACC, TMP))
        self.out.append(x64.jo(self.exit_to(i)))
        self.result(i)

    def e_CHKTAG(self, i, a, b, c):
        x = self.src(a, ACC)
        if b == 0:
            self.out.append(x64.test_ri(x, 7))
        else:
            if x != ACC:
                self.out.append(x64.mov_rr(ACC, x))
            self.out.append(x64.and_ri(ACC, 7))
            self.out.append(x64.cmp_ri(ACC, b))
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

    def e_NEWPAIR(self, i, a, b, c):
        out = self.out
        out.append(x64.mov_rm(ACC, Mem(MEMBASE, disp=8 * HP)))
        out.append(x64.lea(TMP, Mem(ACC, disp=24)))
        out.append(x64.cmp_rm(TMP, Mem(MEMBASE, disp=8 * HLIMIT)))
        out.append(x64.jg(self.exit_to(i)))
        out.append(x64.mov_mr(Mem(MEMBASE, disp=8 * HP), TMP))
        out.append(x64.mov_mi(Mem(MEMBASE, ACC, 1, 0), PAIR_HEADER))
        for ref, disp in ((a, 8), (b, 16)):
            k = self.const(ref)
            if _i32(k):
                out.append(x64.mov_mi(Mem(MEMBASE, ACC, 1, disp), k))
            else:
                out.append(x64.mov_mr(Mem(MEMBASE, ACC, 1, disp), self.src(ref, TMP)))
        out.append(x64.or_ri(ACC, 1))
        self.result(i)


def trace_lines(ir, snaps, final, gcrefs=None, registers=None) -> list:
    return Emitter(ir, snaps, final, gcrefs, registers).lines()
