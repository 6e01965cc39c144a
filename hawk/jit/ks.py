"""A minimal ctypes binding to the keystone library (x86-64, AT&T syntax).

Why not `import keystone`: its Python module loads the library the same
way but first imports inspect and platform and the constants of nine
architectures; with the first trace compiled inside a program's timed run,
that cost (about 5 ms with cached bytecode, more without) was paid in the
middle of every benchmark. This binding loads the libkeystone shared
library that ships inside the keystone-engine package (found without
running the package) and declares only the calls hawk.jit.assembler makes:
ks_open, ks_option (the symbol resolver of its error diagnosis), ks_asm,
ks_free, ks_errno, ks_strerror. keystone-engine stays the dependency.

The constants are keystone's C API (keystone.h, API 0.9). An engine
assembles Intel syntax on x86 unless told otherwise; Engine tells it AT&T,
the syntax of hawk.jit.x64's templates, which keystone parses in ~20% less
time (memory operands most: ~2.0 against ~3.2 us a load).
"""
from __future__ import annotations

import ctypes
import importlib.util
import os
import threading
from ctypes import POINTER, byref, c_bool, c_char_p, c_int, c_size_t, c_ubyte, c_uint, c_uint64, c_void_p

ARCH_X86 = 4
MODE_64 = 8
OPT_SYNTAX = 1
OPT_SYNTAX_ATT = 2
OPT_SYM_RESOLVER = 2
ERR_OK = 0
ERR_ASM_SYMBOL_MISSING = 144

# a symbol resolver: (name, out value) -> whether the symbol is known
RESOLVER = ctypes.CFUNCTYPE(c_bool, c_char_p, POINTER(c_uint64))


class KsError(Exception):
    """keystone refused: errno is its error number, str() its message
    (`lib`: the library to ask for it, on the preload thread)."""

    def __init__(self, errno: int, lib=None):
        super().__init__((lib or _lib()).ks_strerror(errno).decode())
        self.errno = errno


_LIB = None
_PRELOAD = None     # the thread of preload(), joined before the library is used
_WARM = None        # an engine handle preload() opened and warmed, for the first Engine
RTLD_NOW = 2        # ctypes' own mode on Linux: RTLD_NOW | RTLD_LOCAL (0)


def preload() -> None:
    """Start mapping libkeystone on another thread (the JIT calls this when
    it is made, at start-up). The dlopen takes ~3 ms (a 7 MB C++ library:
    relocations and static constructors) and used to land inside the
    program's run, at its first trace. ctypes.CDLL holds the GIL through
    dlopen (CPython 3.11), so the thread calls libc's dlopen as a ctypes
    foreign function, which releases it: the load overlaps the front end on
    a second core. _lib's own dlopen then finds the library mapped. The
    thread then opens an engine and assembles one `nop` with it (foreign
    calls too): keystone's ks_open and its first ks_asm took ~0.2 ms each,
    also inside the program's run; the first Engine takes that handle."""
    global _PRELOAD
    if _PRELOAD is None and _LIB is None:
        _PRELOAD = threading.Thread(target=_map_library, name="hawk-keystone-preload", daemon=True)
        _PRELOAD.start()


def _map_library() -> None:
    global _WARM
    try:
        from hawk.gc.memory import LIBC
        LIBC.dlopen.restype = c_void_p
        LIBC.dlopen.argtypes = (c_char_p, c_int)
        LIBC.dlopen(os.fsencode(library_path()), RTLD_NOW)    # handle kept: stays mapped
        lib = _bind()
        handle = _open(lib)
        out, size, count = POINTER(c_ubyte)(), c_size_t(), c_size_t()
        if lib.ks_asm(handle, b"nop", 0, byref(out), byref(size), byref(count)) == ERR_OK:
            lib.ks_free(out)
        _WARM = handle
    except (ImportError, OSError, AttributeError, KsError):
        pass        # _lib reports it, on the main thread, if the JIT gets that far


def library_path() -> str:
    """libkeystone.so inside the installed keystone-engine package."""
    spec = importlib.util.find_spec("keystone")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the keystone-engine package is not installed")
    return os.path.join(spec.submodule_search_locations[0], "libkeystone.so")


def _lib():
    global _LIB
    if _LIB is None:
        if _PRELOAD is not None:
            _PRELOAD.join()
        _LIB = _bind()
    return _LIB


def _bind():
    """The library, with the signatures of the calls hawk makes."""
    lib = ctypes.CDLL(library_path())
    for name, res, args in (
            ("ks_open", c_int, (c_uint, c_uint, POINTER(c_void_p))),
            ("ks_close", c_int, (c_void_p,)),
            ("ks_option", c_int, (c_void_p, c_int, c_void_p)),
            ("ks_asm", c_int, (c_void_p, c_char_p, c_uint64, POINTER(POINTER(c_ubyte)),
                               POINTER(c_size_t), POINTER(c_size_t))),
            ("ks_free", None, (POINTER(c_ubyte),)),
            ("ks_errno", c_int, (c_void_p,)),
            ("ks_strerror", c_char_p, (c_int,))):
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


def _open(lib) -> c_void_p:
    """A new x86-64 engine handle, reading AT&T syntax."""
    handle = c_void_p()
    status = lib.ks_open(ARCH_X86, MODE_64, byref(handle))
    if status != ERR_OK:
        raise KsError(status, lib)
    status = lib.ks_option(handle, OPT_SYNTAX, OPT_SYNTAX_ATT)
    if status != ERR_OK:
        lib.ks_close(handle)
        raise KsError(status, lib)
    return handle


class Engine:
    """One keystone engine for x86-64. resolver: called with each symbol
    the text uses but does not define (see RESOLVER); kept alive here."""

    _h = None

    def __init__(self, resolver=None):
        global _WARM
        lib = _lib()
        self._lib = lib
        if _WARM is not None and resolver is None:
            self._h, _WARM = _WARM, None
        else:
            self._h = _open(lib)
        self._resolver = None
        if resolver is not None:
            self._resolver = RESOLVER(resolver)
            status = lib.ks_option(self._h, OPT_SYM_RESOLVER,
                                   ctypes.cast(self._resolver, c_void_p))
            if status != ERR_OK:
                raise KsError(status)

    def asm(self, text: str | bytes, address: int) -> bytes:
        """The machine code of `text` (ASCII, or bytes: hawk.jit.assembler
        puts raw machine code inside .ascii strings) loaded at `address`."""
        lib = self._lib
        out = POINTER(c_ubyte)()
        size = c_size_t()
        count = c_size_t()
        if type(text) is str:
            text = text.encode("ascii")
        if lib.ks_asm(self._h, text, address, byref(out), byref(size), byref(count)):
            raise KsError(lib.ks_errno(self._h))
        if not out:
            return b""
        try:
            return ctypes.string_at(out, size.value)
        finally:
            lib.ks_free(out)

    def __del__(self):
        if self._h:
            self._lib.ks_close(self._h)
            self._h = None
