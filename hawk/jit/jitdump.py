"""A jitdump file for `perf inject --jit`: every trace's machine code, name
and source line, so `perf annotate` can show the instructions of a trace.

Why both this and the perf map (hawk.jit.jit.Jit.dump): the map names
address ranges, which is enough for `perf report`; perf can only show the
instructions inside a range if it has the bytes, and trace code is gone
when the process exits. The jitdump format (Linux
tools/perf/Documentation/jitdump-specification.txt) carries them: a file
header, then one record per event. `perf record -k mono` notices the file
because the process maps it executable (an mmap event with its name), and
`perf inject --jit` turns each code-load record into a small ELF image.

Records written: DEBUG_INFO (the trace's function file:line, just before
its code) and CODE_LOAD (name, address, bytes). Timestamps are
CLOCK_MONOTONIC nanoseconds, the clock `perf record -k mono` uses.
"""
from __future__ import annotations

import mmap
import os
import struct
import threading
import time

MAGIC = 0x4A695444          # "JiTD" read as a little-endian u32
VERSION = 1
EM_X86_64 = 62
CODE_LOAD = 0
CODE_DEBUG_INFO = 2

_FILE_HEADER = struct.Struct("<IIIIIIQQ")    # magic version size elf_mach pad pid timestamp flags
_RECORD_HEADER = struct.Struct("<IIQ")       # id total_size timestamp
_LOAD = struct.Struct("<IIQQQQ")             # pid tid vma code_addr code_size code_index
_DEBUG = struct.Struct("<QQ")                # code_addr nr_entry
_DEBUG_ENTRY = struct.Struct("<QII")         # addr line discriminator (then the file name)


def _now() -> int:
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


class JitDump:
    """An open jit-PID.dump in `directory`; one code-load record per trace.
    Records are written unbuffered, so the file is complete whenever the
    process stops (the optional close record is not needed by perf)."""

    def __init__(self, directory: str = "/tmp"):
        self.pid = os.getpid()
        self.path = os.path.join(directory, f"jit-{self.pid}.dump")
        self.file = open(self.path, "w+b", buffering=0)     # mmap needs read access
        self.file.write(_FILE_HEADER.pack(MAGIC, VERSION, _FILE_HEADER.size, EM_X86_64, 0,
                                          self.pid, _now(), 0))
        # The executable mapping is the marker perf record looks for; it is
        # never read through, only kept alive as long as the file is open.
        self._marker = mmap.mmap(self.file.fileno(), _FILE_HEADER.size, flags=mmap.MAP_PRIVATE,
                                 prot=mmap.PROT_READ | mmap.PROT_EXEC)
        self.index = 0

    def _record(self, kind: int, body: bytes) -> None:
        self.file.write(_RECORD_HEADER.pack(kind, _RECORD_HEADER.size + len(body), _now()) + body)

    def code_load(self, name: str, address: int, code: bytes,
                  source: tuple[str, int] | None = None) -> None:
        """Record `code`, which runs at `address`, under `name`; `source` is
        the (file, line) the whole range is attributed to."""
        if source is not None:
            file, line = source
            self._record(CODE_DEBUG_INFO, _DEBUG.pack(address, 1) +
                         _DEBUG_ENTRY.pack(address, line, 0) + file.encode() + b"\0")
        self._record(CODE_LOAD, _LOAD.pack(self.pid, threading.get_native_id(), address, address,
                                           len(code), self.index) + name.encode() + b"\0" + code)
        self.index += 1


def read_records(path: str) -> tuple[tuple, list]:
    """(file header fields, [(kind, body bytes), ...]): for tests and tools."""
    with open(path, "rb") as fh:
        data = fh.read()
    header = _FILE_HEADER.unpack_from(data, 0)
    records, at = [], header[2]
    while at < len(data):
        kind, size, _ = _RECORD_HEADER.unpack_from(data, at)
        records.append((kind, data[at + _RECORD_HEADER.size:at + size]))
        at += size
    return header, records
