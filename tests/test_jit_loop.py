"""The loop optimisation (hawk.jit.loopopt): the recorded iteration is
peeled and loop-carried values become PHIs kept in registers. On
hand-built IR executed for real: the peeled trace leaves the frame exactly
as the unpeeled one at every exit (from the pre-roll or the body, with
spills and move cycles at the back edge); on whole programs: type changes,
overflow, side traces from the body, and allocation under GC stress give
what the interpreter gives."""
from __future__ import annotations

import io
import platform
import sys

import pytest

if not (sys.platform.startswith("linux") and platform.machine() == "x86_64"):
    pytest.skip("the JIT's machine-code layer is x86-64 Linux only", allow_module_level=True)

from conftest import run_both, run_jit, run_scheme             # noqa: E402
from hawk.driver import make_vm, run_source                    # noqa: E402
from hawk.jit.ir import IR                                     # noqa: E402
from hawk.jit.loopopt import unroll                            # noqa: E402
from hawk.jit.options import JitOptions                        # noqa: E402
from hawk.jit.snapshot import SnapshotTable                    # noqa: E402
from hawk.jit.x64 import Reg                                   # noqa: E402
from hawk.vm import values as V                                # noqa: E402
from hawk.gc.memory import HLIMIT, HP                           # noqa: E402
from test_jit_backend import HEAP, cm, counting_loop, mem, run  # noqa: E402,F401
from test_jit_flonum import flonums, unboxed                   # noqa: E402

fx = V.fixnum
REGISTERS = [None, (Reg.RAX, Reg.RCX, Reg.RDX), (Reg.RAX,)]
IDS = ["all", "three", "one"]


def counting(ir, snaps):
    """test_jit_backend's counting loop, with the recorder's fixnum result tags."""
    return counting_loop(ir, snaps, tag=0)


def peeled(build):
    """(ir, snaps, final) of build(ir, snaps) -> final, and the same peeled."""
    ir, snaps = IR(), SnapshotTable()
    final = build(ir, snaps)
    pir, psnaps, pfinal = unroll(ir, snaps, final, 10, None)
    return (ir, snaps, final), (pir, psnaps, pfinal)


def ops(ir) -> list:
    return [ins[0] for ins in ir.ins]


def body(ir) -> list:
    names = ops(ir)
    return names[names.index("LOOP") + 1:]


def run_both_ways(cm, mem, build, frame, registers=None):
    """Run the trace as recorded and peeled from the same frame; both exits
    (their pc) and the frames they leave, which must be the same."""
    results = []
    for ir, snaps, final in peeled(build):
        n, out = run(cm, mem, ir, snaps, final, frame, registers)
        results.append((snaps.snaps[n].pc, out))
    return results


def test_peeling_keeps_the_recorded_iteration_and_proves_the_tags():
    (ir, _, _), (pir, _, pfinal) = peeled(counting)
    assert pir.ins[:len(ir.ins)] == ir.ins and ops(ir).count("CHKTAG") == 3
    assert pfinal == {}                                  # nothing is written back
    # the body: the loop test and two additions; the fixnum tags of i and s
    # are proven by the ADDOVs of the previous iteration, n's is invariant
    assert [op for op in body(pir) if op != "PHI"] == ["LT", "ADDOV", "ADDOV"]
    assert body(pir).count("PHI") == 2


def walking_a_list(ir, snaps):
    """l = (cdr l) while l is a pair: the pre-roll's cdr is checked to be a
    pair only by the body (as the next l), never by the pre-roll itself."""
    l = ir.emit("SLOAD", 1)
    ir.emit("CHKTAG", l, 1, snap=snaps.take(10, {}))
    nxt = ir.emit("LOAD", l, 15)
    return {1: nxt}


def test_the_body_copy_has_only_the_tags_its_operation_gives():
    """The body's CHKTAG of the carried l sets the tag of the pre-roll's
    cdr, which the body then copies: the copy must not take that tag as
    its own (it is the next iteration's l, unchecked until then: a side
    trace from a later body guard trusted it, tests/scheme/jit_peeled_tags)."""
    _, (pir, _, _) = peeled(walking_a_list)
    loads = [i for i, ins in enumerate(pir.ins) if ins[:1] == ("LOAD",)]
    pre, copy = loads
    assert pir.tags.get(pre) == 1 and pir.since[pre] > pir.ins.index(("LOOP", 0, 0, 0))
    assert copy not in pir.tags


@pytest.mark.parametrize("registers", REGISTERS, ids=IDS)
def test_peeled_loop_exits_like_the_recorded_one(cm, mem, registers):
    [plain, peel] = run_both_ways(cm, mem, counting, [fx(0), fx(1000), fx(0)], registers)
    assert peel == plain == (10, [fx(1000), fx(1000), fx(sum(range(1000)))])


@pytest.mark.parametrize("registers", REGISTERS, ids=IDS)
def test_overflow_of_a_carried_fixnum_in_the_body(cm, mem, registers):
    """s overflows in the fifth iteration: an exit from the body, whose
    snapshot rebuilds i and s from the PHIs' registers."""
    big = V.FIXNUM_MAX - 20
    frame = [fx(5), fx(V.FIXNUM_MAX), fx(big)]
    [plain, peel] = run_both_ways(cm, mem, counting, frame, registers)
    assert peel == plain
    assert plain[0] == 11 and plain[1][2] == fx(big + 5 + 6 + 7)


def rotate(ir, snaps):
    """slots 0..2 = a, b, c (fixnums), slot 3 = k: (a, b, c) <- (b, c, a + 1)
    while k > 0, k -= 1; a three-way cycle of PHIs at the back edge."""
    a, b, c, k = (ir.emit("SLOAD", j) for j in range(4))
    ir.emit("CHKTAG", k, 0, snap=snaps.take(20, {}))
    ir.emit("GT", k, ir.k(fx(0)), snap=snaps.take(20, {}))
    ir.emit("CHKTAG", a, 0, snap=snaps.take(21, {}))
    a1 = ir.emit("ADDOV", a, ir.k(fx(1)), snap=snaps.take(21, {}))
    k1 = ir.emit("SUBOV", k, ir.k(fx(1)), snap=snaps.take(22, {}))
    return {0: b, 1: c, 2: a1, 3: k1}


@pytest.mark.parametrize("registers", REGISTERS, ids=IDS)
def test_move_cycle_at_the_back_edge(cm, mem, registers):
    (_, _, _), (pir, _, _) = peeled(rotate)
    assert body(pir).count("PHI") == 4
    for k in (0, 1, 2, 3, 7, 100):
        [plain, peel] = run_both_ways(cm, mem, rotate, [fx(1), fx(20), fx(300), fx(k)], registers)
        assert peel == plain
        a, b, c = [1, 20, 300]
        for _ in range(k):
            a, b, c = b, c, a + 1
        assert plain == (20, [fx(a), fx(b), fx(c), fx(0)])


def sum_doubles(ir, snaps):
    """slot0 = i, slot1 = limit, slot2 = acc (flonums): while not i > limit:
    acc += i; i += 1.0 (the loop of bench/r7rs/sumfp.scm)."""
    i, limit = ir.emit("SLOAD", 0), ir.emit("SLOAD", 1)
    for r in (i, limit):
        ir.emit("CHKTAG", r, 2, snap=snaps.take(30, {}))
    di, dl = ir.emit("FUNBOX", i), ir.emit("FUNBOX", limit)
    ir.emit("FNLT", dl, di, snap=snaps.take(30, {}))
    acc = ir.emit("SLOAD", 2)
    ir.emit("CHKTAG", acc, 2, snap=snaps.take(31, {}))
    acc1 = ir.emit("FADD", ir.emit("FUNBOX", acc), di)
    return {0: ir.emit("FADD", di, ir.kf(1.0)), 2: acc1, 3: acc1}


@pytest.mark.parametrize("registers", REGISTERS, ids=IDS)
def test_exit_from_the_body_boxes_the_carried_doubles(cm, mem, registers):
    (_, _, _), (pir, psnaps, _) = peeled(sum_doubles)
    assert "CHKTAG" not in body(pir) and "FUNBOX" not in body(pir)
    assert "LOOP" in ops(pir) and pir.ins and len(psnaps.snaps) > 2
    mem.W[HP] = HEAP + 4096
    mem.W[HLIMIT] = HEAP + 8192
    frame = flonums(mem, [0.5, 100.0, 0.25]) + [0]
    [plain, peel] = run_both_ways(cm, mem, sum_doubles, frame, registers)
    assert plain[0] == peel[0] == 30
    for pc, out in (plain, peel):
        assert [unboxed(mem, w) for w in out[:3]] == [100.5, 100.0, 0.25 + sum(
            j + 0.5 for j in range(100))]
        assert out[3] == out[2]             # one box for the double both slots hold


def type_changes(ir, snaps):
    """slot0 starts as a fixnum and becomes a raw double: not type-stable."""
    x = ir.emit("SLOAD", 0)
    ir.emit("CHKTAG", x, 0, snap=snaps.take(40, {}))
    return {0: ir.emit("FCONV", x)}


def test_a_loop_that_is_not_type_stable_is_left_as_recorded():
    (ir, snaps, final), (pir, psnaps, pfinal) = peeled(type_changes)
    assert (pir, psnaps, pfinal) == (ir, snaps, final)


# ---- whole programs --------------------------------------------------------------


def peeled_traces(vm, name):
    return [t for t in vm.jit.all_traces if t.func.name == name and "LOOP" in ops(t.ir)]


def body_snaps(t) -> set:
    """The snapshots of trace t's guards in its loop body."""
    loop_at = ops(t.ir).index("LOOP")
    return {t.ir.snap_of[i] for i in t.ir.snap_of if i > loop_at}


def test_carried_flonum_becomes_a_fixnum_midway():
    """x is a flonum for 60 iterations, then a fixnum: the body's guard
    fails, the interpreter (and the traces grown from there) go on."""
    text = """
(define (f n)
  (let loop ((i 0) (x 0.5) (acc 0.))
    (if (= i n)
        (list x acc)
        (loop (+ i 1) (if (< i 60) (* x 1.5) i) (+ acc x)))))
(write (f 200)) (newline)
"""
    joff, jit = run_both(text, hot=5)
    assert jit == joff and joff[0] == 0
    out, vm = run_jit(text, hot=5)
    assert out == joff[1] and peeled_traces(vm, "f")


def test_exit_from_the_body_gives_exact_flonums():
    text = """
(define (f n)
  (let loop ((i 0.) (acc 0.) (prod 1.))
    (if (> i n) (list i acc prod) (loop (+ i 1.) (+ acc (/ 1. (+ i 1.))) (* prod 1.01)))))
(write (f 1000.)) (newline)
"""
    i, acc, prod = 0.0, 0.0, 1.0
    while not i > 1000.0:
        i, acc, prod = i + 1.0, acc + 1.0 / (i + 1.0), prod * 1.01
    want = f"({i!r} {acc!r} {prod!r})\n"
    joff, jit = run_both(text, hot=5)
    assert joff == jit == (0, want, "")
    out, vm = run_jit(text, hot=5)
    [t] = peeled_traces(vm, "f")
    assert list(t.exit_counts.values()) == [1] and set(t.exit_counts) <= body_snaps(t)


def test_side_trace_from_the_body_links_back():
    """A branch taken every other iteration: its exit in the peeled body
    grows a side trace that starts from that exit's snapshot (the PHIs'
    values boxed and written) and links back to the root."""
    text = """
(define (f n)
  (let loop ((i 0) (a 0.) (b 0.))
    (cond ((= i n) (list a b))
          ((even? i) (loop (+ i 1) (+ a 0.5) b))
          (else (loop (+ i 1) a (- b 0.25))))))
(write (f 100000)) (newline)
"""
    out, vm = run_jit(text)
    assert out == "(25000.0 -12500.0)\n"
    [root] = peeled_traces(vm, "f")
    sides = [t for t in vm.jit.all_traces if t.kind == "side" and t.link is root]
    linked = {n for n in body_snaps(root) if vm.W[(root.exit_table >> 3) + n] != root.unlinked}
    assert sides and linked
    assert sum(t.exits for t in vm.jit.all_traces) < 30


def test_allocating_body_under_gc_stress():
    """A body that conses and boxes every iteration checks the nursery at
    its top; under GC stress every safepoint collects."""
    text = """
(define (f n)
  (let loop ((i 0) (x 0.) (acc '()))
    (if (= i n) (list (length acc) (car acc) x) (loop (+ i 1) (+ x 0.5) (cons x acc)))))
(write (f 100)) (newline)
"""
    want = "(100 49.5 50.0)\n"
    for stress in (0, 1):
        for jit in (None, JitOptions(enabled=True, hot=5)):
            r = run_scheme(text, stress=stress, jit=jit)
            assert (r.status, r.out, r.err) == (0, want, "")
    out, vm = run_jit(text, hot=5)
    [t] = peeled_traces(vm, "f")
    loop_at = ops(t.ir).index("LOOP")
    assert loop_at in t.ir.snap_of and t.ir.snap_of[loop_at] in t.no_side


def test_peeling_can_be_turned_off():
    text = "(define (f n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s i)))))" \
           "(display (f 1000)) (newline)"
    for peel in (True, False):
        out = io.StringIO()
        vm = make_vm(["<test>"], jit=JitOptions(enabled=True, hot=7, peel=peel), stdout=out)
        run_source(vm, text, "<test>")
        vm.flush()
        assert out.getvalue() == "499500\n"
        assert bool(peeled_traces(vm, "f")) == peel and vm.jit.all_traces


def test_peeled_trace_needing_too_many_spill_slots_falls_back(monkeypatch):
    """If the peeled loop needs more spill slots than a trace has, the
    trace is compiled as recorded (not refused)."""
    from hawk.jit import emit

    def allocate(ir, snaps, final, *registers):
        al = real(ir, snaps, final, *registers)
        if "LOOP" in ops(ir):
            al.nspill = emit.SPILL_SLOTS + 1
        return al
    real = emit.allocate
    monkeypatch.setattr(emit, "allocate", allocate)
    text = "(define (f n) (let loop ((i 0) (x 0.)) (if (= i n) x (loop (+ i 1) (+ x 0.5)))))" \
           "(display (f 1000)) (newline)"
    out, vm = run_jit(text)
    assert out == "500.0\n"
    assert [t for t in vm.jit.all_traces if t.func.name == "f"] and not peeled_traces(vm, "f")
