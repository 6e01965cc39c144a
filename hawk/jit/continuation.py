"""call/cc in traces: capturing a continuation, and throwing to one whose
frames are still on the stack.

Why: every recording that met %call/cc aborted ("not bytecode"), so a loop
that escapes with call/cc, or runs `guard` (two call/cc a guard, and a
throw to one on every normal exit), ran in the interpreter: slower than
`--joff`, as the JIT's interpreter is the loop engine with hooks.

A continuation (hawk.vm.vm.VM.capture) is a copy of the stack below the
frame of the call that captured it (nb), whose own return link is the word
at nb-1; throwing to it copies the stack back and returns the value through
that link. In a trace:

- Capture (`record_capture`): the trace's frames exist only in registers
  until an exit or the loop end writes them, so SYNC first stores the
  slots modified so far (the stores an exit stub makes), then a call-out
  (`capture`) writes the call's link word and copies the stack as the
  interpreter does. The call then goes on as a call of the procedure with
  the continuation as its argument. While recording, the continuation is
  made in the recorder's shadow from the stack as the trace has it then
  (hawk.jit.callout explains the shadow): the recorder follows the
  program, it does not run it.
- Throw (`record_throw`): when the live stack below the continuation's nb
  holds exactly the words it saved (nb-2 aside, which the return
  overwrites), the interpreter's copy would change nothing, and the throw
  is a return from the frame at nb. The trace guards that the callee is
  a continuation, that its nb is the frame at a fixed offset from the
  trace's base (IR FRAME), and, after a SYNC, that the stack holds its
  words (a call-out, `holds`: a memory compare, 0.75 us for 300 words
  by timeit, inside a call-out of ~1.2 us); then it returns from that
  frame as a RET would (popping the inlined frames above it, or walking
  down through the guarded links of frames below the trace's start, all
  guards before the recorder's frame moves, so an exit resumes at the
  throw). An escape from a loop (the callcc idiom),
  and guard's normal exit, are such throws; where the words differ (a
  continuation re-entered after its frame returned, or frames whose dead
  slots a collection cleared) the guard exits and the interpreter throws.

A continuation captured by the trace itself is checked the same way: the
recorder cannot tell, without following the program's every store, that
nothing below nb changed in between.
"""
from __future__ import annotations

from hawk.gc.memory import HEND
from hawk.jit.callout import intern
from hawk.vm import values as V
from hawk.vm.bytecode import link_word
from hawk.vm.objects import T, header
from hawk.vm.vm import STACK_LO

MAX_WORDS = 1 << 15     # stack words below a continuation's frame the recorder copies or compares


def capture(vm, nb: int, link: int) -> int:
    """The continuation of a call whose callee frame starts at word index
    nb>>3 (a fixnum, from FRAME), returning through `link`, with the
    frames below already written back (SYNC)."""
    nb >>= 3
    vm.W[nb - 1] = link
    return vm.capture(nb)


def holds(vm, closure: int) -> int:
    """#t if the stack below continuation `closure`'s frame holds the words
    it saved (nb-2 aside), so that throwing to it only returns."""
    W = vm.W
    i = W[(closure >> 3) + 2] >> 3       # the CONT object
    nb = W[i + 1] >> 3
    n = nb - STACK_LO
    same = W[STACK_LO:nb - 2] == W[i + 2:i + n] and W[nb - 1] == W[i + 1 + n]
    return V.TRUE if same else V.FALSE


_CAPTURE = intern(capture, "capture")
_HOLDS = intern(holds, "holds")


def _stack(rec, nb: int) -> list:
    """The stack words below index nb as the trace has them now: the
    frame's memory, with the slots the trace holds in registers (raw
    doubles boxed first, so that SYNC stores these very words)."""
    from hawk.jit.recorder import Abort
    n = nb - STACK_LO
    if n > MAX_WORDS:
        raise Abort(f"a continuation of {n} stack words")
    words = list(rec.W[STACK_LO:nb])
    for s in [s for s in rec.slots if STACK_LO <= rec.base + s < nb]:
        words[rec.base + s - STACK_LO] = rec.value(rec.boxed(rec.slots[s]))
    return words


def _sync(rec) -> None:
    """Write back the slots the trace holds (every raw double boxed, as a
    word the recorder knows)."""
    for s in list(rec.modified):
        rec.boxed(rec.modified[s])
    rec.emit("SYNC")


def record_capture(rec, fn: int, a: int, nargs: int, args, tail: bool):
    """A call of %call/cc (closure ref fn) by CALL (tail False) or CALLT
    at R[a]: its capture recorded; (the procedure's ref, [the
    continuation's ref]), the call it makes."""
    from hawk.jit.recorder import Abort
    values = rec.arguments(a, nargs, args)
    if len(values) != 1:
        raise Abort(f"call/cc with {len(values)} arguments")
    if fn >= 0:
        rec.emit("EQ", fn, rec.k(rec.value(fn)))
    f = values[0]
    rec.need_tag(f, V.TAG_CLOSURE, "call/cc")        # (aborts if it is no procedure now)
    delta = rec.delta if tail else rec.delta + a + 2
    link = rec.slot(-1) if tail else rec.k(link_word(rec.func.link, rec.pc + 1, a + 2))
    nb = rec.base + delta
    saved = _stack(rec, nb)
    saved[-1] = rec.value(link)
    _sync(rec)
    frame = rec.emit("FRAME", delta, val=nb << 3, tag=0)
    cont = rec.hp | V.TAG_OBJECT
    closure = rec.hp + 8 * (len(saved) + 2)
    words = [header(T.CONT, 1 + len(saved)), nb << 3, *saved,
             header(T.CLOSURE, 2), rec.vm.cont_func.id << 3, cont]
    rec.hp += 8 * len(words)
    if rec.hp > rec.W[HEND]:
        raise Abort("a continuation that does not fit in the nursery")
    rec.shadow.update(zip(range(cont >> 3, (cont >> 3) + len(words)), words))
    rec.emit("CARG", frame, 0)
    rec.emit("CARG", link, 1)
    k = rec.emit("CALLP", _CAPTURE, 2, val=closure | V.TAG_CLOSURE, tag=V.TAG_CLOSURE)
    rec.captured[k] = delta
    return f, [k]


def record_throw(rec, fn: int, a: int, nargs: int, args) -> int:
    """A call of continuation fn with the arguments of R[a] (or `args`):
    recorded as a return from the frame it continues, guarded to be
    exactly what the interpreter's throw does; the pc to go on at."""
    from hawk.jit.recorder import Abort
    values = rec.arguments(a, nargs, args)
    if len(values) != 1:
        raise Abort(f"a throw of {len(values)} values")
    ci = rec.word((rec.value(fn) >> 3) + 2) >> 3        # the CONT object
    nb = rec.word(ci + 1) >> 3
    delta = nb - rec.base
    saved = [rec.word(ci + 2 + j) for j in range(nb - STACK_LO)]
    now = _stack(rec, nb)
    if saved[:-2] != now[:-2] or saved[-1] != now[-1]:
        raise Abort("a throw to a continuation whose stack has changed")
    if rec.captured.get(fn) != delta:
        # else the trace made it, and has run in its frame or above since:
        # nothing below that frame has changed, no check needed
        if fn >= 0:
            rec.need_tag(fn, V.TAG_CLOSURE, "throw")
            rec.guard_function(fn, rec.vm.cont_func)
        nbw = rec.load(rec.load(fn, 13), 3)
        rec.emit("EQ", nbw, rec.emit("FRAME", delta, val=nb << 3, tag=0))
        _sync(rec)
        rec.emit("CARG", fn, 0)
        rec.emit("EQ", rec.emit("CALLP", _HOLDS, 1, val=V.TRUE), rec.k(V.TRUE))
    # the frame it returns from, and that frame's caller, found (links
    # guarded) before the walk moves: an exit on the way resumes at the throw
    k, d = len(rec.frames), rec.delta
    while d > delta and k:          # inlined frames above the one it returns from
        k -= 1
        d = rec.frames[k][1]
    if k:
        caller = rec.frames[k - 1]
    else:                           # below the trace's start: through the frames' links
        if rec.returns_again():
            return rec.pc
        while d > delta:
            d = rec.return_below(d)[1]
        caller = rec.return_below(delta) if d == delta else None
    if d != delta:
        raise Abort("a throw to a frame inside another")
    del rec.frames[max(k - 1, 0):]
    return rec.ret(values[0], caller)
