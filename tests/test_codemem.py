"""Run real generated machine code through cffi.

Blocks are built from x64 templates, installed in a CodeMemory and called
either directly as `int64_t f(int64_t base, int64_t state)`, or as traces
are: through the gate of hawk.jit.codemem, with base = a Memory's address
(pinned in r15), state = a frame offset (r14), result = exit number.
Includes a harness, itself generated code, that proves the gate preserves
the callee-saved registers around a block that uses them all.
"""
from __future__ import annotations

import math
from array import array
import platform
import sys

import pytest

if not (sys.platform.startswith("linux") and platform.machine() == "x86_64"):
    pytest.skip("the JIT's machine-code layer is x86-64 Linux only", allow_module_level=True)

from hawk.gc import memory                                     # noqa: E402
from hawk.gc.memory import Memory                              # noqa: E402
from hawk.jit import x64                                       # noqa: E402
from hawk.jit.assembler import assemble                        # noqa: E402
from hawk.jit.codemem import (FRAME, MEMBASE, CodeMemory, CodeMemoryFull,  # noqa: E402
                              address_of, install_gate)
from hawk.jit.disasm import disassemble                        # noqa: E402
from hawk.jit.x64 import CALLEE_SAVED, SCRATCH, Mem, Reg                # noqa: E402
from hawk.vm.values import FIXNUM_MAX, FIXNUM_MIN, fixnum      # noqa: E402

R = Reg
FRAME_OFFSET = memory.STACK_START          # the frame the traces see: byte offset
SLOT0 = FRAME_OFFSET // 8                  # its word index, for Memory.W / F64


def slot(i: int) -> Mem:
    """Frame slot i: [r15 + r14 + 8*i]."""
    return Mem(MEMBASE, FRAME, 1, 8 * i)


def state_word(index: int) -> Mem:
    """A word of the VM state block (hawk.gc.memory.HP, ...)."""
    return Mem(MEMBASE, disp=8 * index)


def leave(n: int) -> list[x64.Asm]:
    """An exit: return exit number n to the gate."""
    return [x64.mov_ri(R.RAX, n), x64.jmp(EXIT)]


EXIT = ".Lexit"
SPILL = 64


def trace(*body: list[x64.Asm] | x64.Asm) -> list[x64.Asm]:
    """A block to run through the gate: body, then EXIT (return to the gate)."""
    lines = []
    for part in body:
        lines.extend(part if isinstance(part, list) else [part])
    return lines + [x64.label(EXIT), x64.ret()]


def entry(cm: CodeMemory, address: int):
    """The block at `address` as a function (base, state) -> exit number,
    entered through a gate with a SPILL-byte spill area."""
    gate = install_gate(cm, SPILL)
    return lambda base, state: gate(base, state, address)


@pytest.fixture
def cm():
    code = CodeMemory(1 << 20)
    yield code
    code.close()


@pytest.fixture(scope="module")
def mem():
    return Memory(memory.STACK_START + (1 << 22))   # the JIT data, static space, 4 MiB of frames and heap


def run(cm: CodeMemory, lines, mem: Memory | None = None, state: int = FRAME_OFFSET) -> int:
    return entry(cm, cm.install(lines))(mem.address if mem else 0, state)


def test_add_two_arguments(cm):
    f = cm.entry(cm.install([x64.mov_rr(R.RAX, R.RDI), x64.add_rr(R.RAX, R.RSI), x64.ret()]))
    assert f(2, 3) == 5
    assert f(-7, 2**40) == 2**40 - 7
    assert f(2**62, 2**62) == -2**63            # int64 wraps


def test_install_labelled_gives_the_labels_addresses(cm):
    cm.install([x64.nop()])                           # not at the start of the memory
    lines = [x64.mov_rr(R.RAX, R.RDI), x64.jmp(".Lthird"), x64.label(".Lsecond"),
             x64.mov_rr(R.RAX, R.RSI), x64.label(".Lthird"), x64.ret()]
    address, size, (second, third) = cm.install_labelled(lines, [".Lsecond", ".Lthird"])
    assert size == len(assemble(lines, address)) and cm.used == address - cm.address + size + 16
    assert third == address + size - 1               # the ret
    assert (cm.entry(address)(2, 3), cm.entry(second)(2, 3)) == (2, 3)


@pytest.mark.parametrize("value", [0, 1, -1, 0x7FFFFFFF, -0x80000000, 0x80000000, 0xFFFFFFFF,
                                   0x100000000, -0x80000001, 2**63 - 1, -2**63,
                                   0xFFFFFFFF80000000, 0x123456789ABCDEF0])
def test_mov_ri_loads_every_64_bit_value(cm, value):
    f = cm.entry(cm.install([x64.mov_ri(R.RAX, value), x64.ret()]))
    assert f(0, 0) == (value + 2**63) % 2**64 - 2**63


@pytest.mark.parametrize("n", [0, 1, 10, 100_000])
def test_sum_loop_in_registers(cm, n):
    lines = trace(x64.mov_ri(R.RAX, 0), x64.mov_rr(R.RCX, FRAME),
                  x64.test_rr(R.RCX, R.RCX), x64.je(EXIT),
                  x64.label(".Lloop"), x64.add_rr(R.RAX, R.RCX), x64.sub_ri(R.RCX, 1),
                  x64.jne(".Lloop"))
    assert run(cm, lines, state=n) == n * (n + 1) // 2


def test_loads_and_stores_in_memory(cm, mem):
    W = mem.W
    W[SLOT0], W[SLOT0 + 1] = 40, -2
    W[SLOT0 + 5] = 3                                   # an index
    lines = trace(
        x64.mov_rm(R.RAX, slot(0)), x64.mov_rm(R.RCX, slot(1)),
        x64.add_rr(R.RAX, R.RCX), x64.mov_mr(slot(2), R.RAX),          # slot2 = 38
        x64.mov_rm(R.RDX, slot(5)),                                    # rdx = 3
        x64.lea(R.R8, Mem(FRAME, R.RDX, 8, 8 * 4)),                    # offset of slot 7
        x64.mov_mi(Mem(MEMBASE, R.R8), -5),                            # slot7 = -5
        x64.mov32_mr(Mem(MEMBASE, FRAME, 1, 8 * 8), R.RCX),            # low half of slot 8
        x64.mov_ri(R.RSI, 0x1AB),
        x64.mov8_mr(Mem(MEMBASE, FRAME, 1, 8 * 9 + 3), R.RSI),         # sil: byte 3 of slot 9
        x64.mov32_rm(R.R9, slot(10)), x64.movzx8_rm(R.R10, slot(11)),
        x64.add_rr(R.R9, R.R10), x64.mov_mr(slot(12), R.R9),
        leave(4))
    W[SLOT0 + 8] = W[SLOT0 + 9] = 0
    W[SLOT0 + 10], W[SLOT0 + 11] = -1, 0x1FF          # zero-extended: 2^32-1, 0xff
    assert run(cm, lines, mem) == 4
    assert W[SLOT0 + 2] == 38 and W[SLOT0 + 7] == -5
    assert mem.U32[(FRAME_OFFSET + 64) // 4] == 0xFFFFFFFE and W[SLOT0 + 8] == 0xFFFFFFFE
    assert W[SLOT0 + 9] == 0xAB << 24
    assert W[SLOT0 + 12] == 0xFFFFFFFF + 0xFF


def test_bump_allocation_against_the_state_block(cm, mem):
    """Inline allocation as traces do it: HP += size unless past HLIMIT."""
    size, header = 24, 0x300
    lines = trace(
        x64.mov_rm(R.RAX, state_word(memory.HP)),
        x64.lea(R.RCX, Mem(R.RAX, disp=size)),
        x64.cmp_rm(R.RCX, state_word(memory.HLIMIT)), x64.ja(".Lfull"),
        x64.mov_ri(R.RDX, header), x64.mov_mr(Mem(MEMBASE, R.RAX), R.RDX),
        x64.mov_mr(state_word(memory.HP), R.RCX),
        leave(0),
        x64.label(".Lfull"), leave(1))
    bump = entry(cm, cm.install(lines))
    start = 2 * memory.PAGE
    mem.W[memory.HP], mem.W[memory.HLIMIT] = start, start + 2 * size
    assert [bump(mem.address, 0) for _ in range(3)] == [0, 0, 1]
    assert mem.W[memory.HP] == start + 2 * size
    assert mem.W[start // 8] == mem.W[(start + size) // 8] == header


@pytest.mark.parametrize("a, b, exit_no", [
    (3, 4, 0), (FIXNUM_MAX, 0, 0), (FIXNUM_MAX, 1, 7), (FIXNUM_MIN, -1, 7),
    (FIXNUM_MIN, FIXNUM_MAX, 0), (-5, -6, 0)])
def test_fixnum_add_overflow_guard(cm, mem, a, b, exit_no):
    lines = trace(
        x64.mov_rm(R.RAX, slot(0)), x64.mov_rm(R.R11, slot(1)),
        x64.add_rr(R.RAX, R.R11), x64.jo(".Loverflow"),
        x64.mov_mr(slot(2), R.RAX), leave(0),
        x64.label(".Loverflow"), leave(7))
    mem.W[SLOT0], mem.W[SLOT0 + 1], mem.W[SLOT0 + 2] = fixnum(a), fixnum(b), 1
    assert run(cm, lines, mem) == exit_no
    assert mem.W[SLOT0 + 2] == (fixnum(a + b) if exit_no == 0 else 1)


def test_flonum_arithmetic_in_xmm_registers(cm, mem):
    F = mem.F64
    lines = trace(
        x64.movsd_xm(R.XMM0, slot(0)), x64.movsd_xm(R.XMM9, slot(1)),
        x64.movaps_xx(R.XMM15, R.XMM0), x64.addsd_xx(R.XMM15, R.XMM9),
        x64.movsd_mx(slot(2), R.XMM15),                               # a + b
        x64.movaps_xx(R.XMM1, R.XMM0), x64.subsd_xx(R.XMM1, R.XMM9),
        x64.mulsd_xx(R.XMM1, R.XMM9), x64.divsd_xx(R.XMM1, R.XMM0),
        x64.movsd_mx(slot(3), R.XMM1),                               # (a - b) * b / a
        x64.sqrtsd_xx(R.XMM2, R.XMM0), x64.movq_rx(R.RAX, R.XMM2),
        x64.mov_mr(slot(4), R.RAX),                                  # sqrt a, via a gpr
        x64.mov_rm(R.RCX, slot(5)), x64.sar_ri(R.RCX, 3),            # untag fixnum
        x64.cvtsi2sd_xr(R.XMM3, R.RCX), x64.addsd_xx(R.XMM3, R.XMM9),
        x64.cvttsd2si_rx(R.RDX, R.XMM3), x64.shl_ri(R.RDX, 3),
        x64.mov_mr(slot(6), R.RDX),                                  # fixnum(trunc(n + b))
        x64.xorpd_xx(R.XMM4, R.XMM4), x64.movq_xr(R.XMM5, R.RAX),
        x64.ucomisd_xx(R.XMM5, R.XMM4), x64.jp(".Lunordered"),       # NaN check
        x64.ja(".Lpositive"), leave(2),
        x64.label(".Lpositive"), leave(1),
        x64.label(".Lunordered"), leave(3))
    F[SLOT0], F[SLOT0 + 1], mem.W[SLOT0 + 5] = 0.1, 0.2, fixnum(-5)
    assert run(cm, lines, mem) == 1
    assert F[SLOT0 + 2] == 0.1 + 0.2
    assert F[SLOT0 + 3] == (0.1 - 0.2) * 0.2 / 0.1
    assert F[SLOT0 + 4] == math.sqrt(0.1)
    assert mem.W[SLOT0 + 6] == fixnum(-4)                 # trunc(-4.8)
    f = entry(cm, cm.install(lines))
    F[SLOT0] = -1.0                                       # sqrt(-1) is NaN
    assert f(mem.address, FRAME_OFFSET) == 3
    F[SLOT0] = 0.0
    assert f(mem.address, FRAME_OFFSET) == 2


# Every register but rsp (and r15/r14 once they are pinned) carries a value.
BUSY = [R.RAX, R.RBX, R.RCX, R.RDX, R.RSI, R.RDI, R.RBP,
        R.R8, R.R9, R.R10, R.R11, R.R12, R.R13]


def busy_trace() -> list[x64.Asm]:
    """Load 13 slots into 13 registers, sum them pairwise in a tree, store
    the sum in slot 13 and exit 5. Uses all of rbx, rbp, r12-r15."""
    loads = [x64.mov_rm(r, slot(i)) for i, r in enumerate(BUSY)]
    adds, regs = [], list(BUSY)
    while len(regs) > 1:
        adds += [x64.add_rr(a, b) for a, b in zip(regs[::2], regs[1::2])]
        regs = regs[::2]
    return trace(loads, adds, x64.mov_mr(slot(13), regs[0]), leave(5))


def test_stack_is_16_byte_aligned_inside_a_trace(cm):
    for spill in (8, 16, 40):          # the spill area is [rsp + 8, rsp + 8 + spill)
        gate = install_gate(cm, spill)
        lines = [x64.mov_mi(Mem(R.RSP, disp=8), -1), x64.mov_mi(Mem(R.RSP, disp=spill), -1),
                 x64.mov_rr(R.RAX, R.RSP), x64.and_ri(R.RAX, 15), x64.ret()]
        assert gate(0, 0, cm.install(lines)) == 0


def test_many_registers(cm, mem):
    busy = entry(cm, cm.install(busy_trace()))
    for k in range(1000):
        values = [(k + 1) * (i - 6) * 1_000_003 for i in range(len(BUSY))]
        for i, v in enumerate(values):
            mem.W[SLOT0 + i] = v
        assert busy(mem.address, FRAME_OFFSET) == 5
        assert mem.W[SLOT0 + 13] == sum(values)


MAGIC = 0x5EED_0000_0000_0000


def harness(callee: int, target: int = 0) -> list[x64.Asm]:
    """A block to run through a gate, (base, state) -> mask: set the
    callee-saved registers to known values, call `callee` with (base,
    state, target), and return a bit per callee-saved register (in
    CALLEE_SAVED order) that came back changed."""
    lines = [x64.mov_rr(R.RDI, MEMBASE), x64.mov_rr(R.RSI, FRAME), x64.mov_ri(R.RDX, target)]
    lines += [x64.movabs_ri(r, MAGIC + i) for i, r in enumerate(CALLEE_SAVED)]
    lines += [x64.movabs_ri(SCRATCH, callee), x64.call_r(SCRATCH), x64.mov_ri(R.R10, 0)]
    for i, r in enumerate(CALLEE_SAVED):
        lines += [x64.movabs_ri(SCRATCH, MAGIC + i), x64.cmp_rr(r, SCRATCH), x64.je(f".Lsame{i}"),
                  x64.or_ri(R.R10, 1 << i), x64.label(f".Lsame{i}")]
    return lines + [x64.mov_rr(R.RAX, R.R10), x64.ret()]


def test_the_gate_preserves_callee_saved_registers(cm, mem):
    """busy_trace uses every register; run through a second gate, from a
    block that filled rbx, rbp, r12-r15 with known values, they all come
    back (and the busy trace still computed its sum)."""
    gate = install_gate(cm, SPILL)
    check = entry(cm, cm.install(harness(address_of(gate), cm.install(busy_trace()))))
    for k in range(1000):
        mem.W[SLOT0:SLOT0 + len(BUSY)] = array("q", [k + i for i in range(len(BUSY))])
        assert check(mem.address, FRAME_OFFSET) == 0
        assert mem.W[SLOT0 + 13] == sum(k + i for i in range(len(BUSY)))


def test_harness_catches_a_clobbering_block(cm, mem):
    bad = cm.install([x64.mov_ri(R.RBX, 1), x64.mov_ri(R.R12, 2), x64.ret()])
    check = entry(cm, cm.install(harness(bad)))
    assert check(mem.address, FRAME_OFFSET) == 0b101     # rbx and r12


def test_blocks_are_write_protected_executable(cm):
    address = cm.install([x64.ret()])
    with open("/proc/self/maps") as maps:
        for line in maps:
            lo, hi = (int(x, 16) for x in line.split()[0].split("-"))
            if lo <= address < hi:
                assert line.split()[1] == "r-xp"
                break
        else:
            pytest.fail("code memory not mapped")


def test_link_by_patching_a_movabs(cm):
    b = cm.install([x64.mov_ri(R.RAX, 42), x64.ret()])
    c = cm.install([x64.mov_ri(R.RAX, 43), x64.ret()])
    a = cm.install([x64.movabs_ri(SCRATCH, b), x64.jmp_r(SCRATCH)])
    assert cm.entry(a)(0, 0) == 42
    cm.patch(a, assemble([x64.movabs_ri(SCRATCH, c)], a))
    assert cm.entry(a)(0, 0) == 43


def test_commit_bumps_and_aligns(cm):
    a = cm.install([x64.nop(), x64.ret()])
    b = cm.install([x64.ret()])
    assert a == cm.address and b == a + 16 and cm.next_address == b + 16
    assert cm.read(a, 2) == b"\x90\xc3"
    with pytest.raises(ValueError):
        cm.entry(cm.next_address)                  # nothing committed there
    with pytest.raises(ValueError):
        cm.patch(b, b"\x90\x90")                    # past the end of the code


def test_full_then_flush_keeps_the_kept_blocks():
    cm = CodeMemory(memory.PAGE)
    try:
        kept = cm.install([x64.mov_ri(R.RAX, 7), x64.ret()])
        cm.keep()
        start = cm.next_address
        block = [x64.nop()] * 200 + [x64.mov_ri(R.RAX, 9), x64.ret()]
        first = cm.install(block)
        assert first == start
        with pytest.raises(CodeMemoryFull):
            for _ in range(100):
                cm.install(block)
        used = cm.used
        cm.flush()
        assert cm.next_address == start and cm.entry(kept)(0, 0) == 7
        gone = start - cm.address
        assert cm.read(start, used - gone) == b"\xcc" * (used - gone)          # int3
        again = cm.install(block)
        assert again == first and cm.entry(again)(0, 0) == 9
    finally:
        cm.close()


def test_disassemble_installed_code(cm):
    lines = trace(x64.mov_rr(R.RAX, FRAME))
    address = cm.install(lines)
    size = len(assemble(lines, address))
    listing = disassemble(cm.read(address, size), address)
    assert listing[0].startswith(f"{address:#014x}") and listing[0].endswith("mov rax, r14")
    assert listing[-1].split()[-1] == "ret"
    assert entry(cm, address)(0, 1234) == 1234
