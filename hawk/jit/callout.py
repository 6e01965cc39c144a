"""Traces that call primitives written in Python (a call-out to a cffi callback).

Why: a Scheme program calls memv, append, abs ... in its hot loops; before
this, any such call aborted the trace, and a benchmark like deriv got no
trace at all. Leaving the trace costs an exit, a frame rebuild and an
interpreter round trip; a call-out costs about a microsecond.

How, at run time: the trace stores the argument words into the state
block's CALL_ARGS words (IR CARG), then calls one cffi callback per VM,
`int64_t call(int64_t index, int64_t nargs)` (IR CALLP), which runs
FUNCTIONS[index](vm, *args) and returns the result word. The emitter saves
the caller-saved registers that hold live values around the call (GPRs
and XMMs) and keeps rsp 16-byte aligned. The collector never runs inside
a primitive (GC happens only at safepoints), so pointers held in
registers stay valid; a primitive may move HP past HLIMIT, which the next
inline allocation or safepoint notices. Any exception in the primitive
(a SchemeError on misuse) makes the callback return FAILED, a word with
the unused tag 7 that no primitive returns, and the trace leaves through
the call's snapshot, taken before its effects: the interpreter executes
the call again and reports the error with its location and backtrace.

How, while recording (`record_call`): the recorder does not run the
program, it follows it, so it computes the call's value by calling the
primitive on the concrete argument words. That is why only primitives
audited as pure (hawk.vm.primspec.PURE) are called. Where the trace has
stored into an existing object before the call, the shadow holds words
that memory lacks: they are written for the call, so the primitive reads
what it will read when the trace runs, and the program's own words put
back after it (a pure primitive changes no object, so nothing else needs
undoing; this used to abort, and every recording through dynamic-wind,
which sets a global before calling list-tail, with it). It aborts when
the primitive raises (the interpreter will report it).

The recorder's own allocations have fake addresses from hp0 up, above the
real HP, and exist only in its shadow; arguments are often such objects
(deriv appends lists it has just consed). So before the call their words
are written to memory at those addresses (free nursery space) and the
real HP is moved past them: they become real, unreachable objects that
the primitive can read. The primitive's own allocations land at the real
HP, above every fake address, and are remembered as real spans inside the
recorder's range (Recorder.is_fake), so later allocations by the recorder
never overlap them. Nothing walks the nursery linearly (the copying
collector scans only what it copies into to-space), so this costs only
the space.
"""
from __future__ import annotations

from time import perf_counter

from hawk.gc.memory import CALL_ARGS, CALL_ARGS_MAX, HEND, HP

FAILED = 7                   # tag 7 is no value's: "the primitive raised"
FUNCTIONS: list = []         # CALLP's index -> the primitive's Python function
NAMES: list = []             # CALLP's index -> the primitive's name (for IR listings)
_INDEX: dict = {}


def intern(fn, name: str) -> int:
    """CALLP's index of a primitive's function."""
    index = _INDEX.get(fn)
    if index is None:
        index = _INDEX[fn] = len(FUNCTIONS)
        FUNCTIONS.append(fn)
        NAMES.append(name)
    return index


class Callout:
    """The cffi callback of one VM (kept alive as long as its traces)."""

    def __init__(self, vm, timed: bool = False):
        """`timed` (-p): add up the seconds spent in callouts, at the price
        of two clock reads per call."""
        from hawk.jit.codemem import address_of, callback
        W = vm.W
        self.seconds = 0.0

        def call(index: int, nargs: int) -> int:
            try:
                return FUNCTIONS[index](vm, *W[CALL_ARGS:CALL_ARGS + nargs])
            except Exception:       # reported again by the interpreter after the exit
                return FAILED

        def timed_call(index: int, nargs: int) -> int:
            t0 = perf_counter()
            try:
                return call(index, nargs)
            finally:
                self.seconds += perf_counter() - t0

        self._callback = callback(timed_call if timed else call, FAILED)
        self.address = address_of(self._callback)


def record_call(rec, spec, args: list) -> int:
    """Record a call of primitive `spec` on the tagged-word refs `args`:
    its value now (by calling it), CARG/CALLP in the IR; the result's ref."""
    from hawk.jit.recorder import Abort
    name = spec.name
    if not spec.pure:
        raise Abort(f"NYI: impure primitive {name}")
    if len(args) > CALL_ARGS_MAX:
        raise Abort(f"{name}: more than {CALL_ARGS_MAX} arguments")
    W = rec.vm.W
    if rec.hp > W[HEND]:
        raise Abort(f"{name}: the recorder's objects do not fit in the nursery")
    stored = {index: W[index] for index in rec.shadow if not rec.is_fake(index << 3)}
    for index, w in rec.shadow.items():
        W[index] = w                # the recorder's objects made real, its stores made (see above)
    W[HP] = before = max(W[HP], rec.hp)
    words = [rec.value(r) for r in args]
    try:
        value = spec.fn(rec.vm, *words)
    except Exception as e:
        raise Abort(f"{name} raised while recording: {e}") from None
    finally:
        for index, w in stored.items():
            W[index] = w            # the program's objects as they are
    if W[HP] != before:
        rec.real.append((before, W[HP]))
        rec.hp = W[HP]
    for k, ref in enumerate(args):
        rec.emit("CARG", ref, k)
    return rec.emit("CALLP", intern(spec.fn, name), len(args), val=value)
