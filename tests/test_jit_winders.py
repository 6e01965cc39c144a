"""dynamic-wind, guard and parameterize in traces, and what they needed.
Inner loops of a low trip count (LuaJIT's innerloopleft): a loop whose
own recordings left it will not get a trace, so traces that meet it go
through it (Recorder.r_LOOP) instead of waiting for one; dynamic-wind's
winders walk is such a loop, met by every guard. A loop waited for in
the function whose trace waits (its counter is shared) gets to record.
Fields alias by pointer tag and displacement, not byte offset. BOX, and
set-car!/vector-set! called as procedures, are recorded (parameterize).
tests/scheme/jit_low_trip.scm has the differential cases."""
from __future__ import annotations

import pytest

from hawk.jit.options import JitOptions

if not JitOptions.supported():
    pytest.skip("the JIT needs x86-64 Linux", allow_module_level=True)

from conftest import in_traces, run_both, run_jit        # noqa: E402

GUARD = """
(define v (vector 1 2 3 4 5))
(define (safe-ref i) (guard (e (#t -1)) (vector-ref v i)))
(define (go n s) (if (= n 0) s (go (- n 1) (+ s (safe-ref (modulo n {m}))))))
(display (go 3000 0)) (newline)
"""


def expected_guard(m: int) -> int:
    return sum(i + 1 if i < 5 else -1 for i in (n % m for n in range(1, 3001)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_guard_in_a_hot_loop_runs_in_traces(seed):
    """guard: call/cc, with-exception-handler, dynamic-wind, and a throw
    that unwinds the winders. Every recording through it aborted before
    (0% in traces); the raising iterations (2 in 7) still exit to the
    interpreter at the failed vector-ref, once each."""
    for m, share in ((5, 0.99), (7, 0.9)):
        out, vm = run_jit(GUARD.format(m=m), hot=7, seed=seed, profile=True)
        assert out == f"{expected_guard(m)}\n"
        assert in_traces(vm) > share
        assert vm.jit.stats["exits"] < 100 + 3000 * (m - 5) // m


FIRST_BIG = """
(define (first-big ls) (let loop ((ls ls)) (if (> (car ls) 10) (car ls) (loop (cdr ls)))))
(define (go n s) (if (= n 0) s (go (- n 1) (+ s (first-big (if (= 0 (modulo n 50)) '(1 2 30) '(20 1)))))))
(display (go 3000 0)) (newline)
"""


def test_an_inner_loop_of_a_low_trip_count_is_unrolled():
    """first-big's loop finds its answer at once in 49 calls of 50: its
    recordings leave it, so go's trace runs through it (and exits where a
    call loops), and the loop stops being recorded. Before, go's trace
    waited for the loop's, which never came: 50% of the bytecodes ran in
    traces."""
    out, vm = run_jit(FIRST_BIG, hot=7, profile=True)
    assert out == f"{sum(30 if n % 50 == 0 else 20 for n in range(1, 3001))}\n"
    assert [vm.funcs[f].name for f, pc in vm.jit.low_trip] == ["first-big"]
    assert vm.jit.stats["aborted"] < 5
    assert in_traces(vm) > 0.95


def test_a_long_trip_through_an_unrolled_loop_runs_right():
    """A call that loops far more than the recording unrolled exits the
    outer trace and goes on correctly; at every seed the output is the
    interpreter's."""
    text = FIRST_BIG + """
(display (first-big (append (make-list 5000 1) '(99)))) (newline)
(display (go 200 0)) (newline)
"""
    for seed in (1, 2, 3):
        joff, jit = run_both(text, hot=3, seed=seed)
        assert joff == jit and joff[0] == 0 and joff[1] == "60600\n99\n4040\n"


def test_a_set_of_a_global_keeps_the_fields_of_a_pair_the_trace_made():
    """A global's value is at the byte offset of a pair's car, but a store
    into a global cell cannot alias a pair (another pointer tag): the
    closure the trace put in the pair is still known when called (the
    call aborted, "a closure allocated in the trace", as dynamic-wind's
    after thunk did after set! of %winders)."""
    text = """
(define g 0)
(define (h i) (let ((pr (cons (lambda (x) (+ x i)) '()))) (set! g i) ((car pr) 1)))
(define (go n s) (if (= n 0) s (go (- n 1) (+ s (h n)))))
(display (go 3000 0)) (newline)
"""
    out, vm = run_jit(text, hot=7)
    assert out == f"{sum(1 + n for n in range(1, 3001))}\n"
    assert vm.jit.stats["aborted"] == 0


def test_parameterize_in_a_hot_loop_runs_in_traces():
    """parameterize: its winders box `old` (BOX, which aborted as NYI) and
    call (for-each set-car! cells new), a call of set-car! as a procedure
    (an impure primitive, which aborted): 92% of the bytecodes in traces,
    one exit per iteration, before."""
    text = """
(define p (make-parameter 1))
(define (pz n s) (if (= n 0) s (pz (- n 1) (+ s (parameterize ((p n)) (p))))))
(display (pz 3000 0)) (display " ") (display (p)) (newline)
"""
    out, vm = run_jit(text, hot=7, profile=True)
    assert out == f"{sum(range(1, 3001))} 1\n"
    assert in_traces(vm) > 0.99
    assert vm.jit.stats["exits"] < 200


def test_set_car_and_vector_set_called_as_procedures_store_in_the_trace():
    """The stores SETCAR and VSET make, with their checks: a bad index
    exits and the interpreter reports the error as without the JIT."""
    text = """
(define v (make-vector 10 0))
(define ps (list (cons 0 0) (cons 0 0)))
(define (go n)
  (if (> n 0)
      (begin (for-each set-car! ps (list n (- n)))
             (for-each (lambda (f i) (f v i n)) (list vector-set! vector-set!) (list (modulo n 10) 3))
             (go (- n 1)))))
(go 500)
(display (list ps v)) (newline)
(vector-set! v 10 1)
"""
    joff, jit = run_both(text, hot=7)
    assert jit == joff and joff[0] != 0
    assert joff[1] == "(((1 . 0) (-1 . 0)) #(10 1 2 1 4 5 6 7 8 9))\n"
    assert "vector-set!" in joff[2]
    out, vm = run_jit(text.replace("(vector-set! v 10 1)", ""), hot=7)
    assert vm.jit.stats["aborted"] == 0
