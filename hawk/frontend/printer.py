"""External representations of hawk.frontend.datum values.

Why: `write`, `display`, the REPL and error messages all need the Scheme
spelling of data, and `write` must produce text that hawk.frontend.reader
turns back into an equal datum.  Printing walks the data with an explicit
stack, so a list of a million elements or 10^5 lists nested in each other's
car prints without Python recursion.

The four entry points follow R7RS:
  write_string         labels (#n= / #n#) only where the data is cyclic
  write_shared_string  labels for every pair or vector reached twice
  write_simple_string  never labels; loops forever on cyclic data
  display_string       like write_string, but strings and characters are
                       printed raw and symbols without |...|

Representation choices:
  * Floats use Python's shortest round-trip digits (repr) and always contain
    '.' or an exponent, so they read back inexact.  Exponents carry a sign
    and no leading zeros: 1e+100, 1.5e-7.  Specials: +inf.0 -inf.0 +nan.0.
  * Complex numbers are rectangular with inexact parts: 1.0+2.0i, 1.0-2.0i.
  * Quote forms are not abbreviated: (quote x).
  * Objects with no external representation: #<eof>, #<unspecified>,
    #<default>; any other Python object as #<its repr>.
  * A symbol is written bare only when reading the bare text gives the same
    symbol back; otherwise it is written |like this|.
"""
from __future__ import annotations

import functools
import math
import re
from fractions import Fraction

from hawk.errors import ReadError
from hawk.frontend.datum import (DEFAULT, EOF, NIL, UNSPECIFIED, Char, MString,
                                 Pair, Symbol, Vector)
from hawk.frontend.reader import CHAR_NAMES, read_all

__all__ = ["write_string", "write_shared_string", "write_simple_string",
           "display_string"]

_NO_LABELS, _CYCLE_LABELS, _SHARED_LABELS = range(3)


def write_string(obj) -> str:
    """R7RS `write`: datum labels only for cycles."""
    return _Printer(obj, _CYCLE_LABELS, display=False).run()


def write_shared_string(obj) -> str:
    """R7RS `write-shared`: datum labels for all shared pairs and vectors."""
    return _Printer(obj, _SHARED_LABELS, display=False).run()


def write_simple_string(obj) -> str:
    """R7RS `write-simple`: no datum labels (does not terminate on cycles)."""
    return _Printer(obj, _NO_LABELS, display=False).run()


def display_string(obj) -> str:
    """R7RS `display`: strings and characters raw, labels only for cycles."""
    return _Printer(obj, _CYCLE_LABELS, display=True).run()


# --- finding what needs a label ----------------------------------------------

def _find_labels(root, shared: bool) -> set[int]:
    """ids of the pairs and vectors that need a datum label.

    A depth-first search.  With `shared`, a node reached a second time is
    labelled; otherwise only a node reached again while it is still being
    visited (the target of a back edge).  Every cycle contains such a node
    in any depth-first search, so labelling them breaks all cycles.  The
    search walks a list's cdrs in an inner loop, before its cars, which
    keeps long lists cheap."""
    in_progress: dict[int, bool] = {}
    labels: set[int] = set()
    stack = [root]   # nodes to visit, and ids (ints) of nodes to finish
    while stack:
        node = stack.pop()
        if type(node) is int:
            in_progress[node] = False
            continue
        while True:
            key = id(node)
            state = in_progress.get(key)
            if state is not None:
                if state or shared:
                    labels.add(key)
                break
            in_progress[key] = True
            stack.append(key)
            if isinstance(node, Vector):
                stack.extend(x for x in node if isinstance(x, (Pair, Vector)))
                break
            if isinstance(node.car, (Pair, Vector)):
                stack.append(node.car)
            node = node.cdr
            if not isinstance(node, (Pair, Vector)):
                break
    return labels


# --- the printer ----------------------------------------------------------------

# Work items on the printer's stack.
_OBJECT, _TEXT, _LIST_REST, _VECTOR_REST = range(4)


class _Printer:
    """One printing job: `run` returns the text for `root`.

    Atoms inside a list or vector are printed on the spot; only an element
    that is itself a pair or vector suspends its container, pushing a
    continuation (_LIST_REST or _VECTOR_REST) on the explicit stack."""

    def __init__(self, root, label_mode: int, display: bool):
        self.display = display
        if label_mode == _NO_LABELS or not isinstance(root, (Pair, Vector)):
            self.labels: set[int] = set()
        else:
            self.labels = _find_labels(root, label_mode == _SHARED_LABELS)
        self.numbers: dict[int, int] = {}
        self.out: list[str] = []
        self.stack = [(_OBJECT, root)]

    def run(self) -> str:
        stack, out = self.stack, self.out
        while stack:
            kind, item = stack.pop()
            if kind == _TEXT:
                out.append(item)
            elif kind == _LIST_REST:
                self._list_rest(item)
            elif kind == _VECTOR_REST:
                self._vector_rest(*item)
            elif isinstance(item, (Pair, Vector)):
                self._compound(item)
            else:
                out.append(_atom_text(item, self.display))
        return "".join(out)

    def _compound(self, obj) -> None:
        """Print a pair or vector, or refer to its label."""
        key = id(obj)
        if key in self.labels:
            number = self.numbers.get(key)
            if number is not None:
                self.out.append(f"#{number}#")
                return
            number = self.numbers[key] = len(self.numbers)
            self.out.append(f"#{number}=")
        if isinstance(obj, Vector):
            self.out.append("#(")
            self._vector_rest(obj, 0)
        else:
            self.out.append("(")
            if isinstance(obj.car, (Pair, Vector)):
                self.stack.append((_LIST_REST, obj))
                self.stack.append((_OBJECT, obj.car))
            else:
                self.out.append(_atom_text(obj.car, self.display))
                self._list_rest(obj)

    def _list_rest(self, pair: Pair) -> None:
        """The car of `pair` is printed; print what follows it in the list."""
        out = self.out
        while True:
            rest = pair.cdr
            if rest is NIL:
                out.append(")")
                return
            if not isinstance(rest, Pair) or id(rest) in self.labels:
                out.append(" . ")
                self.stack.append((_TEXT, ")"))
                self.stack.append((_OBJECT, rest))
                return
            out.append(" ")
            if isinstance(rest.car, (Pair, Vector)):
                self.stack.append((_LIST_REST, rest))
                self.stack.append((_OBJECT, rest.car))
                return
            out.append(_atom_text(rest.car, self.display))
            pair = rest

    def _vector_rest(self, vector: Vector, index: int) -> None:
        """Print `vector` from element `index` on."""
        out = self.out
        for i in range(index, len(vector)):
            if i:
                out.append(" ")
            item = vector[i]
            if isinstance(item, (Pair, Vector)):
                self.stack.append((_VECTOR_REST, (vector, i + 1)))
                self.stack.append((_OBJECT, item))
                return
            out.append(_atom_text(item, self.display))
        out.append(")")


# --- atoms -------------------------------------------------------------------------

def _atom_text(obj, display: bool) -> str:
    """The text of anything but a pair or vector."""
    if obj is True or obj is False:
        return "#t" if obj else "#f"
    if isinstance(obj, int):
        return _int_text(obj)
    if isinstance(obj, Symbol):
        return obj.name if display else _symbol_text(obj.name)
    if isinstance(obj, MString):
        return str(obj) if display else '"' + _escape(str(obj), '"') + '"'
    if isinstance(obj, Char):
        return chr(obj.code) if display else _char_text(obj.code)
    if isinstance(obj, float):
        return _float_text(obj)
    if isinstance(obj, Fraction):
        return f"{_int_text(obj.numerator)}/{_int_text(obj.denominator)}"
    if isinstance(obj, complex):
        return _complex_text(obj)
    if isinstance(obj, bytearray):
        return "#u8(" + " ".join(map(str, obj)) + ")"
    return _SPECIAL_TEXT.get(id(obj)) or f"#<{obj!r}>"


_SPECIAL_TEXT = {id(NIL): "()", id(EOF): "#<eof>", id(UNSPECIFIED): "#<unspecified>",
                 id(DEFAULT): "#<default>"}

# Python refuses str() of ints with more decimal digits than
# sys.int_max_str_digits (4300 by default); larger ones are split first.
_BITS_PER_CHUNK = 13_000            # about 3900 decimal digits


def _int_text(n: int) -> str:
    if n.bit_length() <= _BITS_PER_CHUNK:
        return str(n)
    if n < 0:
        return "-" + _int_text(-n)
    low_digits = int(n.bit_length() * math.log10(2)) // 2
    high, low = divmod(n, 10 ** low_digits)
    return _int_text(high) + _int_text(low).zfill(low_digits)


def _float_text(x: float) -> str:
    if math.isnan(x):
        return "+nan.0"
    if math.isinf(x):
        return "+inf.0" if x > 0 else "-inf.0"
    mantissa, e, exponent = repr(x).partition("e")
    return f"{mantissa}e{int(exponent):+d}" if e else mantissa


def _complex_text(z: complex) -> str:
    """`1.0+2.0i`; a pure imaginary with a +0.0 real part as `+2.0i`, as Chez
    and Chibi print `(sqrt -4)` (it reads back as the same number)."""
    imag = _float_text(z.imag)
    sign = "" if imag[0] in "+-" else "+"
    real = "" if z.real == 0.0 and math.copysign(1.0, z.real) > 0 else _float_text(z.real)
    return f"{real}{sign}{imag}i"


_CHAR_NAME_OF = {code: name for name, code in CHAR_NAMES.items()}


def _char_text(code: int) -> str:
    name = _CHAR_NAME_OF.get(code)
    if name is not None:
        return "#\\" + name
    char = chr(code)
    return "#\\" + char if char.isprintable() else f"#\\x{code:x}"


_WRITE_ESCAPES = {"\\": "\\\\", "\a": "\\a", "\b": "\\b", "\t": "\\t",
                  "\n": "\\n", "\r": "\\r"}


def _escape(text: str, quote: str) -> str:
    """`text` as it goes between `quote` delimiters (" or |) so that the
    reader gives it back unchanged."""
    if quote not in text and "\\" not in text and text.isprintable():
        return text
    out = []
    for char in text:
        if char == quote:
            out.append("\\" + char)
        elif char in _WRITE_ESCAPES:
            out.append(_WRITE_ESCAPES[char])
        elif char.isprintable():
            out.append(char)
        else:
            out.append(f"\\x{ord(char):x};")
    return "".join(out)


# Symbols made only of these read back as themselves; the rest are checked
# by actually reading them.
_PLAIN_SYMBOL = re.compile(r"[a-zA-Z!$%&*/:<=>?^_~][a-zA-Z0-9!$%&*/:<=>?^_~+\-.@]*")


@functools.lru_cache(maxsize=4096)
def _symbol_text(name: str) -> str:
    if _PLAIN_SYMBOL.fullmatch(name) or (name.isprintable() and _reads_back(name)):
        return name
    return "|" + _escape(name, "|") + "|"


def _reads_back(name: str) -> bool:
    """Does the bare text `name` read as exactly the symbol `name`?"""
    try:
        data = read_all(name)
    except ReadError:
        return False
    return len(data) == 1 and data[0] is Symbol.intern(name)
