"""hawk.vm.forward: which frame slots and globals the blocks engine's
generated code keeps in Python locals, on hand-written instruction texts."""
from __future__ import annotations

from hawk.vm import forward
from hawk.vm.bytecode import Op

EMPTY = frozenset()


def test_a_store_is_kept_in_a_local_and_later_reads_use_it():
    store = "W[base + 3] = x + y"
    assert forward.rewrite(store, EMPTY) == "r3 = W[base + 3] = x + y"
    known = forward.after(store, EMPTY)
    assert known == {3}
    assert forward.rewrite("v = W[base + 3] + W[base + 4]", known) == "v = r3 + W[base + 4]"


def test_an_unconditional_load_defines_the_slot_but_a_nested_one_does_not():
    text = "x = W[base + 1]\nif x & 7:\n    y = W[base + 2]"
    assert forward.rewrite(text, EMPTY).split("\n")[0] == "x = r1 = W[base + 1]"
    assert forward.after(text, EMPTY) == {1}


def test_a_collection_reloads_every_known_value():
    text = "if W[HP] > limit[0]:\n    vm.collect(base + 9)\n    pass"
    lines = forward.rewrite(text, frozenset({0, 2, -1})).split("\n")
    assert lines[2:5] == ["    g0 = W[(consts[0] >> 3) + 1]", "    r0 = W[base + 0]", "    r2 = W[base + 2]"]


def test_a_global_read_twice_is_read_from_memory_once():
    gget = "v = W[(consts[4] >> 3) + 1]"
    assert forward.rewrite(gget, EMPTY) == "v = g4 = W[(consts[4] >> 3) + 1]"
    known = forward.after(gget, EMPTY)
    assert known == {-5}
    assert forward.rewrite(gget, known) == "v = g4"
    # assigning the global forgets it
    assert forward.after("W[(consts[4] >> 3) + 1] = W[base + 0]", known) == EMPTY
    assert forward.without_globals(known | {2}) == {2}


def test_a_call_keeps_the_slots_below_its_callee_and_gains_its_value():
    known = frozenset({0, 1, 5, 6, -3})
    assert forward.after_call(known, 5) == {0, 1, 5}


def test_entry_states_agree_on_what_every_predecessor_knows():
    # 0 -> 10, 0 -> 20, 10 -> 20, 20 -> 20 (a loop); 30 is unreachable
    adds = {0: {1, 2}, 10: {3}, 20: {2, 4}, 30: {9}}
    succs = {0: [10, 20], 10: [20], 20: [20], 30: []}
    blocks = [(b, succs[b], (lambda add: lambda known: known | add)(adds[b])) for b in (0, 10, 20, 30)]
    states = forward.entry_states(blocks)
    assert states[0] == EMPTY
    assert states[10] == {1, 2}
    assert states[20] == {1, 2}          # (from 0) & (from 10: 1 2 3) & (from itself: 1 2 4)
    assert states[30] == EMPTY


def _dse(*blocks, params=frozenset(), framesize=8):
    """drop_dead_stores on blocks of (leader, [(kind, text, op, b)], succs)
    (a CALL's b is its result slot a); the rewritten texts, block by block."""
    bs = [(leader, [[i, kind, text, op, b if op is Op.CALL else 0, b]
                    for i, (kind, text, op, b) in enumerate(items)], succs)
          for leader, items, succs in blocks]
    forward.drop_dead_stores(bs, params, framesize)
    return [[item[2] for item in items] for _, items, _ in bs]


def test_a_store_nothing_reads_before_the_next_store_is_dropped():
    out = _dse((0, [("seq", "r1 = W[base + 1] = 16", Op.KSHORT, 0),
                    ("seq", "r1 = W[base + 1] = v", Op.GGET, 0),
                    ("call", "s(base + 3)", Op.CALL, 0)], []))
    assert out == [["r1 = 16", "r1 = W[base + 1] = v", "s(base + 3)"]]


def test_stores_stay_where_the_stack_may_be_read():
    # before a call; read from memory; across blocks to a read; under try
    # (the fixnum overflow check); a tail call's arguments
    out = _dse((0, [("seq", "r2 = W[base + 2] = 1", Op.KSHORT, 0),
                    ("seq", "x = W[base + 2]", Op.MOV, 0),
                    ("seq", "r3 = W[base + 3] = 1", Op.KSHORT, 0),
                    ("seq", "try:\n    r4 = W[base + 4] = x + y\nexcept ValueError:\n"
                            "    r4 = W[base + 4] = slow()", Op.ADD, 0)], [5]),
               (5, [("seq", "y = W[base + 3]", Op.MOV, 0),
                    ("seq", "r5 = W[base + 5] = 7\nr0 = W[base + 0] = r5", Op.CALLT, 1)], [0]))
    assert out == [["r2 = W[base + 2] = 1", "x = W[base + 2]", "r3 = W[base + 3] = 1",
                    "try:\n    r4 = W[base + 4] = x + y\nexcept ValueError:\n"
                    "    r4 = W[base + 4] = slow()"],
                   ["y = W[base + 3]", "r5 = 7\nr0 = W[base + 0] = r5"]]
    out = _dse((0, [("seq", "r2 = W[base + 2] = 1", Op.KSHORT, 0),
                    ("call", "s(base + 3)", Op.CALL, 0)], []))
    assert out == [["r2 = W[base + 2] = 1", "s(base + 3)"]]


def test_a_store_before_ret_is_dropped_but_a_loop_keeps_everything():
    out = _dse((0, [("seq", "r1 = W[base + 1] = r0", Op.MOV, 0), ("exit", "return r1", Op.RET, 0)], []))
    assert out == [["r1 = r0", "return r1"]]
    out = _dse((0, [("seq", "r1 = W[base + 1] = r0", Op.MOV, 0)], [1]),
               (1, [("seq", "vm.collect(base + 8)", Op.LOOP, 0), ("exit", "return r1", Op.RET, 0)], []))
    assert out[0] == ["r1 = W[base + 1] = r0"]


def test_a_calls_result_store_may_be_dead_but_not_its_link():
    call = "r3 = W[base + 3] = 5767200\nv = s(base + 4)\nr2 = W[base + 2] = v"
    out = _dse((0, [("call", call, Op.CALL, 2), ("exit", "return r2", Op.RET, 0)], []))
    assert out == [["r3 = W[base + 3] = 5767200\nv = s(base + 4)\nr2 = v", "return r2"]]
    out = _dse((0, [("call", call, Op.CALL, 2), ("call", "s(base + 5)", Op.CALL, 5)], []))
    assert out[0][0] == call


def test_a_global_read_then_assigned_is_not_known_and_the_reverse_is():
    """The later of a gain and a loss of the same value wins (the effects
    of a text are computed once and cached)."""
    read = "x = W[(consts[2] >> 3) + 1]"
    write = "W[(consts[2] >> 3) + 1] = y"
    assert forward.after(read + "\n" + write, EMPTY) == EMPTY
    assert forward.after(write + "\n" + read, EMPTY) == {-3}
    assert forward.after(write, frozenset({-3, 1})) == {1}


def test_regenerating_a_function_reuses_the_analysis_of_its_texts():
    """A function regenerated with one more entry (a trace exit) has mostly
    the same instruction texts: their slot effects come from the caches."""
    from hawk.driver import make_vm, run_source
    from hawk.vm import specialize
    vm = make_vm()
    run_source(vm, "(define (f n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s i)))))", "t.scm")
    f = vm.func_of(vm.lookup("f"))
    specialize.specialize(vm, f)
    specialize.specialize(vm, f, {len(f.code) - 2})

    def counts():
        return [(c.hits, c.misses) for c in (forward._effect_of.cache_info(), forward._gains.cache_info(),
                                             forward.rewrite.cache_info())]
    before = counts()
    specialize.specialize(vm, f, {len(f.code) - 2})
    after = counts()
    assert all(h1 > h0 and m1 == m0 for (h0, m0), (h1, m1) in zip(before, after))
