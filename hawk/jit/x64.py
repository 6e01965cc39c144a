"""x86-64 instruction templates: the only source of machine code and of assembly text.

Why templates: keystone 0.9.2 (unmaintained) has traps that turn a typo in
generated text into a wrong program or a dead process (see "Tracing JIT" in
the architecture brief). Some inputs print "LLVM ERROR" and exit the whole
process (e.g. `mov ah, byte ptr [r8]`), some absolute forms without a base
register (`[0x...]`, moffs) are mis-encoded, `010` reads as octal, and a few
forms are accepted but silently mean something else. Found while building
this module: `lea rax, [r15 + rsp*8]` assembles with no index at all (rsp
cannot be an index; keystone drops it), `shl rax, 0x40` assembles a shift the
CPU masks to 0, and a label named like a register (`rax:` ... `jmp rax`)
becomes a register jump (those were found in Intel syntax). The text is
AT&T syntax (`movq 0x8(%r15,%r14), %rax`), which keystone parses ~20%
faster; in that mode an immediate beyond 32 bits on an ALU op or a store
(`addq $0x1ffffffff, %rax`) assembles to no bytes at all, with no error.
So every line of assembly comes from TEMPLATES below, and every operand
goes through a checking formatter (KINDS) that:

  - prints immediates and displacements in hex (`$0x10`, `-0x8(%r14)`),
    never decimal;
  - accepts memory operands only as `Mem(base, index, scale, disp)` with a
    base register (absolute addresses go through a register: `mov_ri(R11,
    addr)` then `Mem(R11, ...)`; R11 is the conventional scratch for that);
    no moffs, no segment, no rip-relative forms;
  - rejects rsp as an index, scales other than 1/2/4/8, out-of-range
    immediates, shift counts outside 0..63, xmm where a GPR is expected (and
    vice versa), and labels not spelled `.L<word>` (so a label can never be
    mistaken for a register, a number or a mnemonic);
  - names 8-bit registers only by their low-byte names (al, sil, r9b, ...):
    a high-byte one (ah, bh, ch, dh) next to a REX operand is the classic
    "LLVM ERROR: Cannot encode high byte register" exit (checked here: it
    ends the process with status 1, no Python exception).

Each template has two spellings of the same instruction. `text(name,
*operands)` returns its AT&T text, an `Asm` (a str subclass): the assembler
accepts no other text, so text that did not come through a template cannot
reach keystone by accident. `emit(name, *operands)` returns the line the
assembler gets: for a template with a label operand (branches, calls,
labels, label words) that same text, which keystone lays out; for every
other template its machine code, bytes made by hawk.jit.encode, identical
to keystone's encoding of the text (keystone's cost is per statement; see
hawk.jit.assembler). Every template is assembled by keystone and
disassembled by capstone in tests/test_x64.py, with edge immediates and
REX registers, and every encoding is compared with keystone's, on those
and on random operands.

Registers are `Reg` members (RAX..R15, XMM0..XMM15; also importable as
module names). Each template is also available as a module-level function
of the same name, emit's line (`mov_rr(RAX, RBX)`, `jo(".Lexit3")`,
`movsd_xm(XMM0, Mem(R15, disp=8))`), generated from the table; `mov_ri`
picks the shortest encoding for any 64-bit immediate, `jcc`/`cmovcc` take
the condition as a parameter.

Operand kinds:
  r    64-bit GPR          r32  its 32-bit name    r8  its low-byte name
  x    XMM register        m    Mem (a qword/dword/byte size comes from the
                                     template)
  i32  signed imm32 (sign-extended to 64 bits by the CPU)
  u32  unsigned imm32 (zero-extended by writing the 32-bit register)
  i64  any 64-bit value, signed or unsigned spelling
  sh   shift count 0..63
  label  a local label `.L<word>`, defined by the `label` template; keystone
         resolves labels within one assembled batch

There is deliberately no branch to an absolute address (`jmp 0x7f...`):
keystone computes its rel32 from the load address, but when the target is
out of rel32 range it silently wraps the displacement (a target 4 GiB away
becomes a jump to itself) unless the distance is far larger. Code outside the
batch (another trace, a C helper) is reached through a register:
`movabs_ri(R11, target)` (fixed size, so linking can patch the immediate)
then `jmp_r(R11)` or `call_r(R11)`.
"""
from __future__ import annotations

from collections.abc import Callable


_REG_NAMES = ("RAX", "RCX", "RDX", "RBX", "RSP", "RBP", "RSI", "RDI",
              *(f"R{n}" for n in range(8, 16)), *(f"XMM{n}" for n in range(16)))


class _Registers(type):
    """Reg's metaclass: `for r in Reg` lists the 32 registers in number order."""

    def __iter__(cls):
        return iter(cls.ALL)


class Reg(int, metaclass=_Registers):
    """A register by hardware number: general-purpose 0-15 (RAX..R15), then
    XMM0..XMM15 as 16-31. An int subclass with one instance per register
    (`Reg.RAX`, also module names), not an enum.IntEnum: building that
    class was ~0.4 ms of every run's first trace (the back end's load)."""
    __slots__ = ()
    ALL: tuple = ()

    @property
    def name(self) -> str:
        return _REG_NAMES[self]

    @property
    def is_xmm(self) -> bool:
        return self >= 16

    def __repr__(self) -> str:
        return f"Reg.{self.name}"


Reg.ALL = tuple(map(Reg, range(32)))
for _r in Reg.ALL:
    setattr(Reg, _r.name, _r)
del _r
globals().update((r.name, r) for r in Reg.ALL)   # RAX, ..., XMM15 as module names

GPRS = tuple(r for r in Reg if not r.is_xmm)
XMMS = tuple(r for r in Reg if r.is_xmm)
CALLEE_SAVED = (Reg.RBX, Reg.RBP, Reg.R12, Reg.R13, Reg.R14, Reg.R15)
SCRATCH = Reg.R11   # caller-saved, not an argument: for absolute addresses

# Condition-code suffixes, in hardware order (tttn = 0..15).
CONDITIONS = ("o", "no", "b", "ae", "e", "ne", "be", "a",
              "s", "ns", "p", "np", "l", "ge", "le", "g")

_LABEL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


class OperandError(ValueError):
    """An operand that its template does not accept."""


class Asm(str):
    """A line of assembly produced by a template (see module docstring)."""
    __slots__ = ()


Line = Asm | bytes      # what the assembler takes: a template's text or machine code


class Mem(tuple):
    """Memory operand [base + index*scale + disp]: base a Reg (required),
    index a Reg or None; a tuple (base, index, scale, disp). Written out:
    typing.NamedTuple's import cost ~3 ms of the first trace's compile,
    and collections.namedtuple's class ~0.14 ms of the back end's load."""
    __slots__ = ()

    def __new__(cls, base, index=None, scale=1, disp=0):
        return tuple.__new__(cls, (base, index, scale, disp))

    def __repr__(self) -> str:
        return "Mem(base={!r}, index={!r}, scale={!r}, disp={!r})".format(*self)


# Register names indexed by Reg value; None where the kind does not fit.
_NONE16 = (None,) * 16
_R64 = (*(f"%{r.name.lower()}" for r in GPRS), *_NONE16)
_R32 = ("%eax", "%ecx", "%edx", "%ebx", "%esp", "%ebp", "%esi", "%edi",
        *(f"%r{n}d" for n in range(8, 16)), *_NONE16)
_R8 = ("%al", "%cl", "%dl", "%bl", "%spl", "%bpl", "%sil", "%dil",
       *(f"%r{n}b" for n in range(8, 16)), *_NONE16)
_X = (*_NONE16, *(f"%{r.name.lower()}" for r in XMMS))
_INDEX = tuple(None if n == "%rsp" else n for n in _R64)   # rsp is no index
_SCALE = {1: "", 2: ",2", 4: ",4", 8: ",8"}


def _register(names: tuple, what: str) -> Callable[[object], str]:
    def fmt(r) -> str:
        if type(r) is Reg and names[r] is not None:
            return names[r]
        raise OperandError(f"expected {what}, got {r!r}")
    return fmt


def _int_in(lo: int, hi: int, what: str) -> Callable[[object], str]:
    def fmt(v) -> str:
        if type(v) is int and lo <= v <= hi:
            return "$" + hex(v)
        raise OperandError(f"expected {what} in [{lo:#x}, {hi:#x}], got {v!r}")
    return fmt


_gpr = _register(_R64, "a general-purpose register")


def _mem(m) -> str:
    """disp(%base,%index,scale), the AT&T spelling of [base + index*scale + disp]."""
    if type(m) is not Mem:
        raise OperandError(f"expected a Mem operand, got {m!r}")
    base, index, scale, disp = m
    text = "(" + _gpr(base)
    if index is not None:
        if type(index) is not Reg or _INDEX[index] is None:
            raise OperandError(f"expected an index register (not rsp), got {index!r}")
        if scale not in _SCALE:
            raise OperandError(f"scale must be 1, 2, 4 or 8, got {scale!r}")
        text += f",{_INDEX[index]}{_SCALE[scale]}"
    elif scale != 1:
        raise OperandError("a scale needs an index register")
    if disp:
        if type(disp) is not int or not -2**31 <= disp < 2**31:
            raise OperandError(f"displacement must be a signed 32-bit int, got {disp!r}")
        return hex(disp) + text + ")"
    return text + ")"


def _label(name) -> str:
    if type(name) is str and name[:2] == ".L" and len(name) > 2 and _LABEL_CHARS.issuperset(name[2:]):
        return name
    raise OperandError(f"labels are spelled .L<letters, digits, _>, got {name!r}")


KINDS: dict[str, Callable[[object], str]] = {
    "r": _gpr,
    "r32": _register(_R32, "a general-purpose register"),
    "r8": _register(_R8, "a general-purpose register"),
    "x": _register(_X, "an xmm register"),
    "m": _mem,
    "i32": _int_in(-2**31, 2**31 - 1, "a signed 32-bit immediate"),
    "u32": _int_in(0, 2**32 - 1, "an unsigned 32-bit immediate"),
    "i64": _int_in(-2**63, 2**64 - 1, "a 64-bit immediate"),
    "sh": _int_in(0, 63, "a shift count"),
    "label": _label,
}

_ALU = ("add", "sub", "and", "or", "xor", "cmp", "test")
_SSE = ("addsd", "subsd", "mulsd", "divsd", "sqrtsd", "ucomisd", "xorpd")

# name -> (operand kinds, AT&T format). Operands are listed in Intel order
# (destination first, as the names say: mov_rm loads register <- memory);
# the formats reverse them, and integer instructions always spell their
# size suffix (q, l, b).
TEMPLATES: dict[str, tuple[tuple[str, ...], str]] = {
    "label": (("label",), "{0}:"),
    "quad_label": (("label",), ".quad {0}"),   # data: a label's address (CodeMemory.install_labelled)
    "nop": ((), "nop"),
    # moves
    "mov_rr": (("r", "r"), "movq {1}, {0}"),
    "mov_ri32": (("r", "i32"), "movq {1}, {0}"),
    "mov32_ri": (("r32", "u32"), "movl {1}, {0}"),
    "movabs_ri": (("r", "i64"), "movabsq {1}, {0}"),
    "mov_rm": (("r", "m"), "movq {1}, {0}"),
    "mov_mr": (("m", "r"), "movq {1}, {0}"),
    "mov_mi": (("m", "i32"), "movq {1}, {0}"),
    "mov32_rm": (("r32", "m"), "movl {1}, {0}"),
    "mov32_mr": (("m", "r32"), "movl {1}, {0}"),
    "movzx8_rm": (("r32", "m"), "movzbl {1}, {0}"),
    "mov8_mr": (("m", "r8"), "movb {1}, {0}"),
    "lea": (("r", "m"), "leaq {1}, {0}"),
    # integer arithmetic
    **{f"{op}_rr": (("r", "r"), op + "q {1}, {0}") for op in (*_ALU, "imul")},
    **{f"{op}_ri": (("r", "i32"), op + "q {1}, {0}") for op in _ALU},
    "imul_rri": (("r", "r", "i32"), "imulq {2}, {1}, {0}"),
    "cmp_rm": (("r", "m"), "cmpq {1}, {0}"),
    "cmp_mi": (("m", "i32"), "cmpq {1}, {0}"),
    **{f"{op}_ri": (("r", "sh"), op + "q {1}, {0}") for op in ("shl", "sar", "shr")},
    "neg_r": (("r",), "negq {0}"),
    "not_r": (("r",), "notq {0}"),
    "cqo": ((), "cqto"),
    "idiv_r": (("r",), "idivq {0}"),
    **{f"cmov{cc}_rr": (("r", "r"), f"cmov{cc}q {{1}}, {{0}}") for cc in CONDITIONS},
    # control flow
    **{f"j{cc}": (("label",), f"j{cc} {{0}}") for cc in CONDITIONS},
    "jmp": (("label",), "jmp {0}"),
    "jmp_r": (("r",), "jmpq *{0}"),
    "jmp_m": (("m",), "jmpq *{0}"),
    "call_r": (("r",), "callq *{0}"),
    "call": (("label",), "callq {0}"),         # always rel32 (hawk.gc.native's subroutines)
    "push_r": (("r",), "pushq {0}"),
    "pop_r": (("r",), "popq {0}"),
    "ret": ((), "retq"),
    # scalar doubles
    "movsd_xm": (("x", "m"), "movsd {1}, {0}"),
    "movsd_mx": (("m", "x"), "movsd {1}, {0}"),
    "movaps_xx": (("x", "x"), "movaps {1}, {0}"),
    **{f"{op}_xx": (("x", "x"), op + " {1}, {0}") for op in _SSE},
    "cvtsi2sd_xr": (("x", "r"), "cvtsi2sdq {1}, {0}"),
    "cvttsd2si_rx": (("r", "x"), "cvttsd2si {1}, {0}"),
    "movq_xr": (("x", "r"), "movq {1}, {0}"),
    "movq_rx": (("r", "x"), "movq {1}, {0}"),
}


def _text_helper(name: str) -> Callable[..., Asm]:
    """The text helper for template `name`, specialised on its arity (this
    was the JIT's inner loop: about 1 us per line, as much as keystone
    spends encoding it). A wrong operand count is a TypeError."""
    kinds, fmt = TEMPLATES[name]
    text = fmt.format
    if not kinds:
        line = Asm(fmt)

        def helper() -> Asm:
            return line
    elif len(kinds) == 1:
        (f0,) = (KINDS[k] for k in kinds)

        def helper(a) -> Asm:
            return Asm(text(f0(a)))
    elif len(kinds) == 2:
        f0, f1 = (KINDS[k] for k in kinds)

        def helper(a, b) -> Asm:
            return Asm(text(f0(a), f1(b)))
    else:
        f0, f1, f2 = (KINDS[k] for k in kinds)

        def helper(a, b, c) -> Asm:
            return Asm(text(f0(a), f1(b), f2(c)))
    helper.__name__ = helper.__qualname__ = name
    helper.__doc__ = f"{fmt!r}, operands {kinds}"
    return helper


def _line_helper(name: str) -> Callable[..., Line]:
    """Template `name`'s line for the assembler: its machine code from
    hawk.jit.encode, or its text if it has a label operand."""
    from hawk.jit.encode import encoder
    helper = encoder(name)
    if helper is None:
        return _text_helper(name)
    helper.__name__ = helper.__qualname__ = name
    helper.__doc__ = f"the machine code of {TEMPLATES[name][1]!r}, operands {TEMPLATES[name][0]}"
    return helper


def __getattr__(name: str) -> Callable[..., Line]:
    """Template `name`'s helper as a module attribute (x64.mov_rm), made
    on first use and then kept in the module's namespace: a run uses about
    a third of the templates, and making all of them cost ~0.25 ms of the
    back end's load, inside the program's timed run."""
    if name not in TEMPLATES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    helper = globals()[name] = _line_helper(name)
    return helper


def emit(name: str, *operands) -> Line:
    """Template `name` applied to `operands`, checked: a line for the
    assembler (machine code, or text for a template with a label)."""
    helper = globals().get(name)
    return (helper or __getattr__(name))(*operands)


_TEXT: dict[str, Callable[..., Asm]] = {}


def text(name: str, *operands) -> Asm:
    """The assembly text of template `name` applied to `operands`, checked
    (for keystone, listings and tests; emit's machine code is the same
    instruction)."""
    helper = _TEXT.get(name)
    if helper is None:
        if name not in TEMPLATES:
            raise AttributeError(f"no template {name!r}")
        helper = _TEXT[name] = _text_helper(name)
    return helper(*operands)


def mov_ri(dst: Reg, imm: int) -> Line:
    """dst = imm for any 64-bit value (signed or unsigned spelling), in the
    shortest form: mov r32 (zero-extends), mov r64 imm32 (sign-extends) or
    movabs. Use movabs_ri directly for a fixed-size, patchable constant."""
    if 0 <= imm < 2**32:
        return emit("mov32_ri", dst, imm)
    if -2**31 <= imm < 0 or imm >= 2**64 - 2**31:
        return emit("mov_ri32", dst, imm - 2**64 if imm > 0 else imm)
    return emit("movabs_ri", dst, imm)


def jcc(cc: str, target: str) -> Line:
    """Conditional jump to a label; cc is one of CONDITIONS."""
    return emit("j" + cc, target)


def cmovcc(cc: str, dst: Reg, src: Reg) -> Line:
    """dst = src if condition cc holds; cc is one of CONDITIONS."""
    return emit(f"cmov{cc}_rr", dst, src)
