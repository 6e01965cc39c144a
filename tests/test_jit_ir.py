"""The trace IR's recording-time stage: constant folding, CSE, typed values
("this trace in, that trace out"), and snapshots."""
from __future__ import annotations

import pytest

from hawk.jit.ir import IR, KINDS, NREFS, TRUE_REF, FoldFailure
from hawk.jit.snapshot import SnapshotTable
from hawk.vm import values as V

fx = V.fixnum


def ops(ir):
    return [ins[0] for ins in ir.ins]


def test_reference_operands_come_first():
    """IR._fold takes an op's first NREFS operands as its references."""
    for op, kinds in KINDS.items():
        assert kinds == "r" * NREFS[op] + "l" * (len(kinds) - NREFS[op]), op


def test_constants_are_interned_and_negative():
    ir = IR()
    a, b = ir.k(fx(3)), ir.k(fx(3))
    assert a == b and a < 0
    assert ir.const_value(a) == fx(3)
    assert ir.k(V.TRUE) != a
    assert ir.tags[a] == 0 and ir.tags[ir.k(V.TRUE)] == 6


def test_pointer_constants_go_to_gcrefs():
    from hawk.gc.memory import SPACE0_START
    ir = IR()
    p = SPACE0_START + 0x1000 | 5
    r = ir.k(p)
    assert ir.gcrefs == [p]
    assert ir.const_value(r) == p
    assert ir.consts[-r - 1] == ("gc", 0)        # the code reads it from the trace's table


def test_raw_numbers_with_pointer_tags_are_not_gcrefs():
    ir = IR()
    for n in (1, 5, 0x20001):
        ir.k(n)
    assert ir.gcrefs == []


def test_fold_fixnum_arithmetic():
    ir = IR()
    r = ir.emit("ADDOV", ir.k(fx(2)), ir.k(fx(40)), snap=0)
    assert r < 0 and ir.const_value(r) == fx(42)
    r = ir.emit("SUBOV", ir.k(fx(2)), ir.k(fx(40)), snap=0)
    assert ir.const_value(r) == fx(-38)
    r = ir.emit("MULOV", ir.k(fx(6)), ir.k(fx(7)), snap=0)
    assert ir.const_value(r) == fx(42)
    assert ir.ins == []


def test_fold_identity_and_overflowing_constants_stay():
    ir = IR()
    x = ir.emit("SLOAD", 0)
    assert ir.emit("ADDOV", x, ir.k(0), snap=0) == x
    big = ir.k(V.WORD_MAX - 7)
    r = ir.emit("ADDOV", big, big, snap=0)      # would overflow: not folded
    assert r >= 0 and ops(ir) == ["SLOAD", "ADDOV"]


def test_fold_constant_guards():
    ir = IR()
    assert ir.emit("LT", ir.k(fx(1)), ir.k(fx(2)), snap=0) is TRUE_REF
    assert ir.emit("CHKTAG", ir.k(fx(1)), 0, snap=0) is TRUE_REF
    with pytest.raises(FoldFailure):
        ir.emit("LT", ir.k(fx(2)), ir.k(fx(1)), snap=0)
    assert ir.ins == []


def test_guard_of_a_value_against_itself_folds_even_for_gc_constants():
    """A call of a promoted global checks the callee constant against
    itself: no code at all, although gc constants are otherwise never
    folded (they may move)."""
    from hawk.gc.memory import SPACE0_START
    ir = IR()
    clo = ir.k(SPACE0_START + 0x40 | 3)
    assert ir.emit("EQ", clo, clo, snap=0) is TRUE_REF
    x = ir.emit("SLOAD", 0)
    assert ir.emit("EQ", x, x, snap=0) is TRUE_REF
    assert ir.emit("LE", x, x, snap=0) is TRUE_REF
    other = ir.k(SPACE0_START + 0x80 | 3)
    assert ir.emit("EQ", clo, other, snap=0) >= 0     # two pointers: decided at run time
    assert ops(ir) == ["SLOAD", "EQ"]


def test_cse_and_canonical_order():
    ir = IR()
    x = ir.emit("SLOAD", 0)
    y = ir.emit("SLOAD", 1)
    a = ir.emit("ADDOV", x, y, snap=0)
    assert ir.emit("ADDOV", y, x, snap=1) == a          # commutative
    k = ir.k(fx(1))
    b = ir.emit("ADDOV", k, x, snap=0)
    assert ir.ins[b] == ("ADDOV", x, k, 0)               # constant second
    assert ir.emit("SUBOV", x, y, snap=0) != ir.emit("SUBOV", y, x, snap=0)


def test_guards_are_emitted_once_and_types_are_remembered():
    ir = IR()
    x = ir.emit("SLOAD", 0)
    ir.emit("CHKTAG", x, 0, snap=0)
    assert ir.emit("CHKTAG", x, 0, snap=1) is TRUE_REF
    n = ir.emit("SLOAD", 1)
    ir.emit("LT", x, n, snap=0)
    assert ir.emit("LT", x, n, snap=2) is TRUE_REF
    assert ops(ir) == ["SLOAD", "CHKTAG", "SLOAD", "LT"]


def test_loads_are_not_reused_across_stores():
    ir = IR()
    box = ir.emit("SLOAD", 0)
    v1 = ir.emit("LOAD", box, 3)
    assert ir.emit("LOAD", box, 3) == v1
    ir.emit("STORE", box, ir.k(fx(5)), 3)
    v2 = ir.emit("LOAD", box, 3)
    assert v2 != v1


def test_no_fold_mode_keeps_everything():
    ir = IR(fold=False)
    ir.emit("ADDOV", ir.k(fx(2)), ir.k(fx(40)), snap=0)
    assert ops(ir) == ["ADDOV"]


def test_listing_shows_snapshots():
    ir = IR()
    st = SnapshotTable()
    x = ir.emit("SLOAD", 0)
    s = st.take(7, {1: x})
    ir.emit("ADDOV", x, ir.k(fx(1)), snap=s)
    text = "\n".join(ir.listing(st.snaps))
    assert "ADDOV    0000 #1" in text and "pc 7 {1=0000}" in text


def test_snapshots_are_shared():
    st = SnapshotTable()
    assert st.take(3, {1: 0}) == st.take(3, {1: 0}) == 0
    assert st.take(3, {1: 2}) == 1
    assert st.snaps[0].slots == ((1, 0),)


def test_a_copy_grows_apart_from_its_original():
    """hawk.jit.loopopt peels a loop into ir.copy() and falls back to the
    original: what the copy adds (instructions, constants, gc refs, tags,
    CSE entries, snapshots of guards) must not show in the original, and
    the copy starts with all the original knows (CSE finds its ADDOV)."""
    from hawk.gc.memory import SPACE0_START
    ir = IR()
    x, y = ir.emit("SLOAD", 0), ir.emit("SLOAD", 1)
    a = ir.emit("ADDOV", x, y, snap=0)
    before = {name: (list(v) if type(v) is list else dict(v) if type(v) is dict else v)
              for name, v in ir.__dict__.items()}
    c = ir.copy()
    assert c.__dict__ == ir.__dict__
    assert c.emit("ADDOV", y, x, snap=1) == a                          # the CSE table came along
    c.emit("CHKTAG", c.emit("SLOAD", 2), 0, snap=2)
    c.emit("SUBOV", a, c.k(fx(7)), snap=3)
    c.k(SPACE0_START + 0x1000 | 5)
    assert len(c.ins) > len(ir.ins) and c.gcrefs and c.snap_of != ir.snap_of
    assert ir.__dict__ == before
