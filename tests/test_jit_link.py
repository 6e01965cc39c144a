"""Traces that stay in machine code: side traces grown from hot exits and
linked through the exit tables, links between traces, up-recursive root
traces, returns below the entry frame and down-recursive side traces.
Every program must still behave exactly as under the interpreter."""
from __future__ import annotations

import io

import pytest

from hawk.jit.options import JitOptions

if not JitOptions.supported():
    pytest.skip("the JIT needs x86-64 Linux", allow_module_level=True)

from conftest import run_both, run_jit, run_scheme   # noqa: E402
from hawk.driver import make_vm, run_source          # noqa: E402
from hawk.errors import SchemeError                  # noqa: E402
from hawk.vm import values as V                      # noqa: E402

FIB = "(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))\n"
TAK = ("(define (tak x y z) (if (not (< y x)) z "
       "(tak (tak (- x 1) y z) (tak (- y 1) z x) (tak (- z 1) x y))))\n")
ALTERNATE = """
(define (alternate n)
  (let loop ((i 0) (a 0) (b 0) (even #t))
    (cond ((= i n) (list a b))
          (even (loop (+ i 1) (+ a i) b #f))
          (else (loop (+ i 1) a (- b i) #t)))))
(display (alternate 100000)) (newline)
"""


def kinds(vm, name):
    return [t.kind for t in vm.jit.all_traces if t.func.name == name]


def python_exits(vm):
    return sum(t.exits for t in vm.jit.all_traces)


def test_branch_taken_half_the_time_gets_a_linked_side_trace():
    out, vm = run_jit(ALTERNATE)
    evens = sum(range(0, 100000, 2))
    odds = sum(range(1, 100000, 2))
    assert out == f"({evens} {-odds})\n"
    [root] = [t for t in vm.jit.all_traces if t.kind == "loop" and t.func.name == "alternate"]
    [side] = [t for t in vm.jit.all_traces if t.kind == "side" and t.link is root]
    exit_n = next(n for n, s in enumerate(root.snaps)
                  if vm.W[(root.exit_table >> 3) + n] == side.side_entry)
    assert root.exit_counts[exit_n] == vm.jit.opts.hot_exit      # then it was patched
    assert python_exits(vm) < 30        # 100000 iterations, both paths in machine code


def test_fib_is_an_up_recursive_root_with_side_traces():
    out, vm = run_jit(FIB + "(display (fib 22)) (newline)")
    assert out == "17711\n"
    roots = [t for t in vm.jit.all_traces if t.func.name == "fib" and t.kind == "func"]
    assert [(t.link, t.loop_delta > 0) for t in roots] == [(None, True)]   # calls itself deeper
    sides = [t for t in vm.jit.all_traces if t.kind == "side"]
    assert any(t.link is roots[0] for t in sides)           # returns, then calls fib again
    assert any(t.link is None and t.loop_delta < 0 for t in sides)   # down-recursion
    assert python_exits(vm) < 100       # ~57000 calls


def test_tak_has_a_recursive_root_and_side_traces():
    out, vm = run_jit(TAK + "(display (tak 18 12 6)) (newline)")
    assert out == "7\n"
    assert "func" in kinds(vm, "tak") and "side" in kinds(vm, "tak")
    assert python_exits(vm) < 200


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_recursion_under_seeds_matches_the_interpreter(seed):
    text = FIB + TAK + "(display (list (fib 18) (tak 12 8 4))) (newline)"
    joff, jit = run_both(text, hot=5, seed=seed)
    assert joff == jit and joff[1] == "(2584 5)\n"


def _overflow(jit):
    vm = make_vm(stack_words=20000, jit=jit, stdout=io.StringIO(), stderr=io.StringIO())
    text = ("(define (deep n) (if (= n 0) 0 (+ 1 (deep (- n 1)))))\n"
            "(display (deep 100))\n(deep 100000)")
    with pytest.raises(SchemeError) as e:
        run_source(vm, text, "<test>")
    return vm, e.value


def test_stack_overflow_inside_an_up_recursive_trace_is_the_interpreters_error():
    _, joff = _overflow(None)
    vm, jit = _overflow(JitOptions(enabled=True, hot=5))
    assert "stack overflow" in jit.message
    assert (jit.message, jit.loc.line) == (joff.message, joff.loc.line)
    [root] = [t for t in vm.jit.all_traces if t.kind == "func"]
    assert root.exit_counts.get(root.top, 0) >= 1           # the trace's stack check fired


def test_type_change_deep_in_linked_recursion_resumes_correctly():
    text = """
(define (sum-tree t) (if (pair? t) (+ (sum-tree (car t)) (sum-tree (cdr t))) (if (null? t) 0 t)))
(define (make-tree d leaf) (if (= d 0) leaf (cons (make-tree (- d 1) leaf) (make-tree (- d 1) leaf))))
(define big (make-tree 12 1))
(display (sum-tree big)) (newline)
(display (sum-tree (cons big (make-tree 4 0.5)))) (newline)
(display (sum-tree (cons big (cons (expt 2 62) 1)))) (newline)
"""
    joff, jit = run_both(text, hot=5)
    assert jit == joff and joff[1] == f"4096\n4104.0\n{4096 + 2**62 + 1}\n"


def test_error_after_an_exit_from_a_linked_trace_has_its_location():
    text = """
(define (walk l)
  (if (null? l) 0
      (+ (car l)
         (walk (cdr l)))))
(define l (let build ((i 0) (acc '())) (if (= i 3000) acc (build (+ i 1) (cons i acc)))))
(display (walk l)) (newline)
(display (walk (append l (cons 1 2)))) (newline)
"""
    joff, jit = run_both(text, hot=5)
    assert joff == jit
    status, out, err = jit
    assert status == 1 and out == f"{sum(range(3000))}\n" and "<test>:4:" in err


def test_call_cc_captured_while_traces_are_on_the_stack():
    text = """
(define saved #f)
(define count 0)
(define (deep n) (if (= n 0) (call/cc (lambda (k) (set! saved k) 0)) (+ 1 (deep (- n 1)))))
(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))
(display (+ (fib 15) (deep 300))) (newline)
(set! count (+ count 1))
(if (< count 3) (saved (* 1000 count)))
(display (list 'done count (fib 16))) (newline)
"""
    joff, jit = run_both(text, hot=5)
    assert jit == joff and joff[1] == "910\n1910\n2910\n(done 3 987)\n"


def test_set_of_a_global_read_by_a_linked_trace_takes_effect_at_once():
    text = """
(define step 1)
(define (depth n) (if (= n 0) step (+ 1 (depth (- n 1)))))
(define (go k acc) (if (= k 0) acc (go (- k 1) (+ acc (depth 50)))))
(display (go 100 0)) (newline)
(set! step 1000)
(display (go 100 0)) (newline)
(define (f n) (if (= n 0) 0 (begin (if (= n 40) (set! step 5)) (+ step (f (- n 1))))))
(display (f 100)) (newline)
"""
    joff, jit = run_both(text, hot=5)
    assert jit == joff and joff[1] == "5100\n105000\n{}\n".format(40 * 5 + 60 * 1000)


ALLOC = """
(define (iota-up n) (if (= n 0) '() (cons n (iota-up (- n 1)))))
(define (sum-list l) (if (null? l) 0 (+ (car l) (sum-list (cdr l)))))
(define (tag l) (if (null? l) '() (cons (cons 'k (car l)) (tag (cdr l)))))
(define (count k acc) (if (= k 0) acc (count (- k 1) (+ acc (sum-list (iota-up 100))))))
(display (count 12 0)) (newline)
(display (length (tag (iota-up 300)))) (newline)
(display (car (car (tag (iota-up 3))))) (newline)
"""


@pytest.mark.parametrize("stress", [1, 3])
def test_allocating_linked_traces_under_gc_stress(stress):
    expect = f"{12 * 100 * 101 // 2}\n300\nk\n"
    r = run_scheme(ALLOC, stress=stress, jit=JitOptions(enabled=True, hot=5))
    assert (r.status, r.out, r.err) == (0, expect, "")


# `tagger` is a promoted global whose value is a closure made at run time
# (heap, not static like the shared closures and the symbol k): a gc constant
HEAP_CONSTANT = ALLOC + """
(define tagger (let ((key 'k)) (lambda (x) (cons key x))))
(define (tag l) (if (null? l) '() (cons (tagger (car l)) (tag (cdr l)))))
(display (length (tag (iota-up 300)))) (newline)
"""


def test_gc_constants_live_in_the_native_table_and_move_with_collections():
    from hawk.driver import make_vm
    out = io.StringIO()
    vm = make_vm(jit=JitOptions(enabled=True, hot=5), stdout=out, stderr=io.StringIO())
    run_source(vm, HEAP_CONSTANT, "<test>")
    traces = [t for t in vm.jit.all_traces if t.ir.gcrefs]
    assert traces
    t = traces[0]
    before = [vm.W[(t.consts >> 3) + i] for i in range(len(t.ir.gcrefs))]
    assert before == t.ir.gcrefs or vm.heap.collections   # as recorded, unless a GC ran
    vm.collect(_sp(vm))
    after = [vm.W[(t.consts >> 3) + i] for i in range(len(t.ir.gcrefs))]
    assert after != before                     # every heap object moved (copying collector)
    run_source(vm, "(display (count 3 0)) (display (car (car (tag (iota-up 3)))))", "<test>")
    vm.flush()
    assert out.getvalue().endswith(f"{3 * 100 * 101 // 2}k")


def _sp(vm):
    """A stack top above every live frame (nothing runs between programs)."""
    from hawk.vm.vm import STACK_LO
    return STACK_LO + 64


def test_profile_counts_the_bytecodes_traces_run():
    from hawk.gc.memory import BC_TRACE
    text = "(define (count n acc) (if (= n 0) acc (count (- n 1) (+ acc 1))))\n"
    runs = []
    for n in (20000, 40000):
        vm = make_vm(jit=JitOptions(enabled=True, hot=5, profile=True), stdout=io.StringIO(),
                     stderr=io.StringIO())
        run_source(vm, text + f"(count {n} 0)", "<test>")
        runs.append((vm.W[BC_TRACE], vm))
    [t] = [t for t in runs[1][1].jit.all_traces if t.kind == "func"]
    assert t.nbc > 3
    assert runs[1][0] - runs[0][0] == 20000 * t.nbc        # per iteration, exactly
    off = make_vm(jit=JitOptions(enabled=True, hot=5), stdout=io.StringIO())
    run_source(off, text + "(count 20000 0)", "<test>")
    assert off.W[BC_TRACE] == 0                            # counted only under -p


LOCAL_PROCEDURES = """
(define (total-up-to n)
  (define (range lo) (if (> lo n) '() (cons lo (range (+ lo 1)))))
  (define (sum l) (if (null? l) 0 (+ (car l) (sum (cdr l)))))
  (sum (range 1)))
(define (repeat i acc) (if (= i 0) acc (repeat (- i 1) (+ acc (total-up-to 40)))))
(display (repeat 60 0)) (newline)
"""


def test_new_closures_of_a_local_procedure_reuse_its_traces():
    """range and sum are new closures at every call of total-up-to (range
    reads n from its closure); calls and returns guard their function, so
    the traces of the first closures serve all later ones (identity
    guards grew 130 side traces here, one more per closure)."""
    out, vm = run_jit(LOCAL_PROCEDURES)
    assert out == f"{60 * 40 * 41 // 2}\n"
    assert len(vm.jit.all_traces) < 20


def test_side_trace_knows_the_constants_its_exit_stored():
    """fib's (< n 2) exit stores the constant 2 into slot 1; the side trace
    grown there compares n with the immediate instead of loading the slot."""
    out, vm = run_jit(FIB + "(display (fib 22)) (newline)")
    assert out == "17711\n"
    [root] = [t for t in vm.jit.all_traces if t.kind == "func"]
    n = next(n for n, s in enumerate(root.snaps) if s.pc == 2 and s.slots)
    assert [ref for slot, ref in root.snaps[n].slots if slot == 1][0] < 0
    [side] = [t for t in vm.jit.all_traces if t.kind == "side" and t.pc == 2]
    assert ("SLOAD", 1) not in [ins[:2] for ins in side.ir.ins]
    sload0 = side.ir.ins.index(("SLOAD", 0, 0, 0))
    assert any(op in ("LT", "GE") and a == sload0 and b < 0 for op, a, b, c in side.ir.ins)


def test_inherited_tags_are_those_proven_before_every_guard_of_the_exit():
    """Jit.inherited on hand-built IR: slot 0 is loaded and checked to be a
    pair, slot 1 a fixnum only after the first guard that exits through
    snapshot n (shared by two guards), slot 2 gets a raw double (boxed by
    the stub) and slot 3 a constant. From a frame two slots up (delta 2),
    the side trace knows slot 0's tag (unmodified, checked before), the
    flonum tag of the double and the constant; not slot 1's."""
    from types import SimpleNamespace
    from hawk.jit.ir import IR
    from hawk.jit.jit import Jit
    from hawk.jit.snapshot import SnapshotTable
    ir, snaps = IR(), SnapshotTable()
    a = ir.emit("SLOAD", 0)
    ir.emit("CHKTAG", a, 1, snap=snaps.take(1, {}))
    b = ir.emit("SLOAD", 1)
    d = ir.emit("FCONV", ir.k(V.fixnum(3)))
    exit_slots = {2: d, 3: ir.k(V.fixnum(7))}
    n = snaps.take(5, exit_slots, delta=2)
    ir.emit("EQ", a, ir.k(V.NIL), snap=n)             # first guard through n
    ir.emit("CHKTAG", b, 0, snap=snaps.take(6, {}))   # proves b's tag after it
    ir.emit("EQ", b, ir.k(V.fixnum(0)), snap=n)       # second guard through n
    parent = SimpleNamespace(ir=ir, snaps=snaps.snaps)
    consts, tags = Jit.inherited((parent, n))
    assert consts == (1,)                             # slot 3, from the side trace's base
    assert tags == {-2: 1, 0: 2}                      # slot 0's pair tag, slot 2's box


def test_side_trace_does_not_check_again_what_its_parent_proved():
    """ALTERNATE's root loop checks i (slot 1) to be a fixnum, then leaves
    through its guard on `even` when a (slot 2), which only the other
    branch uses, is unchecked: the side trace grown there adds to i with
    no CHKTAG of it, and still checks a."""
    out, vm = run_jit(ALTERNATE)
    assert out == run_scheme(ALTERNATE).out
    [side] = [t for t in vm.jit.all_traces if t.kind == "side" and t.func.name == "alternate"]
    load = {ins[1]: i for i, ins in enumerate(side.ir.ins) if ins[0] == "SLOAD"}
    checked = {x for op, x, *_ in side.ir.ins if op == "CHKTAG"}
    assert load[1] not in checked and load[2] in checked


UNWIND = """
(define (copy l) (if (null? l) '() (cons (car l) (copy (cdr l)))))
(define big (let loop ((i 0) (acc '())) (if (= i 20000) acc (loop (+ i 1) (cons i acc)))))
(define (again k) (if (> k 0) (begin (copy big) (again (- k 1)))))
(again 6)
(display (equal? (copy big) big)) (newline)
"""


def test_an_unwinding_recursion_runs_in_a_ret_root_trace():
    """copy's trace exits at its base case; the 20000 returns after each
    exit have no FUNCF or LOOP, so without the interpreter's RET counting
    (Jit.ret) they were all interpreted until that exit grew a side trace.
    Now a "ret" root trace at the return point loops down the recursion."""
    from hawk.gc.memory import BC_INTERP, BC_TRACE
    out = io.StringIO()
    vm = make_vm(["<test>"], jit=JitOptions(enabled=True, hot=7, profile=True),
                 stdout=out, stderr=io.StringIO())
    run_source(vm, UNWIND, "<test>")
    vm.flush()
    assert out.getvalue() == "#t\n"
    [ret] = [t for t in vm.jit.all_traces if t.kind == "ret"]
    assert ret.func.name == "copy" and ret.link is None and ret.loop_delta < 0
    # 7 walks of 20000 returns: all but a few hundred bytecodes in traces
    assert vm.W[BC_INTERP] < 1000 < 7 * 20000 < vm.W[BC_TRACE]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ret_traces_under_seeds_match_the_interpreter(seed):
    text = UNWIND + """
(define (sum l) (if (null? l) 0 (+ (car l) (sum (cdr l)))))
(display (list (sum big) (sum (append big (list 0.5) big)) (sum (cons (expt 2 62) big))))
(newline)
(sum (append big (list 'x) big))
"""
    joff, jit = run_both(text, hot=5, seed=seed)
    assert joff == jit and joff[0] != 0 and "not a number" in joff[2]
