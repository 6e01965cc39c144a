"""hawk.vm.deadslots: the native walk that clears suspended frames' dead
slots against its specification, clear_python, on the stacks of real
collections (deep recursions through several functions), on a frame
suspended at a pc that is no call site, and on a frame whose closure
names no function."""
from __future__ import annotations

import io
from array import array

import pytest

from hawk.driver import run_program
from hawk.gc.heap import Heap
from hawk.jit.options import JitOptions
from hawk.vm import deadslots
from hawk.vm import values as V
from hawk.vm.vm import STACK_LO, VM

pytestmark = pytest.mark.skipif(deadslots.clearer() is None,
                                reason="the native walk needs x86-64 Linux and keystone")

# `shrink` and `grow` recurse through each other, each leaving the list
# it was called with dead across its call; `count` (which reads its
# argument after its call, so keeps it) sits between them every few levels
MUTUAL = """
(define (copy lst) (if (null? lst) '() (cons (car lst) (copy (cdr lst)))))
(define (count lst) (if (null? lst) 0 (+ (car lst) (count (cdr lst)) (length lst))))
(define (shrink lst) (if (null? lst) 0 (+ 1 (grow (copy (cdr lst))))))
(define (grow lst) (if (null? lst) 0 (+ (if (= 0 (remainder (length lst) 7)) (count '(0)) 1)
                                        (shrink (copy (cdr lst))))))
(define (upto n) (let loop ((k n) (acc '())) (if (= k 0) acc (loop (- k 1) (cons k acc)))))
(display (shrink (upto N)))
"""


def compare_at_collections(monkeypatch, text: str, jit=None) -> list[int]:
    """Run `text`; at every collection of a running frame, clear the stack
    with clear_python and, from the same words, with the native walk, and
    check the two agree word for word. Returns, per collection, how many
    slots were cleared."""
    cleared = []
    collect = VM.collect

    def checked(vm, sp, base=None):
        if base is not None and vm.heap.due():
            W = vm.W
            before = W[STACK_LO:sp].tolist()           # W is a view: copies
            deadslots.clear_python(W, vm.funcs, base)
            expected = W[STACK_LO:sp].tolist()
            W[STACK_LO:sp] = array("q", before)
            deadslots.NativeClearer()(vm, base)
            assert W[STACK_LO:sp].tolist() == expected
            cleared.append(sum(a != b for a, b in zip(before, expected)))
        return collect(vm, sp, base)

    monkeypatch.setattr(VM, "collect", checked)
    out, err = io.StringIO(), io.StringIO()
    status = run_program(text, "<test>", [], heap=Heap(stress=0, nursery=128 << 10), jit=jit,
                         stdin=io.StringIO(""), stdout=out, stderr=err)
    assert (status, err.getvalue()) == (0, "")
    return cleared


@pytest.mark.parametrize("jit", [None, JitOptions(enabled=True, hot=7, seed=2)], ids=["joff", "jit"])
def test_the_native_walk_clears_what_the_python_one_does(monkeypatch, jit):
    if jit is not None and not JitOptions.supported():
        pytest.skip("the JIT needs x86-64 Linux")
    cleared = compare_at_collections(monkeypatch, MUTUAL.replace("N", "300"), jit)
    assert len(cleared) >= 3
    assert max(cleared) > 50          # the lists of many levels were dead in their frames


def test_a_table_lists_each_call_sites_dead_slots_after_the_pc_entries():
    class F:
        code = [0] * 6
        dead_slots = {2: (0, 3), 5: (1,)}
    words = deadslots.table(F)
    assert list(words[:7]) == [0, 0, 7, 0, 0, 10, 0]
    assert list(words[7:]) == [0, 3, -1, 1, -1]
    F.dead_slots = {}
    assert deadslots.table(F) is None


def test_a_frame_suspended_at_a_pc_that_is_no_call_site_is_left_alone():
    """A table entry of 0 (no call returns there) clears nothing, as the
    Python walk's dict lookup finds nothing."""
    from hawk.driver import make_vm, run_source
    vm = make_vm(["<test>"], stdout=io.StringIO())
    run_source(vm, MUTUAL.replace("N", "3"), "<test>")
    W = vm.W
    (f,) = [f for f in vm.funcs if f.name == "shrink" and not f.library]
    closure = vm.closure_of(f)
    pc = next(p for p in range(len(f.code) + 1) if p not in f.dead_slots)
    call_pc = next(iter(f.dead_slots))
    # two frames of f above a host frame; the upper one suspends the lower at pc
    lower = STACK_LO + 4
    W[lower - 2], W[lower - 1] = closure, deadslots.HOST_LINK
    for k in range(f.framesize):
        W[lower + k] = V.fixnum(k)
    upper = lower + f.framesize + 2
    for return_pc, expect_cleared in ((pc, False), (call_pc, True)):
        W[upper - 2] = closure
        W[upper - 1] = ((f.link | (return_pc << 16) | (upper - lower)) << 3)
        deadslots.NativeClearer()(vm, upper)
        slots = [W[lower + k] for k in range(f.framesize)]
        dead = set(f.dead_slots[call_pc])
        assert any(s == V.DEAD for s in slots) == expect_cleared
        if expect_cleared:
            assert all((s == V.DEAD) == (k in dead) for k, s in enumerate(slots))


def test_a_frame_whose_closure_names_no_function_is_left_alone():
    """The Python walk would fail on it (an index past vm.funcs); the
    native one must not read past its table either."""
    from hawk.driver import make_vm
    from hawk.vm.objects import T
    vm = make_vm(["<test>"], stdout=io.StringIO())
    W = vm.W
    bogus = vm.data.make(T.CLOSURE, [(len(vm.funcs) + 10**6) << 3])
    lower = STACK_LO + 4
    W[lower - 2], W[lower - 1] = bogus, deadslots.HOST_LINK
    W[lower] = V.fixnum(7)
    upper = lower + 3
    W[upper - 2], W[upper - 1] = bogus, (5 << 16 | (upper - lower)) << 3
    deadslots.NativeClearer()(vm, upper)
    assert W[lower] == V.fixnum(7)
    with pytest.raises(IndexError):
        deadslots.clear_python(W, vm.funcs, upper)
