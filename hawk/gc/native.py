"""The copying collector's loop as machine code (x86-64, through the JIT's
templates and keystone), with hawk.gc.collector as its specification.

Why: the Python loop costs about a microsecond per live object. The
primes benchmark keeps ~100 KiB live and collected 5 times in 27-32 ms,
more than Chez's whole run; a program with megabytes live would pause for
seconds. The algorithm is collector.copy_live's exactly, word for word
(same roots, same order, same forwarding words), so the two can be run on
the same heap and compared (tests/test_native_gc.py), and the Python one
remains for machines where the JIT's back end is missing.

What stays in Python: the roots that live in Python objects (root_lists,
root_dicts). Their words are copied into a buffer, forwarded there as one
more root range, and sliced back (NativeCopier.__call__).
The sweepers (weak tables) run afterwards as before.

The code (one function, `int64 copy(membase, params)`; params are words
in a buffer: to-space start, from-space [lo, hi), the address of the
per-type scan table, the static space's objects [lo, hi), the length in
bytes of the root ranges, then the root ranges as byte-offset pairs, all
offsets relative to membase; returns the new allocation pointer):

    r15 membase   rbx free     r12 lo   r13 hi   r14 scan table
    rbp  root cursor, then the static objects', then to-space's scan pointer
    r10, r11  the words [r10, r11) that .Lrange forwards in place
    .Lfwd  rax = forward(rax); clobbers rcx, rdx, rsi, rdi, r8, r9
"""
from __future__ import annotations

import ctypes
import os
from array import array
from itertools import chain

from hawk.gc.memory import STATIC_START
from hawk.vm.objects import ALL, SCANNED, T

FORWARD = int(T.FORWARD)
_PARAMS = 7                   # words before the root ranges


def _code():
    """The copy function's template lines."""
    from hawk.jit import x64
    from hawk.jit.x64 import Mem, Reg
    R = Reg
    M15 = R.R15
    lines = [*(x64.push_r(r) for r in x64.CALLEE_SAVED),
             x64.mov_rr(M15, R.RDI),
             x64.mov_rm(R.RBX, Mem(R.RSI)),
             x64.mov_rm(R.R12, Mem(R.RSI, disp=8)),
             x64.mov_rm(R.R13, Mem(R.RSI, disp=16)),
             x64.mov_rm(R.R14, Mem(R.RSI, disp=24)),
             x64.push_r(R.RSI),
             x64.mov32_ri(R.RBP, 0),
             # the root ranges: params[6] is their length in bytes
             x64.label(".Lroots"),
             x64.mov_rm(R.RSI, Mem(R.RSP)),
             x64.cmp_rm(R.RBP, Mem(R.RSI, disp=48)),
             x64.jge(".Lstatic0"),
             x64.mov_rm(R.R10, Mem(R.RSI, R.RBP, 1, 8 * _PARAMS)),
             x64.mov_rm(R.R11, Mem(R.RSI, R.RBP, 1, 8 * _PARAMS + 8)),
             x64.add_ri(R.RBP, 16),
             x64.call(".Lrange"),
             x64.jmp(".Lroots"),
             # the static space's objects, params[4] to params[5]
             x64.label(".Lstatic0"),
             x64.mov_rm(R.RBP, Mem(R.RSI, disp=32)),
             x64.label(".Lstatic"),
             x64.mov_rm(R.RSI, Mem(R.RSP)),
             x64.cmp_rm(R.RBP, Mem(R.RSI, disp=40)),
             x64.jge(".Lscan0"),
             x64.call(".Lobject"),
             x64.jmp(".Lstatic"),
             # Cheney's scan of to-space, up to the moving free pointer
             x64.label(".Lscan0"),
             x64.pop_r(R.RSI),
             x64.mov_rm(R.RBP, Mem(R.RSI)),
             x64.label(".Lscan"),
             x64.cmp_rr(R.RBP, R.RBX),
             x64.jge(".Ldone"),
             x64.call(".Lobject"),
             x64.jmp(".Lscan"),
             x64.label(".Ldone"),
             x64.mov_rr(R.RAX, R.RBX),
             *(x64.pop_r(r) for r in reversed(x64.CALLEE_SAVED)),
             x64.ret(),
             # forward the pointer fields of the object at rbp; rbp = the
             # next one; falls into .Lrange, which returns to the caller
             x64.label(".Lobject"),
             x64.mov_rm(R.R8, Mem(M15, R.RBP)),
             x64.movzx8_rm(R.R9, Mem(M15, R.RBP)),
             x64.mov_rm(R.R9, Mem(R.R14, R.R9, 8)),      # words to scan, or ALL
             x64.shr_ri(R.R8, 16),                        # payload size
             x64.cmp_ri(R.R9, ALL),
             x64.cmove_rr(R.R9, R.R8),
             x64.lea(R.R10, Mem(R.RBP, disp=8)),
             x64.lea(R.R11, Mem(R.R10, R.R9, 8)),
             x64.lea(R.RBP, Mem(R.R10, R.R8, 8)),
             # forward every word of [r10, r11) in place
             x64.label(".Lrange"),
             x64.cmp_rr(R.R10, R.R11),
             x64.jge(".Lrdone"),
             x64.mov_rm(R.RAX, Mem(M15, R.R10)),
             x64.call(".Lfwd"),
             x64.mov_mr(Mem(M15, R.R10), R.RAX),
             x64.add_ri(R.R10, 8),
             x64.jmp(".Lrange"),
             x64.label(".Lrdone"),
             x64.ret(),
             # rax = forward(rax): a pointer tag (1..5) into from-space
             x64.label(".Lfwd"),
             x64.mov_rr(R.RCX, R.RAX),
             x64.and_ri(R.RCX, 7),
             x64.je(".Lkeep"),
             x64.cmp_ri(R.RCX, 6),
             x64.jge(".Lkeep"),
             x64.cmp_rr(R.RAX, R.R12),
             x64.jl(".Lkeep"),
             x64.cmp_rr(R.RAX, R.R13),
             x64.jge(".Lkeep"),
             x64.mov_rr(R.RDX, R.RAX),
             x64.and_ri(R.RDX, -8),
             x64.mov_rm(R.R8, Mem(M15, R.RDX)),
             x64.movzx8_rm(R.R9, Mem(M15, R.RDX)),
             x64.cmp_ri(R.R9, FORWARD),
             x64.jne(".Lcopy"),
             x64.mov_rm(R.RAX, Mem(M15, R.RDX, 1, 8)),   # already copied: its new word
             x64.or_rr(R.RAX, R.RCX),
             x64.label(".Lkeep"),
             x64.ret(),
             x64.label(".Lcopy"),
             x64.shr_ri(R.R8, 16),
             x64.add_ri(R.R8, 1),                         # header and payload words
             x64.lea(R.RSI, Mem(M15, R.RDX)),
             x64.lea(R.RDI, Mem(M15, R.RBX)),
             x64.lea(R.RAX, Mem(R.RBX, R.RCX)),           # the new word, tagged
             x64.label(".Lcopy1"),
             x64.mov_rm(R.R9, Mem(R.RSI)),
             x64.mov_mr(Mem(R.RDI), R.R9),
             x64.add_ri(R.RSI, 8),
             x64.add_ri(R.RDI, 8),
             x64.sub_ri(R.R8, 1),
             x64.jne(".Lcopy1"),
             x64.mov_mi(Mem(M15, R.RDX), FORWARD),
             x64.mov_mr(Mem(M15, R.RDX, 1, 8), R.RBX),
             x64.sub_rr(R.RDI, M15),
             x64.mov_rr(R.RBX, R.RDI),
             x64.ret()]
    return lines


class NativeCopier:
    """collector.copy_live as machine code; one per process (see `copier`)."""

    def __init__(self):
        from hawk.jit.codemem import CodeMemory
        self._code = CodeMemory(4096)
        self._fn = self._code.entry(self._code.install(_code()))
        table = [0] * 256
        for t, n in SCANNED.items():
            table[int(t)] = n
        self._table = (ctypes.c_int64 * 256)(*table)
        self._params = (ctypes.c_int64 * 0)()

    def __call__(self, heap, to: int, stack_lo: int, stack_hi: int, space: tuple[int, int]) -> int:
        """Same contract as hawk.gc.collector.copy_live.

        The Python-held roots go over in bulk: every word of every root list,
        then every value of every root dict, is copied (in C, by `array`)
        into one native buffer, which the machine code forwards as its last
        root range (it skips non-pointers and words outside from-space, as
        the Python loop does), and is then sliced back into the lists and
        dicts. A Python loop picking out the pointer words cost ~0.6 ms a
        collection (deriv: ~1900 of them in 670 lists and 2 dicts), 20x the
        copy itself, which made a small nursery cost more than it saved."""
        lo, hi = space
        lists, dicts = heap.root_lists, heap.root_dicts
        held = array("q", chain(chain.from_iterable(lists), *(d.values() for d in dicts)))
        base = heap.mem.address
        held_at = held.buffer_info()[0] - base
        ranges = [(stack_lo, stack_hi), *map(tuple, heap.root_ranges),
                  (held_at, held_at + 8 * len(held))]
        params = [to, lo, hi, ctypes.addressof(self._table), STATIC_START, heap.static_top,
                  16 * len(ranges)]
        for r in ranges:
            params.extend(r)
        if len(self._params) < len(params):
            self._params = (ctypes.c_int64 * (2 * len(params)))()
        self._params[:len(params)] = params
        free = self._fn(base, ctypes.addressof(self._params))
        at = 0
        for lst in lists:
            n = len(lst)
            lst[:] = held[at:at + n]
            at += n
        for d in dicts:
            n = len(d)
            d.update(zip(tuple(d), held[at:at + n]))
            at += n
        return free


_COPIER: list = []


def copier():
    """The native copy function, made on first use; None where the JIT's
    back end is unavailable (not x86-64 Linux, keystone missing) or when
    HAWK_GC=python asks for the Python loop."""
    if not _COPIER:
        from hawk.jit.options import JitOptions
        made = None
        if os.environ.get("HAWK_GC", "native") != "python" and JitOptions.supported():
            try:
                made = NativeCopier()
            except (ImportError, OSError):
                made = None
        _COPIER.append(made)
    return _COPIER[0]
