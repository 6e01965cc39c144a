"""Disassemble machine code with capstone, for `-v asm` output and for tests.

Capstone is the independent check on keystone: the template tests
assemble with one and read back with the other (in AT&T syntax, the
templates'; these listings are Intel, the more familiar reading).
Skipdata is on, so bytes capstone cannot decode show up as `.byte 0x..`
lines instead of silently ending the listing (capstone's default is to
stop at the first undecodable byte).
"""
from __future__ import annotations

from typing import NamedTuple

import capstone


class Insn(NamedTuple):
    address: int
    size: int
    mnemonic: str
    operands: str


_engine: capstone.Cs | None = None


def _cs() -> capstone.Cs:
    global _engine
    if _engine is None:
        _engine = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_64)
        _engine.skipdata = True
    return _engine


def decode(code: bytes, address: int) -> list[Insn]:
    """The instructions of `code`, loaded at `address`."""
    return [Insn(*i) for i in _cs().disasm_lite(code, address)]


def disassemble(code: bytes, address: int, notes: dict | None = None) -> list[str]:
    """One line per instruction: address, bytes, assembly text; before the
    instruction at an address in `notes` (address -> texts), a `;` line
    per text (`-v asm`: the IR instruction or exit stub its code is for)."""
    notes = notes or {}
    lines = []
    for insn in decode(code, address):
        lines += [f"; {text}" for text in notes.get(insn.address, ())]
        offset = insn.address - address
        raw = code[offset:offset + insn.size].hex(" ")
        lines.append(f"{insn.address:#014x}  {raw:<30} {insn.mnemonic} {insn.operands}".rstrip())
    return lines
