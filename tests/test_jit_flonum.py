"""Flonums unboxed in XMM registers and the operations traced with them:
the back end on hand-built IR executed for real (XMM allocation with
spills, boxing in exit stubs, double guards with NaN, integer division),
and whole programs compared with the interpreter (traces formed, errors
raised from inside a trace at the right place)."""
from __future__ import annotations

import math
import platform
import sys

import pytest

if not (sys.platform.startswith("linux") and platform.machine() == "x86_64"):
    pytest.skip("the JIT's machine-code layer is x86-64 Linux only", allow_module_level=True)

from conftest import run_both, run_jit                          # noqa: E402
from hawk.gc.memory import HLIMIT, HP                           # noqa: E402
from hawk.jit import ir as I                                    # noqa: E402
from hawk.jit.ir import IR, bits_double, double_bits            # noqa: E402
from hawk.jit.regalloc import allocate                          # noqa: E402
from hawk.jit.snapshot import SnapshotTable                     # noqa: E402
from hawk.vm import arith                                       # noqa: E402
from hawk.vm import values as V                                 # noqa: E402
from hawk.vm.objects import FLONUM_HEADER                       # noqa: E402
from test_jit_backend import HEAP, cm, mem, run                 # noqa: E402,F401

fx = V.fixnum
BOXES = HEAP + (1 << 16)         # where the test puts its input flonums


def flonums(mem, xs) -> list:
    """Boxed flonums for xs in the test heap; their tagged words."""
    out = []
    for j, x in enumerate(xs):
        p = BOXES + 16 * j
        mem.W[p >> 3] = FLONUM_HEADER
        mem.W[(p >> 3) + 1] = double_bits(x) - (double_bits(x) >> 63 << 64)
        out.append(p | 2)
    return out


def unboxed(mem, w) -> float:
    assert w & 7 == 2 and mem.W[w >> 3] == FLONUM_HEADER
    return bits_double(mem.W[(w >> 3) + 1])


def load_doubles(ir, snaps, n):
    refs = [ir.emit("SLOAD", j) for j in range(n)]
    for r in refs:
        ir.emit("CHKTAG", r, 2, snap=snaps.take(1, {}))
    return [ir.emit("FUNBOX", r) for r in refs]


def test_xmm_pressure_spills_and_exit_boxes(cm, mem):
    """20 doubles live at once (14 XMM registers): some spill; the exit
    stub boxes every raw double of its snapshot into a fresh flonum."""
    mem.W[HP] = HEAP + 4096
    mem.W[HLIMIT] = HEAP + 8192
    k = 20
    xs = [0.5 * j - 3 for j in range(k)]
    ir, snaps = IR(), SnapshotTable()
    ds = load_doubles(ir, snaps, k)
    ys = [ir.emit("FMUL", d, ir.kf(1.5 + j)) for j, d in enumerate(ds)]
    total = ys[0]
    for y in ys[1:]:
        total = ir.emit("FADD", total, y)
    slots = {k + j: y for j, y in enumerate(ys)}
    slots[2 * k] = total
    stop = ir.emit("SLOAD", 2 * k + 1)
    ir.emit("EQ", stop, ir.k(fx(0)), snap=snaps.take(4, slots))
    al = allocate(ir, snaps.snaps, {})
    assert al.nspill > 0
    assert any(loc.is_xmm for loc in al.loc.values() if not isinstance(loc, tuple))
    frame = flonums(mem, xs) + [0] * (k + 1) + [fx(1)]
    n, out = run(cm, mem, ir, snaps, {}, frame)
    assert snaps.snaps[n].pc == 4
    want = [x * (1.5 + j) for j, x in enumerate(xs)]
    assert [unboxed(mem, w) for w in out[k:2 * k]] == want
    acc = want[0]
    for w in want[1:]:
        acc += w
    assert unboxed(mem, out[2 * k]) == acc
    assert mem.W[HP] == HEAP + 4096 + 16 * (k + 1)       # one box per slot


SPECIALS = [math.nan, 1.0, -1.0, 0.0, -0.0, math.inf, -math.inf]


@pytest.mark.parametrize("op", ["FLT", "FNLT", "FLE", "FNLE", "FEQ", "FNE"])
def test_double_guards_follow_python_on_nan_and_infinities(cm, mem, op):
    """Each guard exits exactly when Python's comparison (what the
    interpreter computes) says its condition does not hold."""
    ir, snaps = IR(), SnapshotTable()
    x, y = load_doubles(ir, snaps, 2)
    ir.emit(op, x, y, snap=snaps.take(7, {}))
    stop = ir.emit("SLOAD", 2)
    ir.emit("EQ", stop, ir.k(fx(0)), snap=snaps.take(8, {}))
    for a in SPECIALS:
        for b in SPECIALS:
            n, _ = run(cm, mem, ir, snaps, {}, flonums(mem, [a, b]) + [fx(1)])
            assert snaps.snaps[n].pc == (8 if I.COMPARE[op](a, b) else 7), (op, a, b)


@pytest.mark.parametrize("op", ["QUOT", "REMT", "MODT"])
def test_integer_division_matches_the_interpreter(cm, mem, op):
    """Tagged quotient/remainder/modulo for every sign combination; rax and
    rdx (used by idiv) keep the values allocated to them."""
    ir, snaps = IR(), SnapshotTable()
    a, b = ir.emit("SLOAD", 0), ir.emit("SLOAD", 1)
    live = [ir.emit("ADD", ir.emit("SLOAD", 3 + j), ir.k(fx(j))) for j in range(12)]
    r = ir.emit(op, a, b, snap=snaps.take(5, {}))
    stop = ir.emit("SLOAD", 2)
    ir.emit("EQ", stop, ir.k(fx(0)), snap=snaps.take(6, {2: r, **{3 + j: v for j, v in enumerate(live)}}))
    python = {"QUOT": arith.truncate_quotient_int, "REMT": arith.truncate_remainder_int,
              "MODT": lambda p, q: p % q}[op]
    for p in (17, -17, 3, -3, 0, V.FIXNUM_MAX, V.FIXNUM_MIN + 1):
        for q in (5, -5, 1, -1, 17, 1 << 40):
            n, out = run(cm, mem, ir, snaps, {}, [fx(p), fx(q), fx(1)] + [fx(100)] * 12)
            assert snaps.snaps[n].pc == 6
            assert out[2] == fx(python(p, q)), (op, p, q)
            assert out[3:] == [fx(100 + j) for j in range(12)]


def test_quotient_overflow_exits(cm, mem):
    ir, snaps = IR(), SnapshotTable()
    a, b = ir.emit("SLOAD", 0), ir.emit("SLOAD", 1)
    r = ir.emit("QUOT", a, b, snap=snaps.take(5, {}))
    ir.emit("EQ", r, ir.k(fx(0)), snap=snaps.take(6, {}))
    n, _ = run(cm, mem, ir, snaps, {}, [fx(V.FIXNUM_MIN), fx(-1)])
    assert snaps.snaps[n].pc == 5


def test_fsqrt_is_the_square_root_python_computes(cm, mem):
    """FSQRT (sqrtsd) on the doubles the recorder lets through (>= 0, -0.0,
    infinity): Python's math.sqrt, bit for bit (the exit boxes it)."""
    ir, snaps = IR(), SnapshotTable()
    [x] = load_doubles(ir, snaps, 1)
    r = ir.emit("FSQRT", x)
    stop = ir.emit("SLOAD", 1)
    ir.emit("EQ", stop, ir.k(fx(0)), snap=snaps.take(6, {0: r}))
    for v in (4.0, 2.0, 0.0, -0.0, 1e300, 5e-324, math.inf):
        mem.W[HP] = HEAP + 4096
        mem.W[HLIMIT] = HEAP + 8192
        n, out = run(cm, mem, ir, snaps, {}, flonums(mem, [v]) + [fx(1)])
        assert snaps.snaps[n].pc == 6
        assert double_bits(unboxed(mem, out[0])) == double_bits(math.sqrt(v)), v


def test_double_ir_folds():
    ir = IR()
    assert ir.emit("FSQRT", ir.kf(2.25)) == ir.kf(1.5)
    assert ir.emit("FADD", ir.kf(1.5), ir.kf(2.0)) == ir.kf(3.5)
    assert ir.emit("FCONV", ir.k(fx(7))) == ir.kf(7.0)
    assert ir.emit("FDIV", ir.kf(-1.0), ir.kf(0.0)) == ir.kf(-math.inf)
    assert ir.emit("FLT", ir.kf(1.0), ir.kf(2.0), snap=0) == I.TRUE_REF
    with pytest.raises(I.FoldFailure):
        ir.emit("FLT", ir.kf(math.nan), ir.kf(2.0), snap=0)
    assert ir.emit("QUOT", ir.k(fx(-7)), ir.k(fx(2)), snap=0) == ir.k(fx(-3))
    assert ir.emit("MODT", ir.k(fx(-7)), ir.k(fx(2))) == ir.k(fx(1))
    d = ir.emit("FUNBOX", ir.emit("SLOAD", 0))
    box = ir.emit("FBOX", d, snap=0, tag=2)
    assert ir.emit("FUNBOX", box) == d
    assert ir.is_double(d) and not ir.is_double(box) and ir.is_double(ir.kf(0.0))


SUMFP = """
(define (sumfp n)
  (let loop ((i 0.) (acc 0.))
    (if (> i n) acc (loop (+ i 1.) (+ acc i)))))
(display (sumfp 20000.))
"""

MBROT = """
(define (count cr ci limit)
  (let loop ((zr 0.) (zi 0.) (k 0))
    (if (or (= k limit) (> (+ (* zr zr) (* zi zi)) 4.)) k
        (loop (+ (- (* zr zr) (* zi zi)) cr) (+ (* 2. (* zr zi)) ci) (+ k 1)))))
(define (rows n)
  (let loop ((y 0) (total 0))
    (if (= y n) total
        (loop (+ y 1) (+ total (count (+ -2. (* 0.1 (exact->inexact y))) 0.3 60))))))
(display (rows 40))
"""


@pytest.mark.parametrize("program, loop", [(SUMFP, "sumfp"), (MBROT, "count")],
                         ids=["sumfp", "mbrot"])
def test_flonum_loops_get_traces(program, loop):
    """The innermost flonum loop gets root traces (its LOOP, its function's
    entry; side traces may grow from their exits), and the traces run."""
    out, vm = run_jit(program)
    roots = [t for t in vm.jit.all_traces if t.func.name == loop and t.kind != "side"]
    assert roots and vm.jit.stats["entries"] >= 1
    assert out == run_both(program)[0][1]


@pytest.mark.parametrize("op", ["quotient", "remainder", "modulo"])
def test_division_by_zero_in_a_trace_is_the_interpreters_error(op):
    program = f"""
(define (down n)
  (let loop ((i n) (acc 0))
    (if (< i -3) acc (loop (- i 1) (+ acc ({op} 100 i))))))
(display (down 40))
"""
    joff, jit = run_both(program, hot=7)
    assert joff[0] != 0 and f"{op}: division by zero" in joff[2]
    assert jit == joff


SQRTS = """
(define (norms n)
  (let loop ((i 0) (s 0.))
    (if (= i n) s (loop (+ i 1) (+ s (sqrt (+ (* 1. i) .25)))))))
(display (norms 500))
"""


def test_sqrt_of_a_flonum_is_inline():
    """sqrt of a flonum is FSQRT behind a guard that it is >= 0, not a
    call of the primitive."""
    out, vm = run_jit(SQRTS, hot=3)
    assert out == run_both(SQRTS)[0][1]
    [t] = [t for t in vm.jit.all_traces if t.func.name == "norms" and t.kind == "loop"]
    ops = [ins[0] for ins in t.ir.ins]
    assert "FSQRT" in ops and "CALLP" not in ops
