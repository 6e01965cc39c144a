"""Calls in traces of procedures with rest arguments (FUNCV) and of
case-lambda clauses (FUNCC): the trace builds the rest list inline and
enters the procedure past its entry instruction, and an exit inside the
callee rebuilds its frame exactly as the interpreter would have it."""
from __future__ import annotations

import pytest

from hawk.jit.options import JitOptions

if not JitOptions.supported():
    pytest.skip("the JIT needs x86-64 Linux", allow_module_level=True)

from conftest import run_both, run_jit, run_scheme   # noqa: E402

PICK = """
(define (pick k . xs) (if (< k 300) (car xs) (list k xs)))
(define (f n)
  (let loop ((i 0) (acc '()))
    (if (= i n) acc (loop (+ i 1) (cons (pick i i (* 2 i) 'z) acc)))))
(define r (f 400))
(display (list (car r) (list-ref r 99) (list-ref r 350))) (newline)
"""


def callee_exits(vm, name):
    """Exits taken from snapshots inside an inlined call of `name`, with
    the slots those snapshots restore."""
    return [(t.exit_counts[n], t.snaps[n]) for t in vm.jit.all_traces for n in t.exit_counts
            if t.snaps[n].delta and t.snaps[n].func.name == name]


def aborted_in(vm, func):
    """Did any recording that started in func abort?"""
    return any(key[0] == func.id for key in vm.jit.aborts)


def test_variadic_callee_is_inlined_with_its_rest_list():
    out, vm = run_jit(PICK, hot=3)
    assert out == "((399 (399 798 z)) (300 (300 600 z)) 49)\n"
    [t] = [t for t in vm.jit.all_traces if t.func.name == "f" and t.kind == "loop"]
    ops = [ins[0] for ins in t.ir.ins]
    assert ops.count("NEWPAIR") >= 4          # three for (i 2i z), one for the loop's cons
    assert not aborted_in(vm, t.func)


def test_exit_inside_variadic_callee_rebuilds_the_rest_list():
    """From i = 300 on, pick's guard fails inside the inlined call: the
    exit writes pick's frame (closure, link, k, the rest list) and the
    interpreter returns (list k xs) from it."""
    out, vm = run_jit(PICK, hot=3)
    exits = callee_exits(vm, "pick")
    assert exits, "the k < 300 guard inside pick should have failed"
    taken, snap = exits[0]
    slots = dict(snap.slots)
    rest = slots[snap.delta + 1]                  # R[nparams]: the rest list
    [t] = [t for t in vm.jit.all_traces if snap in t.snaps]
    assert t.ir.ins[rest][0] == "NEWPAIR"
    assert out.endswith("(300 (300 600 z)) 49)\n")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rest_lists_under_gc_stress(seed):
    """Under GC stress every inline allocation finds the nursery full and
    exits before allocating: the interpreter repeats the call."""
    plain = run_scheme(PICK)
    stressed = run_scheme(PICK, stress=1, jit=JitOptions(enabled=True, hot=3, seed=seed))
    assert (stressed.status, stressed.out, stressed.err) == (plain.status, plain.out, plain.err)


CASES = """
(define h
  (case-lambda
    ((x) (* x 2))
    ((x y) (+ x y))
    ((x y . r) (+ x y (length r)))))
(define (k n)
  (let loop ((i 0) (s 0))
    (if (= i n) s (loop (+ i 1) (+ s (h i) (h i 1) (h i 1 2 3))))))
(display (k 500)) (newline)
"""


def test_case_lambda_clauses_are_entered_in_the_trace():
    out, vm = run_jit(CASES, hot=3)
    assert out == f"{sum(2 * i + (i + 1) + (i + 3) for i in range(500))}\n"
    [t] = [t for t in vm.jit.all_traces if t.func.name == "k" and t.kind == "loop"]
    assert t.exits == 1 and not aborted_in(vm, t.func)
    assert {s.func.name for s in t.snaps if s.delta} >= {"h"}


def test_tail_call_of_a_variadic_procedure():
    text = """
(define (total acc . xs) (if (null? xs) acc (+ acc (car xs))))
(define (t n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (total s i)))))
(define (down n) (if (= n 0) 'done (again (- n 1) n n)))
(define (again n . xs) (if (= (length xs) 2) (down n) 'wrong))
(display (list (t 1000) (down 1000))) (newline)
"""
    joff, jit = run_both(text, hot=3)
    assert joff == jit == (0, "(499500 done)\n", "")


def test_wrong_argument_count_is_still_the_interpreters_error():
    text = """
(define (two a b . r) a)
(define (f n) (let loop ((i 0)) (if (< i n) (begin (two i i) (loop (+ i 1))) (two i))))
(f 100)
"""
    joff, jit = run_both(text, hot=3)
    assert joff == jit and joff[0] != 0 and "wrong number of arguments" in joff[2]
