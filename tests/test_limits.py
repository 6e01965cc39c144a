"""Sizes the differential programs are too small to show: tail calls in
constant stack, a million-frame non-tail recursion, and a clean error (not
a crash) when the stack really is exhausted."""
from __future__ import annotations

import io

from hawk.driver import make_vm, run_source
from hawk.errors import SchemeError

MUTUAL = """
(define (ping n) (if (= n 0) 'done (pong (- n 1))))
(define (pong n) (if (= n 0) 'done (ping (- n 1))))
"""


def run(text, **kwargs):
    out = io.StringIO()
    vm = make_vm(stdout=out, **kwargs)
    value = run_source(vm, text, "<limits>")
    vm.flush()
    return vm, value, out.getvalue()


def test_a_million_tail_calls_run_in_a_small_stack():
    vm, _, out = run(MUTUAL + "(display (ping 1000000))", stack_words=4096)
    assert out == "done"


def test_a_million_apply_tail_calls_run_in_a_small_stack():
    text = "(define (f n) (if (= n 0) 'ok (apply f (list (- n 1))))) (display (f 1000000))"
    _, _, out = run(text, stack_words=4096)
    assert out == "ok"


def test_non_tail_recursion_overflowing_a_small_stack_is_a_scheme_error():
    text = "(define (deep n) (if (= n 0) 0 (+ 1 (deep (- n 1))))) (deep 100000)"
    try:
        run(text, stack_words=4096)
    except SchemeError as e:
        assert "stack overflow" in e.message
        assert e.loc is not None and e.loc.line == 1
    else:
        raise AssertionError("expected a stack overflow error")


def test_a_million_frames_of_naive_append():
    text = """
    (define (app a b) (if (null? a) b (cons (car a) (app (cdr a) b))))
    (define big (let loop ((i 0) (acc '())) (if (= i 1000000) acc (loop (+ i 1) (cons i acc)))))
    (define r (app big '(end)))
    (display (list (length r) (car r) (list-ref r 999999) (list-ref r 1000000)))
    """
    _, _, out = run(text)
    assert out == "(1000001 999999 0 end)"
