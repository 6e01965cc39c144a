"""Machine code for the templates without a label operand, made in Python.

Why: keystone's cost is per statement, not per instruction kind: ~2.2 us a
line (deriv's 18 batches, 2135 lines: 4.8 ms, best of 7 in one process;
more inside a run), and hawk.jit.emit's lines are mostly plain moves, loads
and stores. The same batches with every line that has no label operand
given as bytes (runs of them merged into one `.ascii` statement of raw
bytes by hawk.jit.assembler) took 1.2 ms. So hawk encodes those templates
itself; keystone still assembles what needs a layout (labels, branches and
the `.quad` label tables), and every byte lands where keystone puts it.

Each encoder gives exactly the bytes keystone gives for the template's text
with the same operands, the same choices included (disp8 when it fits, the
sign-extended imm8 forms, the short rax forms `add rax, imm32`, `shl r, 1`
as d1): tests/test_x64.py compares both for every template, on edge and on
random operands. An encoder checks its operands as the text formatter does
(hawk.jit.x64.KINDS) and raises the same OperandError.

ENCODINGS lists the templates by form; `encoder(name)` builds the function.
Register numbers: a GPR is its Reg value (0-15), an xmm register its Reg
value minus 16; bit 3 of a number goes to REX.R, REX.X or REX.B.
"""
from __future__ import annotations

from struct import Struct

from hawk.jit.x64 import CONDITIONS, TEMPLATES, Mem, OperandError, Reg

_I8 = Struct("<b").pack
_I32 = Struct("<i").pack
_U32 = Struct("<I").pack
_U64 = Struct("<Q").pack
_SCALE_BITS = {1: 0x00, 2: 0x40, 4: 0x80, 8: 0xC0}
W = 8       # the REX.W bit: a 64-bit operand size


def _gpr(r) -> int:
    if type(r) is Reg and r < 16:
        return r
    raise OperandError(f"expected a general-purpose register, got {r!r}")


def _xmm(r) -> int:
    if type(r) is Reg and r >= 16:
        return r - 16
    raise OperandError(f"expected an xmm register, got {r!r}")


def _imm32(v) -> int:
    if type(v) is int and -2**31 <= v < 2**31:
        return v
    raise OperandError(f"expected a signed 32-bit immediate, got {v!r}")


def _mem(m) -> Mem:
    if type(m) is Mem:
        return m
    raise OperandError(f"expected a Mem operand, got {m!r}")


def _code(prefix: bytes, w: int, opcode: bytes, reg: int, rm, tail: bytes = b"", rex: int = 0) -> bytes:
    """prefix, REX (if any bit is set, or `rex` asks for one), opcode, ModRM
    with `reg` in its reg field and `rm` as its operand, then `tail` (an
    immediate). rm: a register number, or a Mem [base + index*scale + disp],
    checked here as hawk.jit.x64's text formatter checks it (one function,
    no helpers: this is the JIT's inner loop; a frame load or store takes
    1.6-2.2 us, its text 2.4-2.6 us, timeit on this machine)."""
    if type(rm) is not Mem:
        bits = w | (reg & 8) >> 1 | rm >> 3
        modrm = bytes((0xC0 | (reg & 7) << 3 | (rm & 7),))
    else:
        base, index, scale, disp = rm
        if type(base) is not Reg or base >= 16:
            raise OperandError(f"expected a general-purpose register, got {base!r}")
        if type(disp) is not int or not -2**31 <= disp < 2**31:
            raise OperandError(f"displacement must be a signed 32-bit int, got {disp!r}")
        low = base & 7
        if disp == 0 and low != 5:                  # rbp/r13 as base need a displacement
            mod = 0x00
        elif -128 <= disp < 128:
            mod, tail = 0x40, _I8(disp) + tail
        else:
            mod, tail = 0x80, _I32(disp) + tail
        if index is None:
            if scale != 1:
                raise OperandError("a scale needs an index register")
            bits = w | (reg & 8) >> 1 | base >> 3
            if low == 4:                            # rsp/r12 as base need a SIB byte
                modrm = bytes((mod | (reg & 7) << 3 | 4, 0x24))
            else:
                modrm = bytes((mod | (reg & 7) << 3 | low,))
        else:
            if type(index) is not Reg or index >= 16 or index == 4:
                raise OperandError(f"expected an index register (not rsp), got {index!r}")
            if scale not in _SCALE_BITS:
                raise OperandError(f"scale must be 1, 2, 4 or 8, got {scale!r}")
            bits = w | (reg & 8) >> 1 | (index & 8) >> 2 | base >> 3
            modrm = bytes((mod | (reg & 7) << 3 | 4, _SCALE_BITS[scale] | (index & 7) << 3 | low))
    if bits or rex:
        return prefix + bytes((0x40 | bits,)) + opcode + modrm + tail
    return prefix + opcode + modrm + tail


# the operand checkers by template kind (as in hawk.jit.x64.KINDS)
_CHECK = {"r": _gpr, "r32": _gpr, "r8": _gpr, "x": _xmm, "m": _mem}


def _reg_rm(prefix: bytes, w: int, opcode: bytes, kinds: tuple, swap: bool, byte: bool = False):
    """Two operands, one in the ModRM reg field and one as its r/m operand:
    the reg field holds operand 0 (`swap` False: loads, `op reg, r/m`) or
    operand 1 (`swap` True: stores and the 89/01-style register forms).
    `byte`: a byte register 4-7 (spl..dil) needs a REX prefix."""
    c0, c1 = _CHECK[kinds[0]], _CHECK[kinds[1]]

    def encode(a, b) -> bytes:
        a, b = c0(a), c1(b)
        if swap:
            return _code(prefix, w, opcode, b, a, rex=byte and 4 <= b < 8)
        return _code(prefix, w, opcode, a, b)
    return encode


def _ext(prefix: bytes, w: int, opcode: bytes, ext: int, kind: str):
    """One operand as r/m, the opcode extension `ext` in the reg field."""
    check = _CHECK[kind]

    def encode(a) -> bytes:
        return _code(prefix, w, opcode, ext, check(a))
    return encode


def _alu_imm(ext: int, short: int | None, kind: str = "r"):
    """`op r/m, imm`: 83 /ext ib when the immediate fits a signed byte, the
    one-byte rax form `short` id when there is one, else 81 /ext id."""
    check = _CHECK[kind]

    def encode(a, imm) -> bytes:
        a, imm = check(a), _imm32(imm)
        if -128 <= imm < 128:
            return _code(b"", W, b"\x83", ext, a, _I8(imm))
        if a == 0 and short is not None:
            return bytes((0x48, short)) + _I32(imm)
        return _code(b"", W, b"\x81", ext, a, _I32(imm))
    return encode


def _test_imm(a, imm) -> bytes:
    """test r, imm32: a9 id for rax, else f7 /0 id (no imm8 form)."""
    a, imm = _gpr(a), _imm32(imm)
    if a == 0:
        return b"\x48\xa9" + _I32(imm)
    return _code(b"", W, b"\xf7", 0, a, _I32(imm))


def _shift(ext: int):
    """shift r, count: d1 /ext for a count of 1, else c1 /ext ib."""
    def encode(a, count) -> bytes:
        a = _gpr(a)
        if type(count) is not int or not 0 <= count <= 63:
            raise OperandError(f"expected a shift count in [0x0, 0x3f], got {count!r}")
        if count == 1:
            return _code(b"", W, b"\xd1", ext, a)
        return _code(b"", W, b"\xc1", ext, a, bytes((count,)))
    return encode


def _imul_imm(a, b, imm) -> bytes:
    a, b, imm = _gpr(a), _gpr(b), _imm32(imm)
    if -128 <= imm < 128:
        return _code(b"", W, b"\x6b", a, b, _I8(imm))
    return _code(b"", W, b"\x69", a, b, _I32(imm))


def _plus_reg(w: int, opcode: int, imm=None):
    """The register in the opcode's low three bits (push, pop, mov r, imm):
    `imm` checks and packs the immediate operand, if the template has one."""
    def head(a) -> bytes:
        a = _gpr(a)
        bits = w | a >> 3
        return bytes((0x40 | bits, opcode | (a & 7))) if bits else bytes((opcode | (a & 7),))
    if imm is None:
        return head

    def encode(a, value) -> bytes:
        return head(a) + imm(value)
    return encode


def _u32(v) -> bytes:
    if type(v) is int and 0 <= v < 2**32:
        return _U32(v)
    raise OperandError(f"expected an unsigned 32-bit immediate, got {v!r}")


def _i64(v) -> bytes:
    if type(v) is int and -2**63 <= v < 2**64:
        return _U64(v % 2**64)
    raise OperandError(f"expected a 64-bit immediate, got {v!r}")


def _mov_imm(kind: str):
    """mov r/m64, imm32 (c7 /0 id, sign-extended)."""
    check = _CHECK[kind]

    def encode(a, imm) -> bytes:
        return _code(b"", W, b"\xc7", 0, check(a), _I32(_imm32(imm)))
    return encode


def _fixed(code: bytes):
    def encode() -> bytes:
        return code
    return encode


_ALU = {"add": (0x01, 0, 0x05), "or": (0x09, 1, 0x0D), "and": (0x21, 4, 0x25),
        "sub": (0x29, 5, 0x2D), "xor": (0x31, 6, 0x35), "cmp": (0x39, 7, 0x3D)}
_SSE = {"addsd": (b"\xf2", 0x58), "subsd": (b"\xf2", 0x5C), "mulsd": (b"\xf2", 0x59),
        "divsd": (b"\xf2", 0x5E), "sqrtsd": (b"\xf2", 0x51), "ucomisd": (b"\x66", 0x2E),
        "xorpd": (b"\x66", 0x57)}

# template name -> a function of no arguments that makes its encoder
ENCODINGS = {
    "nop": lambda: _fixed(b"\x90"),
    "ret": lambda: _fixed(b"\xc3"),
    "cqo": lambda: _fixed(b"\x48\x99"),
    "mov_rr": lambda: _reg_rm(b"", W, b"\x89", ("r", "r"), swap=True),
    "mov_ri32": lambda: _mov_imm("r"),
    "mov32_ri": lambda: _plus_reg(0, 0xB8, _u32),
    "movabs_ri": lambda: _plus_reg(W, 0xB8, _i64),
    "mov_rm": lambda: _reg_rm(b"", W, b"\x8b", ("r", "m"), swap=False),
    "mov_mr": lambda: _reg_rm(b"", W, b"\x89", ("m", "r"), swap=True),
    "mov_mi": lambda: _mov_imm("m"),
    "mov32_rm": lambda: _reg_rm(b"", 0, b"\x8b", ("r32", "m"), swap=False),
    "mov32_mr": lambda: _reg_rm(b"", 0, b"\x89", ("m", "r32"), swap=True),
    "movzx8_rm": lambda: _reg_rm(b"", 0, b"\x0f\xb6", ("r32", "m"), swap=False),
    "mov8_mr": lambda: _reg_rm(b"", 0, b"\x88", ("m", "r8"), swap=True, byte=True),
    "lea": lambda: _reg_rm(b"", W, b"\x8d", ("r", "m"), swap=False),
    **{f"{op}_rr": (lambda c=c: _reg_rm(b"", W, bytes((c,)), ("r", "r"), swap=True))
       for op, (c, _, _) in _ALU.items()},
    "test_rr": lambda: _reg_rm(b"", W, b"\x85", ("r", "r"), swap=True),
    "imul_rr": lambda: _reg_rm(b"", W, b"\x0f\xaf", ("r", "r"), swap=False),
    **{f"{op}_ri": (lambda e=e, s=s: _alu_imm(e, s)) for op, (_, e, s) in _ALU.items()},
    "test_ri": lambda: _test_imm,
    "imul_rri": lambda: _imul_imm,
    "cmp_rm": lambda: _reg_rm(b"", W, b"\x3b", ("r", "m"), swap=False),
    "cmp_mi": lambda: _alu_imm(7, None, "m"),
    "shl_ri": lambda: _shift(4),
    "shr_ri": lambda: _shift(5),
    "sar_ri": lambda: _shift(7),
    "neg_r": lambda: _ext(b"", W, b"\xf7", 3, "r"),
    "not_r": lambda: _ext(b"", W, b"\xf7", 2, "r"),
    "idiv_r": lambda: _ext(b"", W, b"\xf7", 7, "r"),
    **{f"cmov{cc}_rr": (lambda n=n: _reg_rm(b"", W, bytes((0x0F, 0x40 | n)), ("r", "r"), swap=False))
       for n, cc in enumerate(CONDITIONS)},
    "jmp_r": lambda: _ext(b"", 0, b"\xff", 4, "r"),
    "jmp_m": lambda: _ext(b"", 0, b"\xff", 4, "m"),
    "call_r": lambda: _ext(b"", 0, b"\xff", 2, "r"),
    "push_r": lambda: _plus_reg(0, 0x50),
    "pop_r": lambda: _plus_reg(0, 0x58),
    "movsd_xm": lambda: _reg_rm(b"\xf2", 0, b"\x0f\x10", ("x", "m"), swap=False),
    "movsd_mx": lambda: _reg_rm(b"\xf2", 0, b"\x0f\x11", ("m", "x"), swap=True),
    "movaps_xx": lambda: _reg_rm(b"", 0, b"\x0f\x28", ("x", "x"), swap=False),
    **{f"{op}_xx": (lambda p=p, c=c: _reg_rm(p, 0, bytes((0x0F, c)), ("x", "x"), swap=False))
       for op, (p, c) in _SSE.items()},
    "cvtsi2sd_xr": lambda: _reg_rm(b"\xf2", W, b"\x0f\x2a", ("x", "r"), swap=False),
    "cvttsd2si_rx": lambda: _reg_rm(b"\xf2", W, b"\x0f\x2c", ("r", "x"), swap=False),
    "movq_xr": lambda: _reg_rm(b"\x66", W, b"\x0f\x6e", ("x", "r"), swap=False),
    "movq_rx": lambda: _reg_rm(b"\x66", W, b"\x0f\x7e", ("r", "x"), swap=True),
}


def encoder(name: str):
    """Template `name`'s encoder (operands as for its text helper), or None
    for the templates keystone must lay out (labels, branches, calls)."""
    make = ENCODINGS.get(name)
    if make is None:
        return None
    encode = make()
    kinds = TEMPLATES[name][0]
    return _memoized(encode, kinds) if len(kinds) in (1, 2) else encode


def _is_reg(v) -> bool:
    return type(v) is Reg


def _is_int(v) -> bool:
    return type(v) is int


def _is_mem(m) -> bool:
    return (type(m) is Mem and type(m[0]) is Reg and (m[1] is None or type(m[1]) is Reg)
            and type(m[2]) is int and type(m[3]) is int)


# per operand kind: is the operand of exactly the type a valid one has?
_EXACT = {"r": _is_reg, "r32": _is_reg, "r8": _is_reg, "x": _is_reg, "m": _is_mem,
          "i32": _is_int, "u32": _is_int, "i64": _is_int, "sh": _is_int}
MEMO_MAX = 2048     # encodings kept per template; past that the memo starts again


def _memoized(encode, kinds: tuple):
    """`encode` (of one or two operands) remembering its results by
    operands. Why: a trace's lines are mostly the same few frame loads and
    stores, and deriv's traces encode 1656 lines with 576 distinct operand
    tuples; a remembered encoding takes ~0.4 us against ~1.2 us (timeit,
    a frame store). Equal operands of other types (0 for rax, True for 1,
    a Mem holding ints) must still fail their checks, so a remembered
    encoding is used only when every operand has exactly a valid
    operand's type: an operand tuple equal to one that encoded, of the
    same types, is the same instruction. Specialised on the arity, as
    hawk.jit.x64's text helpers are: with *ops and a generator over the
    checks, a remembered encoding took 1.6 us, more than encoding it (so
    imul_rri, the one template of three operands, is not remembered)."""
    memo: dict = {}
    if len(kinds) == 1:
        (e0,) = (_EXACT[k] for k in kinds)

        def cached(a) -> bytes:
            code = memo.get(a)
            if code is None or not e0(a):
                code = encode(a)
                if len(memo) >= MEMO_MAX:
                    memo.clear()
                memo[a] = code
            return code
        return cached
    e0, e1 = (_EXACT[k] for k in kinds)

    def cached2(a, b) -> bytes:
        key = (a, b)
        code = memo.get(key)
        if code is None or not (e0(a) and e1(b)):
            code = encode(a, b)
            if len(memo) >= MEMO_MAX:
                memo.clear()
            memo[key] = code
        return code
    return cached2
