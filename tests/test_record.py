"""hawk.record: the record classes that replace dataclasses at start-up."""
import pickle

import pytest

from hawk.record import FrozenInstanceError, computed, factory, record


@record
class Point:
    x: int
    y: int = 0
    seen: list = factory(list)


@record(eq=False)
class Base:
    a: int


@record(eq=False)
class Derived(Base):
    b: str = "b"
    total: int = computed

    def __post_init__(self):
        self.total = self.a * 2


@record(frozen=True)
class Loc:
    file: str
    line: int


@record(frozen=True, slots=False)
class Loose:
    name: str


def test_init_defaults_and_factory():
    p, q = Point(1), Point(2, 3)
    assert (p.x, p.y, q.x, q.y) == (1, 0, 2, 3)
    p.seen.append(1)
    assert q.seen == [] and p.seen == [1]          # a fresh list per instance
    assert Point(x=4, y=5).y == 5
    with pytest.raises(TypeError):
        Point()


def test_slots_and_repr():
    p = Point(1, 2)
    assert not hasattr(p, "__dict__")
    with pytest.raises(AttributeError):
        p.z = 3
    assert repr(p) == "Point(x=1, y=2, seen=[])"
    assert Point.__fields__ == ("x", "y", "seen")


def test_eq_on_fields_and_unhashable():
    assert Point(1, 2) == Point(1, 2) and Point(1, 2) != Point(1, 3)
    assert Point(1) != (1, 0, [])
    with pytest.raises(TypeError):
        hash(Point(1))


def test_identity_eq_and_inherited_fields():
    d = Derived(3)
    assert (d.a, d.b, d.total) == (3, "b", 6)
    assert d != Derived(3) and d == d
    assert {d: 1}[d] == 1                          # hashable by identity
    assert Derived.__fields__ == ("a", "b", "total")
    with pytest.raises(TypeError):
        Derived(3, "c", 7)                         # total is computed, no parameter


def test_frozen():
    loc = Loc("f.scm", 3)
    assert loc == Loc("f.scm", 3) and hash(loc) == hash(Loc("f.scm", 3))
    assert {loc: 1}[Loc("f.scm", 3)] == 1
    with pytest.raises(FrozenInstanceError):
        loc.line = 4
    with pytest.raises(AttributeError):
        del loc.file
    back = pickle.loads(pickle.dumps([loc, Derived(5)], protocol=5))
    assert back[0] == loc and back[1].total == 10 and back[1].b == "b"


def test_frozen_without_slots():
    x = Loose("n")
    assert hasattr(x, "__dict__") and x == Loose("n")
    with pytest.raises(FrozenInstanceError):
        x.name = "m"
