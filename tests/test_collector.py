"""The copying collector: what is reachable survives with its shape and
sharing, what is not is dropped, and roots are updated in place."""
from __future__ import annotations

from fractions import Fraction

from hawk.frontend import datum as D
from hawk.gc.heap import Heap
from hawk.gc.memory import HP, PAGE, STACK_START, STATIC_END, STATIC_START
from hawk.vm.data import Data
from hawk.vm.objects import T


def make():
    heap = Heap(stress=0)
    return heap, Data(heap)


def test_live_data_survives_with_sharing_and_cycles():
    heap, d = make()
    shared = D.from_list([1, 2])
    cyclic = D.Pair(D.sym("a"), None)
    cyclic.cdr = cyclic
    value = D.from_list([shared, shared, cyclic, D.MString("héllo"), 2**100, Fraction(1, 3),
                         2.5, D.Vector([1, D.Char(955)]), bytearray(b"xy")])
    roots = [d.to_word(value)]
    heap.root_lists.append(roots)
    heap.collect(STACK_START)
    out = D.to_list(d.from_word(roots[0]))
    assert out[0] is out[1]                      # sharing kept
    assert out[2].cdr is out[2]                  # cycle kept
    assert str(out[3]) == "héllo" and out[4] == 2**100 and out[5] == Fraction(1, 3)
    assert out[6] == 2.5 and list(out[7]) == [1, D.Char(955)] and out[8] == bytearray(b"xy")


def test_garbage_is_not_copied():
    heap, d = make()
    keep = [d.to_word(D.from_list(range(10)))]
    heap.root_lists.append(keep)
    for _ in range(1000):
        d.to_word(D.from_list(range(10)))        # garbage
    heap.collect(STACK_START)
    live = heap.W[HP] - heap.space
    assert live == 10 * 24                       # ten pairs of three words


def test_stack_words_are_roots_and_are_updated():
    heap, d = make()
    w = d.cons(d.integer(7), d.string("s"))
    i = STACK_START >> 3
    heap.W[i] = w
    heap.W[i + 1] = 42 << 3                      # a fixnum stays as it is
    heap.collect(STACK_START + 16)
    assert heap.W[i] != w                        # moved
    assert d.from_word(heap.W[i]).car == 7
    assert heap.W[i + 1] == 42 << 3


def test_symbols_are_static_and_stay_interned_across_collections():
    heap, d = make()
    a = d.intern("alpha")
    heap.collect(STACK_START)
    assert STATIC_START <= a < STATIC_END        # never moves ...
    assert d.intern("alpha") == a                # ... and stays unique
    assert d.symbol_name(a) == "alpha"           # its name is static too


def test_static_objects_are_roots_whose_fields_are_updated():
    """A global cell (static) whose value is a heap list keeps it alive and
    sees where it moved; the cell itself stays put."""
    heap, d = make()
    lst = d.to_word(D.from_list([1, D.MString("two"), 3.5]))
    cell = heap.static(d.make, T.CELL, [lst, d.intern("g")])
    d.to_word(D.from_list(range(100)))           # garbage
    heap.collect(STACK_START)
    assert STATIC_START <= cell < STATIC_END
    assert d.field(cell, 0) != lst               # the list moved, the field followed
    out = D.to_list(d.from_word(d.field(cell, 0)))
    assert out[0] == 1 and str(out[1]) == "two" and out[2] == 3.5
    assert heap.W[HP] - heap.space == 3 * 24 + 32 + 16   # only the list: 3 pairs, a string, a flonum


def test_static_allocation_nests_and_leaves_the_nursery_as_it_was():
    heap, d = make()
    hp = heap.W[HP]
    w = heap.static(lambda: d.cons(d.intern("x"), heap.static(d.string, "y")))
    assert heap.W[HP] == hp
    assert STATIC_START <= w < STATIC_END and STATIC_START <= d.field(w, 1) < STATIC_END
    assert d.symbol_name(d.field(w, 0)) == "x" and d.string_value(d.field(w, 1)) == "y"


def test_stress_levels_choose_which_safepoints_collect():
    heap = Heap(stress=3)
    assert [heap.due() for _ in range(6)] == [False, False, True, False, False, True]
    assert Heap(stress=0).due()


def test_a_program_under_stress_and_a_tiny_nursery_agrees_with_normal_gc():
    from conftest import run_scheme
    text = """
    (define (build n) (let loop ((i 0) (acc '())) (if (= i n) acc (loop (+ i 1) (cons (vector i (* i i)) acc)))))
    (define v (build 300))
    (define s (let loop ((l v) (s 0)) (if (null? l) s (loop (cdr l) (+ s (vector-ref (car l) 1))))))
    (display s)
    """
    expected = str(sum(i * i for i in range(300)))
    assert run_scheme(text).out == expected
    assert run_scheme(text, stress=1).out == expected


def test_words_outside_from_space_are_not_pointers():
    heap, d = make()
    roots = [1, 0x20001, 5, d.cons(1 << 3, 2 << 3)]   # raw numbers with pointer-like tags
    heap.root_lists.append(roots)
    state = list(heap.W[0:4])
    heap.collect(STACK_START)
    assert roots[:3] == [1, 0x20001, 5]
    assert heap.W[0] == state[0]                    # the state block was not written through
    assert d.from_word(roots[3]).car == 1


# ---- foreign handles are weak ---------------------------------------------------

HANDLE_CHURN = """
(define keep (make-hash-table eq?))
(define key (list 'key))
(hash-table-set! keep key 'kept)
(define kept-port (open-input-string "xyz"))
(define (churn i acc)
  (if (= i 3000)
      acc
      (let ((p (open-input-string "abc")) (t (make-hash-table eq?)))
        (hash-table-set! t (list i) (read-char p))
        (churn (+ i 1) (+ acc (hash-table-size t))))))
(write (list (churn 0 0) (hash-table-ref keep key) (read-char kept-port)
             (hash-table-ref/default keep (list 'key) 'absent)))
"""


def test_dead_handles_are_freed_and_live_ones_keep_working():
    """3000 string ports and 3000 hash tables made and dropped under GC
    stress: the foreign table and the heap's root lists stay small, while
    a live table (whose key moved at every collection) and a live port
    still work."""
    import io
    from hawk.driver import make_vm, run_source
    out = io.StringIO()
    vm = make_vm(heap=Heap(stress=5), stdout=out)
    roots_before = len(vm.heap.root_lists)
    run_source(vm, HANDLE_CHURN, "<test>")
    vm.flush()
    assert out.getvalue() == "(3000 kept #\\x absent)"
    assert vm.heap.collections > 100
    assert len(vm.data.foreign_words) < 100
    assert sum(x is not None for x in vm.data.foreign) == len(vm.data.foreign_words)
    assert len(vm.data.foreign) < 100               # freed slots are reused
    assert len(vm.heap.root_lists) < roots_before + 100


def test_dropped_output_file_port_is_flushed_and_closed(tmp_path):
    """The port is opened deep in the stack, so no stale stack word of the
    shallow loop that follows can keep its handle alive."""
    path = tmp_path / "out.txt"
    program = f"""
      (define (write-and-drop) (let ((p (open-output-file "{path}"))) (write 'data p)))
      (define (deep n) (if (= n 0) (write-and-drop) (begin (deep (- n 1)) n)))
      (deep 20)
      (define (spin i) (if (> i 0) (begin (make-vector 10) (spin (- i 1)))))
      (spin 100)"""
    import io
    from hawk.driver import make_vm, run_source
    vm = make_vm(heap=Heap(stress=1), stdout=io.StringIO())
    run_source(vm, program, "<test>")
    assert path.read_text() == "data"          # before any exit-time flush


def test_collection_clears_every_stale_frame_above_the_live_stack():
    """Words left high above the live top by a deep recursion (here written
    directly, three pages up, after an earlier collection) are gone after
    the next collection, however deep they were."""
    from hawk.driver import make_vm
    from hawk.gc.memory import PAGE
    from hawk.vm import values as V
    from hawk.vm.objects import T
    from hawk.vm.vm import STACK_LO
    vm = make_vm()
    vm.heap.stress = 1
    W = vm.W
    sp = STACK_LO + 10
    stale = [sp + k * (PAGE >> 3) + 3 for k in range(1, 4)]
    pair = vm.data.make(T.PAIR, [V.NIL, V.NIL])
    for i in stale:
        W[i] = pair
    vm.collect(sp)
    assert [W[i] for i in stale] == [0, 0, 0]


def test_from_space_pages_the_next_cycle_reuses_stay_resident():
    """Releasing the whole from-space made every page of the next cycle's
    nursery a fresh kernel fault (a quarter of primes' run time); only the
    part beyond the next cycle's soft limit is given back."""
    heap = Heap(stress=0, nursery=1 << 20)
    mem = heap.mem
    start = heap.space
    heap.W[HP] = start + (3 << 20)                # three nursery-fulls allocated
    for page in range(start, start + (3 << 20), PAGE):
        mem.W[page >> 3] = 0                      # touch it: resident now
    heap.collect(STACK_START)
    kept = mem.resident_end(start, start + (3 << 20)) - start
    assert kept == 1 << 20                        # the nursery span stays, the rest is released


def test_lists_made_at_once_are_pairs_the_collector_copies():
    """Data.list lays out a list's pairs together (three or more
    elements) or conses them (fewer): every length reads back with its
    tail, and survives a collection as a list of separate pairs."""
    heap, d = make()
    roots = []
    for n in range(12):
        items = [(k + 1) << 3 for k in range(n)]
        roots.append(d.list(items, d.intern("end")))
    heap.root_lists.append(roots)
    heap.collect(STACK_START)
    for n, w in enumerate(roots):
        items, tail = [], w
        while tail & 7 == 1:
            assert d.type_of(tail) == T.PAIR and d.size(tail) == 2     # a header of its own
            items.append(d.field(tail, 0))
            tail = d.field(tail, 1)
        assert items == [(k + 1) << 3 for k in range(n)] and tail == d.intern("end")
