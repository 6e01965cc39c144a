"""Calls in traces: non-tail calls inlined into a trace (guarded callee,
virtual frames that exits materialise), and function-entry (FUNCF) root
traces that loop through a self tail call. Every program must behave
exactly as under the interpreter: output, errors, their locations and
backtraces."""
from __future__ import annotations

import io

import pytest

from hawk.jit.options import JitOptions

if not JitOptions.supported():
    pytest.skip("the JIT needs x86-64 Linux", allow_module_level=True)


from hawk.driver import make_vm, run_source   # noqa: E402
from conftest import run_both, run_jit as _run_jit   # noqa: E402


def run_jit(text: str, hot: int = 3, seed: int | None = None):
    return _run_jit(text, hot, seed)


def traces_of(vm, name):
    """The root traces that start in `name` (side traces are tested in test_jit_link)."""
    return [t for t in vm.jit.all_traces if t.func.name == name and t.kind != "side"]


def exits_in(t, name):
    """Exits taken from snapshots inside an inlined call of `name`."""
    return sum(n for i, n in t.exit_counts.items() if t.snaps[i].delta and t.snaps[i].func.name == name)


HELPER = """
(define (sq x) (* x x))
(define (f n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s (sq i))))))
(display (f 100000)) (newline)
"""


def test_helper_call_is_inlined():
    out, vm = run_jit(HELPER)
    assert out == f"{sum(i * i for i in range(100000))}\n"
    [t] = traces_of(vm, "f")
    assert t.kind == "loop" and t.exits == 1          # ran to the loop's end inside the trace
    assert any(s.delta and s.func.name == "sq" for s in t.snaps)
    assert not traces_of(vm, "sq")


def test_nested_inlining_and_free_variables():
    text = """
(define (make-adder k) (lambda (x) (+ x k)))
(define add3 (make-adder 3))
(define (sq x) (* x x))
(define (h x) (add3 (sq x)))
(define (f n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s (h i))))))
(display (f 1000)) (newline)
"""
    out, vm = run_jit(text)
    assert out == f"{sum(i * i + 3 for i in range(1000))}\n"
    [t] = traces_of(vm, "f")
    # h's only guard was the check of the promoted global add3 against
    # itself, which folds away; sq and add3's lambda (inlined inside h) keep theirs
    assert {s.func.name for s in t.snaps if s.delta} >= {"lambda", "sq"}


def test_guard_failure_inside_inlined_call_rebuilds_frames():
    text = """
(define v (make-vector 200 0))
(let fill ((i 0)) (if (< i 200) (begin (vector-set! v i i) (fill (+ i 1)))))
(vector-set! v 150 1.5)
(define (sq x) (* x x))
(define (f n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s (sq (vector-ref v i)))))))
(display (f 200)) (newline)
(display (f 200)) (newline)
"""
    joff, jit = run_both(text, hot=3)
    assert jit == joff
    out, vm = run_jit(text)
    assert out == joff[1]
    [t] = [t for t in traces_of(vm, "f") if t.kind == "loop"]   # f's func trace links to it
    assert exits_in(t, "sq") >= 1                      # the flonum failed sq's fixnum check


COUNT = """
(define (count n acc) (if (= n 0) acc (count (- n 1) (+ acc 1))))
(display (count 100000 0)) (newline)
"""


def test_self_tail_call_through_a_global_gets_a_func_trace():
    out, vm = run_jit(COUNT)
    assert out == "100000\n"
    [t] = traces_of(vm, "count")
    assert t.kind == "func" and t.pc == 0
    assert t.exits == 1


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_func_trace_under_seeds(seed):
    assert run_jit(COUNT, seed=seed)[0] == "100000\n"


def test_set_of_the_self_called_global_takes_effect():
    text = """
(define (count2 n acc) (if (= n 0) acc (count2 (- n 1) (+ acc 10))))
(define (count n acc)
  (cond ((= n 0) acc)
        (else (if (= n 500) (set! count count2))
              (count (- n 1) (+ acc 1)))))
(display (count 1000 0)) (newline)
(define (count3 n acc) (if (= n 0) acc (count3 (- n 1) (+ acc 1))))
(define saved count3)
(display (count3 1000 0)) (newline)
(set! count3 (lambda (n acc) (if (= n 0) acc (saved (- n 1) (+ acc 2)))))
(display (saved 1000 0)) (newline)
"""
    joff, jit = run_both(text, hot=3)
    assert jit == joff
    assert joff[1] == "5491\n1000\n1500\n"
    out, vm = run_jit(text)
    assert out == joff[1] and traces_of(vm, "count")


def test_error_after_exit_inside_inlined_call_has_location_and_backtrace():
    text = """
(define v (vector 1 2 3 4 5 6 7 8 9 10))
(define (get i)
  (vector-ref v i))
(define (f n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s (get i))))))
(display (f 10)) (newline)
(display (f 12)) (newline)
"""
    joff, jit = run_both(text, hot=2)
    assert jit == joff
    status, out, err = joff
    assert status == 1 and out == "55\n" and "index out of range" in err
    assert "<test>:4:" in err and "get" in err
    vm = make_vm(["<test>"], jit=JitOptions(enabled=True, hot=2), stdout=io.StringIO(),
                 stderr=io.StringIO())
    with pytest.raises(Exception, match="index out of range"):
        run_source(vm, text, "<test>")
    [t] = [t for t in traces_of(vm, "f") if t.kind == "loop"]   # f's func trace links to it
    assert exits_in(t, "get") >= 1


def test_call_cc_in_a_function_called_from_a_trace():
    text = """
(define k #f)
(define (g i) (if (= i 500) (call/cc (lambda (c) (set! k c) i)) i))
(define (f n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s (g i))))))
(define times 0)
(display (f 1000)) (newline)
(set! times (+ times 1))
(if (< times 3) (k 0))
(display "done") (newline)
"""
    joff = run_both(text)[0]
    assert joff[0] == 0 and joff[1].startswith("499500\n")
    for seed in (None, 1, 2, 3):
        for hot in (2, 3, 7):
            assert run_both(text, hot=hot, seed=seed)[1] == joff


def test_recursion_is_not_inlined_forever():
    text = """
(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(define (f n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s (fib 10))))))
(display (f 50)) (newline)
(define (down n) (if (= n 0) 0 (+ 1 (down (- n 1)))))
(define (g n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s (down 3))))))
(display (g 100)) (newline)
"""
    joff, jit = run_both(text, hot=3)
    assert jit == joff and joff[1] == "2750\n300\n"
    out, vm = run_jit(text)
    assert traces_of(vm, "g")                          # depth 4: inlined
    [fib] = [t for t in traces_of(vm, "fib") if t.kind == "func"]   # (and "ret" traces)
    [f] = traces_of(vm, "f")                           # fib: too deep to inline, so f's
    assert f.link is fib                               # trace links to fib's own trace


def test_queens():
    from pathlib import Path
    program = Path(__file__).parent.parent / "bench" / "programs" / "queens.scm"
    text = program.read_text() + "(display (run 7)) (newline)\n"
    out, vm = run_jit(text)
    assert out == "40\n"
    assert [t.kind for t in traces_of(vm, "ok?")] == ["func"]


def test_stack_overflow_is_still_reported():
    """A trace is not entered when its inlined frames would pass the stack
    limit: the interpreter reports the overflow as without the JIT."""
    text = """
(define (sq x) (* x x))
(define (f n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s (sq i))))))
(define (deep n) (if (= n 0) (f 10) (+ 1 (deep (- n 1)))))
(display (deep 100)) (newline)
(display (deep 100000)) (newline)
"""
    for jit in (JitOptions(enabled=False), JitOptions(enabled=True, hot=2)):
        out = io.StringIO()
        vm = make_vm(["<test>"], jit=jit, stdout=out, stderr=io.StringIO(), stack_words=4096)
        with pytest.raises(Exception, match="stack overflow"):
            run_source(vm, text, "<test>")
        vm.flush()
        assert out.getvalue() == "385\n"


FIB = "(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2))))) (display (fib 22))"


def closure_guards(vm):
    """How many times the traces check the function of a caller's closure
    they return into (a load of its code word, hawk.jit.recorder.guard_function)."""
    return sum(1 for t in vm.jit.all_traces for ins in t.ir.ins
               if ins[0] == "LOAD" and ins[2] == 8 - 3 and t.ir.ins[ins[1]][0] == "SLOAD"
               and t.ir.ins[ins[1]][1] < 0)


def test_returns_below_the_entry_guard_the_link_word_alone(monkeypatch):
    """The link names the caller's function (hawk.vm.bytecode.link_word), so
    fib's traces returning into a caller frame guard no closure; when links
    name no function (ids past LINK_FUNC_ANY, all of them here), they do,
    and the program's result is the same."""
    import hawk.vm.loader as loader
    from hawk.vm.bytecode import LINK_FUNC_ANY, link_bits
    out, vm = run_jit(FIB)
    assert out == "17711" and vm.jit.stats["compiled"] >= 2
    assert closure_guards(vm) == 0
    monkeypatch.setattr(loader, "link_bits", lambda _id: link_bits(LINK_FUNC_ANY))
    out, vm = run_jit(FIB)
    assert out == "17711" and closure_guards(vm) > 0
