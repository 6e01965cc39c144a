"""Turning compiled prototypes into runnable functions.

A `Func` is the run-time side of one Proto (or of one primitive): its
instructions pre-decoded into tuples (the interpreter's hot loop then never
shifts or masks), its constants as tagged words (a GC root list), and its
children. Closures refer to a Func by its index in `VM.funcs`, stored as a
fixnum in the closure's first payload word.
"""
from __future__ import annotations

from hawk.errors import SchemeError
from hawk.gc.memory import STATIC_END
from hawk.record import computed, factory, record
from hawk.vm import values as V
from hawk.vm.bytecode import JUMP_BIAS, LINK_PC_MASK, SPECS, Op, decode, link_bits, signed8, signed16
from hawk.vm.objects import CELL_ASSIGNED, CELL_DEFINED, CELL_PROMOTED
from hawk.vm.proto import GlobalCell, Proto

# Func kinds: how CALL enters it
BYTECODE = 0
NATIVE = 1        # a primitive: fn(vm, *args) -> word
APPLY = 2         # apply: respread the arguments and call again
CALLCC = 3        # call/cc: capture the stack
CONTINUATION = 4  # a captured continuation: restore the stack

HOT_DEFAULT = 56


@record(eq=False)
class Func:
    id: int
    name: str
    kind: int
    nparams: int = 0
    rest: bool = False
    framesize: int = 0
    code: list = factory(list)       # pre-decoded (op, a, b, c)
    consts: list = factory(list)     # tagged words, static (a GC root only if not: Loader.load)
    children: list = factory(list)   # Funcs, for CLOSURE
    upvals: list = factory(list)
    clauses: list = factory(list)
    proto: Proto | None = None
    fn: object = None                              # NATIVE: the Python function
    nmax: int | None = 0                           # NATIVE: max args (None: any)
    closure: list = factory(list)    # [word] the shared closure without free vars (static)
    hot: int = HOT_DEFAULT                         # hotness counter (JIT hook)
    library: bool = False                          # part of the runtime library (hidden in backtraces)
    spec: object = None                            # hawk.vm.specialize: generated code (lazily)
    exits: frozenset = frozenset()                 # pcs traces may exit to (expect_exits)
    dead_slots: dict = factory(dict)  # Proto.dead_after_call (hawk.vm.liveness)
    link: int = computed                  # its calls' link field: link_bits(id), kept for CALL

    def __post_init__(self):
        self.link = link_bits(self.id)

    def expect_exits(self, pcs: frozenset) -> None:
        """A trace was compiled that may exit to `pcs` of this function:
        the blocks engine (hawk.vm.specialize) makes them entries of its
        generated code at the next regeneration (one that an exit to any pc
        not yet an entry causes), all at once. Why: each regeneration costs
        ~80 us per instruction of the function (source, slot analysis,
        compile); adding the exits one at a time as they were first taken
        regenerated a function once per exit pc (nqueens' `place` 7 times,
        ~30 ms of a 120 ms run). The price, extra leaders in a function
        that then mostly runs in traces, is small."""
        if not self.exits >= pcs:
            self.exits = self.exits | pcs

    def accepts(self, n: int) -> bool:
        if n < self.nparams:
            return False
        return self.rest or n == self.nparams if self.kind == BYTECODE else \
            (self.nmax is None or n <= self.nmax)

    def clause_for(self, W, closure: int, nargs: int) -> int:
        """FUNCC (both engines): the closure of the first case-lambda clause
        of `closure` (this Func's) that accepts nargs arguments; the clause
        closures follow the proto id in the case-lambda closure's payload."""
        k = self.clause_index(nargs)
        if k is None:
            raise self.no_clause_error(nargs)
        return W[(closure >> 3) + 2 + k]

    def clause_index(self, nargs: int) -> int | None:
        """The first case-lambda clause accepting nargs arguments (the
        interpreter and the trace recorder pick it the same way), or None."""
        for k, (n, has_rest) in enumerate(self.clauses):
            if nargs == n or (has_rest and nargs >= n):
                return k
        return None

    def no_clause_error(self, nargs: int) -> SchemeError:
        """A case-lambda called with a count no clause accepts: worded like
        every other arity error (hawk.vm.vm.arity_error), the expected counts
        being the clauses' merged into runs: "1 to 3", "0 or 2 or more"."""
        runs: list[list] = []                 # [first, last or None for "or more"]
        for n, rest in sorted(self.clauses):
            if runs and runs[-1][1] is not None and n <= runs[-1][1] + 1:
                runs[-1][1] = None if rest else max(n, runs[-1][1])
            elif not (runs and runs[-1][1] is None):
                runs.append([n, None if rest else n])
        want = " or ".join(f"{lo} or more" if hi is None else str(lo) if lo == hi else f"{lo} to {hi}"
                           for lo, hi in runs)
        return SchemeError(f"{self.name}: wrong number of arguments (expected {want}, got {nargs})", [])


_JUMPS = {op for op, s in SPECS.items() if s.c == "jump"}
_GSET, _GDEF = int(Op.GSET), int(Op.GDEF)


def predecode(code: list[int]) -> list[tuple]:
    """(op, a, b, c) per instruction; for AD-mode instructions b is D with
    jumps made absolute, KSHORT's immediate made a tagged fixnum, and the
    8-bit immediates of ADDN/SUBN tagged too."""
    out = []
    for pc, ins in enumerate(code):
        op, a, b, c, d = decode(ins)
        o = Op(op)
        if SPECS[o].mode == "AD":
            b, c = d, 0
            if o in _JUMPS:
                b = pc + 1 + d - JUMP_BIAS
            elif o is Op.KSHORT:
                b = V.fixnum(signed16(d))
        elif o in (Op.ADDN, Op.SUBN):
            c = V.fixnum(signed8(c))
        out.append((op, a, b, c))
    return out


class Loader:
    """Creates Funcs for prototypes, resolving constants against the VM's
    heap and global cells."""

    def __init__(self, vm):
        self.vm = vm

    def load(self, proto: Proto, library: bool = False) -> Func:
        vm = self.vm
        if len(proto.code) > LINK_PC_MASK:     # a return pc must fit its field of the frame link
            raise SchemeError(f"{proto.name}: a procedure of more than {LINK_PC_MASK} "
                              f"instructions is not supported", [])
        f = vm.new_func(proto.name, BYTECODE)
        f.library = library
        if vm.jit is not None:
            f.hot = vm.jit.hotcount()
        f.proto = proto
        f.nparams = proto.nparams
        f.rest = proto.rest
        f.framesize = proto.framesize
        f.code = predecode(proto.code)
        f.upvals = list(proto.upvals)
        f.clauses = list(proto.clauses)
        f.dead_slots = proto.dead_after_call
        # constants are made in the static space, so this list needs no
        # update by the collector: unless `eval` quoted a heap object
        # itself (a Word), which can move
        f.consts = vm.heap.static(lambda: [self.constant(k) for k in proto.consts])
        if any(V.is_pointer(w) and w >= STATIC_END for w in f.consts):
            vm.heap.root_lists.append(f.consts)
        self.note_assignments(f)
        f.children = [self.load(child, library) for child in proto.protos]
        return f

    def note_assignments(self, f: Func) -> None:
        """Mark the global cells f's code may change (see
        hawk.vm.objects.CELL_ASSIGNED): every GSET target, and a GDEF target
        already defined by other loaded code. All assignments of a global
        are visible here, before they can run, so traces and the blocks
        engine may treat the other globals as constants; if one of them had
        been promoted, what assumed it goes (VM.forget_promoted) before the
        new code runs."""
        W = self.vm.W
        for op, a, b, c in f.code:
            if op != _GSET and op != _GDEF:
                continue
            i = f.consts[b] >> 3
            h = W[i]
            if op == _GDEF and not h & CELL_DEFINED:
                W[i] = h | CELL_DEFINED
                continue
            W[i] = h | CELL_ASSIGNED
            if h & CELL_PROMOTED:
                self.vm.forget_promoted()

    def constant(self, k) -> int:
        if isinstance(k, GlobalCell):
            return self.vm.global_cell(k.name.name)
        return self.vm.data.to_word(k)
