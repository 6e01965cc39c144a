"""Calls through `apply` in traces: the recorder spreads the list (each
pair guarded, its car loaded, the end guarded as '()) and records the call
apply makes; an exit before the frame is rewritten resumes at the call of
apply. And an allocation's snapshot is never a guard's, so a guard's exit
can grow a side trace (tests/scheme/jit_apply.scm has the differential
cases)."""
from __future__ import annotations

import pytest

from hawk.jit.options import JitOptions

if not JitOptions.supported():
    pytest.skip("the JIT needs x86-64 Linux", allow_module_level=True)

from conftest import run_both, run_jit, run_scheme   # noqa: E402
from hawk.jit import ir as I                          # noqa: E402

SPREAD = """
(define (add3 a b c) (+ a (* 2 b) (* 3 c)))
(define (sum . xs) (let loop ((xs xs) (s 0)) (if (null? xs) s (loop (cdr xs) (+ s (car xs))))))
(define (f n)
  (let loop ((i 0) (s 0))
    (if (= i n)
        s
        (loop (+ i 1) (+ s (apply add3 i (list 1 2)) (apply sum (list i i)) (apply + i '(1 2)))))))
(display (f 400)) (newline)
"""


def loop_trace(vm, name):
    [t] = [t for t in vm.jit.all_traces if t.func.name == name and t.kind == "loop"]
    return t


def test_apply_is_traced_through():
    """add3 and sum are inlined, + is inline arithmetic: no recording in f
    aborts, and the loop's trace runs every iteration without an exit."""
    out, vm = run_jit(SPREAD, hot=3)
    assert out == f"{sum(i + 2 + 6 + 2 * i + i + 3 for i in range(400))}\n"
    t = loop_trace(vm, "f")
    assert not any(key[0] == t.func.id for key in vm.jit.aborts)
    assert sum(t.exit_counts.values()) <= 1       # the loop's end
    ops = [ins[0] for ins in t.ir.ins]
    assert "CALLP" not in ops                       # nothing called out


def test_exit_in_the_list_walk_resumes_at_the_call_of_apply():
    """From i = 250 on, the list has three elements: the guard on its
    shape fails, and the interpreter (then a side trace) makes the call."""
    text = """
(define (count . xs) (length xs))
(define (g n)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (apply count i (if (< i 250) '(a) '(a b))))))))
(display (g 400)) (newline)
"""
    joff, jit = run_both(text, hot=3)
    assert joff == jit and joff[1] == f"{250 * 2 + 150 * 3}\n"


@pytest.mark.parametrize("bad, message", [
    ("'(1 2 . 3)", "apply: last argument is not a list"),
    ("42", "apply: last argument is not a list"),
    ("'(1)", "add3: wrong number of arguments"),
])
def test_a_bad_list_at_the_end_of_a_hot_loop_raises_the_interpreters_error(bad, message):
    text = f"""
(define (add3 a b c) (+ a b c))
(define (h n bad)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (apply add3 i (if (= i (- n 1)) bad '(1 2))))))))
(display (h 300 {bad}))
"""
    joff, jit = run_both(text, hot=3)
    assert joff == jit
    assert joff[0] == 1 and message in joff[2]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_apply_under_gc_stress(seed):
    """The rest list of sum, built in the trace, finds the nursery full:
    the exit resumes at the call of apply."""
    plain = run_scheme(SPREAD)
    stressed = run_scheme(SPREAD, stress=1, jit=JitOptions(enabled=True, hot=3, seed=seed))
    assert (stressed.status, stressed.out, stressed.err) == (plain.status, plain.out, plain.err)


COMPOSE = """
(define (compose . fs)
  (if (null? fs) (lambda (x) x) (lambda (x) ((car fs) ((apply compose (cdr fs)) x)))))
(define inc (lambda (x) (+ x 1)))
(define (go n r) (if (= n 0) r (go (- n 1) ((compose inc inc inc) r))))
(display (go 3000 0)) (newline)
"""


def test_no_snapshot_is_both_an_allocations_and_a_guards():
    """compose's lambda checks the shape of `fs` and then conses: the
    guard's exit and the cons's nursery exit had the same snapshot, and an
    allocation's exit never grows a side trace, so every call of compose
    at another depth (2 of 3) left the trace for the interpreter."""
    out, vm = run_jit(COMPOSE, hot=7)
    assert out == "9000\n"
    for t in vm.jit.all_traces:
        alloc = {t.ir.snap_of[i] for i, ins in enumerate(t.ir.ins)
                 if I.FLAGS[ins[0]] & I.A and i in t.ir.snap_of}
        guards = {t.ir.snap_of[i] for i, ins in enumerate(t.ir.ins)
                  if not I.FLAGS[ins[0]] & I.A and ins[0] != "LOOP" and i in t.ir.snap_of}
        assert not alloc & guards
    assert vm.jit.stats["exits"] < 200             # 5999 before


MAPS = """
(define (f n)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (apply + (map * (list i 2 3) (list 4 5 i))) (apply - i 1 '(2)))))))
(display (f 300)) (newline)
"""


def test_arithmetic_primitives_called_as_procedures_are_inline():
    """+, - and * reached through map and apply record the arithmetic of
    their bytecodes (a left fold for more than two arguments), not a
    call-out to the primitive."""
    out, vm = run_jit(MAPS, hot=3)
    assert out == f"{sum(4 * i + 10 + 3 * i + i - 3 for i in range(300))}\n"
    ops = [ins[0] for t in vm.jit.all_traces for ins in t.ir.ins]
    assert "CALLP" not in ops and "MULOV" in ops
