"""`hawk --list`: a readable dump of compiled prototypes.

Why derived from the table: every operand is decoded by its kind in
hawk.vm.bytecode.SPECS (register, literal, signed literal, constant, jump,
prototype, primitive, free variable), so a new opcode lists correctly as
soon as it is in the table.

Each prototype (nested ones after their parent, depth first) gets a header
with its label (name@index, index in listing order), parameters, frame size
and source location, then one line per instruction: pc, opcode, operands,
source line:column.
"""
from __future__ import annotations

from hawk.frontend.printer import write_string
from hawk.vm import primspec
from hawk.vm import values as V
from hawk.vm.bytecode import JUMP_BIAS, SPECS, Op, decode, signed8, signed16
from hawk.vm.data import Word
from hawk.vm.proto import GlobalCell, Proto


def format_proto(proto: Proto) -> str:
    protos = list(proto.walk())
    labels = {id(p): f"{p.name}@{i}" for i, p in enumerate(protos)}
    lines = []
    for p in protos:
        lines.extend(_header(p, labels))
        lines.extend(_instruction(p, pc, labels) for pc in range(len(p.code)))
        lines.append("")
    return "\n".join(lines)


def _header(p: Proto, labels) -> list[str]:
    rest = " +rest" if p.rest else ""
    where = f" at {p.loc}" if p.loc else ""
    out = [f"-- {labels[id(p)]}: params {p.nparams}{rest}, frame {p.framesize}{where}"]
    if p.upvals:
        out.append("   free: " + " ".join(
            f"r{i}" if local else f"uv{i}" for local, i in p.upvals))
    if p.clauses:
        out.append("   clauses: " + " ".join(
            f"{n}{'+' if rest else ''}" for n, rest in p.clauses))
    return out


def _instruction(p: Proto, pc: int, labels) -> str:
    op, a, b, c, d = decode(p.code[pc])
    spec = SPECS[Op(op)]
    if spec.mode == "AD":
        fields = [(spec.a, a, 8), (spec.c, d, 16)]
    else:
        fields = [(spec.a, a, 8), (spec.b, b, 8), (spec.c, c, 8)]
    operands = " ".join(_OPERAND[kind](p, value, pc, width, labels)
                        for kind, value, width in fields if kind != "-")
    loc = p.locs[pc] if pc < len(p.locs) else None
    where = f"{loc.line}:{loc.column}" if loc else ""
    return f"{pc:5}  {spec.name:<8} {operands:<30} {where}".rstrip()


def _constant(k) -> str:
    if isinstance(k, GlobalCell):
        return f"<global {write_string(k.name)}>"
    if isinstance(k, Word):
        return V.IMMEDIATE_NAMES.get(k.word, f"#<word {k.word:#x}>")
    return write_string(k)


def _prim(index: int) -> str:
    table = primspec.INTEGRABLE
    return f"<prim {table[index].name}>" if index < len(table) else f"<prim #{index}>"


_OPERAND = {
    "reg": lambda p, v, pc, w, labels: str(v),
    "lit": lambda p, v, pc, w, labels: str(v),
    "slit": lambda p, v, pc, w, labels: str(signed16(v) if w == 16 else signed8(v)),
    "const": lambda p, v, pc, w, labels: _constant(p.consts[v]),
    "jump": lambda p, v, pc, w, labels: f"=> {pc + 1 + v - JUMP_BIAS}",
    "proto": lambda p, v, pc, w, labels: labels[id(p.protos[v])],
    "prim": lambda p, v, pc, w, labels: _prim(v),
    "uv": lambda p, v, pc, w, labels: f"uv{v}",
}
