"""Dead slots of suspended frames: the per-call-site liveness the compiler
records (hawk.vm.liveness) and the collector's use of it (VM.clear_dead_slots):
data held only by slots a frame never reads again must not survive a
collection, and nothing the program still reads may be cleared."""
from __future__ import annotations

import io

import pytest

from hawk.driver import run_program
from hawk.gc.heap import Heap
from hawk.jit.options import JitOptions
from hawk.vm import liveness
from hawk.vm.bytecode import SPECS, Op, decode


def test_reads_a_agrees_with_the_instruction_table():
    """An A register is a destination exactly when the description says
    "R[A] = ..." (compare-and-branches aside: they all read A)."""
    for op, spec in SPECS.items():
        if spec.a != "reg" or spec.name.startswith("IS"):
            continue
        assert spec.doc.startswith("R[A] =") == (op not in liveness.READS_A), op.name


# each level of `shrink` passes a fresh copy of its list's tail on to the next
SHRINK = """
(define (copy lst) (if (null? lst) '() (cons (car lst) (copy (cdr lst)))))
(define (shrink lst) (if (null? lst) 0 (+ 1 (shrink (copy (cdr lst))))))
(define (upto n) (let loop ((k n) (acc '())) (if (= k 0) acc (loop (- k 1) (cons k acc)))))
(display (shrink (upto N)))
"""


def compiled(text: str) -> dict:
    from hawk.driver import make_vm, run_source
    vm = make_vm(["<test>"], stdout=io.StringIO())
    run_source(vm, text, "<test>")
    return {f.name: f for f in vm.funcs if f.proto is not None and not f.library}


def test_the_list_a_call_consumed_is_dead_after_it():
    funcs = compiled(SHRINK.replace("N", "3"))
    for name, ncalls in (("shrink", 2), ("copy", 1)):
        f = funcs[name]
        calls = [pc for pc, ins in enumerate(f.proto.code) if decode(ins)[0] == Op.CALL]
        assert len(calls) == ncalls
        for pc in calls:                 # lst is R0; only what was computed from it is read
            assert 0 in f.dead_slots[pc + 1]
            live = liveness.live_in(f.proto)[pc + 1]
            for r in range(decode(f.proto.code[pc])[1]):
                assert (r in f.dead_slots.get(pc + 1, ())) != bool(live >> r & 1)
    copy = funcs["copy"]
    (pc,) = [pc for pc, ins in enumerate(copy.proto.code) if decode(ins)[0] == Op.CALL]
    assert liveness.live_in(copy.proto)[pc + 1] != 0     # (car lst), for the cons


def test_a_loop_variable_read_after_the_call_stays_live():
    """A slot read on a later iteration of a loop around the call is live."""
    funcs = compiled("""
    (define (f x) x)
    (define (g lst) (let loop ((l lst) (acc 0)) (if (null? l) acc (loop (cdr l) (+ acc (f (car l)))))))
    (display (g '(1 2 3)))""")
    g = funcs["g"]
    (pc,) = [pc for pc, ins in enumerate(g.proto.code) if decode(ins)[0] == Op.CALL]
    live = liveness.live_in(g.proto)[pc + 1]
    dead = g.dead_slots.get(pc + 1, ())
    assert live != 0
    assert all(not live >> r & 1 for r in dead)


def run_with_heap(text: str, jit=None, nursery=None):
    heap = Heap(stress=0, nursery=nursery)
    out, err = io.StringIO(), io.StringIO()
    status = run_program(text, "<test>", [], heap=heap, jit=jit, stdin=io.StringIO(""),
                         stdout=out, stderr=err)
    assert err.getvalue() == "" and status == 0
    return out.getvalue(), heap


@pytest.mark.parametrize("jit", [None, JitOptions(enabled=True, hot=7, seed=1)],
                         ids=["joff", "jit"])
def test_a_deep_recursion_does_not_retain_what_its_frames_passed_on(jit):
    """600 levels of `shrink`, each holding the list it was called with
    in a slot it never reads again: with those slots kept as roots, the
    collections found the lists of every level live (2.4 MiB); the lists
    the running frames still need stay under 100 KiB."""
    if jit is not None and not JitOptions.supported():
        pytest.skip("the JIT needs x86-64 Linux")
    out, heap = run_with_heap(SHRINK.replace("N", "600"), jit=jit, nursery=256 << 10)
    assert out == "600"
    assert heap.collections >= 2
    assert heap.max_live < 512 << 10, heap.max_live
