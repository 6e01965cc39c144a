"""The trace IR: one table of operations, SSA instructions in a list, and
the recording-time optimisations (constant folding, CSE) as one small stage.

Why this shape (after LuaJIT's lj_ir.h): a trace is a straight line, so
SSA needs no phis when, as here, loop-carried values go through the frame
at the loop head; each instruction is a tuple (op, a, b, c) where the
table says which operands are references to earlier instructions and which
are literals. Constants are interned and get negative references, so
`ref < 0` means "constant" everywhere (the back end turns them into
immediates). Constants that are heap pointers ("gc constants") are not
stored in the code: `gcrefs` lists their values at recording time, the
JIT copies them into its constant table in native memory (a GC root range
the collector updates in place, see hawk.jit.jit) and the code loads
constant x from that table's word x.

Word semantics: every value is a 64-bit tagged word (hawk.vm.values);
arithmetic on fixnums works directly on the tagged words.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from hawk.gc.memory import SPACE0_START as HEAP_START
from hawk.vm import values as V

# flags
G = 1        # guard: exits the trace (through its snapshot) when it fails
S = 2        # side effect: never removed, orders memory
A = 4        # allocates
L = 8        # reads memory that stores may change (CSE only within a store epoch)
C = 16       # commutative (for CSE)

# name, operand kinds (r = reference, l = literal), flags, doc
_TABLE = [
    ("SLOAD", "l", L, "frame slot a (loaded once per iteration)"),
    ("LOAD", "rl", L, "word at byte offset a + b (a: a tagged pointer, b: displacement)"),
    ("STORE", "rrl", S, "word at byte offset a + c = b"),
    ("ADD", "rr", C, "a + b, no overflow check (addresses)"),
    ("BAND", "rr", C, "a & b"),
    ("SHR", "rl", 0, "a >> b, logical"),
    ("BOOLEQ", "rr", C, "#t if a == b else #f"),
    ("ADDOV", "rr", G | C, "a + b, exit on overflow"),
    ("SUBOV", "rr", G, "a - b, exit on overflow"),
    ("MULOV", "rr", G | C, "fixnum a * fixnum b, exit on overflow"),
    ("CHKTAG", "rl", G, "guard (a & 7) == b"),
    ("LT", "rr", G, "guard a < b (signed)"),
    ("GE", "rr", G, "guard a >= b"),
    ("LE", "rr", G, "guard a <= b"),
    ("GT", "rr", G, "guard a > b"),
    ("EQ", "rr", G | C, "guard a == b"),
    ("NE", "rr", G | C, "guard a != b"),
    ("ULT", "rr", G, "guard a < b unsigned (bounds checks)"),
    ("NEWPAIR", "rr", G | S | A, "(cons a b) bump-allocated; exit before allocating when the nursery is full"),
    ("EXIT", "", G | S, "leave the trace through its snapshot (a trace that ends in the interpreter)"),
]

NAMES = [row[0] for row in _TABLE]
KINDS = {row[0]: row[1] for row in _TABLE}
FLAGS = {row[0]: row[2] for row in _TABLE}
DOCS = {row[0]: row[3] for row in _TABLE}
globals().update({n: n for n in NAMES})    # IR op names as module constants

# guards that compare two words, with the test that must hold
COMPARE = {
    "LT": lambda x, y: x < y, "GE": lambda x, y: x >= y,
    "LE": lambda x, y: x <= y, "GT": lambda x, y: x > y,
    "EQ": lambda x, y: x == y, "NE": lambda x, y: x != y,
    "ULT": lambda x, y: (x & (2**64 - 1)) < (y & (2**64 - 1)),
}
NEGATE = {"LT": "GE", "GE": "LT", "LE": "GT", "GT": "LE", "EQ": "NE", "NE": "EQ"}

TRUE_REF = "always"          # what emit returns for a guard folded to true


class FoldFailure(Exception):
    """A guard folded to false: the trace cannot be right (abort it)."""


def wrap64(n: int) -> int:
    n &= 2**64 - 1
    return n - 2**64 if n >= 2**63 else n


def in_word(n: int) -> bool:
    return V.WORD_MIN <= n <= V.WORD_MAX


@dataclass
class IR:
    """One trace's instructions and constants, with folding and CSE."""
    ins: list = field(default_factory=list)      # (op, a, b, c)
    snap_of: dict = field(default_factory=dict)  # guard ref -> snapshot index
    consts: list = field(default_factory=list)   # ("k", word) or ("gc", index into gcrefs)
    gcrefs: list = field(default_factory=list)   # heap pointers the trace uses, when recorded
    tags: dict = field(default_factory=dict)     # ref -> known tag (typed values)
    fold: bool = True
    _kmap: dict = field(default_factory=dict)
    _cse: dict = field(default_factory=dict)
    _epoch: int = 0                               # bumped by every store/allocation

    # ---- constants ----------------------------------------------------------
    def k(self, word: int) -> int:
        """An interned constant word (a heap pointer becomes a gc constant)."""
        key = ("k", word)
        ref = self._kmap.get(key)
        if ref is None:
            # Constants are tagged words and raw numbers (tag masks, tag
            # values like 1) alike; only a real heap pointer lies in a heap
            # space. Treating the number 1 as a pair pointer made the
            # collector "forward" it, overwriting the allocation pointer.
            if V.is_pointer(word) and word >= HEAP_START:
                self.gcrefs.append(word)
                self.consts.append(("gc", len(self.gcrefs) - 1))
            else:
                self.consts.append(("k", word))
            ref = self._kmap[key] = -len(self.consts)
            self.tags[ref] = word & 7
        return ref

    def const_value(self, ref: int) -> int:
        """The constant's word (a heap pointer: as it was while recording)."""
        kind, x = self.consts[-ref - 1]
        return x if kind == "k" else self.gcrefs[x]

    def is_k(self, ref) -> bool:
        return isinstance(ref, int) and ref < 0

    # ---- instructions ---------------------------------------------------------
    def emit(self, op: str, a=0, b=0, c=0, snap: int | None = None, tag: int | None = None):
        """Append (op, a, b, c) after folding and CSE; return its reference
        (maybe an earlier instruction, a constant, or TRUE_REF for a guard
        that always holds). `tag` records the known tag of the result."""
        flags = FLAGS[op]
        if self.fold:
            folded = self._fold(op, a, b, c)
            if folded is not None:
                return folded
        key = None
        if not flags & (S | A):
            if flags & C and (self.is_k(a) and not self.is_k(b) or 0 <= b < a):
                a, b = b, a        # canonical order; constants second
            key = (op, a, b, c, self._epoch if flags & L else 0)
            ref = self._cse.get(key)
            if ref is not None:
                return TRUE_REF if flags & G and op not in ("ADDOV", "SUBOV", "MULOV") else ref
        ref = len(self.ins)
        self.ins.append((op, a, b, c))
        if flags & G:
            assert snap is not None, f"guard {op} needs a snapshot"
            self.snap_of[ref] = snap
        if flags & (S | A):
            self._epoch += 1
        if key is not None and self.fold:
            self._cse[key] = ref
        if tag is not None:
            self.tags[ref] = tag
        if op == "CHKTAG":
            self.tags[a] = b
        return ref

    def _fold(self, op, a, b, c):
        kinds = KINDS[op]
        refs = [x for x, kd in zip((a, b, c), kinds) if kd == "r"]
        if not refs or not all(self.is_k(r) for r in refs):
            # algebraic identities on one constant
            if op in ("ADDOV", "SUBOV") and self.is_k(b) and self.const_value(b) == 0:
                return a
            if op == "CHKTAG" and self.tags.get(a) == b:
                return TRUE_REF
            if op in ("EQ", "LE", "GE") and a == b:
                return TRUE_REF
            return None
        if any(self.consts[-r - 1][0] == "gc" for r in refs):
            return None                # pointers may move: never fold them
        x = self.const_value(a)
        y = self.const_value(b) if kinds[1:2] == "r" else b
        if op in COMPARE:
            if COMPARE[op](x, y):
                return TRUE_REF
            raise FoldFailure(f"{op} {x:#x} {y:#x} is false")
        if op == "CHKTAG":
            if x & 7 == y:
                return TRUE_REF
            raise FoldFailure(f"tag of {x:#x} is not {y}")
        if op in ("ADDOV", "SUBOV", "MULOV"):
            r = x + y if op == "ADDOV" else x - y if op == "SUBOV" else x * (y >> 3)
            return self.k(r) if in_word(r) else None
        if op == "ADD":
            return self.k(wrap64(x + y))
        if op == "BAND":
            return self.k(x & y)
        if op == "SHR":
            return self.k((x & (2**64 - 1)) >> y)
        if op == "BOOLEQ":
            return self.k(V.TRUE if x == y else V.FALSE)
        return None

    # ---- printing ---------------------------------------------------------------
    def fmt_ref(self, ref) -> str:
        if self.is_k(ref):
            kind, x = self.consts[-ref - 1]
            return f"[{self.gcrefs[x]:#x}]" if kind == "gc" else (
                f"#{x >> 3}" if x & 7 == 0 else f"{x:#x}")
        return f"{ref:04d}"

    def listing(self, snaps=None) -> list[str]:
        out = []
        for i, (op, a, b, c) in enumerate(self.ins):
            args = [self.fmt_ref(x) if kd == "r" else str(x) for x, kd in zip((a, b, c), KINDS[op])]
            line = f"{i:04d} {op:<8} {' '.join(args)}"
            if i in self.snap_of:
                s = self.snap_of[i]
                line += f"   -> exit {s}"
                if snaps is not None:
                    line += " " + snaps[s].describe(self)
            out.append(line)
        return out
