"""Executable code memory for traces, and the convention for entering them.

Pages: one anonymous mmap per CodeMemory, bump-allocated in 16-byte aligned
blocks. The pages are kept W^X: read+execute normally, switched to
read+write only for the pages a `commit` or `patch` touches, and back.
Measured on this machine, an mprotect RW + RX round trip costs ~8 us (two
syscalls and the Python around them), while emitting and assembling a
100-instruction trace costs ~400 us (see hawk.jit.assembler), so toggling is
noise; it buys a crash instead of silent corruption when a stray store hits
code, and RWX mappings are refused outright by hardened kernels (SELinux
execmem, PaX). x86 keeps instruction fetch coherent with stores, so no cache
flush is needed after writing. When the space is full, `commit` raises
CodeMemoryFull; the JIT then drops every trace and calls `flush()`, which
starts over after the kept blocks (the gate); the old bytes become int3,
so a stale entry traps instead of running garbage.

Blocks are assembled at their final address (see hawk.jit.assembler), so
the caller asks `next_address`, assembles there and commits; `install`
does both.

Calling convention for entering a trace from Python: every trace is
entered through one shared gate (`install_gate`), a cffi function pointer
of C type `int64_t (*)(int64_t base, int64_t state, int64_t target)`,
called with the System V ABI:

  rdi = base    the Memory base address (`Memory().address`)
  rsi = state   a byte OFFSET from base: the interpreter's current frame
                (the Scheme stack slots the trace reads and writes)
  rdx = target  the address of the trace code to run
  rax = the exit number the trace left through (what the call returns)

The gate pushes the callee-saved rbx, rbp, r12-r15, reserves the spill
area, pins

  r15 = MEMBASE = the memory base: every heap/stack access is
        [r15 + offset] or [r15 + index*scale + disp] with a tagged pointer
        or offset, exactly as hawk.vm.values lays them out;
  r14 = FRAME   = the frame offset (`state`), so slot i is
        [r15 + r14 + 8*i],

and calls the target. Inside a trace rsp is 16-byte aligned (it can call C
helpers), [rsp] is the return address into the gate and the spill area is
[rsp + 8, rsp + 8 + spill_bytes). A trace leaves with its exit number in
rax by `ret`, back into the gate, which restores the registers and returns
to Python. Offsets, not absolute pointers, everywhere except r15: tagged
pointers are offsets, so values move between registers, the stack and the
heap with no rebasing. The trace body may use every other register (rbx,
rbp, r12, r13 included: the gate saved them). By convention the register
allocator leaves r11 (x64.SCRATCH) for absolute addresses (`movabs r11,
target; call r11`).

Why one gate and not a prologue and epilogue in every trace: a side trace
is entered through its parent's exit and a linked one by a jump, so its
own prologue would be dead code, yet it was ~15 of the lines keystone
assembled for every trace (fib: 75 of 341).

An entry is a bare cffi pointer: it does not keep its CodeMemory alive, and
nothing is unmapped until `close()`.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import ctypes
import mmap
import struct

import _cffi_backend

from hawk.gc.memory import LIBC
from hawk.jit import x64
from hawk.jit.assembler import assemble
from hawk.jit.x64 import Asm, Mem, Reg

# The page calls go through ctypes (already loaded by hawk.gc.memory) and
# the two C function types through cffi's own backend, built directly:
# `cffi.FFI()` imports and sets up pycparser, ~35 ms measured on this
# machine, which a benchmark paid inside its timed run when its first trace
# was compiled; the backend builds these types in microseconds, and cffi
# calls into traces are ~0.4 us cheaper than ctypes calls.
LIBC.mmap.restype = ctypes.c_void_p
LIBC.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                      ctypes.c_int, ctypes.c_long]
LIBC.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
LIBC.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
_MAP_FAILED = 2**64 - 1

PAGE = mmap.PAGESIZE
RX = mmap.PROT_READ | mmap.PROT_EXEC
RW = mmap.PROT_READ | mmap.PROT_WRITE
ALIGN = 16
INT3 = 0xCC

_INT64 = _cffi_backend.new_primitive_type("int64_t")
_UINTPTR = _cffi_backend.new_primitive_type("uintptr_t")
ENTRY_TYPE = _cffi_backend.new_function_type((_INT64, _INT64), _INT64, False)
"""int64_t (*)(int64_t, int64_t): a block of code as a function, and the call-out callback."""
GATE_TYPE = _cffi_backend.new_function_type((_INT64, _INT64, _INT64), _INT64, False)
"""int64_t (*)(int64_t, int64_t, int64_t): the gate (base, state, target)."""
MEMBASE = Reg.R15
FRAME = Reg.R14


class CodeMemoryFull(Exception):
    """The block does not fit; flush() and assemble again."""


class CodeMemory:
    """An mmap'd region of executable code with bump allocation."""

    def __init__(self, size: int = 16 << 20):
        self.size = (size + PAGE - 1) & ~(PAGE - 1)
        ptr = LIBC.mmap(None, self.size, RX, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, -1, 0)
        if ptr is None or ptr == _MAP_FAILED:
            raise OSError(ctypes.get_errno(), f"mmap of {self.size} bytes of code memory failed")
        self._ptr = ptr
        self.address = ptr
        self.used = 0
        self.kept = 0                  # bytes at the start that survive flush (the gate)

    @property
    def next_address(self) -> int:
        """Where the next committed block will start."""
        return self.address + ((self.used + ALIGN - 1) & ~(ALIGN - 1))

    def commit(self, code: bytes) -> int:
        """Copy `code` (assembled for next_address) there; its address."""
        address = self.next_address
        offset = address - self.address
        if offset + len(code) > self.size:
            raise CodeMemoryFull(f"{len(code)} bytes do not fit in {self.size}-byte code memory")
        self._write(offset, code)
        self.used = offset + len(code)
        return address

    def install(self, lines: Sequence[Asm]) -> int:
        """Assemble template lines at next_address and commit them."""
        return self.commit(assemble(lines, self.next_address))

    def install_labelled(self, lines: Sequence[Asm], labels: Sequence[str]) -> tuple[int, int, list[int]]:
        """install `lines` followed by a table of the addresses of `labels`
        (other code jumps there: a parent's exit table, linking traces), in
        one keystone call; assembling the code up to each label to measure
        it took one more call per label (nqueens' 16 traces under cProfile:
        48 calls, 10 ms, against 16 calls, 5-6 ms). (address, size of the
        code without the table, the labels' addresses)."""
        address = self.install([*lines, *(x64.quad_label(name) for name in labels)])
        size = self.used - (address - self.address) - 8 * len(labels)
        return address, size, list(struct.unpack(f"<{len(labels)}Q", self.read(address + size, 8 * len(labels))))

    def patch(self, address: int, code: bytes) -> None:
        """Overwrite committed code at `address` (e.g. to link an exit)."""
        self._write(self._offset(address, len(code)), code)

    def keep(self) -> None:
        """Make every block committed so far permanent: flush keeps it."""
        self.kept = self.used

    def flush(self) -> None:
        """Forget every block but the kept ones; their space is reused."""
        self._write(self.kept, bytes([INT3]) * (self.used - self.kept))
        self.used = self.kept

    def read(self, address: int, size: int) -> bytes:
        """Bytes of the region (committed or not), e.g. for disassembly."""
        return ctypes.string_at(self._ptr + self._offset(address, size, self.size), size)

    def entry(self, address: int) -> Callable[[int, int], int]:
        """The block at `address` as a function (base, state) -> exit number."""
        self._offset(address, 1)
        return _cffi_backend.cast(ENTRY_TYPE, address)

    def close(self) -> None:
        """Unmap the pages; every entry becomes invalid."""
        if self._ptr is not None:
            LIBC.munmap(self._ptr, self.size)
            self._ptr = None

    def _offset(self, address: int, size: int, limit: int | None = None) -> int:
        """The offset of [address, address+size), checked to lie within the
        first `limit` bytes (default: the committed code)."""
        offset = address - self.address
        if not 0 <= offset <= offset + size <= (self.used if limit is None else limit):
            raise ValueError(f"{size} bytes at {address:#x} are outside the code")
        return offset

    def _write(self, offset: int, code: bytes) -> None:
        """Copy with the pages of [offset, offset+len) RW, then RX again."""
        if not code:
            return
        start = offset & ~(PAGE - 1)
        length = ((offset + len(code) + PAGE - 1) & ~(PAGE - 1)) - start
        self._protect(start, length, RW)
        try:
            ctypes.memmove(self._ptr + offset, code, len(code))
        finally:
            self._protect(start, length, RX)

    def _protect(self, start: int, length: int, prot: int) -> None:
        if LIBC.mprotect(self._ptr + start, length, prot) != 0:
            raise OSError(ctypes.get_errno(), "mprotect of code memory failed")


def install_gate(code: CodeMemory, spill_bytes: int, counter: tuple[Reg, int] | None = None):
    """Install the gate into traces (see the module docstring) in `code`;
    the cffi function (base, state, target) -> exit number. `spill_bytes`
    of spill area (rounded up to 16); `counter` = (register, state block
    byte offset): a register the traces count in, loaded from that word
    before the call and stored back after it (-p's BC_TRACE)."""
    frame = (spill_bytes + 15) & ~15     # 8 (return) + 6 pushes + frame + 8 (call): rsp % 16 == 0
    load, store = [], []
    if counter is not None:
        reg, disp = counter
        load, store = [x64.mov_rm(reg, Mem(MEMBASE, disp=disp))], [x64.mov_mr(Mem(MEMBASE, disp=disp), reg)]
    lines = [*(x64.push_r(r) for r in x64.CALLEE_SAVED),
             x64.sub_ri(Reg.RSP, frame),
             x64.mov_rr(MEMBASE, Reg.RDI),
             x64.mov_rr(FRAME, Reg.RSI),
             *load,
             x64.call_r(Reg.RDX),
             *store,
             x64.add_ri(Reg.RSP, frame),
             *(x64.pop_r(r) for r in reversed(x64.CALLEE_SAVED)),
             x64.ret()]
    gate = _cffi_backend.cast(GATE_TYPE, code.install(lines))
    code.keep()
    return gate


def callback(fn: Callable[[int, int], int], error: int):
    """A C function pointer of ENTRY_TYPE that calls fn (returning `error`
    if fn raises); keep the returned object alive while code calls it.
    Its address is `address_of(...)`."""
    return _cffi_backend.callback(ENTRY_TYPE, fn, error)


def address_of(pointer) -> int:
    """The address of a cffi function pointer."""
    return int(_cffi_backend.cast(_UINTPTR, pointer))
