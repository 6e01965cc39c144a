"""call/cc in traces (hawk.jit.continuation): a capture is a SYNC and a
call-out, a throw to a continuation whose stack is intact is a return;
and what made the callcc idiom traceable: loads of fields the trace
stored forwarded, call-outs after stores (tests/scheme/jit_callcc.scm has
the differential cases)."""
from __future__ import annotations

import pytest

from hawk.jit.options import JitOptions

if not JitOptions.supported():
    pytest.skip("the JIT needs x86-64 Linux", allow_module_level=True)

from conftest import run_both, run_jit        # noqa: E402
from hawk.jit.callout import NAMES            # noqa: E402

ESCAPE = """
(define (gen n) (call-with-current-continuation (lambda (k) (if (> n 5) (k n) (+ n 1)))))
(define (go n r) (if (= n 0) r (go (- n 1) (+ r (gen (modulo n 10))))))
(display (go 20000 0)) (newline)
"""


def callouts(vm) -> set:
    """The names of the primitives the traces call."""
    return {NAMES[a] for t in vm.jit.all_traces for op, a, b, c in t.ir.ins if op == "CALLP"}


def test_an_escaping_call_cc_runs_in_traces():
    """gen captures a continuation on every call and throws to it on four
    in ten: both in traces (the capture and the check that makes the throw
    a return), and few exits. Before, every
    recording through %call/cc aborted and the loop ran in the interpreter."""
    out, vm = run_jit(ESCAPE, hot=7)
    assert out == f"{sum(n if n > 5 else n + 1 for n in (i % 10 for i in range(1, 20001)))}\n"
    assert {"capture", "holds"} <= callouts(vm)
    assert vm.jit.stats["exits"] < 100


def test_a_throw_after_the_frame_returned_exits_to_the_interpreter():
    """k is kept and called again after gen's frame has returned: the stack
    below it holds other words now, so the trace's check fails and the
    interpreter throws (output as without the JIT), at every seed."""
    text = """
(define saved #f)
(define count 0)
(define (f n) (+ 1 (call/cc (lambda (k) (set! saved k) n))))
(define (g i) (let ((v (f i))) (set! count (+ count v)) v))
(let loop ((i 0))
  (if (< i 300) (begin (g i) (loop (+ i 1)))))
(if (< count 100000) (saved 1000000))
(display count) (newline)
"""
    for seed in (1, 2, 3):
        joff, jit = run_both(text, hot=3, seed=seed)
        assert joff == jit and joff[0] == 0


def test_a_closure_made_in_the_trace_calls_its_free_procedure():
    """compose makes a closure over f and g and calls it: the recorder
    knows, from the stores that made it, which closures f and g are, so
    the calls are inlined (they aborted: "a closure allocated in the
    trace", as call/cc's wrapper did with its procedure)."""
    text = """
(define (compose f g) (lambda (x) (f (g x))))
(define (go n s) (if (= n 0) s (go (- n 1) (+ s ((compose (lambda (y) (* y 2)) (lambda (z) (+ z n))) 1)))))
(display (go 5000 0)) (newline)
"""
    out, vm = run_jit(text, hot=7)
    assert out == f"{sum(2 * (1 + n) for n in range(1, 5001))}\n"
    assert vm.jit.stats["aborted"] == 0


def test_a_call_out_after_a_store_sees_the_store_and_leaves_memory_alone():
    """The loop sets a vector's element and then calls vector->list (a
    call-out): the recording calls the primitive with the trace's store
    in place (it aborted before), and puts the program's word back after."""
    text = """
(define v (vector 0 0 0))
(define (go n s) (if (= n 0) s (begin (vector-set! v 1 n) (go (- n 1) (+ s (apply + (vector->list v)))))))
(display (go 3000 0)) (newline)
"""
    out, vm = run_jit(text, hot=7)
    assert out == f"{sum(range(1, 3001))}\n"
    assert "vector->list" in callouts(vm)
    assert vm.jit.stats["aborted"] == 0


def test_a_throw_to_a_continuation_the_trace_made_needs_no_check():
    """The trace captured k and has run in k's frame or above it since, so
    the stack below is as k saved it: the throw is a return with no
    `holds` call-out (guard's normal path throws so)."""
    text = """
(define (gen n) (call-with-current-continuation (lambda (k) (+ 1 (k n)))))
(define (go n r) (if (= n 0) r (go (- n 1) (+ r (gen n)))))
(display (go 5000 0)) (newline)
"""
    for seed in (1, 2, 3):
        out, vm = run_jit(text, hot=7, seed=seed)
        assert out == f"{sum(range(1, 5001))}\n"
        assert "capture" in callouts(vm) and "holds" not in callouts(vm)
