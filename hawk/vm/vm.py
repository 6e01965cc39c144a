"""The virtual machine: runtime state plus the machinery around the
interpreter loop: loaded functions, global cells, calls into Scheme from
Python, the call paths that are not plain bytecode (primitives, apply,
continuations), error signalling and backtraces, and safepoint collection.

The hot loop itself is hawk.vm.interp.run; everything here is either
set-up or a slow path it calls out to.
"""
from __future__ import annotations

import time

from hawk.errors import HawkError, SchemeError
from hawk.gc.memory import PAGE, STACK_END, STACK_START
from hawk.vm import conditions, deadslots, interrupts
from hawk.vm import values as V
from hawk.vm.bytecode import HOST_LINK, LINK_UP_MASK, Op, link_pc, link_word
from hawk.vm.loader import (APPLY, BYTECODE, CALLCC, CONTINUATION, NATIVE, Func,
                            Loader)
from hawk.vm.objects import CELL_ASSIGNED, CELL_PROMOTED, T
from hawk.vm.primspec import load_all
from hawk.vm.state import State

ENTRY_OPS = (int(Op.FUNCF), int(Op.FUNCV), int(Op.FUNCC))
STACK_LO = STACK_START >> 3            # word index of the first stack slot
STACK_LIMIT = (STACK_END >> 3) - 1024  # leave room for one maximal frame


class HostReturn(Exception):
    """The outermost Scheme frame returned to Python."""

    def __init__(self, value: int):
        self.value = value


class Frame:
    """One activation, as seen by backtraces: function and current pc."""
    __slots__ = ("func", "pc")

    def __init__(self, func: Func, pc: int):
        self.func = func
        self.pc = pc

    @property
    def loc(self):
        locs = self.func.proto.locs if self.func.proto else []
        return locs[self.pc] if 0 <= self.pc < len(locs) else None


class VM(State):
    def __init__(self, stack_words: int | None = None, jit=None, **kwargs):
        """stack_words limits the Scheme stack (default: the whole stack
        region); tests use a small one to show tail calls run in constant
        space. jit: hawk.jit.options.JitOptions (default: interpreter only)."""
        super().__init__(**kwargs)
        from hawk.jit.options import JitOptions
        self.jit_options = jit or JitOptions(enabled=False)
        self.jit = None                          # hawk.jit.jit.Jit when enabled
        interrupts.register(self)
        # seconds spent outside the interpreter proper, by stage (-p: driver.time_split)
        self.seconds = {"startup": 0.0, "frontend": 0.0, "codegen": 0.0}
        if self.jit_options.enabled and JitOptions.supported():
            from hawk.jit.jit import Jit
            self.jit = Jit(self)
        self.stack_limit = STACK_LIMIT if stack_words is None else min(STACK_LIMIT, STACK_LO + stack_words)
        self.funcs: list[Func] = []
        self.cells: dict[str, int] = {}          # global name -> CELL word (static: no root)
        self.roots: list[int] = [V.FALSE]        # [0]: the error record type
        self.heap.root_lists.append(self.roots)
        self.loader = Loader(self)
        self.running = False
        self.throws = 0                          # continuation throws (hawk.vm.specialize watches it)
        # the blocks engine's caches of heap words (word or None first), emptied
        # by every collection: (func id, pc) -> a call site's inline cache,
        # (func id, "G", const index) -> a global's value
        self.call_caches: dict[tuple, list] = {}
        self._clearer = None                     # hawk.vm.deadslots.NativeClearer, False: none
        self._install_primitives()

    # ---- set-up ------------------------------------------------------------
    def new_func(self, name: str, kind: int) -> Func:
        f = Func(len(self.funcs), name, kind)
        self.funcs.append(f)
        return f

    def closure_of(self, f: Func, free=()) -> int:
        """A closure of `f`; the one without free variables is shared, and
        static (f.closure holds its word without being a root)."""
        if not free and not f.upvals:
            if not f.closure:
                f.closure.append(self.heap.static(self.data.make, T.CLOSURE, [f.id << 3]))
            return f.closure[0]
        return self.data.make(T.CLOSURE, [f.id << 3, *free])

    def global_cell(self, name: str) -> int:
        w = self.cells.get(name)
        if w is None:
            w = self.cells[name] = self.heap.static(self.data.make, T.CELL,
                                                    [V.UNBOUND, self.data.intern(name)])
        return w

    def define(self, name: str, value: int) -> None:
        """Set a global from Python (the primitives at start-up; tests):
        like loaded code assigning it, this drops what assumed its value."""
        cell = self.global_cell(name)
        self.data.set_field(cell, 0, value)
        if self.W[cell >> 3] & CELL_PROMOTED:
            self.forget_promoted()

    def define_cell(self, cell: int, value: int) -> None:
        """GDEF (both engines). The loader counts a global's first definition
        as no assignment (hawk.vm.loader.Loader.note_assignments), but a
        definition can run twice: a continuation re-entering top-level code,
        or a `define` over a name bound from Python. The second run changes
        a value the blocks engine's caches and traces may hold as a constant,
        so it counts as an assignment from then on."""
        i = cell >> 3
        W = self.W
        if W[i + 1] != V.UNBOUND and not W[i] & CELL_ASSIGNED:
            W[i] = W[i] | CELL_ASSIGNED
            if W[i] & CELL_PROMOTED:
                self.forget_promoted()
        W[i + 1] = value

    def lookup(self, name: str) -> int:
        w = self.cells.get(name)
        return V.UNBOUND if w is None else self.data.field(w, 0)

    def _install_primitives(self) -> None:
        # the prelude wraps %call/cc with dynamic-wind bookkeeping
        specials = {"apply": APPLY, "%call/cc": CALLCC}
        for spec in load_all().values():
            f = self.new_func(spec.name, NATIVE)
            f.fn = spec.fn
            f.nparams = spec.nmin
            f.nmax = spec.nmax
            self.define(spec.name, self.closure_of(f))
        for name, kind in specials.items():
            f = self.new_func(name, kind)
            f.nparams, f.nmax = (1, None) if kind == APPLY else (1, 1)
            self.define(name, self.closure_of(f))
        self.cont_func = self.new_func("continuation", CONTINUATION)
        self.cont_func.nparams, self.cont_func.nmax = 0, None
        self.cont_func.upvals = [(False, 0)]   # one free variable: the CONT object

    def load(self, proto, library: bool = False) -> int:
        """Load a compiled top-level prototype; return its closure."""
        return self.closure_of(self.loader.load(proto, library))

    def forget_promoted(self) -> None:
        """Loaded code assigns a global that traces or the blocks engine
        read as a constant (hawk.vm.objects CELL_PROMOTED): drop the traces,
        the generated code and every cache (the generated code is made again
        on its next entry, reading the cell each time; frames running the
        old code find its caches empty and read the cell)."""
        if self.jit is not None:
            self.jit.flush()
        for f in self.funcs:
            f.spec = None
        for cache in self.call_caches.values():
            cache[0] = None

    # ---- running -----------------------------------------------------------
    def run(self, closure: int, args=(), once: bool = False) -> int:
        """Call a Scheme procedure from Python and return its value.
        once: the code runs a single time and only defines things (the
        runtime library's top level), so the loop engine interprets it
        rather than the blocks engine compiling it to Python first (that
        compilation was ~27 ms of every start-up)."""
        from hawk.vm.interp import run
        if self.running:
            raise SchemeError("internal: re-entrant call of the interpreter", [])
        self.running = True
        try:
            return run(self, closure, list(args), once)
        finally:
            self.running = False

    def enter_from_host(self, closure: int, args: list[int]):
        """Set up the outermost frame (closure, HOST_LINK, arguments) and
        enter the procedure: the state (base, func, pc, nargs) both engines
        start from. Raises HostReturn if it returned at once (a primitive)."""
        W = self.W
        base = STACK_LO + 2
        W[base - 2] = closure
        W[base - 1] = HOST_LINK
        W[base:base + len(args)] = memoryview_of(args)
        f = self.func_of(closure)
        if f.kind != BYTECODE:
            return self.invoke(f, base, len(args))
        return base, f, 0, len(args)

    def func_of(self, closure: int) -> Func:
        return self.funcs[self.W[(closure >> 3) + 1] >> 3]

    # ---- calls that are not plain bytecode ---------------------------------
    def invoke(self, g: Func, nb: int, nargs: int):
        """Enter `g` whose frame (closure at nb-2, link at nb-1, arguments
        from nb) is set up. Returns the interpreter state to continue with:
        (base, func, pc, nargs)."""
        W = self.W
        while True:
            kind = g.kind
            if kind == BYTECODE:
                return nb, g, 0, nargs
            if not g.accepts(nargs):
                raise arity_error(self, g, nargs)
            if kind == NATIVE:
                return self.return_to(nb, g.fn(self, *W[nb:nb + nargs]))
            if kind == APPLY:
                fn = W[nb]
                items = self.data.list_items(W[nb + nargs - 1])
                if items is None:
                    raise SchemeError("apply: last argument is not a list", [W[nb + nargs - 1]])
                args = list(W[nb + 1:nb + nargs - 1]) + items
                if nb + len(args) > self.stack_limit:
                    raise SchemeError("apply: too many arguments", [])
                W[nb - 2] = fn
                W[nb:nb + len(args)] = memoryview_of(args)
                nargs = len(args)
            elif kind == CALLCC:
                fn = W[nb]
                W[nb - 2] = fn
                W[nb] = self.capture(nb)
                nargs = 1
            else:  # CONTINUATION
                return self.reinstate(W[(W[nb - 2] >> 3) + 2], list(W[nb:nb + nargs]))
            fn = W[nb - 2]
            if (fn & 7) != V.TAG_CLOSURE:
                raise SchemeError("not a procedure", [fn])
            g = self.func_of(fn)

    def return_to(self, nb: int, value: int):
        """Return `value` from the frame at `nb` to its caller."""
        W = self.W
        link = W[nb - 1]
        if link == HOST_LINK:
            raise HostReturn(value)
        W[nb - 2] = value
        base = nb - ((link >> 3) & LINK_UP_MASK)
        return base, self.func_of(W[base - 2]), link_pc(link), 0

    def capture(self, nb: int) -> int:
        """A continuation for the call whose callee frame is at nb: a copy
        of the stack below it (the caller's frames) and the return link."""
        W, heap = self.W, self.heap
        n = nb - STACK_LO
        # copied in place: 3.3 us, against 8.6 through a list (40 words, timeit)
        i = heap.alloc(T.CONT, 1 + n) >> 3
        W[i + 1] = nb << 3
        W[i + 2:i + 2 + n] = W[STACK_LO:nb]
        j = heap.alloc(T.CLOSURE, 2) >> 3
        W[j + 1] = self.cont_func.id << 3
        W[j + 2] = (i << 3) | V.TAG_OBJECT
        return (j << 3) | V.TAG_CLOSURE

    def reinstate(self, cont: int, args: list[int]):
        """Throw `args` to a continuation: restore its stack, then return."""
        W = self.W
        self.throws += 1
        i = cont >> 3
        nb = W[i + 1] >> 3
        n = nb - STACK_LO
        W[STACK_LO:nb] = W[i + 2:i + 2 + n]
        value = args[0] if len(args) == 1 else self.data.make(T.VALUES, args)
        return self.return_to(nb, value)

    # ---- safepoints ----------------------------------------------------------
    def collect(self, sp: int, base: int | None = None) -> None:
        """Collect with the stack live below word index sp, at a safepoint of
        the frame at word index `base` (None: no frame is running). First
        the dead slots of the frames suspended below that one are cleared;
        after the collection, the dead stack above sp, so stale words never
        look like pointers to a later collection (see docs/architecture.md,
        "Stack invariant")."""
        if interrupts.take():
            raise KeyboardInterrupt
        if not self.heap.due():
            return
        t0 = time.perf_counter()
        for ic in self.call_caches.values():     # closures move: forget their addresses
            ic[0] = None
        if base is not None:
            self.clear_dead_slots(base)
        t1 = time.perf_counter()
        self.heap.collect(sp << 3)
        t2 = time.perf_counter()
        W = self.W
        page_words = PAGE >> 3
        first_page = (sp + page_words - 1) // page_words * page_words
        W[sp:first_page] = memoryview_of([0] * (first_page - sp))
        hi = self.mem.resident_end(first_page << 3, STACK_END) >> 3
        if hi > first_page:
            self.mem.release(first_page << 3, (hi - first_page) << 3)
        # -p's gc time includes this stack work (a deep recursion's dead
        # slots: ~0.6 ms a collection in primes, counted as interpreter before)
        self.heap.seconds += (t1 - t0) + (time.perf_counter() - t2)

    def clear_dead_slots(self, base: int) -> None:
        """Overwrite, in every frame suspended below the frame at `base`, the
        slots its code never reads after the call it waits for returns
        (hawk.vm.liveness), so they keep nothing alive. A frame's link
        names that call by its return pc; a link to any other pc (a frame
        suspended by VM.signal at a failing instruction) matches no call
        site, and the frame is left as it is, as is the top frame. The
        walk is machine code where the JIT's back end works
        (hawk.vm.deadslots: a deep recursion made it most of a collection)."""
        if self._clearer is None:
            self._clearer = deadslots.clearer() or False
        if self._clearer:
            self._clearer(self, base)
        else:
            deadslots.clear_python(self.W, self.funcs, base)

    # ---- errors ----------------------------------------------------------------
    def signal(self, exc: Exception, func: Func, pc: int, base: int):
        """Turn a Python exception raised while running `func` at `pc` into a
        Scheme condition. If the program installed handlers (and the error
        did not already come from `raise` finding none), call `raise` on the
        condition from the failing frame and return the state to continue
        with; otherwise raise a final SchemeError carrying the location and
        a backtrace for the top level to print."""
        frames = self.backtrace(func, pc, base)
        if func.code[pc][0] in ENTRY_OPS and len(frames) > 1:
            frames = frames[1:]     # a bad call: report it where it was made
        if isinstance(exc, RecursionError):
            exc = SchemeError("internal: Python recursion limit reached", [])
        elif isinstance(exc, HawkError) and not isinstance(exc, SchemeError):
            # a read or syntax error from the compiler at run time (eval, load, read)
            exc = SchemeError(exc.message, [self.data.to_word(x) for x in exc.irritants],
                              loc=exc.loc, kind=exc.kind.replace(" ", "-"))
        elif not isinstance(exc, SchemeError):
            err = SchemeError(f"internal error: {type(exc).__name__}: {exc}", [], kind="internal error")
            err.__cause__ = exc
            exc = err
        user = [fr for fr in frames if not fr.func.library] or frames
        if exc.loc is None:
            exc.loc = next((fr.loc for fr in user if fr.loc is not None), None)
        exc.backtrace = [(fr.func.name, fr.loc) for fr in user]
        handlers = self.lookup("%handlers")
        if exc.payload is not None or exc.kind == "internal error" or handlers in (V.NIL, V.UNBOUND):
            raise exc
        condition = conditions.make_condition(self, exc)
        top = base + func.framesize
        nb = top + 2
        W = self.W
        W[nb - 2] = self.lookup("raise")
        W[nb - 1] = link_word(func.link, pc + 1, func.framesize + 2)
        W[nb] = condition
        return self.invoke(self.func_of(W[nb - 2]), nb, 1)

    def backtrace(self, func: Func, pc: int, base: int, limit: int = 12) -> list[Frame]:
        """The frames from the innermost (func at pc) outward."""
        W = self.W
        frames = [Frame(func, pc)]
        while len(frames) < limit:
            link = W[base - 1]
            if link == HOST_LINK or base <= STACK_LO:
                break
            base -= (link >> 3) & LINK_UP_MASK
            frames.append(Frame(self.func_of(W[base - 2]), link_pc(link) - 1))
        return frames


def memoryview_of(words: list[int]):
    import array
    return memoryview(array.array("q", words))


def arity_error(vm: VM, g: Func, nargs: int) -> SchemeError:
    if g.kind == BYTECODE:
        want = f"{g.nparams}{' or more' if g.rest else ''}"
    elif g.nmax is None:
        want = f"{g.nparams} or more"
    elif g.nmax == g.nparams:
        want = str(g.nparams)
    else:
        want = f"{g.nparams} to {g.nmax}"
    return SchemeError(f"{g.name}: wrong number of arguments (expected {want}, got {nargs})", [])
