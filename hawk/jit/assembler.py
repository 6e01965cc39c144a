"""Assemble template lines into machine code with keystone, one call per batch.

A line is either a template's machine code (bytes, from hawk.jit.encode:
every template without a label operand) or its text (an `x64.Asm`: labels,
branches, calls, `.quad` label words). `assemble(lines, address)` makes ONE
keystone call (through hawk.jit.ks, a small ctypes binding) at the final
load address, on a batch of the text lines with each run of machine code
between them merged into one `.ascii` statement of its raw bytes: keystone
lays out the labels and branches (short or long) around code it does not
have to parse, and labels resolve within the batch. Why: keystone's cost is
per statement. Measured once (keystone 0.9.2, CPython 3.11, this machine;
1000 mixed template instructions as text: loads with base+index*8+disp,
add, mov_ri, addsd, stores; best of 5):

    one batch of 1000 lines     2.26 ms  ->   2.3 us per instruction
    1000 one-line calls        32.7 ms   ->  32.7 us per instruction
    (emitting the 1000 lines through x64 helpers: 1.8 us per instruction)

so a trace is always assembled as one batch: ~14x cheaper, in line with the
architecture brief's ~30 us vs ~2.5 us. And deriv's 18 batches (2135 lines,
1715 of them without a label) took keystone 4.8 ms as text and 1.2 ms with
the machine code as .ascii runs (best of 3 in one process).

Keystone does not say which line failed: on x86 the error's statement count
is 0 whatever the position. `AssemblyError` names the line anyway: a missing
label is found by asking a diagnostic engine's symbol resolver which name it
lacked; any other error by bisecting on prefixes of the batch (the shortest
failing prefix ends with the culprit), with forward references to labels
beyond the cut resolved to a dummy address by that same resolver. Don't use
keystone's resolver for real symbols: a branch to a resolved symbol is
encoded 4 bytes past the value the resolver returned (keystone 0.9.2).

The "LLVM ERROR exits the process" trap (some invalid operand combinations
print LLVM ERROR and call exit(), which no exception handler sees) is
guarded by construction: `assemble` accepts only `x64.Asm` text lines, which
only the checked templates of hawk.jit.x64 produce (tests/test_x64.py
assembles every template), and machine code, which keystone copies. Code
that builds an `Asm` from arbitrary text by hand is on its own.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from hawk.jit import ks
from hawk.jit.x64 import Asm, Line


class AssemblyError(Exception):
    """Keystone rejected a batch. `line_no` (0-based) and `line` name the
    offending line when it could be found, else both are None."""

    def __init__(self, message: str, line_no: int | None, line: str | None):
        where = f" at line {line_no}: {line!r}" if line is not None else ""
        super().__init__(f"{message}{where}")
        self.message = message
        self.line_no = line_no
        self.line = line


_engine: ks.Engine | None = None


def _ks() -> ks.Engine:
    global _engine
    if _engine is None:
        _engine = ks.Engine()
    return _engine


def load() -> None:
    """Load libkeystone and open the engine now: the JIT counts this as
    loading its back end, not as compiling its first trace."""
    _ks()


def _string(code: bytes) -> bytes:
    """Machine code as the contents of a keystone .ascii string: its bytes
    as they are (keystone reads any byte inside quotes, checked for all 256
    values and for random blobs in tests/test_x64.py), except the four it
    would not: backslash, quote, NUL, newline, as 3-digit octal escapes
    (it knows no \\x). Runs of machine code cost keystone least this way:
    deriv's 18 batches took 1.2 ms (1.1 ms with every byte escaped, which
    cost Python 1.3-1.5 ms a run), against 1.8 ms as hex .quad, 2.7 ms as
    hex .byte and 4.8 ms as text (a decimal .quad of 2^63 or more hangs it)."""
    return code.replace(b"\\", b"\\134").replace(b'"', b"\\042") \
        .replace(b"\0", b"\\000").replace(b"\n", b"\\012")


def _batch(lines: Sequence[Line]) -> bytes:
    """The batch for keystone: template text as it is, each run of machine
    code (hawk.jit.encode) merged into one .ascii statement."""
    out: list[bytes] = []
    run: list[bytes] = []
    for i, line in enumerate(lines):
        kind = type(line)
        if kind is bytes:
            run.append(line)
            continue
        if kind is not Asm:
            raise TypeError(f"line {i} did not come from an x64 template: {line!r}")
        if run:
            out.append(b'.ascii "' + _string(b"".join(run)) + b'"')
            run.clear()
        out.append(line.encode("ascii"))
    if run:
        out.append(b'.ascii "' + _string(b"".join(run)) + b'"')
    return b"\n".join(out)


def assemble(lines: Sequence[Line], address: int) -> bytes:
    """Machine code for `lines` (template output) loaded at `address`."""
    batch = _batch(lines)
    try:
        return _ks().asm(batch, address)
    except ks.KsError as err:
        raise _diagnose([_octal(line) if type(line) is bytes else line for line in lines],
                        address, err) from None


def _octal(code: bytes) -> str:
    """A machine code line as text, for the diagnosis of an error."""
    return '.ascii "' + "".join(f"\\{b:03o}" for b in code) + '"'


def _probe(address: int, resolve: bool, asked: list[str]) -> ks.Engine:
    """A keystone engine whose resolver records each unknown symbol and, if
    `resolve`, pretends it is at `address`."""
    def resolver(symbol, value) -> bool:
        asked.append(symbol.decode())
        value[0] = address
        return resolve
    return ks.Engine(resolver)


def _fails(engine: ks.Engine, lines: Sequence[Asm], address: int) -> bool:
    try:
        engine.asm("\n".join(lines), address)
    except ks.KsError:
        return True
    return False


def _diagnose(lines: Sequence[Asm], address: int, err: ks.KsError) -> AssemblyError:
    message = str(err)
    asked: list[str] = []
    if err.errno == ks.ERR_ASM_SYMBOL_MISSING:
        _fails(_probe(address, False, asked), lines, address)
        for name in dict.fromkeys(asked):
            use = re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w:])")
            for i, line in enumerate(lines):
                if use.search(line):
                    return AssemblyError(f"{message}: {name}", i, line)
        return AssemblyError(message, None, None)
    probe = _probe(address, True, asked)
    lo, hi = 0, len(lines)          # invariant: lines[:lo] assembles, lines[:hi] fails
    if not _fails(probe, lines, address):
        return AssemblyError(message, None, None)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _fails(probe, lines[:mid], address):
            hi = mid
        else:
            lo = mid
    return AssemblyError(message, hi - 1, lines[hi - 1])
