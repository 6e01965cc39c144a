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


def test_a_procedure_whose_return_pcs_overflow_the_frame_link_is_refused(monkeypatch):
    """A frame's link keeps the return pc in LINK_PC_BITS bits (2^24
    instructions): a longer procedure is a clear error, not a wrong return.
    The limit is lowered here so that a small procedure crosses it."""
    import hawk.vm.loader as loader
    monkeypatch.setattr(loader, "LINK_PC_MASK", 40)
    body = " ".join(f"(display {i})" for i in range(30))
    try:
        run(f"(define (long) {body}) (long)")
    except SchemeError as e:
        assert "more than 40 instructions" in e.message
    else:
        raise AssertionError("expected the procedure to be refused")


def test_the_frame_link_fields_decode_and_large_function_ids_name_no_function():
    """Function ids from LINK_FUNC_ANY on share that field value in their
    links: such a link still gives the return pc and frame distance, but
    names no function (traces then guard the caller's closure instead:
    test_jit_calls)."""
    from hawk.vm.bytecode import LINK_FUNC_ANY, link_bits, link_func, link_pc, link_word
    named = link_word(link_bits(7), 123, 5)
    anon = link_word(link_bits(LINK_FUNC_ANY + 10), 123, 5)
    assert link_func(named) == 7 and link_pc(named) == 123 and (named >> 3) & 0xffff == 5
    assert link_func(anon) is None and link_pc(anon) == 123 and (anon >> 3) & 0xffff == 5
    assert 0 < anon < 2**63 >> 3 << 3      # still a fixnum
