"""Traces that reach a loop other than their own (LuaJIT's inner loops):
they link to the inner loop's trace when it has one, wait for it (without
being blacklisted) while it has none, and a side trace stops at an inner
loop that will never have a trace. A root loop trace must loop back: a
recording that leaves the loop is retried, not counted."""
from __future__ import annotations

import pytest

from hawk.jit.options import JitOptions

if not JitOptions.supported():
    pytest.skip("the JIT needs x86-64 Linux", allow_module_level=True)

from conftest import run_both, run_jit   # noqa: E402
from hawk.vm.bytecode import Op          # noqa: E402


def python_exits(vm):
    return sum(t.exits for t in vm.jit.all_traces)


def roots(vm, name, kind):
    return [t for t in vm.jit.all_traces if t.func.name == name and t.kind == kind]


NESTED_CALL = """
(define (inner v)
  (let loop ((j 0) (s 0))
    (if (= j (vector-length v)) s (loop (+ j 1) (+ s (vector-ref v j))))))
(define (outer n v)
  (let loop ((i 0) (t 0))
    (if (= i n) t (loop (+ i 1) (+ t (inner v) i)))))
(display (outer 3000 (make-vector 20 1))) (newline)
"""


def test_outer_loop_links_to_the_inner_loop_and_back():
    out, vm = run_jit(NESTED_CALL, hot=7)
    assert out == f"{3000 * 20 + sum(range(3000))}\n"
    [inner] = roots(vm, "inner", "loop")
    [outer] = roots(vm, "outer", "loop")
    assert outer.link is inner                   # the outer body ends at the inner loop
    assert any(t.kind == "side" and t.link is outer for t in vm.jit.all_traces)
    assert python_exits(vm) < 100                # 3000 * 21 iterations


TAIL_CALL_LOOP = """
(define (len l acc) (if (null? l) acc (len (cdr l) (+ acc 1))))
(define (f n l) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s (len l 0))))))
(display (f 3000 '(1 2 3 4 5 6 7 8 9 10))) (newline)
"""


def test_inner_tail_call_loop_links_to_its_func_trace():
    """len loops by calling itself in tail position: inlined into f's
    loop, that is an inner loop; f's trace links to len's func trace
    instead of being blacklisted."""
    out, vm = run_jit(TAIL_CALL_LOOP, hot=7)
    assert out == "30000\n"
    [func] = roots(vm, "len", "func")
    [loop] = roots(vm, "f", "loop")
    assert loop.link is func
    assert not vm.jit.blacklist
    assert python_exits(vm) < 100


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_nested_loops_under_seeds(seed):
    joff, jit = run_both(NESTED_CALL + TAIL_CALL_LOOP, hot=3, seed=seed)
    assert joff == jit and joff[0] == 0


BLACKLISTED_INNER = """
(define s (make-string 10 #\\a))
(define (fill! c) (let loop ((j 0)) (if (< j 10) (begin (string-set! s j c) (loop (+ j 1))))))
(define (f n)
  (let loop ((i 0) (t 0))
    (if (= i n) t
        (loop (+ i 1) (if (< i 1000) (+ t i) (begin (fill! (integer->char (+ 97 (modulo i 26)))) (- t 1)))))))
(display (f 3000)) (display s) (newline)
"""


def test_side_trace_stops_at_an_inner_loop_that_is_blacklisted():
    """fill!'s loop cannot be traced (string-set! is impure): the side
    trace for i >= 1000 runs up to its LOOP and exits there, and no loop
    trace is made from an iteration that leaves fill!'s loop."""
    out, vm = run_jit(BLACKLISTED_INNER, hot=7)
    assert out == f"{sum(range(1000)) - 2000}jjjjjjjjjj\n"
    fill = next(g for g in vm.funcs if g.name == "fill!")
    loop_pc = next(pc for pc, ins in enumerate(fill.code) if ins[0] == int(Op.LOOP))
    assert (fill.id, loop_pc) in vm.jit.blacklist
    assert not roots(vm, "fill!", "loop")
    [side] = [t for t in vm.jit.all_traces if t.kind == "side" and t.func.name == "f"]
    assert side.ir.ins[-1][0] == "EXIT"
    assert side.snaps[side.ir.snap_of[len(side.ir.ins) - 1]].pc == loop_pc


LEAVES_TO_A_COLD_LOOP = """
(define (work n) (let loop ((i 0) (acc '())) (if (= i n) acc (loop (+ i 1) (cons i acc)))))
(define (outer k) (let loop ((j 0) (s 0)) (if (< j k) (loop (+ j 1) (+ s (length (work 100)))) s)))
(display (outer 45)) (newline)
"""


def test_a_recording_that_met_a_cold_inner_loop_makes_that_loop_hot():
    """work's loop exits once per call and returns into outer's loop,
    which runs 45 times and would never get hot on its own count (56): the
    exit's side trace meets it and aborts, waiting for its trace, and the
    abort makes that loop hot, so it is recorded when next reached, and the
    side trace (10 exits later) links to it. Before, it waited for a trace
    that never came: all 45 exits returned to Python (deriv lost ~3 ms to
    the wait for its benchmark loop's count)."""
    out, vm = run_jit(LEAVES_TO_A_COLD_LOOP, hot=56)
    assert out == f"{45 * 100}\n"
    assert vm.jit.stats["aborted"] == 1 and not vm.jit.waiting
    [outer] = roots(vm, "outer", "loop")
    [side] = [t for t in vm.jit.all_traces if t.kind == "side" and t.func.name == "work"]
    assert side.link is outer
    assert python_exits(vm) < 45 // 2