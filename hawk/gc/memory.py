"""The native-memory reservation that holds the VM state block, the Scheme
stack and the heap.

One anonymous mmap, reserved big with MAP_NORESERVE (pages are committed by
the kernel on first touch) and never moved, so machine code can keep raw
addresses. Python reads and writes it through memoryviews of several widths
over the same bytes; tagged pointers are byte offsets from its start (see
hawk.vm.values), so the word index of an object is `pointer >> 3`.

Layout (byte offsets):
  [0, PAGE)                  VM state block (word indices below); word 0 unused
  [JIT_START, JIT_END)       data the JIT's machine code reads: heap pointers
                             the traces use as constants (a GC root range,
                             updated in place by the collector) and the exit
                             tables that link traces (code addresses)
  [STATIC_START, STATIC_END) the static space: objects that live as long as
                             the process and never move (load-time
                             constants, symbols, global cells, shared
                             closures; see hawk.gc.heap.Heap.static). The
                             collector scans its objects, so they may point
                             into the semispaces, and Python may hold their
                             words without registering them as roots
  [STACK_START, STACK_END)   the Scheme stack, growing upward
  [SPACE0_START, +SPACE_SIZE) and [SPACE1_START, +SPACE_SIZE)
                             the two heap semispaces of the copying collector
"""
from __future__ import annotations

import ctypes
import mmap

PAGE = 4096
GiB = 1 << 30
MiB = 1 << 20

# VM state block: word indices. Traces read and write these too.
HP = 1          # allocation pointer (byte offset of the next free byte)
HLIMIT = 2      # soft limit: at a safepoint, HP > HLIMIT means "collect now"
HEND = 3        # hard limit: end of the current space; crossing it is fatal
BC_INTERP = 4   # bytecodes executed by the interpreter (counted only under -p)
BC_TRACE = 5    # bytecodes executed inside traces (counted only under -p)
EXIT_TRACE = 6  # number of the trace whose exit returned to Python (traces chain)
EXIT_BASE = 7   # frame register (r14) at that exit, a byte offset
CALL_ARGS = 16   # words 16..31: the arguments of a primitive a trace calls (hawk.jit.callout)
CALL_ARGS_MAX = 16
STATE_WORDS = 32

JIT_START = PAGE
JIT_SIZE = 1 * MiB
JIT_END = JIT_START + JIT_SIZE
STATIC_START = JIT_END
STATIC_SIZE = 512 * MiB              # reserved, not committed; keeps the stack below 2 GiB (imm32)
STATIC_END = STATIC_START + STATIC_SIZE
STACK_START = STATIC_END
STACK_SIZE = 1 * GiB                 # 128 Mi words: ~10^7 frames
STACK_END = STACK_START + STACK_SIZE
SPACE_SIZE = 8 * GiB
SPACE0_START = STACK_END
SPACE1_START = SPACE0_START + SPACE_SIZE
TOTAL_SIZE = SPACE1_START + SPACE_SIZE


# libc's calls through ctypes, one handle for the runtime (hawk.jit.codemem
# and hawk.jit.ks declare theirs on it too)
LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]


class Memory:
    """Owner of the mapping and its typed views.

    W   signed 64-bit words (tagged values, headers)
    U32 unsigned 32-bit (string code points)
    U8  bytes (bytevectors)
    F64 doubles (flonum payloads)
    """

    def __init__(self, size: int = TOTAL_SIZE):
        flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | getattr(mmap, "MAP_NORESERVE", 0)
        self.map = mmap.mmap(-1, size, flags=flags, prot=mmap.PROT_READ | mmap.PROT_WRITE)
        self.size = size
        raw = memoryview(self.map)
        self.U8 = raw
        self.W = raw.cast("q")
        self.U32 = raw.cast("I")
        self.F64 = raw.cast("d")
        self.address = ctypes.addressof(ctypes.c_char.from_buffer(self.map))

    def resident_end(self, start: int, end: int) -> int:
        """The byte offset of the first page in [start, end) (start page
        aligned) that holds no memory (never written, or released), or end.

        Why: the stack above the live top keeps whatever deeper frames
        wrote, and nothing tracks how deep the interpreter or a trace went
        between two collections. Frames are contiguous and each writes its
        first words, so the written part of the stack is one run of resident
        pages from its bottom; mincore(2) finds where that run ends."""
        chunk = 256
        vec = ctypes.create_string_buffer(chunk)
        at = start
        while at < end:
            n = min(chunk, (end - at + PAGE - 1) // PAGE)
            if LIBC.mincore(ctypes.c_void_p(self.address + at), n * PAGE, vec) != 0:
                raise OSError(ctypes.get_errno(), "mincore failed")
            for k, flag in enumerate(vec.raw[:n]):
                if not flag & 1:
                    return at + k * PAGE
            at += n * PAGE
        return end

    def release(self, start: int, length: int) -> None:
        """Give the pages of [start, start+length) back to the kernel (they
        read as zero afterwards). Used for the from-space after a collection."""
        start &= ~(PAGE - 1)
        length = (length + PAGE - 1) & ~(PAGE - 1)
        if length > 0 and hasattr(self.map, "madvise"):
            self.map.madvise(mmap.MADV_DONTNEED, start, length)
