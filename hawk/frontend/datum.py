"""Scheme data as the frontend sees it: what the reader produces and the
compiler turns into constants.

Runtime values live as tagged words in native memory (hawk.vm.values); this
module is the Python-side picture used before a program runs and by `read`
at run time (whose result is then copied into the heap).

Mapping:
  symbol      -> Symbol (interned: `Symbol.intern(name)` or `sym(name)`)
  pair        -> Pair(car, cdr), optional .loc (SourceLoc) set by the reader
  '()         -> NIL
  #t / #f     -> True / False
  numbers     -> int, fractions.Fraction, float, complex
  character   -> Char(code_point)
  string      -> MString (mutable; .chars is a Python list of 1-char str)
  vector      -> Vector (a list subclass)
  bytevector  -> bytearray
  eof object  -> EOF
  unspecified -> UNSPECIFIED
"""
from __future__ import annotations

from hawk.record import record


@record(frozen=True)
class SourceLoc:
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Symbol:
    """An interned symbol; compare with `is`."""
    __slots__ = ("name", "__weakref__")
    _table: dict[str, "Symbol"] = {}

    def __init__(self, name: str):
        self.name = name

    @classmethod
    def intern(cls, name: str) -> "Symbol":
        s = cls._table.get(name)
        if s is None:
            s = cls._table[name] = cls(name)
        return s

    def __repr__(self) -> str:
        return f"Symbol({self.name!r})"

    def __reduce__(self):
        return (Symbol.intern, (self.name,))


def sym(name: str) -> Symbol:
    return Symbol.intern(name)


_gensym_counter = 0


def gensym(prefix: str = "g") -> Symbol:
    """A fresh uninterned symbol (never `is` any interned one)."""
    global _gensym_counter
    _gensym_counter += 1
    return Symbol(f"{prefix}.{_gensym_counter}")


class Pair:
    __slots__ = ("car", "cdr", "loc")

    def __init__(self, car, cdr, loc: SourceLoc | None = None):
        self.car = car
        self.cdr = cdr
        self.loc = loc

    def __repr__(self) -> str:
        from hawk.frontend.printer import write_string
        return write_string(self)


class _Singleton:
    __slots__ = ("_name",)

    def __init__(self, name: str):
        self._name = name

    def __repr__(self) -> str:
        return self._name

    def __reduce__(self):
        return (_singleton, (self._name,))


def _singleton(name: str):
    return _SINGLETONS[name]


NIL = _Singleton("NIL")
EOF = _Singleton("EOF")
UNSPECIFIED = _Singleton("UNSPECIFIED")
DEFAULT = _Singleton("DEFAULT")   # marker for a missing optional argument
_SINGLETONS = {"NIL": NIL, "EOF": EOF, "UNSPECIFIED": UNSPECIFIED, "DEFAULT": DEFAULT}


@record(frozen=True)
class Char:
    code: int


class MString:
    """A mutable Scheme string."""
    __slots__ = ("chars",)

    def __init__(self, s: str = ""):
        self.chars = list(s)

    def __str__(self) -> str:
        return "".join(self.chars)

    def __eq__(self, other) -> bool:
        return isinstance(other, MString) and self.chars == other.chars

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        return f"MString({str(self)!r})"


class Vector(list):
    """A Scheme vector (distinct from a Python list used as a sequence)."""
    __slots__ = ()


def is_list(x) -> bool:
    """True for a proper (finite, NIL-terminated) list."""
    slow = x
    while True:
        if x is NIL:
            return True
        if not isinstance(x, Pair):
            return False
        x = x.cdr
        if x is NIL:
            return True
        if not isinstance(x, Pair):
            return False
        x = x.cdr
        slow = slow.cdr
        if x is slow:
            return False


def from_list(items, tail=NIL, loc: SourceLoc | None = None):
    """Build a Scheme list from a Python iterable."""
    result = tail
    for item in reversed(list(items)):
        result = Pair(item, result)
    if loc is not None and isinstance(result, Pair):
        result.loc = loc
    return result


def to_list(x) -> list:
    """The elements of a proper Scheme list as a Python list (ValueError if improper)."""
    out = []
    while isinstance(x, Pair):
        out.append(x.car)
        x = x.cdr
    if x is not NIL:
        raise ValueError("improper list")
    return out
