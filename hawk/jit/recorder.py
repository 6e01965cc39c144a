"""Recording a root trace for a hot loop, one iteration of the loop body.

Why it works this way: LuaJIT records each bytecode just before the
interpreter executes it, reading live values to specialise. In a Python
interpreter, a per-instruction hook costs every program even with the JIT
off, so this recorder instead *follows* the loop itself: when a LOOP is
hot, it walks the body from the live frame, computing every IR
instruction's concrete value as it goes (reads come from the native
memory; the iteration's own frame writes and stores go to a private
shadow, so recording never changes the program's state). The concrete
values decide branch directions and types exactly as the interpreter's
execution would; whatever the recorder does not handle (impure
primitives, overflow into bignums, errors) aborts cleanly, and the interpreter then
runs the iteration itself. The trace it produces is then entered at once.

Slots are loaded lazily (SLOAD on first read); a value's tag is guarded
only when an instruction needs it (fixnum arithmetic and comparisons, car,
vector access). Each guard carries a snapshot (hawk.jit.snapshot).

Flonums: a slot may hold a raw double (an IR value of class XMM, see
hawk.jit.ir.DOUBLE) between arithmetic operations; `raw_slot` gives such
values as they are, `slot` boxes them for every use that needs a tagged
word (`boxed`), and the exit stubs box the ones a snapshot names.

Three kinds of root trace: "loop" traces start after a hot LOOP and close
when the walk comes back to it; "ret" traces start at the return point of
a call that returned into its own function (a recursion unwinding: the
interpreter's RET counts those, Jit.ret) and close when the walk returns
below its entry to that point again, one frame shallower (down-recursive);
"func" traces start after a hot FUNCF
(Scheme loops are often self tail calls through a global) and close at a
CALLT, in the entry frame, to the same closure: the arguments move down
to the entry base and the trace jumps back to its top. Non-tail CALLs of
bytecode closures are inlined: the callee is guarded to be a closure of
the function seen (its code word; a promoted global is a constant and
needs no guard), the callee's frame becomes higher slots of the trace (see
hawk.jit.snapshot) with its link word as a constant, and its RET writes
the result into the caller's R[A]. Pure primitives (integrable PRIMs
without a handler in _PRIM_HANDLERS, and primitive procedures) are called
from the trace (hawk.jit.callout). Calls deeper than MAX_DEPTH, impure
primitives and other call kinds abort.

Side traces ("side") start at a hot exit's snapshot, after the exit stub
wrote the frame back, so the walk starts from exact memory at the exit's
pc (that instruction is executed, not skipped). A trace ends in one of
three ways, which the back end turns into the code after the write-back:
  - its own loop: back at its start (kind, pc, function), maybe with a
    different frame base (`loop_delta`): a func trace whose function calls
    itself non-tail is *up-recursive* (the callee frame is written and the
    loop restarts one frame deeper), a side trace that comes back to its
    start pc after returning is *down-recursive* (a shallower frame);
  - a link: it reaches the start of another root trace (a LOOP with a loop
    trace, a call of a function with a func trace; `link`), whose code it
    jumps to at that frame base (side traces only: root traces inline);
  - a stop: it returns below its entry a second time through the same RET
    (walking down a recursion it cannot loop over from where it started),
    and ends with an EXIT there; that exit soon grows a side trace that
    starts at the RET, which is down-recursive;
  - otherwise it aborts (too long, unsupported bytecode).
RET from the entry frame continues in the caller, below the entry base
(negative slots and deltas): the link word and the function of the
caller's closure are guarded against those seen while recording, so a
different return address or calling function exits the trace.
"""
from __future__ import annotations

import math

from hawk.jit import ir as I
from hawk.jit.callout import record_call
from hawk.jit.continuation import record_capture, record_throw
from hawk.jit.ir import IR, TRUE_REF, FoldFailure, bits_double, double_bits, in_word
from hawk.jit.loopopt import unroll
from hawk.jit.snapshot import SnapshotTable
from hawk.gc.memory import HEND, HP
from hawk.vm import values as V
from hawk.vm.bytecode import HOST_LINK, Op, link_func, link_pc, link_word
from hawk.vm.arith import to_float
from hawk.vm.objects import CELL_ASSIGNED, CELL_PROMOTED, FLONUM_HEADER, PAIR_HEADER, SIZE_SHIFT, T, header
from hawk.vm.loader import APPLY, CALLCC, CONTINUATION, NATIVE
from hawk.vm.primspec import CXRS, INTEGRABLE, PRIMS
from hawk.vm.prims.vectors import VECTOR_FILL

MAX_INS = 400            # bytecodes per trace before giving up
MAX_DEPTH = 8            # inlined calls in progress at once
MAX_UNROLL = 8           # passes through inner loops of a low trip count (Recorder.r_LOOP)
APPLY_MAX = 16           # arguments a traced `apply` spreads (a longer list aborts)
_FUNCF = int(Op.FUNCF)
_FUNCV = int(Op.FUNCV)
_FUNCC = int(Op.FUNCC)
_LOOP = int(Op.LOOP)

_OP = {int(o): o.name for o in Op}
_BRANCH = {"ISLT": "LT", "ISNLT": "GE", "ISLE": "LE", "ISNLE": "GT", "ISNUM": "EQ",
           "ISNNUM": "NE", "ISEQ": "EQ", "ISNE": "NE"}
_FIXNUM_TESTS = {"ISLT", "ISNLT", "ISLE", "ISNLE", "ISNUM", "ISNNUM"}
_FBRANCH = {"ISLT": "FLT", "ISNLT": "FNLT", "ISLE": "FLE", "ISNLE": "FNLE", "ISNUM": "FEQ",
            "ISNNUM": "FNE"}
_FBRANCH_OF = {"EQ": "FEQ", "LT": "FLT"}
# zero?, positive?, negative?: (compare that holds when the answer is #t, zero first?)
_SIGN_TESTS = {"zero?": ("EQ", False), "positive?": ("LT", True), "negative?": ("LT", False)}
_NUMBER_OBJS = {T.BIGNUM, T.RATNUM, T.COMPNUM}
_COPY_NAMES = {"REVAPP": "reverse", "APPEND": "append"}


def _number_test(fix, flo, objs):
    """A type test on numbers from type_key: fixnum, flonum, heap numbers."""
    def test(key):
        kind, t = key
        if kind == "tag" and t in (0, 2):
            return fix if t == 0 else flo
        return kind == "obj" and t in objs
    return test


# type predicates: type_key -> answer
TYPE_TESTS = {
    "number?": _number_test(True, True, _NUMBER_OBJS),
    "complex?": _number_test(True, True, _NUMBER_OBJS),
    "real?": _number_test(True, True, {T.BIGNUM, T.RATNUM}),
    "exact-integer?": _number_test(True, False, {T.BIGNUM}),
    "symbol?": lambda key: key == ("tag", 4),
    "procedure?": lambda key: key == ("tag", 3),
    "string?": lambda key: key == ("obj", T.STRING),
    "vector?": lambda key: key == ("obj", T.VECTOR),
    "char?": lambda key: key == ("imm", V.IMM_CHAR_TAG),
    "%values?": lambda key: key == ("obj", T.VALUES),     # call-with-values' test
    "boolean?": lambda key: False,         # for a raw double; p_type tests words itself
}
_PRIM_HANDLERS = {
    "exact->inexact": "p_inexact", "inexact": "p_inexact",
    **{name: "p_sign" for name in _SIGN_TESTS},
    "even?": "p_parity", "odd?": "p_parity",
    **{name: "p_type" for name in TYPE_TESTS},
    "char->integer": "p_char_integer", "integer->char": "p_integer_char",
    "abs": "p_abs", "sqrt": "p_sqrt",
}
_CXR_CHAINS = frozenset(n for n in CXRS if len(n) > 3)   # car and cdr have their own opcodes
MAX_INLINE_VECTOR = 1 << 12     # elements: a bigger vector is made by a call-out
MAX_MEMBER = 8                  # elements memq/memv/member search inline
# the tags of the values only their own word is eq?/eqv?/equal? to (i_member)
_MEMBER_TAGS = {"memq": (0, 1, 2, 3, 4, 5, 6), "memv": (0, 1, 3, 4, 6), "member": (0, 3, 4, 6)}
# char comparisons: a char's word is its code point << 8 | tag, so words
# compare as their chars do
_CHAR_COMPARE = {"char=?": "EQ", "char<?": "LT", "char>?": "GT", "char<=?": "LE",
                 "char>=?": "GE"}
# primitives recorded as inline IR wherever they are called (Recorder.prim):
# name -> the Recorder method; reverse and append are list-copying loops
# (Recorder.copy_list), length a list-walking loop (LENGTH), make-vector
# and vector bump allocations (NEWVEC)
_INLINE_PRIMS = {"list": "i_list", "reverse": "i_reverse", "append": "i_append", "length": "i_length",
                 "make-vector": "i_make_vector", "vector": "i_vector",
                 "memq": "i_member", "memv": "i_member", "member": "i_member",
                 "values": "i_values", "%values->list": "i_values_list",
                 "floor/": "i_divide", "truncate/": "i_divide",
                 "set-car!": "i_set_cxr", "set-cdr!": "i_set_cxr", "vector-set!": "i_vector_set",
                 **{name: "i_char_compare" for name in _CHAR_COMPARE}}
_ALLOCS = frozenset({"NEWPAIR", "NEWCLO", "NEWOBJ", "NEWVEC"})
_FLOAT_OP = {"ADDOV": "FADD", "SUBOV": "FSUB", "MULOV": "FMUL", "DIV": "FDIV"}
# +, - and * of two or more numbers called as procedures (through map,
# apply, a variable): the arithmetic their bytecodes record, not a call-out
_ARITH_PRIMS = {"+": "ADDOV", "-": "SUBOV", "*": "MULOV"}
# the primitive a call-out makes of an operation on other numbers (Recorder.generic)
_GENERIC = {"ADDOV": "+", "SUBOV": "-", "MULOV": "*", "DIV": "/",
            "QUOT": "quotient", "REMT": "remainder", "MODT": "modulo"}


class Abort(Exception):
    """Recording stopped; the message says why (for -v record). `waits_for`:
    the root (func id, pc) of an inner loop with no trace yet, in the Func
    `loop_func`; the trace can link to it once it has one, so this abort
    should not blacklist.
    `chance`: the abort depends on the iteration the recording happened to
    start in, not on the loop (it left the loop), so it does not count
    towards blacklisting either. `left`: the loop's own recording left it
    (a low trip count: hawk.jit.jit.Jit.low_trip)."""

    def __init__(self, message: str, waits_for: tuple | None = None, chance: bool = False,
                 loop_func=None, left: bool = False):
        super().__init__(message)
        self.waits_for = waits_for
        self.loop_func = loop_func
        self.chance = chance
        self.left = left


class EntryAssumed(Abort):
    """A side trace closed its own loop where what it assumed on entry
    (Recorder.entry_holds) does not hold: record it again assuming
    nothing (hawk.jit.jit.Jit.record)."""


class Recorder:
    def __init__(self, vm, func, pc0: int, base: int, fold: bool = True, kind: str = "loop",
                 roots: dict | None = None, profile: bool = False, blacklist=frozenset(),
                 known: tuple = (), tags: dict | None = None, peel: bool = True,
                 low_trip=frozenset()):
        self.vm = vm
        self.W = vm.W
        self.root = func               # the function the trace starts (and loops) in
        self.kind = kind               # "loop" (after LOOP pc0), "func" (after FUNCF, pc0 = 0),
                                       # "ret" (at return pc pc0) or "side" (at pc0, from an exit)
        self.roots = {} if roots is None else roots   # (func id, pc) -> root Trace, to link to
        self.blacklist = blacklist     # (func id, pc) of loops that will never have a trace
        self.low_trip = low_trip       # (func id, pc) of loops the trace unrolls (r_LOOP)
        self.unroll = MAX_UNROLL       # passes through them left
        self.profile = profile         # count bytecodes into snapshots (nbc)
        self.peel = peel               # loop optimisation (hawk.jit.loopopt) on closing
        self.recorded = None           # (ir, snapshots, final) before peeling, if peeled
        self.nbc = 0                   # bytecodes walked so far
        self.loop_delta = 0            # frame base change when the trace loops or links
        self.link = None               # the root trace it ends in (None: its own loop)
        self.returned: set = set()     # (func id, pc) of the RETs it returned below through
        self.func = func               # the function being walked (an inlined callee, ...)
        self.delta = 0                 # its frame base minus the entry base
        self.frames: list = []         # callers of inlined calls: (func, delta, return pc, A)
        self.extent = func.framesize   # highest frame top (relative to base) the trace uses
        self.closed = False
        self.pc0 = pc0
        self.base = base
        self.ir = IR(fold=fold)
        self.snaps = SnapshotTable()
        self.slots: dict = {}          # slot -> ref: the slot's current value
        self.modified: dict = {}       # slot -> ref for slots written in the trace
        self.val: dict = {}            # ref -> concrete word while recording
        self.shadow: dict = {}         # word index -> word: stores made while recording
        self.fields: dict = {}         # (ref, disp) -> ref stored there into an object made here
        self.captured: dict = {}       # continuation ref made here -> its frame's delta, while it lives
        self.hp = self.hp0 = vm.W[HP]  # concrete allocation pointer while recording
        self.real: list = []           # [lo, hi) spans above hp0 that primitives allocated for real
        self.start = pc0 if kind in ("side", "ret") else pc0 + 1
        self.pc = self.start
        self.close_pc = pc0 if kind == "loop" else self.start   # where the trace loops
        self.top = self.snaps.take(self.start, {}, func, 0, shared=False)   # the stack check's
        self.known: dict = {}          # slot -> the constant ref it starts as
        for i in known:
            # a side trace is entered only from its parent's exit, whose stub
            # has just stored a constant into slot i: the slot is that
            # constant (no load, and its tag is known), e.g. fib's (< n 2)
            # exit carries the 2 it compared with into the side trace
            self.slots[i] = self.known[i] = self.k(vm.W[base + i])
        self.known_tags = tags or {}   # slot -> tag the parent proved (Jit.inherited)

    # ---- values ---------------------------------------------------------------
    def value(self, ref: int):
        """The concrete value: a tagged word, or a float for a raw double."""
        if ref >= 0:
            return self.val[ref]
        kind, x = self.ir.consts[-ref - 1]
        return bits_double(x) if kind == "f" else self.ir.const_value(ref)

    def word(self, index: int) -> int:
        w = self.shadow.get(index)
        return self.W[index] if w is None else w

    def k(self, word: int) -> int:
        return self.ir.k(word)

    def is_fake(self, address: int) -> bool:
        """Was `address` allocated by the recorder (so it exists only in the
        shadow)? Primitives called while recording allocate for real
        (hawk.jit.callout) inside [hp0, hp)."""
        return self.hp0 <= address < self.hp and \
            not any(lo <= address < hi for lo, hi in self.real)

    def emit(self, op, a=0, b=0, c=0, val=None, tag=None, guard=False):
        flags = I.FLAGS[op]
        snap = self.snaps.take(self.pc, self.modified, self.func, self.delta,
                               self.nbc - 1 if self.profile else 0, alloc=bool(flags & I.A)) \
            if guard or flags & I.G else None
        try:
            ref = self.ir.emit(op, a, b, c, snap=snap, tag=tag)
        except FoldFailure as e:
            raise Abort(f"folded guard fails: {e}") from None
        if ref is not TRUE_REF and ref >= 0 and val is not None:
            self.val.setdefault(ref, val)
        return ref

    def raw_slot(self, i: int) -> int:
        """The value of R[i] of the frame being walked (trace slot delta + i):
        a tagged word, or a raw double (hawk.jit.ir.DOUBLE) left unboxed."""
        i += self.delta
        ref = self.slots.get(i)
        if ref is None:
            w = self.W[self.base + i]
            tag = self.known_tags.get(i)
            if tag is not None and w & 7 != tag:
                raise Abort(f"slot {i} has tag {w & 7}, the parent trace proved {tag}")
            ref = self.slots[i] = self.emit("SLOAD", i, val=w, tag=tag)
        return ref

    def slot(self, i: int) -> int:
        """R[i] as a tagged word (a raw double gets boxed)."""
        return self.boxed(self.raw_slot(i))

    def boxed(self, ref: int) -> int:
        """ref as a tagged word. A raw double is boxed once: every slot that
        held it then holds the box, so (eq? x x) stays true and later
        arithmetic unboxes it for free (FUNBOX of an FBOX folds)."""
        if not self.ir.is_double(ref):
            return ref
        p = self.hp
        self.hp += 16
        bits = double_bits(self.value(ref))
        self.shadow.update({p >> 3: FLONUM_HEADER, (p >> 3) + 1: bits - (bits >> 63 << 64)})
        box = self.emit("FBOX", ref, val=p | 2, tag=2)
        for table in (self.slots, self.modified):
            for k, v in table.items():
                if v == ref:
                    table[k] = box
        return box

    # ---- numbers ----------------------------------------------------------------
    def numkind(self, ref: int, what: str) -> str:
        """"fix" or "flo" (guarding the tag a boxed value had while recording)."""
        if self.ir.is_double(ref):
            return "flo"
        tag = self.value(ref) & 7
        if tag not in (0, 2):
            raise Abort(f"{what}: value has tag {tag}, not a fixnum or flonum")
        self.need_tag(ref, tag, what)
        return "fix" if tag == 0 else "flo"

    def double(self, ref: int, exact: bool = False) -> int:
        """ref (a number already checked by numkind) as a raw double. A
        fixnum is converted to the nearest double, as the interpreter's
        mixed arithmetic does; with `exact`, only fixnums a double holds
        exactly are accepted (guarded), because the interpreter compares a
        fixnum with a flonum exactly."""
        if self.ir.is_double(ref):
            return ref
        v = self.value(ref)
        if v & 7 == 2:
            payload = bits_double(self.word((v >> 3) + 1))
            if ref < 0:
                return self.ir.kf(payload)      # a flonum constant is immutable
            return self.emit("FUNBOX", ref, val=payload)
        if exact:
            if not -2**53 <= v >> 3 <= 2**53:
                raise Abort("fixnum beyond 2^53 compared with a flonum")
            off = self.emit("ADD", ref, self.k(2**56), val=v + 2**56)
            self.emit("ULT", off, self.k(2**57 + 8))
        return self.emit("FCONV", ref, val=to_float(v >> 3))

    def farith(self, op: str, x: int, y: int) -> int:
        """Double op (FADD ...) of two numbers, at least one a flonum."""
        dx, dy = self.double(x), self.double(y)
        return self.emit(op, dx, dy, val=I.FARITH[op](self.value(dx), self.value(dy)))

    def set_slot(self, i: int, ref: int) -> None:
        i += self.delta
        self.slots[i] = ref
        if isinstance(ref, int) and ref >= 0 and self.ir.ins[ref][:2] == ("SLOAD", i):
            self.modified.pop(i, None)     # the frame holds this value until the write-back
        else:
            self.modified[i] = ref

    def load(self, ptr: int, disp: int, tag=None) -> int:
        ref = self.fields.get((ptr, disp))
        if ref is not None:
            return ref
        v = self.word((self.value(ptr) + disp) >> 3)
        return self.emit("LOAD", ptr, disp, val=v, tag=tag)

    def store(self, ptr: int, ref: int, disp: int, fresh: bool = False) -> None:
        """STORE ref at ptr + disp, into the shadow too unless the field is
        of an object the trace has just made (`fresh`: the caller laid out
        its words). The field is remembered, so that loading it again is
        the stored value (`load`): a procedure that a closure made in the
        trace calls through its free variable is then known to be the
        closure it is (call/cc's `f`, compose's functions). A store into
        an existing object may alias a remembered field: one at the same
        displacement from a pointer of the same tag (two references to
        one object have one tag: a global cell's value, at the byte offset
        of a pair's car, does not forget the cars of dynamic-wind's
        winders list), or any, for an address computed from an index (a
        vector's element): those are forgotten, except fields of other
        objects the trace made when this one is one too (SETFREE of a
        letrec closure, %do-winds' rewind, forgot call/cc's wrapper's k)."""
        self.emit("STORE", ptr, ref, disp)
        if not fresh:
            self.shadow[(self.value(ptr) + disp) >> 3] = self.value(ref)
            at, made = self.field(ptr, disp), self.made(ptr)
            for key in [key for key in self.fields if (at is None or self.field(*key) in (None, at))
                        and not (made and key[0] != ptr and self.made(key[0]))]:
                del self.fields[key]
        self.fields[(ptr, disp)] = ref

    def made(self, ref: int) -> bool:
        """Is ref an object the trace allocates (each one a new object)?"""
        return ref >= 0 and self.ir.ins[ref][0] in _ALLOCS

    def field(self, ptr: int, disp: int):
        """Field ptr + disp as (pointer tag, displacement), which two
        addresses of one field share; None for an address computed from an
        index (an ADD)."""
        return None if ptr >= 0 and self.ir.ins[ptr][0] == "ADD" else (self.value(ptr) & 7, disp)

    def need_tag(self, ref: int, tag: int, what: str) -> None:
        if self.value(ref) & 7 != tag:
            raise Abort(f"{what}: value has tag {self.value(ref) & 7}, not {tag}")
        self.emit("CHKTAG", ref, tag)

    def arith(self, op: str, x: int, y: int) -> int:
        self.need_tag(x, 0, "arithmetic")
        self.need_tag(y, 0, "arithmetic")
        r = I.FIXOV[op](self.value(x), self.value(y))
        if not in_word(r):
            raise Abort("fixnum overflow while recording")
        return self.emit(op, x, y, val=r, tag=0)

    def guard_true(self, op: str, x: int, y: int) -> None:
        """Guard that compare `op` holds (it held while recording)."""
        if not I.COMPARE[op](self.value(x), self.value(y)):
            op = I.NEGATE[op]
        self.emit(op, x, y)

    def obj(self, x: int, type_: int, what: str) -> int:
        """Guard that x is a heap object of type_; its header reference."""
        self.need_tag(x, 5, what)
        hdr = self.load(x, -5)
        if self.value(hdr) & 0xff != type_:
            raise Abort(f"not a {what}")
        t = self.emit("BAND", hdr, self.k(0xff), val=self.value(hdr) & 0xff)
        self.emit("EQ", t, self.k(int(type_)))
        return hdr

    def vector(self, x: int) -> int:
        return self.obj(x, T.VECTOR, "vector")

    def type_key(self, x: int):
        """Guard x's type exactly as it is now; a key for TYPE_TESTS:
        ("tag", n), ("obj", header type) or ("imm", low byte)."""
        v = self.value(x)
        tag = v & 7
        if tag == 5:
            ty = self.word(v >> 3) & 0xff
            self.obj(x, ty, "object")
            return ("obj", ty)
        if tag == 6:
            low = v & 0xff
            t = self.emit("BAND", x, self.k(0xff), val=low)
            self.emit("EQ", t, self.k(low))
            return ("imm", low)
        self.need_tag(x, tag, "type test")
        return ("tag", tag)

    def fixnum_arg(self, ref: int, what: str) -> int:
        if self.ir.is_double(ref) or self.value(ref) & 7:
            raise Abort(f"{what}: not a fixnum")
        self.need_tag(ref, 0, what)
        return ref

    def outcome(self, cmp: str, x: int, y: int) -> int:
        """Guard the outcome of compare cmp now; the result as #t/#f."""
        holds = I.COMPARE[cmp](self.value(x), self.value(y))
        self.guard_true(cmp, x, y)
        return self.k(V.TRUE if holds else V.FALSE)

    def vlen(self, hdr: int) -> int:
        v = self.value(hdr)
        s = self.emit("SHR", hdr, 13, val=(v & (2**64 - 1)) >> 13)
        return self.emit("BAND", s, self.k(-8), val=((v & (2**64 - 1)) >> 13) & -8, tag=0)

    def element(self, x: int, k: int) -> int:
        """The tagged byte address (minus 3) of element k of vector x, guarded."""
        hdr = self.vector(x)
        self.need_tag(k, 0, "vector index")
        n = self.vlen(hdr)
        if not 0 <= self.value(k) < self.value(n):
            raise Abort("vector index out of range")
        self.emit("ULT", k, n)
        return self.emit("ADD", x, k, val=self.value(x) + self.value(k))

    # ---- the walk ----------------------------------------------------------------
    def run(self):
        """Record one iteration; returns (ir, snapshots, final slot map)."""
        pc = self.start
        for _ in range(MAX_INS):
            if self.nbc and not self.closed and pc == self.close_pc and self.func is self.root and \
                    (self.kind == "side" or not self.frames):
                if not self.entry_holds():
                    raise EntryAssumed("the loop back breaks what the parent's exit proved")
                self.close(self.delta)
            if self.closed:
                return self.finish()
            self.nbc += 1
            self.pc = pc
            code = self.func.code
            op, a, b, c = code[pc]
            name = _OP[op]
            handler = getattr(self, "r_" + name, None)
            if handler is None:
                raise Abort(f"NYI: {name} at pc {pc}")
            nxt = handler(a, b, c, code)
            pc = pc + 1 if nxt is None else nxt
        raise Abort("trace too long")

    def finish(self):
        """(ir, snapshots, final slot map) of the closed trace; one that
        loops on itself in the same frame gets its loop peeled, so values
        carried around it stay in registers (hawk.jit.loopopt)."""
        ir, snaps, final = self.ir, self.snaps, dict(self.modified)
        if self.peel and self.link is None and not self.loop_delta and \
                not (ir.ins and ir.ins[-1][0] == "EXIT"):
            ir, snaps, final = unroll(ir, snaps, final, self.start, self.root)
            if ir is not self.ir:
                self.recorded = (self.ir, self.snaps.snaps, dict(self.modified))
        return ir, snaps.snaps, final

    # one method per bytecode: r_<NAME>(a, b, c, code) -> next pc or None
    def r_MOV(self, a, b, c, code):
        self.set_slot(a, self.raw_slot(b))

    def r_KSHORT(self, a, b, c, code):
        self.set_slot(a, self.k(b))

    def r_KCONST(self, a, b, c, code):
        self.set_slot(a, self.k(self.func.consts[b]))

    def entry_holds(self) -> bool:
        """May the trace loop back to its own start from here? A side trace
        assumes, on entry, what its parent's exit stored and proved (the
        slots `known` as constants, `known_tags`); the frame the loop goes
        on in (base + delta) must hold the same, or the next iteration
        would use values it never checked. A side trace that closed inside
        a call of the function it started in (delta 3) took the caller's
        link word its parent had stored as a constant for the new frame's,
        and returned to the wrong caller (random program 24, after bignum
        arithmetic stopped aborting). Where it does not hold, the side
        trace is recorded again without those assumptions (EntryAssumed):
        every slot it uses loaded and checked, so its loop is sound (fib's
        return loop: a down-recursion whose parent had proven the tags of
        the caller's slots, not of the next caller's)."""
        d = self.delta
        if any(self.slots.get(i + d) != k for i, k in self.known.items()):
            return False
        for i, tag in self.known_tags.items():
            ref = self.slots.get(i + d)
            if ref is None:
                if d:
                    return False     # at delta 0 the frame still holds what was checked
            elif (2 if self.ir.is_double(ref) else self.ir.tags.get(ref)) != tag:
                return False
        return True

    def close(self, delta: int, link=None) -> None:
        """End the trace: loop (link None) or jump to `link`, at base + delta."""
        self.closed = True
        self.loop_delta = delta
        self.link = link

    def stop(self) -> None:
        """End the trace with an exit to the interpreter at this instruction."""
        self.emit("EXIT")
        self.closed = True

    def r_JMP(self, a, b, c, code):
        if b < self.pc and code[b][0] != _LOOP:
            raise Abort("backward jump, not to a loop")
        return b

    def r_LOOP(self, a, b, c, code):
        """An inner loop (LuaJIT's answer): link to its trace if it has
        one. If it never will (blacklisted), a side trace stops here (EXIT):
        its exit went to the interpreter anyway, now the path up to the
        loop runs in machine code first (a root trace would only add an
        entry and an exit to each iteration: it aborts). A loop whose own
        recordings left it (a low trip count: LuaJIT's innerloopleft) will
        never have a trace either: the trace goes on through it, up to
        MAX_UNROLL passes in all (dynamic-wind's winders walk under guard:
        every recording through it waited for those loops, then gave up).
        Else abort and wait until the loop has a trace, which does not
        count against this trace's start (hawk.jit.jit.Jit.record)."""
        key = (self.func.id, self.pc)
        target = self.roots.get(key)
        if target is not None:
            self.close(self.delta, target)
        elif key == (self.root.id, self.pc0) and self.kind == "loop":
            raise Abort("its own loop again in a deeper frame")
        elif key in self.low_trip:
            if not self.unroll:
                raise Abort("too many passes through inner loops")
            self.unroll -= 1
            return None
        elif key in self.blacklist and self.kind == "side" and self.nbc > 1:
            self.stop()
        else:
            raise Abort("inner loop", waits_for=key, loop_func=self.func)
        return self.pc

    def _arith(self, op, a, x, y):
        """R[a] = x op y."""
        self.set_slot(a, self.number_op(op, x, y))

    def number_op(self, op, x, y) -> int:
        """x op y: fixnum op (ADDOV ...) or, with a flonum, double op; a
        call of the generic primitive where the answer is no fixnum or
        flonum (see generic)."""
        if self.generic(op, x, y):
            return self.call_generic(op, x, y)
        kinds = (self.numkind(x, "arithmetic"), self.numkind(y, "arithmetic"))
        if kinds == ("fix", "fix"):
            return self.arith(op, x, y)
        return self.farith(_FLOAT_OP[op], x, y)

    def generic(self, op, x, y) -> bool:
        """Is x op y, as recorded, arithmetic on other numbers than
        fixnums and flonums (a bignum or ratnum operand, a fixnum result
        that overflows into a bignum, an exact division)? Then the trace
        calls the primitive (hawk.jit.callout): the call checks its own
        operands, and what uses its value guards the type it needs. Before
        this, a loop whose arithmetic passed the fixnum range aborted at
        every recording and ran in the interpreter (a linear congruential
        generator: 86% of a quicksort's bytecodes in traces, 888 ms of
        943 in the interpreter)."""
        words = [self.value(r) for r in (x, y) if not self.ir.is_double(r)]
        if any(w & 7 == 5 and self.word(w >> 3) & 0xff in _NUMBER_OBJS for w in words):
            return True
        if len(words) < 2 or any(w & 7 for w in words):
            return False                # flonums, or no number (numkind aborts)
        vx, vy = words
        if op in I.INTDIV:
            return vy != 0 and not in_word(I.INTDIV[op](vx >> 3, vy >> 3) << 3)
        return op == "DIV" or not in_word(I.FIXOV[op](vx, vy))

    def call_generic(self, op, x, y) -> int:
        """x op y as a call of the generic primitive (see generic)."""
        return record_call(self, PRIMS[_GENERIC[op]], [self.boxed(x), self.boxed(y)])

    def r_ADD(self, a, b, c, code):
        self._arith("ADDOV", a, self.raw_slot(b), self.raw_slot(c))

    def r_SUB(self, a, b, c, code):
        self._arith("SUBOV", a, self.raw_slot(b), self.raw_slot(c))

    def r_MUL(self, a, b, c, code):
        self._arith("MULOV", a, self.raw_slot(b), self.raw_slot(c))

    def r_NEG(self, a, b, c, code):
        """(- x) as -1 * x: exact for fixnums, and -0.0 for 0.0."""
        self._arith("MULOV", a, self.k(V.fixnum(-1)), self.raw_slot(b))

    def r_DIV(self, a, b, c, code):
        self._arith("DIV", a, self.raw_slot(b), self.raw_slot(c))

    def r_ADDN(self, a, b, c, code):
        self._arith("ADDOV", a, self.raw_slot(b), self.k(c))

    def r_SUBN(self, a, b, c, code):
        self._arith("SUBOV", a, self.raw_slot(b), self.k(c))

    def _branch(self, name, a, b, code):
        if name in _FIXNUM_TESTS:
            x, y = self.raw_slot(a), self.raw_slot(b)
            kinds = (self.numkind(x, "comparison"), self.numkind(y, "comparison"))
            if kinds != ("fix", "fix"):
                return self._fbranch(name, x, y, code)
        else:
            x, y = self.slot(a), self.slot(b)
        cmp = _BRANCH[name]
        taken = I.COMPARE[cmp](self.value(x), self.value(y))
        self.guard_true(cmp, x, y)
        return code[self.pc + 1][2] if taken else self.pc + 2

    def _fbranch(self, name, x, y, code):
        """Compare-and-branch with a flonum: both as doubles (a fixnum only
        if exactly representable), guard the outcome seen."""
        dx, dy = self.double(x, exact=True), self.double(y, exact=True)
        cmp = _FBRANCH[name]
        taken = I.COMPARE[cmp](self.value(dx), self.value(dy))
        self.guard_true(cmp, dx, dy)
        return code[self.pc + 1][2] if taken else self.pc + 2

    def r_ISLT(self, a, b, c, code):
        return self._branch("ISLT", a, b, code)

    def r_ISNLT(self, a, b, c, code):
        return self._branch("ISNLT", a, b, code)

    def r_ISLE(self, a, b, c, code):
        return self._branch("ISLE", a, b, code)

    def r_ISNLE(self, a, b, c, code):
        return self._branch("ISNLE", a, b, code)

    def r_ISNUM(self, a, b, c, code):
        return self._branch("ISNUM", a, b, code)

    def r_ISNNUM(self, a, b, c, code):
        return self._branch("ISNNUM", a, b, code)

    def r_ISEQ(self, a, b, c, code):
        return self._branch("ISEQ", a, b, code)

    def r_ISNE(self, a, b, c, code):
        return self._branch("ISNE", a, b, code)

    def _truth(self, b, want_false, code):
        x = self.slot(b)
        is_false = self.value(x) == V.FALSE
        self.guard_true("EQ" if is_false else "NE", x, self.k(V.FALSE))
        return code[self.pc + 1][2] if is_false == want_false else self.pc + 2

    def r_IST(self, a, b, c, code):
        return self._truth(b, False, code)

    def r_ISF(self, a, b, c, code):
        return self._truth(b, True, code)

    def r_GGET(self, a, b, c, code):
        """A global no loaded code assigns is a constant (promoted: the
        loader flushes the traces if code that assigns it is loaded later,
        hawk.vm.loader.Loader.note_assignments); others are loaded."""
        word = self.func.consts[b]
        if self.word((word >> 3) + 1) == V.UNBOUND:
            raise Abort("unbound global")
        h = self.W[word >> 3]
        if not h & CELL_ASSIGNED:
            self.W[word >> 3] = h | CELL_PROMOTED
            self.set_slot(a, self.k(self.word((word >> 3) + 1)))
            return
        v = self.load(self.k(word), 3)
        self.emit("NE", v, self.k(V.UNBOUND))
        self.set_slot(a, v)

    def r_GSET(self, a, b, c, code):
        cell = self.k(self.func.consts[b])
        old = self.load(cell, 3)
        if self.value(old) == V.UNBOUND:
            raise Abort("set! of an unbound global")
        self.emit("NE", old, self.k(V.UNBOUND))
        v = self.slot(a)
        self.store(cell, v, 3)

    def r_SETFREE(self, a, b, c, code):
        clo = self.slot(a)
        self.need_tag(clo, 3, "closure")
        self.store(clo, self.slot(c), 13 + 8 * b)

    def r_UGET(self, a, b, c, code):
        self.set_slot(a, self.load(self.slot(-2), 13 + 8 * b))

    def r_BOX(self, a, b, c, code):
        """A new box (an assigned variable captured by a closure)."""
        self.set_slot(a, self.new_object(T.BOX, [self.slot(b)]))

    def r_UNBOX(self, a, b, c, code):
        self.set_slot(a, self.load(self.slot(b), 3))

    def r_SETBOX(self, a, b, c, code):
        box, v = self.slot(a), self.slot(b)
        self.store(box, v, 3)

    def _cxr(self, a, b, disp):
        x = self.slot(b)
        self.need_tag(x, 1, "car/cdr")
        self.set_slot(a, self.load(x, disp))

    def r_CAR(self, a, b, c, code):
        self._cxr(a, b, 7)

    def r_CDR(self, a, b, c, code):
        self._cxr(a, b, 15)

    def _booleq(self, a, x, y):
        v = V.TRUE if self.value(x) == self.value(y) else V.FALSE
        self.set_slot(a, self.emit("BOOLEQ", x, y, val=v, tag=6))

    def r_NULLP(self, a, b, c, code):
        self._booleq(a, self.slot(b), self.k(V.NIL))

    def r_NOT(self, a, b, c, code):
        self._booleq(a, self.slot(b), self.k(V.FALSE))

    def r_EQ(self, a, b, c, code):
        self._booleq(a, self.slot(b), self.slot(c))

    def r_PAIRP(self, a, b, c, code):
        x = self.slot(b)
        t = self.emit("BAND", x, self.k(7), val=self.value(x) & 7)
        self._booleq(a, t, self.k(1))

    def r_VREF(self, a, b, c, code):
        addr = self.element(self.slot(b), self.slot(c))
        self.set_slot(a, self.load(addr, 3))

    def r_VSET(self, a, b, c, code):
        self.i_vector_set(None, [self.slot(a), self.slot(b), self.slot(c)])

    def r_VLEN(self, a, b, c, code):
        self.set_slot(a, self.vlen(self.vector(self.slot(b))))

    def r_CONS(self, a, b, c, code):
        self.set_slot(a, self.cons(self.slot(b), self.slot(c)))

    def cons(self, x: int, y: int) -> int:
        """A new pair of the words x and y (in the shadow while recording)."""
        p = self.hp
        self.hp += 24
        i = p >> 3
        self.shadow.update({i: PAIR_HEADER, i + 1: self.value(x), i + 2: self.value(y)})
        pair = self.emit("NEWPAIR", x, y, val=p | 1, tag=1)
        self.fields[(pair, 7)], self.fields[(pair, 15)] = x, y
        return pair

    def r_SETCAR(self, a, b, c, code):
        self._setcxr(a, b, 7)

    def r_SETCDR(self, a, b, c, code):
        self._setcxr(a, b, 15)

    def _setcxr(self, a, b, disp):
        self.set_cxr(self.slot(a), self.slot(b), disp)

    def set_cxr(self, x: int, v: int, disp: int) -> None:
        self.need_tag(x, 1, "set-car!/set-cdr!")
        self.store(x, v, disp)

    def r_SLEN(self, a, b, c, code):
        x = self.slot(b)
        self.obj(x, T.STRING, "string")
        self.set_slot(a, self.load(x, 3, tag=0))

    def r_SREF(self, a, b, c, code):
        x, k = self.slot(b), self.slot(c)
        self.obj(x, T.STRING, "string")
        self.fixnum_arg(k, "string index")
        n = self.load(x, 3, tag=0)
        if not 0 <= self.value(k) < self.value(n):
            raise Abort("string index out of range")
        self.emit("ULT", k, n)
        u32 = ((self.value(x) >> 3) + 2) * 2 + (self.value(k) >> 3)
        w = self.word(u32 >> 1)
        code_point = (w >> (32 * (u32 & 1))) & 0xffffffff
        self.set_slot(a, self.emit("LOADCP", x, k, val=(code_point << 8) | V.IMM_CHAR_TAG, tag=6))

    def _intdiv(self, op, a, b, c):
        """quotient/remainder/modulo of fixnums; a zero divisor exits (the
        interpreter raises the error at this instruction)."""
        x, y = self.raw_slot(b), self.raw_slot(c)
        if self.generic(op, x, y):
            self.set_slot(a, self.call_generic(op, x, y))
            return
        self.fixnum_arg(x, "integer division")
        self.fixnum_arg(y, "integer division")
        if self.value(y) == 0:
            raise Abort("division by zero while recording")
        self.emit("NE", y, self.k(0))
        r = I.INTDIV[op](self.value(x) >> 3, self.value(y) >> 3) << 3
        if not in_word(r):
            raise Abort("fixnum overflow while recording")
        self.set_slot(a, self.emit(op, x, y, val=r, tag=0))

    def r_QUO(self, a, b, c, code):
        self._intdiv("QUOT", a, b, c)

    def r_REM(self, a, b, c, code):
        self._intdiv("REMT", a, b, c)

    def r_MOD(self, a, b, c, code):
        self._intdiv("MODT", a, b, c)

    def _eqv(self, a, b):
        """eqv? is eq? unless both are flonums (same bits) or other heap
        numbers (not traced); with a constant object that is no number
        (a string datum of `case`) it is eq? whatever the other is."""
        x, y = self.slot(a), self.slot(b)
        tx, ty = self.value(x) & 7, self.value(y) & 7
        if tx == ty == 2:
            self.need_tag(x, 2, "eqv?")
            self.need_tag(y, 2, "eqv?")
            return self.load(x, 6), self.load(y, 6)
        for ref, tag in ((x, tx), (y, ty)):
            if tag not in (2, 5):
                self.need_tag(ref, tag, "eqv?")
                return x, y
        for ref, tag in ((x, tx), (y, ty)):
            if self.ir.is_k(ref) and tag == 5 and \
                    self.word((self.value(ref) - 5) >> 3) & 0xff not in _NUMBER_OBJS:
                return x, y        # a constant string, vector ... (a case datum): eq?
        raise Abort("eqv? of two heap objects")

    def r_ISEQV(self, a, b, c, code):
        return self._eqv_branch(True, a, b, code)

    def r_ISNEV(self, a, b, c, code):
        return self._eqv_branch(False, a, b, code)

    def _eqv_branch(self, want, a, b, code):
        x, y = self._eqv(a, b)
        same = self.value(x) == self.value(y)
        self.guard_true("EQ", x, y)
        return code[self.pc + 1][2] if same == want else self.pc + 2

    def r_CLOSURE(self, a, b, c, code):
        g = self.func.children[b]
        if not g.upvals:           # the shared closure, static: made now if need be
            self.set_slot(a, self.k(self.vm.closure_of(g)))
            return
        free = [self.raw_slot(k) if local else self.load(self.slot(-2), 13 + 8 * k)
                for local, k in g.upvals]
        free = [self.boxed(r) for r in free]
        p = self.hp
        self.hp += 16 + 8 * len(free)
        words = [header(T.CLOSURE, 1 + len(free)), g.id << 3, *(self.value(r) for r in free)]
        self.shadow.update({(p >> 3) + j: w for j, w in enumerate(words)})
        clo = self.emit("NEWCLO", g.id << 3, len(free), val=p | 3, tag=3)
        for j, r in enumerate(free):
            self.store(clo, r, 13 + 8 * j, fresh=True)
        self.set_slot(a, clo)

    def r_PRIM(self, a, b, c, code):
        spec = INTEGRABLE[c]
        handler = _PRIM_HANDLERS.get(spec.name)
        if handler is None or b != 1:
            self.set_slot(a, self.prim(spec, [self.slot(a + i) for i in range(b)]))
            return
        self.set_slot(a, getattr(self, handler)(self.raw_slot(a), spec.name))

    # primitives of one argument: p_<kind>(x, name) -> the result's reference
    def p_inexact(self, x, name):
        return x if self.numkind(x, name) == "flo" else self.double(x)

    def p_sign(self, x, name):
        """zero?, positive?, negative?: the outcome seen, guarded."""
        cmp, swap = _SIGN_TESTS[name]
        if self.numkind(x, name) == "flo":
            x, zero, cmp = self.double(x), self.ir.kf(0.0), _FBRANCH_OF[cmp]
        else:
            zero = self.k(0)
        return self.outcome(cmp, *((zero, x) if swap else (x, zero)))

    def p_parity(self, x, name):
        self.fixnum_arg(x, name)
        bit = self.emit("BAND", x, self.k(8), val=self.value(x) & 8)
        return self.outcome("EQ" if name == "even?" else "NE", bit, self.k(0))

    def p_type(self, x, name):
        if self.ir.is_double(x):
            return self.k(V.boolean(TYPE_TESTS[name](("tag", 2))))
        if name == "boolean?":     # #t and #f differ in bit 8 only
            v = self.value(x) & ~0x100
            t = self.emit("BAND", x, self.k(~0x100), val=v)
            return self.emit("BOOLEQ", t, self.k(V.FALSE), val=V.boolean(v == V.FALSE), tag=6)
        return self.k(V.boolean(TYPE_TESTS[name](self.type_key(x))))

    def p_abs(self, x, name):
        """abs of a fixnum inline, without a branch on its sign (ABSOV);
        of any other number, a call of the primitive."""
        if self.ir.is_double(x) or self.value(x) & 7:
            return record_call(self, PRIMS[name], [self.boxed(x)])
        self.need_tag(x, 0, name)
        v = abs(self.value(x))
        if not in_word(v):
            raise Abort("fixnum overflow while recording")
        return self.emit("ABSOV", x, val=v, tag=0)

    def p_sqrt(self, x, name):
        """sqrt of a flonum inline (sqrtsd), guarded to be >= 0 (or -0.0);
        of a negative one (a complex root), a NaN or an exact number (maybe
        an exact root), a call of the primitive. An nbody-like loop spent
        1.4 s of 1.9 in 600000 call-outs of sqrt."""
        if not self.ir.is_double(x) and self.value(x) & 7 != 2:
            return record_call(self, PRIMS[name], [x])
        self.numkind(x, name)
        d = self.double(x)
        v = self.value(d)
        if not v >= 0.0:
            return record_call(self, PRIMS[name], [self.boxed(x)])
        self.emit("FLE", self.ir.kf(0.0), d)
        return self.emit("FSQRT", d, val=math.sqrt(v))

    def char_arg(self, x, name) -> None:
        """Guard that x is a char (it was while recording)."""
        v = self.value(x)
        if self.ir.is_double(x) or v & 0xff != V.IMM_CHAR_TAG:
            raise Abort(f"{name}: not a char")
        t = self.emit("BAND", x, self.k(0xff), val=v & 0xff)
        self.emit("EQ", t, self.k(V.IMM_CHAR_TAG))

    def p_char_integer(self, x, name):
        v = self.value(x)
        self.char_arg(x, name)
        s = self.emit("SHR", x, 5, val=v >> 5)
        return self.emit("BAND", s, self.k(-8), val=(v >> 5) & -8, tag=0)

    def p_integer_char(self, x, name):
        self.fixnum_arg(x, name)
        code = self.value(x) >> 3
        if not 0 <= code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise Abort(f"{name}: not a Unicode scalar value")
        self.emit("ULT", x, self.k(0x110000 << 3))
        below = code < 0xD800
        self.guard_true("LT" if below else "GT", x, self.k((0xD800 if below else 0xDFFF) << 3))
        w = self.emit("SHL", x, 5, val=code << 8)
        return self.emit("ADD", w, self.k(V.IMM_CHAR_TAG), val=(code << 8) | V.IMM_CHAR_TAG, tag=6)

    # ---- calls ----------------------------------------------------------------------
    def native(self, fn: int, nargs: int):
        """The PrimSpec of the primitive procedure fn (its closure word
        guarded), or None if fn is no primitive."""
        v = self.value(fn)
        if v & 7 != 3:
            return None
        g = self.vm.funcs[self.word((v >> 3) + 1) >> 3]
        if g.kind != NATIVE:
            return None
        spec = PRIMS.get(g.name)
        if spec is None or spec.fn is not g.fn:
            raise Abort(f"call to {g.name}: not a registered primitive")
        if not g.accepts(nargs):
            raise Abort(f"call to {g.name} with {nargs} arguments")
        self.emit("EQ", fn, self.k(v))
        return spec

    def arguments(self, a: int, nargs: int, args, first: int = 0) -> list:
        """The tagged words of a call's arguments from the first-th on:
        R[a+2+first] ... or, for a call through `apply`, the spread `args`
        (see call_of)."""
        if args is None:
            return [self.slot(a + 2 + i) for i in range(first, nargs)]
        return [self.boxed(r) for r in args[first:]]

    def call_of(self, a: int, nargs: int):
        """The call that CALL/CALLT of R[a] with nargs arguments makes:
        (the callee's ref, None) with the arguments in R[a+2] ...; or, when
        R[a] is `apply`, the call apply makes: (its first argument, the
        refs of the arguments it spreads). The list is walked while
        recording: each pair guarded and its car loaded, the end guarded
        to be '() (a quoted list's pair checks fold; its loads stay, as it
        can be mutated). Every guard of the
        call, these and the callee's, comes before any slot is written, so
        an exit there resumes at the call of apply and the interpreter
        spreads the list itself; the frame is rewritten only once the
        callee is known (r_CALL, r_CALLT). Before this, a call of apply
        aborted the trace: map over several lists, compose, a variadic
        wrapper ran in the interpreter."""
        fn, args = self.slot(a), None
        while True:
            v = self.value(fn)
            if v & 7 != 3 or self.vm.funcs[self.word((v >> 3) + 1) >> 3].kind != APPLY:
                return fn, args
            if fn >= 0:
                self.emit("EQ", fn, self.k(v))
            if args is None:
                args = [self.raw_slot(a + 2 + i) for i in range(nargs)]
            if len(args) < 2:
                raise Abort("apply without a list")
            x, items = self.boxed(args[-1]), []
            while self.value(x) & 7 == V.TAG_PAIR:
                if len(args) - 2 + len(items) >= APPLY_MAX:
                    raise Abort(f"apply of more than {APPLY_MAX} arguments")
                self.need_tag(x, V.TAG_PAIR, "apply")
                items.append(self.load(x, 7))
                x = self.load(x, 15)
            if self.value(x) != V.NIL:
                raise Abort("apply: last argument is not a list")
            self.emit("EQ", x, self.k(V.NIL))
            fn, args = self.boxed(args[0]), args[1:-1] + items

    def prim(self, spec, args: list) -> int:
        """Primitive `spec` applied to the word refs `args`: inline IR for
        the primitives in _INLINE_PRIMS, for _ARITH_PRIMS of two or more arguments
        and for cadr, cddr ... (a call-out costs ~1 us), else a call-out.
        (The result may be a raw double.)"""
        inline = _INLINE_PRIMS.get(spec.name)
        if inline is not None:
            return getattr(self, inline)(spec, args)
        if spec.name in _ARITH_PRIMS and len(args) >= 2:
            acc = args[0]
            for x in args[1:]:          # a left fold, as the primitive's
                acc = self.number_op(_ARITH_PRIMS[spec.name], acc, x)
            return acc
        if spec.name in _CXR_CHAINS:
            x = args[0]
            for letter in reversed(spec.name[1:-1]):     # the innermost first
                self.need_tag(x, 1, spec.name)
                x = self.load(x, 7 if letter == "a" else 15)
            return x
        return record_call(self, spec, args)

    # inline primitives (_INLINE_PRIMS): i_<kind>(spec, args) -> the result's reference
    def i_list(self, spec, args: list) -> int:
        return self.list_of(args)

    def i_vector(self, spec, args: list) -> int:
        v = self.new_vector(self.k(len(args) << 3), self.k(VECTOR_FILL))
        for j, r in enumerate(args):
            self.shadow[(self.value(v) >> 3) + 1 + j] = self.value(r)
            self.store(v, r, 3 + 8 * j, fresh=True)
        return v

    def i_char_compare(self, spec, args: list) -> int:
        """char=? char<? ... on any number of chars: every argument guarded
        a char (the primitive checks them all), then the pairs compared in
        turn up to the first that fails, each outcome guarded."""
        cmp = _CHAR_COMPARE[spec.name]
        for x in args:
            self.char_arg(x, spec.name)
        for x, y in zip(args, args[1:]):
            if self.outcome(cmp, x, y) == self.k(V.FALSE):
                return self.k(V.FALSE)
        return self.k(V.TRUE)

    def i_member(self, spec, args: list) -> int:
        """memq, memv, member of two arguments, for an x that only the
        same word is eq?/eqv?/equal? to (memv: not a flonum or other
        object that may be a number; member: also no pair, string or
        vector): the list walked in the trace up to the element found,
        each pair guarded and each element's word compared with x's, the
        answer that pair or #f; at most MAX_MEMBER elements, else a
        call-out. The list is read, not assumed: a quoted one can be
        mutated. (A character test by memv in a string loop: 177000
        call-outs.)"""
        if len(args) != 2:
            return record_call(self, spec, args)
        x, p = args
        tag = self.value(x) & 7
        if tag not in _MEMBER_TAGS[spec.name]:
            return record_call(self, spec, args)
        n, v, q = 0, self.value(x), self.value(p)
        while q & 7 == V.TAG_PAIR and self.word((q >> 3) + 1) != v and n < MAX_MEMBER:
            n, q = n + 1, self.word((q >> 3) + 2)
        if n >= MAX_MEMBER or q & 7 != V.TAG_PAIR and q != V.NIL:
            return record_call(self, spec, args)
        self.need_tag(x, tag, spec.name)
        for _ in range(n):
            self.need_tag(p, V.TAG_PAIR, spec.name)
            self.emit("NE", x, self.load(p, 7))
            p = self.load(p, 15)
        if q == V.NIL:
            self.emit("EQ", p, self.k(V.NIL))
            return self.k(V.FALSE)
        self.need_tag(p, V.TAG_PAIR, spec.name)
        self.emit("EQ", x, self.load(p, 7))
        return p

    def i_values(self, spec, args: list) -> int:
        """(values x) is x; any other number of values a VALUES object made
        in the trace (NEWOBJ, then a STORE per value), as the primitive
        makes it. (call-with-values in a loop: 200000 call-outs.)"""
        if len(args) == 1:
            return args[0]
        return self.new_object(T.VALUES, args)

    # set-car!, set-cdr! and vector-set! called as procedures (for-each
    # set-car! in parameterize's winders): the stores their opcodes make
    def i_set_cxr(self, spec, args: list) -> int:
        self.set_cxr(args[0], args[1], 7 if spec.name == "set-car!" else 15)
        return self.k(V.UNSPECIFIED)

    def i_vector_set(self, spec, args: list) -> int:
        self.store(self.element(args[0], args[1]), args[2], 3)
        return self.k(V.UNSPECIFIED)

    def new_object(self, kind: int, refs: list) -> int:
        """A new object (tag 5) of type `kind` whose fields are the words
        refs: NEWOBJ, then a STORE per field (in the shadow while recording)."""
        n, p = len(refs), self.hp
        self.hp += 8 * (n + 1)
        self.shadow[p >> 3] = header(kind, n)
        self.shadow.update(((p >> 3) + 1 + j, self.value(r)) for j, r in enumerate(refs))
        obj = self.emit("NEWOBJ", header(kind, n), n, val=p | 5, tag=5)
        for j, r in enumerate(refs):
            self.store(obj, r, 3 + 8 * j, fresh=True)
        return obj

    def i_divide(self, spec, args: list) -> int:
        """floor/ and truncate/ of two fixnums: QUOT and REMT (truncate/)
        or MODT and the QUOT of x minus that modulo, which divides exactly
        (floor/), as the VALUES object i_values makes; the divisor guarded
        non-zero (the interpreter raises), a quotient or difference past
        the fixnum range exits. Anything else, or what overflows while
        recording, a call-out."""
        if len(args) != 2:
            return record_call(self, spec, args)
        x, y = args
        vx, vy = self.value(x), self.value(y)
        if vx & 7 or vy & 7 or vy == 0:
            return record_call(self, spec, args)
        m = I.INTDIV["REMT" if spec.name == "truncate/" else "MODT"](vx >> 3, vy >> 3) << 3
        q = I.INTDIV["QUOT"]((vx - m) >> 3, vy >> 3) << 3
        if not in_word(vx - m) or not in_word(q):
            return record_call(self, spec, args)
        self.need_tag(x, 0, spec.name)
        self.need_tag(y, 0, spec.name)
        self.emit("NE", y, self.k(0))
        if spec.name == "truncate/":
            r = self.emit("REMT", x, y, val=m, tag=0)
            d = x
        else:
            r = self.emit("MODT", x, y, val=m, tag=0)
            d = self.emit("SUBOV", x, r, val=vx - m, tag=0)
        return self.i_values(spec, [self.emit("QUOT", d, y, val=q, tag=0), r])

    def i_values_list(self, spec, args: list) -> int:
        """(%values->list v) of a VALUES object of at most APPLY_MAX values:
        its whole header guarded (the type and the count seen), its fields
        loaded into a new list; else a call-out."""
        x = args[0]
        v = self.value(x)
        hdr = self.word(v >> 3) if v & 7 == 5 else 0
        if hdr & 0xff != T.VALUES or hdr >> SIZE_SHIFT > APPLY_MAX:
            return record_call(self, spec, args)
        self.need_tag(x, 5, spec.name)
        self.emit("EQ", self.load(x, -5), self.k(hdr))
        return self.list_of([self.load(x, 3 + 8 * j) for j in range(hdr >> SIZE_SHIFT)])

    # reverse and append: one IR instruction each (REVAPP, APPEND), a loop
    # in the trace that copies the list whatever its length
    def i_reverse(self, spec, args: list) -> int:
        return self.copy_list("REVAPP", args[0], self.k(V.NIL))

    def i_append(self, spec, args: list) -> int:
        """(append a ... z): z, with copies of the others in front, the
        last copied first (as the primitive does)."""
        result = args[-1] if args else self.k(V.NIL)
        for x in reversed(args[:-1]):
            result = self.copy_list("APPEND", x, result)
        return result

    def copy_list(self, op: str, x: int, tail: int) -> int:
        """REVAPP/APPEND of list x onto tail, its pairs made in the shadow
        (in the order the machine code makes them). A value that is no
        proper list aborts, as the primitive would raise."""
        items = []
        v = self.value(x)
        room = (self.W[HEND] - self.hp) // 24
        while v & 7 == V.TAG_PAIR and len(items) < room:
            items.append(self.word((v >> 3) + 1))
            v = self.word((v >> 3) + 2)
        if v != V.NIL:
            raise Abort(f"{_COPY_NAMES[op]}: not a proper list while recording")
        if op == "REVAPP":
            items.reverse()
        p = self.hp
        self.hp += 24 * len(items)
        cdrs = [p + 24 * k + 24 | 1 for k in range(len(items) - 1)] + [self.value(tail)]
        for k, (item, cdr) in enumerate(zip(items, cdrs)):
            i = (p >> 3) + 3 * k
            self.shadow.update({i: PAIR_HEADER, i + 1: item, i + 2: cdr})
        return self.emit(op, x, tail, val=p | 1 if items else self.value(tail))

    def i_length(self, spec, args: list) -> int:
        """(length x): one LENGTH, a loop in the trace that walks the list
        (primes' call-outs of the primitive, which copies the list into a
        Python list, took 4.6 ms of its run). No proper list (an improper
        end, or a cycle, found as the loop finds it: a second pointer
        walking at half speed meets the first) aborts, as the primitive
        would raise."""
        x = args[0]
        v = slow = self.value(x)
        n = 0
        while v & 7 == V.TAG_PAIR:
            v = self.word((v >> 3) + 2)
            n += 1
            if n & 1 == 0:
                slow = self.word((slow >> 3) + 2)
                if slow == v:
                    break
        if v != V.NIL:
            raise Abort("length: not a proper list while recording")
        return self.emit("LENGTH", x, val=V.fixnum(n), tag=V.TAG_FIXNUM)

    def i_make_vector(self, spec, args: list) -> int:
        """(make-vector n fill) inline for a fixnum n below MAX_INLINE_VECTOR
        (guarded; a bigger one, or any other argument, is a call-out)."""
        n, fill = args[0], args[1] if len(args) > 1 else self.k(VECTOR_FILL)
        v = self.value(n)
        if self.ir.is_double(n) or v & 7 or not 0 <= v >> 3 < MAX_INLINE_VECTOR:
            return record_call(self, spec, args)
        self.need_tag(n, 0, spec.name)
        self.emit("ULT", n, self.k(MAX_INLINE_VECTOR << 3))
        return self.new_vector(n, fill)

    def new_vector(self, n: int, fill: int) -> int:
        """A new vector of fixnum n elements, all the word fill (in the
        shadow while recording)."""
        p, size = self.hp, self.value(n) >> 3
        self.hp += 8 * (size + 1)
        i, w = p >> 3, self.value(fill)
        self.shadow[i] = header(T.VECTOR, size)
        self.shadow.update((k, w) for k in range(i + 1, i + 1 + size))
        return self.emit("NEWVEC", n, fill, val=p | 5, tag=5)


    def callee(self, fn: int, a: int, nargs: int, args):
        """Guard closure fn as the closure it is now and resolve how the call
        enters it, as FUNCC and FUNCV would: (the Func entered, the ref of
        the closure its frame holds at R[-2], the ref of its rest list or
        None). A case-lambda enters the clause closure that accepts nargs
        (loaded and guarded); a procedure with rest arguments gets its
        extra arguments as a list built here, before the callee's frame
        exists, so a nursery-full exit resumes at the call itself and the
        interpreter makes the call (and the list) again. The arguments are
        R[a+2] ..., or `args` (see call_of)."""
        v = self.value(fn)
        if v & 7 != 3:
            raise Abort("call of a non-closure")
        g = self.vm.funcs[self.word((v >> 3) + 1) >> 3]
        if g.kind != 0:              # hawk.vm.loader.BYTECODE
            raise Abort(f"call to {g.name} (not bytecode)")
        if v >= self.hp0:
            # made while recording (a fake address, never a constant): only a
            # closure made by this trace's CLOSURE is known to be of g
            if fn < 0 or self.ir.ins[fn][0] != "NEWCLO":
                raise Abort("call of a closure allocated in the trace")
            closure = fn
        elif g.code and g.code[0][0] == _FUNCC:
            # a case-lambda's clause is loaded from the closure: identity guard
            self.emit("EQ", fn, self.k(v))
            closure = self.k(v)
        else:
            if fn >= 0:
                self.need_tag(fn, 3, "call")
                self.guard_function(fn, g)
            closure = fn
        entry = g.code[0][0] if g.code else None
        if entry == _FUNCC:
            g, closure = self.clause(g, closure, nargs)
            entry = g.code[0][0] if g.code else None
        if entry == _FUNCF and g.nparams == nargs:
            return g, closure, None
        if entry == _FUNCV and g.nparams <= nargs:
            return g, closure, self.list_of(self.arguments(a, nargs, args, g.nparams))
        raise Abort(f"call to {g.name} with {nargs} arguments: no entry takes them")

    def guard_function(self, clo: int, g) -> None:
        """Guard that closure clo is one of g's, by its code word, not by
        its identity: a local procedure (nqueens' range) is a new closure
        at every call of its parent, and an identity guard failed for each
        new one, growing one more side trace per closure. A constant
        closure (a promoted global) needs no guard at all."""
        code = self.load(clo, 8 - 3)
        self.emit("EQ", code, self.k(g.id << 3))

    def clause(self, g, closure: int, nargs: int):
        """The clause of case-lambda closure `closure` (of g) that FUNCC
        enters with nargs arguments: (its Func, its closure's ref)."""
        k = g.clause_index(nargs)
        if k is None or closure >= 0:
            raise Abort(f"call to case-lambda {g.name} with {nargs} arguments")
        word = self.load(closure, 13 + 8 * k)
        v = self.value(word)
        self.emit("EQ", word, self.k(v))
        return self.vm.funcs[self.word((v >> 3) + 1) >> 3], self.k(v)

    def list_of(self, refs: list) -> int:
        """A new list of the words refs."""
        rest = self.k(V.NIL)
        for ref in reversed(refs):
            rest = self.cons(ref, rest)
        return rest

    def func_trace(self, g):
        """The func trace of `g` to link to when calling g: side traces
        always link, root traces only instead of inlining too deep."""
        if self.kind == "side" or len(self.frames) >= MAX_DEPTH:
            return self.roots.get((g.id, 0))
        return None

    def call_made(self, a: int, nargs: int, tail: bool):
        """call_of, and through call/cc (hawk.jit.continuation): (the
        callee's ref, its spread arguments or None, the number of
        arguments, the primitive's spec if it is a native one, None); or,
        for a call of a continuation, recorded as the return it is,
        (None, None, 0, None, the pc to go on at)."""
        fn, args = self.call_of(a, nargs)
        v = self.value(fn)
        kind = self.vm.funcs[self.word((v >> 3) + 1) >> 3].kind if v & 7 == 3 else None
        if kind == CONTINUATION:
            return None, None, 0, None, record_throw(self, fn, a, nargs, args)
        if kind == CALLCC:
            fn, args = record_capture(self, fn, a, nargs, args, tail)
        if args is not None:
            nargs = len(args)
        return fn, args, nargs, self.native(fn, nargs), None

    def r_CALL(self, a, b, c, code):
        fn, args, b, spec, pc = self.call_made(a, b, tail=False)
        if fn is None:
            return pc
        if spec is not None:
            v = self.prim(spec, self.arguments(a, b, args))
            self.set_slot(a + 1, self.k(link_word(self.func.link, self.pc + 1, a + 2)))   # CALL's link
            self.set_slot(a, v)
            return None
        g, closure, rest = self.callee(fn, a, b, args)
        for i, ref in enumerate(args or ()):       # the frame apply lays out
            self.set_slot(a + 2 + i, ref)
        recursive = self.kind == "func" and g is self.root
        target = self.func_trace(g)
        if len(self.frames) >= MAX_DEPTH and not (recursive or target):
            raise Abort("inlining too deep")
        self.frames.append((self.func, self.delta, self.pc + 1, a))
        link = link_word(self.func.link, self.pc + 1, a + 2)    # exactly what CALL writes
        self.func = g
        self.delta += a + 2
        self.set_slot(-1, self.k(link))
        self.enter(g, closure, rest, b)
        if recursive or target:
            self.close(self.delta, target)               # up-recursion, or a link
        return 1                                         # the entry: arity known, no effect in a trace

    def enter(self, g, closure: int, rest, nargs: int) -> None:
        """The callee's frame as its entry instruction leaves it: R[-2] the
        closure (a case-lambda's clause), R[nparams] the rest list."""
        if self.slots.get(self.delta - 2) != closure:
            self.set_slot(-2, closure)
        if rest is not None:
            self.set_slot(g.nparams, rest)
        self.extent = max(self.extent, self.delta + g.framesize + (nargs if rest is not None else 0))

    def r_CALLT(self, a, b, c, code):
        fn, args, b, spec, pc = self.call_made(a, b, tail=True)
        if fn is None:
            return pc
        if spec is not None:           # the primitive returns to this frame's caller
            if self.returns_again():
                return self.pc
            return self.ret(self.prim(spec, self.arguments(a, b, args)))
        g, closure, rest = self.callee(fn, a, b, args)
        if args is None:
            args = [self.raw_slot(a + 2 + i) for i in range(b)]
        for i, ref in enumerate(args):
            self.set_slot(i, ref)
        self.set_slot(-2, closure)
        self.enter(g, closure, rest, b)
        if not self.frames and self.kind == "func" and g is self.root:
            self.close(self.delta)                       # back at the entry: loop
            return self.pc
        inner = self.frames and g is self.func          # an inner tail-call loop
        target = self.roots.get((g.id, 0)) if inner else self.func_trace(g)
        if target is not None:
            self.close(self.delta, target)
            return self.pc
        if not self.frames and self.kind == "loop":
            raise Abort("tail call out of the loop", left=True)
        if inner:
            raise Abort("inner tail-call loop", waits_for=(g.id, 0), loop_func=g)
        self.func = g
        return 1

    def r_RET(self, a, b, c, code):
        if self.returns_again():
            return self.pc
        return self.ret(self.raw_slot(a))

    def returns_again(self) -> bool:
        """A return below the entry through the same instruction a second
        time: the trace stops there with an EXIT."""
        if not self.frames:
            if (self.func.id, self.pc) in self.returned:
                self.stop()
                return True
            self.returned.add((self.func.id, self.pc))
        return False

    def ret(self, v: int, caller=None) -> int:
        """Return value v from the frame being walked (to `caller`, given as
        return_below gives it, if known); the pc to go on at."""
        func, delta, rpc, ra = caller or (self.frames.pop() if self.frames else self.return_below())
        top = delta + func.framesize
        for j in [j for j in self.slots if j >= top]:   # the callee's frame above the caller's is dead
            self.slots.pop(j)
            self.modified.pop(j, None)
        self.func, self.delta = func, delta
        if self.captured:              # those frames are gone (hawk.jit.continuation.record_throw)
            self.captured = {r: d for r, d in self.captured.items() if d <= delta}
        self.set_slot(ra, v)
        return rpc

    def return_below(self, at: int | None = None):
        """A RET from a frame the trace did not call (the one walked, or the
        one at delta `at`): guard its link word, which names the caller's
        function (hawk.vm.bytecode.link_word; if it does not, the caller's
        closure too); the caller as r_CALL would have pushed it."""
        if self.kind == "loop":        # LuaJIT's rule: a root loop trace must loop back
            raise Abort("the loop is left in this iteration", chance=True, left=True)
        at = self.delta if at is None else at
        lk = self.slot(at - self.delta - 1)
        lw = self.value(lk)
        if lw == HOST_LINK:
            raise Abort("return to the host")
        self.emit("EQ", lk, self.k(lw))
        up = (lw >> 3) & 0xffff
        fid = link_func(lw)
        if fid is not None:
            func = self.vm.funcs[fid]
        else:
            clo = self.slot(at - self.delta - up - 2)
            cw = self.value(clo)
            if cw & 7 != 3:
                raise Abort("return to a frame without a closure")
            func = self.vm.funcs[self.word((cw >> 3) + 1) >> 3]
            if clo >= 0:             # a frame's R[-2] is always a closure
                self.guard_function(clo, func)
        if func.kind != 0:           # hawk.vm.loader.BYTECODE
            raise Abort(f"return to {func.name} (not bytecode)")
        return func, at - up, link_pc(lw), up - 2
