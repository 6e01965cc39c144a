"""The trace IR: one table of operations, SSA instructions in a list, and
the recording-time optimisations (constant folding, CSE) as one small stage.

Why this shape (after LuaJIT's lj_ir.h): a trace is a straight line, so
SSA needs no phis while loop-carried values go through the frame at the
loop head; the loop pass (hawk.jit.loopopt) keeps them in registers
instead and states them as PHIs after the loop body. Each instruction is
a tuple (op, a, b, c) where the table says which operands are references
to earlier instructions and which are literals. Constants are interned and get negative references, so
`ref < 0` means "constant" everywhere (the back end turns them into
immediates). Constants that are heap pointers ("gc constants") are not
stored in the code: `gcrefs` lists their values at recording time, the
JIT copies them into its constant table in native memory (a GC root range
the collector updates in place, see hawk.jit.jit) and the code loads
constant x from that table's word x.

Word semantics: every value is a 64-bit tagged word (hawk.vm.values);
arithmetic on fixnums works directly on the tagged words. The ops in
DOUBLE produce raw IEEE doubles instead (a second register class); double
constants are interned by their bits (kf), and `is_double` tells the two
kinds apart for the register allocator and the exit stubs.
"""
from __future__ import annotations

import math
import struct

from hawk.gc.memory import SPACE0_START as HEAP_START
from hawk.vm import arith
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
    ("SHL", "rl", 0, "a << b"),
    ("BOOLEQ", "rr", C, "#t if a == b else #f"),
    ("ADDOV", "rr", G | C, "a + b, exit on overflow"),
    ("SUBOV", "rr", G, "a - b, exit on overflow"),
    ("MULOV", "rr", G | C, "fixnum a * fixnum b, exit on overflow"),
    ("ABSOV", "r", G, "fixnum |a|, exit on overflow (the most negative fixnum)"),
    ("CHKTAG", "rl", G, "guard (a & 7) == b"),
    ("LT", "rr", G, "guard a < b (signed)"),
    ("GE", "rr", G, "guard a >= b"),
    ("LE", "rr", G, "guard a <= b"),
    ("GT", "rr", G, "guard a > b"),
    ("EQ", "rr", G | C, "guard a == b"),
    ("NE", "rr", G | C, "guard a != b"),
    ("ULT", "rr", G, "guard a < b unsigned (bounds checks)"),
    ("NEWPAIR", "rr", G | S | A, "(cons a b) bump-allocated; exit before allocating when the nursery is full"),
    ("NEWCLO", "ll", G | S | A, "a closure of proto id word a with b free variables (stored next); "
     "exit before allocating when the nursery is full"),
    ("REVAPP", "rr", G | S | A, "(append (reverse a) b): a's elements consed onto b, last first; "
     "exit before allocating if a is not a proper list or its copy would pass the nursery's "
     "soft limit"),
    ("APPEND", "rr", G | S | A, "(append a b): a fresh copy of list a whose last cdr is b; "
     "exit as REVAPP"),
    ("LENGTH", "r", G | L, "(length a): the number of pairs in proper list a, as a fixnum; "
     "exit if a is not one (an improper end or a cycle)"),
    ("NEWOBJ", "ll", G | S | A, "an object (tag 5) of header word a and b fields (stored next); "
     "exit before allocating when the nursery is full"),
    ("NEWVEC", "rr", G | S | A, "a vector of fixnum a elements (0 <= a, small: guarded before), "
     "each the word b; exit before allocating when the nursery is full"),
    ("LOADCP", "rr", L, "the char at fixnum index b of string a (bounds already guarded)"),
    ("BOOLLT", "rr", 0, "#t if a < b (signed) else #f"),
    ("BOOLGT", "rr", 0, "#t if a > b (signed) else #f"),
    ("QUOT", "rr", G, "fixnum (quotient a b), b != 0 already guarded; exit on overflow"),
    ("REMT", "rr", 0, "fixnum (remainder a b), b != 0 already guarded"),
    ("MODT", "rr", 0, "fixnum (modulo a b), b != 0 already guarded"),
    # raw doubles (result type "d", see DOUBLE): the value lives in an XMM register
    ("FUNBOX", "r", 0, "the double in flonum a (its tag already guarded)"),
    ("FCONV", "r", 0, "the double nearest fixnum a (exact->inexact, mixed arithmetic)"),
    ("FADD", "rr", C, "a + b on doubles"),
    ("FSUB", "rr", 0, "a - b on doubles"),
    ("FMUL", "rr", C, "a * b on doubles"),
    ("FDIV", "rr", 0, "a / b on doubles (IEEE: x/0.0 is an infinity or a NaN)"),
    ("FSQRT", "r", 0, "the square root of double a (a >= 0 or -0.0: guarded before)"),
    ("FBOX", "r", G | A, "a new flonum holding double a; exit before allocating when the nursery is full"),
    ("FLT", "rr", G, "guard a < b on doubles (false if either is NaN)"),
    ("FNLT", "rr", G, "guard not a < b on doubles (true if either is NaN)"),
    ("FLE", "rr", G, "guard a <= b on doubles"),
    ("FNLE", "rr", G, "guard not a <= b on doubles"),
    ("FEQ", "rr", G | C, "guard a == b on doubles"),
    ("FNE", "rr", G | C, "guard not a == b on doubles"),
    ("EXIT", "", G | S, "leave the trace through its snapshot (a trace that ends in the interpreter)"),
    ("CARG", "rl", S, "argument b of the next CALLP = a (hawk.jit.callout)"),
    ("CALLP", "ll", G | S | A, "call primitive a (hawk.jit.callout.FUNCTIONS) on the b arguments "
     "stored by CARG; exit (before the call's effects) if it raised"),
    ("SYNC", "", G | S, "store the snapshot's slots into the frame, as its exit would, and go on: "
     "a call-out that reads the stack follows (hawk.jit.continuation); never exits"),
    ("FRAME", "l", 0, "the word index of frame slot a (the trace's base + a), as a fixnum"),
    # loop optimisation (hawk.jit.loopopt)
    ("LOOP", "", G, "the loop header: what follows is the loop body, repeated; exit (its snapshot, "
     "if it has one) when the nursery is full"),
    ("PHI", "rr", S, "at the back edge, a (defined before LOOP) takes b's value"),
]

NAMES = [row[0] for row in _TABLE]
KINDS = {row[0]: row[1] for row in _TABLE}
# how many operands are references: they always come first ("rrl", never
# "lr"; tests/test_jit_ir.py checks the table)
NREFS = {op: kinds.count("r") for op, kinds in KINDS.items()}
FLAGS = {row[0]: row[2] for row in _TABLE}
DOCS = {row[0]: row[3] for row in _TABLE}
globals().update({n: n for n in NAMES})    # IR op names as module constants

# ops whose result is a raw IEEE double (register class XMM), not a tagged word
DOUBLE = {"FUNBOX", "FCONV", "FADD", "FSUB", "FMUL", "FDIV", "FSQRT"}

# guards that compare two words, with the test that must hold
COMPARE = {
    "LT": lambda x, y: x < y, "GE": lambda x, y: x >= y,
    "LE": lambda x, y: x <= y, "GT": lambda x, y: x > y,
    "EQ": lambda x, y: x == y, "NE": lambda x, y: x != y,
    "ULT": lambda x, y: (x & (2**64 - 1)) < (y & (2**64 - 1)),
}
NEGATE = {"LT": "GE", "GE": "LT", "LE": "GT", "GT": "LE", "EQ": "NE", "NE": "EQ"}
# the same on doubles: Python's float comparisons are IEEE's (false on NaN),
# and the interpreter's (hawk.vm.arith.lt/le/num_eq) are Python's
COMPARE.update({
    "FLT": lambda x, y: x < y, "FNLT": lambda x, y: not x < y,
    "FLE": lambda x, y: x <= y, "FNLE": lambda x, y: not x <= y,
    "FEQ": lambda x, y: x == y, "FNE": lambda x, y: not x == y,
})
NEGATE.update({"FLT": "FNLT", "FNLT": "FLT", "FLE": "FNLE", "FNLE": "FLE",
               "FEQ": "FNE", "FNE": "FEQ"})
# fixnum arithmetic on tagged words (ADDOV, SUBOV, MULOV), before the
# overflow check: for folding, and for the recorder's values
FIXOV = {"ADDOV": lambda x, y: x + y, "SUBOV": lambda x, y: x - y,
         "MULOV": lambda x, y: x * (y >> 3)}
INTDIV = {"QUOT": arith.truncate_quotient_int, "REMT": arith.truncate_remainder_int,
          "MODT": lambda x, y: x % y}
BOOLCMP = {"BOOLEQ": lambda x, y: x == y, "BOOLLT": lambda x, y: x < y,
           "BOOLGT": lambda x, y: x > y}
# double arithmetic for folding constants (IEEE division, as hawk.vm.arith.ieee_divide)
FARITH = {"FADD": lambda x, y: x + y, "FSUB": lambda x, y: x - y,
          "FMUL": lambda x, y: x * y, "FDIV": lambda x, y: arith.ieee_divide(x, y),
          "FSQRT": math.sqrt}

VALUE_GUARDS = {"ADDOV", "SUBOV", "MULOV", "ABSOV", "QUOT", "LENGTH"}   # guards that also compute a value
_SAME_HOLDS = frozenset(("EQ", "LE", "GE"))     # guards that hold when a and b are one value
TRUE_REF = "always"          # what emit returns for a guard folded to true


class FoldFailure(Exception):
    """A guard folded to false: the trace cannot be right (abort it)."""


def wrap64(n: int) -> int:
    n &= 2**64 - 1
    return n - 2**64 if n >= 2**63 else n


def double_bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def bits_double(bits: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", bits & (2**64 - 1)))[0]


def in_word(n: int) -> bool:
    return V.WORD_MIN <= n <= V.WORD_MAX


class IR:
    """One trace's instructions and constants, with folding and CSE.
    (A plain class, not a dataclass: the back end is imported inside a
    program's timed run, and each @dataclass costs ~0.7 ms to create.)"""

    def __init__(self, fold: bool = True):
        self.ins: list = []            # (op, a, b, c)
        self.snap_of: dict = {}        # guard ref -> snapshot index
        self.consts: list = []         # ("k", word), ("gc", index into gcrefs)
        #                                or ("f", double's bits as an unsigned int)
        self.gcrefs: list = []         # heap pointers the trace uses, when recorded
        self.tags: dict = {}           # ref -> known tag (typed values)
        self.since: dict = {}          # ref -> the instruction from which its tag is known
                                       # (its own, or the CHKTAG's; Jit.inherited)
        self.fold = fold
        self._kmap: dict = {}
        self._cse: dict = {}
        self._epoch = 0                # bumped by every store/allocation

    def copy(self) -> "IR":
        """An IR to extend without changing this one (hawk.jit.loopopt peels
        a loop into a copy and keeps the original if that fails). Each list
        and dict is copied one level: what they hold (instructions and
        constants as tuples of numbers and names, refs, tags) is immutable.
        copy.deepcopy walked every tuple: 0.85 ms for 65 instructions, this 4 us."""
        t = IR.__new__(IR)
        t.__dict__.update((name, v.copy() if type(v) in (list, dict) else v)
                          for name, v in self.__dict__.items())
        return t

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

    def kf(self, x: float) -> int:
        """An interned double constant (its bits, not a heap pointer)."""
        bits = double_bits(x)
        key = ("f", bits)
        ref = self._kmap.get(key)
        if ref is None:
            self.consts.append(key)
            ref = self._kmap[key] = -len(self.consts)
        return ref

    def is_double(self, ref) -> bool:
        """Does ref name a raw double (XMM class) rather than a tagged word?"""
        if ref < 0:
            return self.consts[-ref - 1][0] == "f"
        return self.ins[ref][0] in DOUBLE

    def fconst(self, ref: int) -> float:
        return bits_double(self.consts[-ref - 1][1])

    def const_value(self, ref: int) -> int:
        """The constant's word (a heap pointer: as it was while recording;
        a double: its bits)."""
        kind, x = self.consts[-ref - 1]
        return self.gcrefs[x] if kind == "gc" else x

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
                return TRUE_REF if flags & G and op not in VALUE_GUARDS else ref
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
            self.since[ref] = ref
        if op == "CHKTAG":
            self.tags[a] = b
            self.since[a] = ref
        return ref

    def _fold(self, op, a, b, c):
        """The folded value of (op, a, b, c), or None to emit it. (Written
        for speed, as every recorded instruction passes here: with the
        operand lists built generically an emit took 2-3.3 us, now 1-1.5 us,
        timeit.)"""
        n = NREFS[op]
        if n == 0:
            return None
        if op in _SAME_HOLDS and a == b:
            return TRUE_REF                    # the same value (a gc constant too)
        refs = (a,) if n == 1 else (a, b)
        is_double = self.is_double
        if is_double(a) or n == 2 and is_double(b):
            return self._fold_double(op, refs)
        if op == "FUNBOX" and a >= 0 and self.ins[a][0] == "FBOX":
            return self.ins[a][1]              # unboxing a box made in this trace
        if op == "CHKTAG" and self.tags.get(a) == b:
            return TRUE_REF                    # (a moving gc constant keeps its tag)
        if a >= 0 or n == 2 and b >= 0:
            # algebraic identities on one constant
            if n == 2 and b < 0 and op in ("ADDOV", "SUBOV") and self.const_value(b) == 0:
                return a
            return None
        kinds = KINDS[op]
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
        if op in FIXOV:
            r = FIXOV[op](x, y)
            return self.k(r) if in_word(r) else None
        if op == "ADD":
            return self.k(wrap64(x + y))
        if op == "BAND":
            return self.k(x & y)
        if op == "SHR":
            return self.k((x & (2**64 - 1)) >> y)
        if op == "SHL":
            return self.k(wrap64(x << y))
        if op in BOOLCMP:
            return self.k(V.TRUE if BOOLCMP[op](x, y) else V.FALSE)
        if op == "FCONV":
            return self.kf(arith.to_float(x >> 3))
        if op in INTDIV:
            r = INTDIV[op](x >> 3, y >> 3) << 3
            return self.k(r) if in_word(r) else None
        return None

    def _fold_double(self, op, refs):
        """Constant folding of operations on raw doubles."""
        if not all(self.is_k(r) for r in refs):
            return None
        xs = [self.fconst(r) for r in refs]
        if op in FARITH:
            return self.kf(FARITH[op](*xs))
        if op in COMPARE:
            if COMPARE[op](*xs):
                return TRUE_REF
            raise FoldFailure(f"{op} {xs} is false")
        return None

    # ---- printing ---------------------------------------------------------------
    def fmt_ref(self, ref) -> str:
        if self.is_k(ref):
            kind, x = self.consts[-ref - 1]
            if kind == "f":
                return repr(bits_double(x))
            return f"[{self.gcrefs[x]:#x}]" if kind == "gc" else (
                f"#{x >> 3}" if x & 7 == 0 else f"{x:#x}")
        return f"{ref:04d}"

    def listing(self, snaps=None) -> list[str]:
        return [self.line(i, snaps) for i in range(len(self.ins))]

    def line(self, i: int, snaps=None) -> str:
        """Instruction i as `-v ir` lists it (with its exit's snapshot
        when `snaps` is given)."""
        op, a, b, c = self.ins[i]
        args = [self.fmt_ref(x) if kd == "r" else str(x) for x, kd in zip((a, b, c), KINDS[op])]
        if op == "CALLP":
            from hawk.jit.callout import NAMES
            args[0] = NAMES[a]
        line = f"{i:04d} {op:<8} {' '.join(args)}"
        if i in self.snap_of:
            s = self.snap_of[i]
            line += f"   -> exit {s}"
            if snaps is not None:
                line += " " + snaps[s].describe(self)
        return line
