"""The trace back end on hand-built IR, executed for real: register
allocation (including spills under register pressure), guards and their
exit stubs, the loop-back write-back, loads, stores and allocation."""
from __future__ import annotations

import platform
import re
import sys

import capstone
import pytest

if not (sys.platform.startswith("linux") and platform.machine() == "x86_64"):
    pytest.skip("the JIT's machine-code layer is x86-64 Linux only", allow_module_level=True)

from hawk.gc import memory                                     # noqa: E402
from hawk.gc.memory import HLIMIT, HP, Memory                  # noqa: E402
from hawk.jit.codemem import CodeMemory, install_gate          # noqa: E402
from hawk.jit.emit import SPILL_SLOTS, trace_lines             # noqa: E402
from hawk.jit.ir import IR                                     # noqa: E402
from hawk.jit.regalloc import ALLOCATABLE, allocate            # noqa: E402
from hawk.jit.snapshot import SnapshotTable                    # noqa: E402
from hawk.jit.x64 import Reg                                   # noqa: E402
from hawk.vm import values as V                                # noqa: E402
from hawk.vm.objects import PAIR_HEADER, T, header              # noqa: E402

fx = V.fixnum
FRAME = memory.STACK_START
SLOT0 = FRAME // 8
HEAP = FRAME + (1 << 20)       # byte offset of a scratch "heap" area in the test memory


@pytest.fixture(scope="module")
def mem():
    return Memory(memory.STACK_START + (1 << 22))   # the JIT data, static space, 4 MiB of frames and heap


@pytest.fixture
def cm():
    code = CodeMemory(1 << 20)
    yield code
    code.close()


_ATT = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_64)
_ATT.syntax = capstone.CS_OPT_SYNTAX_ATT


def listing(lines) -> list[str]:
    """Emitter lines as AT&T text, no space after a comma: a template's own
    text, or capstone's reading of its machine code (hawk.jit.encode)."""
    out = []
    for x in lines:
        if type(x) is bytes:
            (_, _, mnemonic, operands), = _ATT.disasm_lite(x, 0)
            x = f"{mnemonic} {operands}"
        out.append(x.replace(", ", ",").strip())
    return out


def entry(cm, address, counter=None):
    """The trace code at `address` as a function (base, state) -> exit
    number, entered through a gate as the JIT enters traces."""
    gate = install_gate(cm, 8 * SPILL_SLOTS, counter)
    return lambda base, state: gate(base, state, address)


def run(cm, mem, ir, snaps, final, frame, registers=None):
    for i, w in enumerate(frame):
        mem.W[SLOT0 + i] = w
    lines = trace_lines(ir, snaps.snaps, final, registers=registers)
    n = entry(cm, cm.install(lines))(mem.address, FRAME)
    return n, [mem.W[SLOT0 + i] for i in range(len(frame))]


def counting_loop(ir, snaps, tag=None):
    """slot0 = i, slot1 = n, slot2 = s: while i < n: s += i; i += 1 (tag:
    the ADDOVs' result tag, as the recorder gives it, or None)."""
    i, n = ir.emit("SLOAD", 0), ir.emit("SLOAD", 1)
    for r in (i, n):
        ir.emit("CHKTAG", r, 0, snap=snaps.take(10, {}))
    ir.emit("LT", i, n, snap=snaps.take(10, {}))
    s = ir.emit("SLOAD", 2)
    ir.emit("CHKTAG", s, 0, snap=snaps.take(11, {}))
    s2 = ir.emit("ADDOV", s, i, snap=snaps.take(11, {}), tag=tag)
    i2 = ir.emit("ADDOV", i, ir.k(fx(1)), snap=snaps.take(12, {2: s2}), tag=tag)
    return {0: i2, 2: s2}


def test_counting_loop_runs_to_its_exit(cm, mem):
    ir, snaps = IR(), SnapshotTable()
    final = counting_loop(ir, snaps)
    n, frame = run(cm, mem, ir, snaps, final, [fx(0), fx(1000), fx(0)])
    assert snaps.snaps[n].pc == 10
    assert frame == [fx(1000), fx(1000), fx(sum(range(1000)))]


def test_type_guard_exits_before_anything_changes(cm, mem):
    ir, snaps = IR(), SnapshotTable()
    final = counting_loop(ir, snaps)
    n, frame = run(cm, mem, ir, snaps, final, [fx(0), fx(10), 0x1002])   # s is a flonum
    assert snaps.snaps[n].pc == 11
    assert frame == [fx(0), fx(10), 0x1002]


def test_overflow_exit_restores_modified_slots(cm, mem):
    ir, snaps = IR(), SnapshotTable()
    final = counting_loop(ir, snaps)
    big = V.FIXNUM_MAX - 5
    n, frame = run(cm, mem, ir, snaps, final, [fx(big), fx(V.FIXNUM_MAX), fx(0)])
    # first iteration: s = big, i = big + 1 ...; s overflows in the second
    assert snaps.snaps[n].pc == 11
    assert frame == [fx(big + 1), fx(V.FIXNUM_MAX), fx(big)]


@pytest.mark.parametrize("registers", [None, (Reg.RAX, Reg.RCX, Reg.RDX), (Reg.RAX,)],
                         ids=["all", "three", "one"])
def test_register_pressure_spills(cm, mem, registers):
    """24 values all live until the end: more than there are registers."""
    ir, snaps = IR(), SnapshotTable()
    k = 24
    xs = [ir.emit("SLOAD", j) for j in range(k)]
    for x in xs:
        ir.emit("CHKTAG", x, 0, snap=snaps.take(1, {}))
    ys = [ir.emit("ADDOV", x, ir.k(fx(j + 1)), snap=snaps.take(2, {})) for j, x in enumerate(xs)]
    total = ys[0]
    for y in ys[1:]:
        total = ir.emit("ADDOV", total, y, snap=snaps.take(3, {}))
    stop = ir.emit("SLOAD", 2 * k + 1)
    final = {k + j: y for j, y in enumerate(ys)}
    final[2 * k] = total
    snap = snaps.take(4, dict(final))
    ir.emit("EQ", stop, ir.k(fx(0)), snap=snap)     # exits on the first iteration
    al = allocate(ir, snaps.snaps, final, registers or ALLOCATABLE)
    assert al.nspill > 0
    frame = [fx(10 * j) for j in range(k)] + [0] * (k + 1) + [fx(1)]
    n, out = run(cm, mem, ir, snaps, final, frame, registers)
    assert snaps.snaps[n].pc == 4
    want = [10 * j + j + 1 for j in range(k)]
    assert out[k:2 * k] == [fx(w) for w in want]
    assert out[2 * k] == fx(sum(want))
    assert out[:k] == frame[:k]


def test_loads_stores_and_booleans(cm, mem):
    """A box (object tag 5) whose content is incremented until it reaches slot1."""
    W = mem.W
    box = HEAP
    W[box >> 3] = (1 << 16) | 11
    W[(box >> 3) + 1] = fx(0)
    ir, snaps = IR(), SnapshotTable()
    b, n = ir.emit("SLOAD", 0), ir.emit("SLOAD", 1)
    v = ir.emit("LOAD", b, 3)
    done = ir.emit("BOOLEQ", v, n)
    ir.emit("EQ", done, ir.k(V.FALSE), snap=snaps.take(5, {2: done}))
    v2 = ir.emit("ADDOV", v, ir.k(fx(1)), snap=snaps.take(6, {2: done}))
    ir.emit("STORE", b, v2, 3)
    n_exit, frame = run(cm, mem, ir, snaps, {2: done}, [box | 5, fx(77), 0])
    assert snaps.snaps[n_exit].pc == 5
    assert frame[2] == V.TRUE
    assert W[(box >> 3) + 1] == fx(77)


def test_inline_cons_and_nursery_exit(cm, mem):
    W = mem.W
    W[HP] = HEAP + 4096
    W[HLIMIT] = HEAP + 4096 + 24 * 5          # room for five pairs
    ir, snaps = IR(), SnapshotTable()
    lst, x = ir.emit("SLOAD", 0), ir.emit("SLOAD", 1)
    p = ir.emit("NEWPAIR", x, lst, snap=snaps.take(9, {}))
    final = {0: p}
    n, frame = run(cm, mem, ir, snaps, final, [V.NIL, fx(7)])
    assert snaps.snaps[n].pc == 9
    assert W[HP] == HEAP + 4096 + 24 * 5
    # walk the list: five pairs of 7 ending in ()
    walk, count = frame[0], 0
    while walk != V.NIL:
        assert walk & 7 == 1 and W[walk >> 3] == PAIR_HEADER
        assert W[(walk >> 3) + 1] == fx(7)
        walk = W[(walk >> 3) + 2]
        count += 1
    assert count == 5


@pytest.mark.parametrize("fill", ["register", "immediate", "wide"])
@pytest.mark.parametrize("registers", [None, (Reg.RAX,)], ids=["all", "one"])
def test_inline_vectors_and_nursery_exit(cm, mem, fill, registers):
    """NEWVEC in a loop until the nursery is full, with its fill in a
    register, an immediate, or a constant too wide for one (filled from
    rax, saved around the loop); with only rax allocatable, values live
    in rax and in spill slots across it."""
    W = mem.W
    n = 3
    round_bytes = 8 * (n + 1) + 24            # a vector and the pair holding it
    W[HP] = HEAP + 4096
    W[HLIMIT] = HEAP + 4096 + 4 * round_bytes  # four rounds
    word = {"register": fx(9), "immediate": fx(5), "wide": fx(2 ** 40)}[fill]
    ir, snaps = IR(), SnapshotTable()
    lst, length = ir.emit("SLOAD", 0), ir.emit("SLOAD", 1)
    f = ir.emit("SLOAD", 2) if fill == "register" else ir.k(word)
    v = ir.emit("NEWVEC", length, f, snap=snaps.take(9, {}))
    p = ir.emit("NEWPAIR", v, lst, snap=snaps.take(10, {}))
    final = {0: p}
    k, frame = run(cm, mem, ir, snaps, final, [V.NIL, fx(n), word], registers)
    assert snaps.snaps[k].pc == 9 and W[HP] == W[HLIMIT]
    assert frame[1:] == [fx(n), word]
    walk, count = frame[0], 0
    while walk != V.NIL:
        vec = W[(walk >> 3) + 1]
        assert vec & 7 == 5 and W[vec >> 3] == header(T.VECTOR, n)
        assert [W[(vec >> 3) + 1 + j] for j in range(n)] == [word] * n
        walk = W[(walk >> 3) + 2]
        count += 1
    assert count == 4


def test_exit_table_links_an_exit_to_a_side_trace(cm, mem):
    """Trace 1 counts slot 0 up to 10 and exits; once its exit table entry
    holds trace 2's entry, the same exit runs trace 2 (slot 1 += 100, then
    an unconditional EXIT), which reports itself in EXIT_TRACE."""
    from hawk.gc.memory import EXIT_BASE, EXIT_TRACE, JIT_START
    from hawk.jit.emit import Emitter, Shape
    W = mem.W
    table1, table2 = JIT_START, JIT_START + 64
    ir1, snaps1 = IR(), SnapshotTable()
    i = ir1.emit("SLOAD", 0)
    ir1.emit("LT", i, ir1.k(fx(10)), snap=snaps1.take(5, {}))
    final1 = {0: ir1.emit("ADDOV", i, ir1.k(fx(1)), snap=snaps1.take(6, {}))}
    ir2, snaps2 = IR(), SnapshotTable()
    v = ir2.emit("ADDOV", ir2.emit("SLOAD", 1), ir2.k(fx(100)), snap=snaps2.take(5, {}))
    ir2.emit("EXIT", snap=snaps2.take(7, {1: v}))
    em2 = Emitter(ir2, snaps2.snaps, {}, Shape(number=2, exits=table2))
    side, _, (side_entry, side_ret) = cm.install_labelled(em2.lines(), [".Lentry", ".Lret"])
    em1 = Emitter(ir1, snaps1.snaps, final1, Shape(number=1, exits=table1))
    address1, _, (ret1,) = cm.install_labelled(em1.lines(), [".Lret"])
    trace1 = entry(cm, address1)
    W[table1 >> 3] = W[(table1 >> 3) + 1] = ret1                   # unlinked: return
    W[table2 >> 3] = W[(table2 >> 3) + 1] = side_ret
    W[SLOT0:SLOT0 + 2] = memoryview(bytearray(16)).cast("q")
    n = trace1(mem.address, FRAME)
    assert (n, W[EXIT_TRACE], W[EXIT_BASE], W[SLOT0]) == (0, 1, FRAME, fx(10))
    W[table1 >> 3] = side_entry                                     # link exit 0
    W[SLOT0] = 0
    n = trace1(mem.address, FRAME)
    assert (n, W[EXIT_TRACE], W[SLOT0], W[SLOT0 + 1]) == (1, 2, fx(10), fx(100))


def test_guard_against_a_gc_constant_reads_the_constant_table(cm, mem):
    """EQ with a heap-pointer constant compares with the word in the
    trace's constant table (which the collector updates), not with an
    immediate: changing the table word changes what the guard accepts."""
    from hawk.gc.memory import JIT_START, SPACE0_START
    from hawk.jit.emit import Emitter, Shape
    W = mem.W
    p, q = SPACE0_START + 0x40 | 3, SPACE0_START + 0x80 | 3
    ir, snaps = IR(), SnapshotTable()
    k = ir.k(p)
    assert ir.consts[-k - 1] == ("gc", 0)
    x = ir.emit("SLOAD", 0)
    ir.emit("EQ", x, k, snap=snaps.take(20, {}))
    ir.emit("EXIT", snap=snaps.take(30, {1: k}))
    table = JIT_START + 256
    trace = entry(cm, cm.install(Emitter(ir, snaps.snaps, {}, Shape(consts=table)).lines()))
    for const, slot0, pc in ((p, p, 30), (p, q, 20), (q, q, 30)):   # the collector moved it
        W[table >> 3] = const
        W[SLOT0], W[SLOT0 + 1] = slot0, 0
        n = trace(mem.address, FRAME)
        assert snaps.snaps[n].pc == pc
        assert W[SLOT0 + 1] == (const if pc == 30 else 0)          # the stub stores it too


def fib_loop(ir, snaps):
    """slot0 = a, slot1 = b, slot2 = n: while n > 0: a, b, n = b, a + b, n - 1.
    Its loop end passes the three inputs back in their registers, one of
    them through a cycle (a's register takes b's value, b's the sum)."""
    a, b, n = (ir.emit("SLOAD", s) for s in range(3))
    ir.emit("GT", n, ir.k(fx(0)), snap=snaps.take(10, {}))
    s = ir.emit("ADDOV", a, b, snap=snaps.take(11, {}))
    n1 = ir.emit("SUBOV", n, ir.k(fx(1)), snap=snaps.take(12, {}))
    return {0: b, 1: s, 2: n1}


@pytest.mark.parametrize("registers", [None, (Reg.RAX, Reg.RCX, Reg.RDX, Reg.RBX), (Reg.RAX,)],
                         ids=["all", "four", "one"])
def test_loop_end_passes_inputs_in_registers(cm, mem, registers):
    from hawk.jit.emit import Emitter
    ir, snaps = IR(), SnapshotTable()
    final = fib_loop(ir, snaps)
    em = Emitter(ir, snaps.snaps, final, registers=registers)
    assert [slot for slot, _ in em.inputs] == [0, 1, 2][:len(registers or ALLOCATABLE)]
    lines = listing(em.lines())
    back = lines.index(next(x for x in lines if "jmp" in x and ".Lregs" in x))
    assert not any(re.match(r"movq -?\w*\(%r15,%r14", x)           # a frame load
                   for x in lines[back - 4:back]) \
        or registers == (Reg.RAX,)          # no reload of what the loop end just stored
    n, frame = run(cm, mem, ir, snaps, final, [fx(0), fx(1), fx(30)], registers)
    assert snaps.snaps[n].pc == 10
    assert frame == [fx(832040), fx(1346269), fx(0)]


def test_link_passes_inputs_to_the_linked_trace(cm, mem):
    """Trace A (slot0 += 1, a double into slot 3, then a frame one slot
    higher) links to trace B, whose inputs are B's slots 0..3: A's final
    values arrive in B's registers (a register, a constant, an unmodified
    slot and a boxed double, the last two read back from the frame);
    B stores what it got to slots 4..7 of its frame and exits."""
    import struct
    from hawk.jit.emit import Emitter, Shape
    W = mem.W
    irb, snb = IR(), SnapshotTable()
    xs = [irb.emit("SLOAD", s) for s in range(4)]
    irb.emit("EXIT", snap=snb.take(7, {4 + j: x for j, x in enumerate(xs)}))
    emb = Emitter(irb, snb.snaps, {}, Shape(number=2))
    assert len(emb.inputs) == 4
    _, _, (b_regs,) = cm.install_labelled(emb.lines(), [".Lregs"])
    ira, sna = IR(), SnapshotTable()
    x = ira.emit("SLOAD", 1)
    ira.emit("CHKTAG", x, 0, snap=sna.take(1, {}))
    x1 = ira.emit("ADDOV", x, ira.k(fx(1)), snap=sna.take(2, {}))
    d = ira.emit("FCONV", x1)
    final = {1: x1, 2: ira.k(fx(7)), 4: d}       # slot 3 (B's 2) is not modified
    shape = Shape(number=1, loop_delta=1, link=b_regs,
                  link_inputs=emb.inputs)
    a = entry(cm, cm.install(Emitter(ira, sna.snaps, final, shape).lines()))
    W[HP], W[HLIMIT] = HEAP, HEAP + 4096
    W[SLOT0:SLOT0 + 4] = memoryview(bytearray(32)).cast("q")
    W[SLOT0 + 1], W[SLOT0 + 3] = fx(41), fx(99)
    assert a(mem.address, FRAME) == 0
    got = [W[SLOT0 + 1 + 4 + j] for j in range(4)]
    assert got[:3] == [fx(42), fx(7), fx(99)]
    assert got[3] == W[SLOT0 + 4] and got[3] & 7 == 2       # the box A stored
    assert struct.unpack("<d", struct.pack("<q", W[(got[3] >> 3) + 1]))[0] == 42.0


def test_profile_counts_in_a_register_kept_out_of_allocation(cm, mem):
    """-p: the counting loop adds its bytecodes per iteration (and the exit
    its own) in the counter register, which the gate loads from BC_TRACE
    on entry and stores back on the way out; no path adds to the memory word, and the
    allocator never hands the counter out, even with nothing else left."""
    from hawk.gc.memory import BC_TRACE
    from hawk.jit.emit import PROFILE_COUNTER, Emitter, Shape
    ir, snaps = IR(), SnapshotTable()
    final = counting_loop(ir, snaps)
    snaps.snaps[:] = [s._replace(nbc=2) for s in snaps.snaps]
    em = Emitter(ir, snaps.snaps, final, Shape(nbc=5, counter=PROFILE_COUNTER),
                 registers=(Reg.RAX, PROFILE_COUNTER))
    assert PROFILE_COUNTER not in em.al.loc.values()
    lines = em.lines()
    assert not any(x.startswith("addq ") and x.endswith(")") for x in listing(lines))   # no add to memory
    mem.W[BC_TRACE] = 1000
    for i, w in enumerate([fx(0), fx(10), fx(0)]):
        mem.W[SLOT0 + i] = w
    n = entry(cm, cm.install(lines), (PROFILE_COUNTER, 8 * BC_TRACE))(mem.address, FRAME)
    assert snaps.snaps[n].pc == 10
    assert mem.W[BC_TRACE] == 1000 + 10 * 5 + 2


@pytest.mark.parametrize("registers", [None, (Reg.RAX, Reg.RCX), (Reg.RAX,)],
                         ids=["all", "two", "one"])
def test_entry_frame_loads_move_to_the_top(cm, mem, registers):
    """SLOAD 0 stands after a guard and after a short-lived value; as an
    input it is loaded at the top, so it must hold a register nothing
    before it uses."""
    ir, snaps = IR(), SnapshotTable()
    a = ir.emit("SLOAD", 3)
    t = ir.emit("ADDOV", a, ir.k(fx(1)), snap=snaps.take(1, {}))
    ir.emit("GT", t, ir.k(fx(0)), snap=snaps.take(2, {}))
    b = ir.emit("SLOAD", 0)
    c = ir.emit("ADDOV", b, t, snap=snaps.take(3, {}))
    ir.emit("EXIT", snap=snaps.take(4, {0: c, 1: t}))
    al = allocate(ir, snaps.snaps, {}, registers or ALLOCATABLE)
    assert al.inputs == [a, b][:len(registers or ALLOCATABLE)]
    n, frame = run(cm, mem, ir, snaps, {}, [fx(5), 0, 0, fx(7)], registers)
    assert snaps.snaps[n].pc == 4
    assert frame == [fx(13), fx(8), 0, fx(7)]
