"""hawk.gc.native against its specification, hawk.gc.collector.copy_live:
the same heap copied by each gives the same to-space, word for word, and
the same roots (the static space's objects among them)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hawk.gc import collector, native
from hawk.gc.heap import Heap
from hawk.gc.memory import HP, JIT_START, SPACE1_START, STACK_START, STATIC_START
from hawk.vm import values as V
from hawk.vm.data import Data
from hawk.vm.objects import T

COPY = native.copier()
pytestmark = pytest.mark.skipif(COPY is None, reason="the native collector needs x86-64 Linux and keystone")

# a field: ("node", i) refers to node i (cycles allowed), else an atom
ATOM = st.one_of(
    st.integers(-2**40, 2**40).map(lambda n: ("int", n)),
    st.integers(2**70, 2**80).map(lambda n: ("int", n)),
    st.floats(allow_nan=False).map(lambda x: ("float", x)),
    st.text(max_size=5).map(lambda s: ("str", s)),
    st.binary(max_size=5).map(lambda b: ("bytes", b)),
    st.sampled_from(["a", "b", "lambda"]).map(lambda s: ("sym", s)),
)
GRAPH = st.integers(1, 12).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.sampled_from(["pair", "vector", "box"]),
                       st.lists(st.one_of(st.integers(0, n - 1).map(lambda i: ("node", i)), ATOM),
                                min_size=2, max_size=4)),
             min_size=n, max_size=n),
    st.lists(st.integers(0, n - 1), max_size=4),      # stack roots
    st.lists(st.integers(0, n - 1), max_size=4),      # root list
    st.lists(st.integers(0, n - 1), max_size=3),      # root dict
    st.integers(0, 3),                                # garbage between nodes
    st.sets(st.integers(0, n - 1), max_size=3),       # nodes made in the static space
))


def build(spec):
    """A heap holding the graph `spec`, its roots registered; the same
    spec gives the same words on any heap."""
    n, nodes, on_stack, in_list, in_dict, garbage, static = spec
    heap = Heap(stress=0)
    d = Data(heap)
    words = []
    for i, (kind, fields) in enumerate(nodes):
        for _ in range(garbage):
            d.cons(d.integer(1), V.NIL)
        size = 2 if kind == "pair" else 1 if kind == "box" else len(fields)
        make = (lambda *a: heap.static(d.make, *a)) if i in static else d.make
        words.append(make(int({"pair": T.PAIR, "vector": T.VECTOR, "box": T.BOX}[kind]),
                          [V.NIL] * size))
    for w, (kind, fields) in zip(words, nodes):
        size = d.size(w)
        for k, (what, x) in enumerate(fields[:size]):
            value = (words[x] if what == "node" else d.number(x) if what in ("int", "float")
                     else d.string(x) if what == "str" else d.bytevector(x) if what == "bytes"
                     else d.intern(x))
            d.set_field(w, k, value)
    for k, i in enumerate(on_stack):
        heap.W[(STACK_START >> 3) + k] = words[i]
    heap.root_lists.append([words[i] for i in in_list] + [1, 42 << 3])
    heap.root_dicts.append({f"k{k}": words[i] for k, i in enumerate(in_dict)})
    return heap, STACK_START + 8 * len(on_stack)


def run(copy, spec):
    heap, sp = build(spec)
    W = heap.W
    free = copy(heap, SPACE1_START, STACK_START, sp, (heap.space, W[HP]))
    return (W[SPACE1_START >> 3:free >> 3].tolist(), W[STACK_START >> 3:sp >> 3].tolist(),
            heap.root_lists[-1], heap.root_dicts[-1], W[STATIC_START >> 3:heap.static_top >> 3].tolist())


@settings(max_examples=60, deadline=None)
@given(GRAPH)
def test_native_copy_is_the_python_copy_word_for_word(spec):
    expected = run(collector.copy_live, spec)
    assert run(COPY, spec) == expected
    rooted = [*spec[2], *spec[3], *spec[4]]
    assert len(expected[0]) > 0 or all(i in spec[6] for i in rooted)   # static nodes stay put


def test_a_root_range_in_native_memory_is_updated():
    """The JIT's constant table is a root range: its pointer words move,
    its other words (tag values, raw numbers) stay."""
    heap = Heap(stress=0)
    d = Data(heap)
    pair = d.cons(d.integer(7), V.NIL)
    i = JIT_START >> 3
    heap.W[i], heap.W[i + 1], heap.W[i + 2] = pair, 1, pair
    heap.root_ranges.append([JIT_START, JIT_START + 24])
    free = COPY(heap, SPACE1_START, STACK_START, STACK_START, (heap.space, heap.W[HP]))
    assert free == SPACE1_START + 24                       # one pair, copied once
    assert heap.W[i] == heap.W[i + 2] == SPACE1_START | (pair & 7)
    assert heap.W[i + 1] == 1
    assert heap.W[(SPACE1_START >> 3) + 1] == d.integer(7)


def test_collections_use_the_native_copy_unless_asked_not_to(monkeypatch):
    """Heap.collect goes through native.copier(); HAWK_GC=python turns it off."""
    calls = []
    monkeypatch.setattr(native, "_COPIER", [lambda *args: calls.append(args) or COPY(*args)])
    heap = Heap(stress=0)
    d = Data(heap)
    keep = [d.cons(d.integer(1), V.NIL)]
    heap.root_lists.append(keep)
    heap.collect(STACK_START)
    assert len(calls) == 1 and d.from_word(keep[0]).car == 1
    monkeypatch.setattr(native, "_COPIER", [])
    monkeypatch.setenv("HAWK_GC", "python")
    assert native.copier() is None
