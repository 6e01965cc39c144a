"""Clearing the dead slots of suspended frames before a collection (see
VM.clear_dead_slots), in Python and as machine code.

Why machine code: every collection walks every frame below the running
one, and a deep recursion has hundreds. The Python walk cost ~0.6 us a
frame: primes (~820 frames deep at each of its 44 collections) spent
~25 ms of its ~27 ms of "gc" in it, and the copy itself 1.5 ms. The
native walk reads the same per-call-site liveness (Func.dead_slots) from
native tables, built for a function the first time one of its frames is
met; `clear_python` stays as the specification (tests/test_deadslots.py
runs both on the same stacks) and for machines without the JIT's back end.

A function's table is one int64 array: entry `pc` (a return pc, as a
frame link holds it) is 0, or the index in the same array of that call
site's dead slots, a list ended by -1. The walker finds a function's
table through an index by function id: 0 not built yet, 1 no dead slots
at all (native functions, most small ones) or asked for by this walk,
else the table's address.

The walker, `int64 walk(membase, params)`, params = [byte offset of the
running frame's base, index address, "asked" buffer address, number of
functions]; returns how many function ids it wrote to the "asked"
buffer, one per function met without a table (its index entry is made 1,
so it is asked for once). A code word that is no function id (which the
Python walk would fail on) leaves its frame alone rather than reading
outside the index. The caller builds the asked tables and walks again;
the second walk clears what the first had to skip (clearing twice is
harmless).

    rdi membase   r8 base (bytes)   r9 index   r10 its length
    r11 asked     rdx their count
"""
from __future__ import annotations

import ctypes
import os
from array import array

from hawk.vm import values as V
from hawk.vm.bytecode import HOST_LINK, LINK_PC_MASK, LINK_UP_MASK, link_pc

NONE = 1


def clear_python(W, funcs, base: int) -> None:
    """Overwrite, in every frame suspended below the frame at word index
    `base`, the slots Func.dead_slots lists for the call it waits on."""
    link = W[base - 1]
    while link != HOST_LINK:
        base -= (link >> 3) & LINK_UP_MASK
        dead = funcs[W[(W[base - 2] >> 3) + 1] >> 3].dead_slots.get(link_pc(link))
        if dead:
            for r in dead:
                W[base + r] = V.DEAD
        link = W[base - 1]


def table(f) -> array | None:
    """f's native table (see the module docstring), None if no call of f
    leaves a dead slot."""
    if not f.dead_slots:
        return None
    words = array("q", bytes(8 * (len(f.code) + 1)))
    for pc, slots in f.dead_slots.items():
        words[pc] = len(words)
        words.extend(slots)
        words.append(-1)
    return words


def _code():
    """The walker's template lines."""
    from hawk.jit import x64
    from hawk.jit.x64 import Mem, Reg as R
    M = R.RDI
    return [
        x64.mov_rm(R.R8, Mem(R.RSI)),
        x64.mov_rm(R.R9, Mem(R.RSI, disp=8)),
        x64.mov_rm(R.R11, Mem(R.RSI, disp=16)),
        x64.mov_rm(R.R10, Mem(R.RSI, disp=24)),
        x64.mov32_ri(R.RDX, 0),
        x64.label(".Lframe"),
        x64.mov_rm(R.RAX, Mem(M, R.R8, 1, -8)),         # the link
        x64.cmp_ri(R.RAX, HOST_LINK),
        x64.je(".Ldone"),
        x64.mov_rr(R.RCX, R.RAX),
        x64.and_ri(R.RCX, LINK_UP_MASK << 3),              # the caller is that many words below
        x64.sub_rr(R.R8, R.RCX),
        x64.mov_rm(R.RCX, Mem(M, R.R8, 1, -16)),        # its closure,
        x64.and_ri(R.RCX, -8),
        x64.mov_rm(R.RCX, Mem(M, R.RCX, 1, 8)),         # its code word: the function id
        x64.shr_ri(R.RCX, 3),
        x64.cmp_rr(R.RCX, R.R10),                        # not a function id: leave the frame
        x64.jae(".Lframe"),
        x64.mov_rm(R.RSI, Mem(R.R9, R.RCX, 8)),
        x64.cmp_ri(R.RSI, NONE),
        x64.je(".Lframe"),
        x64.jb(".Lask"),                                 # not built yet
        x64.shr_ri(R.RAX, 19),                           # the return pc (link_pc)
        x64.and_ri(R.RAX, LINK_PC_MASK),
        x64.mov_rm(R.RAX, Mem(R.RSI, R.RAX, 8)),
        x64.test_rr(R.RAX, R.RAX),
        x64.je(".Lframe"),
        x64.lea(R.RAX, Mem(R.RSI, R.RAX, 8)),            # the call site's dead slots
        x64.lea(R.RSI, Mem(M, R.R8)),                    # the frame's base address
        x64.label(".Lslot"),
        x64.mov_rm(R.RCX, Mem(R.RAX)),
        x64.test_rr(R.RCX, R.RCX),
        x64.jl(".Lframe"),
        x64.mov_mi(Mem(R.RSI, R.RCX, 8), V.DEAD),
        x64.add_ri(R.RAX, 8),
        x64.jmp(".Lslot"),
        x64.label(".Lask"),
        x64.mov_mi(Mem(R.R9, R.RCX, 8), NONE),
        x64.mov_mr(Mem(R.R11, R.RDX, 8), R.RCX),
        x64.add_ri(R.RDX, 1),
        x64.jmp(".Lframe"),
        x64.label(".Ldone"),
        x64.mov_rr(R.RAX, R.RDX),
        x64.ret(),
    ]


_WALKER: list = []


def _walker():
    """The walker as a function, assembled once per process."""
    if not _WALKER:
        from hawk.jit.codemem import CodeMemory
        code = CodeMemory(4096)
        _WALKER.append(code.entry(code.install(_code())))
        _WALKER.append(code)                    # keeps the pages mapped
    return _WALKER[0]


class NativeClearer:
    """clear_python as machine code, with the tables it reads; one per VM
    (function ids are the VM's)."""

    def __init__(self):
        self._fn = _walker()
        self._index = (ctypes.c_int64 * 0)()
        self._asked = (ctypes.c_int64 * 0)()
        self._tables: list[array] = []          # kept alive: the index holds their addresses
        self._params = (ctypes.c_int64 * 4)()

    def __call__(self, vm, base: int) -> None:
        funcs = vm.funcs
        if len(self._index) < len(funcs):
            self._grow(2 * len(funcs))
        params = self._params
        params[0] = base << 3
        params[1] = ctypes.addressof(self._index)
        params[2] = ctypes.addressof(self._asked)
        params[3] = len(funcs)
        while asked := self._fn(vm.mem.address, ctypes.addressof(params)):
            for fid in self._asked[:asked]:
                words = table(funcs[fid])
                if words is not None:
                    self._tables.append(words)
                    self._index[fid] = words.buffer_info()[0]

    def _grow(self, n: int) -> None:
        index = (ctypes.c_int64 * n)()
        index[:len(self._index)] = self._index[:]
        self._index = index
        self._asked = (ctypes.c_int64 * n)()


def clearer():
    """A NativeClearer, or None where the JIT's back end is unavailable or
    HAWK_GC=python asks for the Python loops (as for hawk.gc.native)."""
    from hawk.jit.options import JitOptions
    if os.environ.get("HAWK_GC", "native") == "python" or not JitOptions.supported():
        return None
    try:
        return NativeClearer()
    except (ImportError, OSError):
        return None
