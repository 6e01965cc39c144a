"""Every x86-64 template, assembled by keystone and read back by capstone.

Each template is instantiated with edge operands (immediates 0, -1, 0x7fffffff,
-0x80000000, full 64-bit values; REX registers r8-r15 and xmm8-xmm15; the
base registers with special encodings rsp/r12 and rbp/r13), assembled at a
high address, disassembled, and compared with the text after normalising
both (numbers to hex modulo 2^64, no spaces). Also: the operand checks, and
the assembler's batching and error reporting.
"""
from __future__ import annotations

import struct

import platform
import random
import re
import subprocess
import sys

import capstone
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

if not (sys.platform.startswith("linux") and platform.machine() == "x86_64"):
    pytest.skip("the JIT's machine-code layer is x86-64 Linux only", allow_module_level=True)

from hawk.jit import encode, ks, x64                          # noqa: E402
from hawk.jit.assembler import AssemblyError, assemble        # noqa: E402
from hawk.jit.disasm import Insn, decode, disassemble        # noqa: E402
from hawk.jit.x64 import Asm, Mem, OperandError, Reg          # noqa: E402

ADDRESS = 0x7F00_1234_5000      # where the code is assembled and decoded

R = Reg
SAMPLES = {
    "r": [R.RAX, R.R15, R.RSP, R.RBP, R.R8, R.R12, R.R13, R.RDI],
    "x": [R.XMM0, R.XMM15, R.XMM8, R.XMM7],
    "m": [Mem(R.R15), Mem(R.RAX, R.RCX, 8, 0x10), Mem(R.R13), Mem(R.RBP),
          Mem(R.R12), Mem(R.RSP, disp=-8), Mem(R.R12, R.R9, 2, -0x80000000),
          Mem(R.RBP, R.R14, 4, 0x7FFFFFFF), Mem(R.R8, R.RAX, 1, -1),
          Mem(R.R15, R.R13, 8)],
    "i32": [0, -1, 1, 0x7F, 0x80, -0x80, 0x7FFFFFFF, -0x80000000],
    "u32": [0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF],
    "i64": [0, -1, 0x80000000, 0x7FFFFFFFFFFFFFFF, -0x8000000000000000,
            0xFFFFFFFFFFFFFFFF, 0x123456789ABCDEF0],
    "sh": [0, 1, 3, 63],
}
SAMPLES["r32"] = SAMPLES["r8"] = SAMPLES["r"]

NUMBER = re.compile(r"(?<![\w.])(-?)(0x[0-9a-f]+|\d+)(?!\w)")


def normalise(text: str) -> str:
    text = text.lower().replace(" ", "")
    return NUMBER.sub(lambda m: hex(int(m.group(2), 0) * (-1 if m.group(1) else 1) % 2**64), text)


_ATT = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_64)
_ATT.syntax = capstone.CS_OPT_SYNTAX_ATT


def decode_att(code: bytes, address: int) -> list:
    """capstone's reading of `code` in the templates' own (AT&T) syntax."""
    return [Insn(*i) for i in _ATT.disasm_lite(code, address)]


def decoded_one(code: bytes, address: int) -> str:
    insns = decode_att(code, address)
    assert len(insns) == 1 and insns[0].size == len(code), insns
    return f"{insns[0].mnemonic} {insns[0].operands}"


def instances(kinds: tuple[str, ...]):
    """Operand tuples: each position runs through its samples while the
    others keep their first sample."""
    if not kinds:
        yield ()
    for i, kind in enumerate(kinds):
        for sample in SAMPLES[kind]:
            yield tuple(sample if j == i else SAMPLES[k][0] for j, k in enumerate(kinds))


LABELS = ("label", "quad_label")          # no instruction: a label, a label's address
CALLS = ("call",)                         # a label operand, but no rel8 form
BRANCHES = sorted(n for n, (kinds, _) in x64.TEMPLATES.items()
                  if kinds == ("label",) and n not in LABELS + CALLS)
PLAIN = sorted(n for n in x64.TEMPLATES if n not in BRANCHES and n not in LABELS + CALLS)


def test_template_partition():
    assert "jmp" in BRANCHES and len(BRANCHES) == 1 + len(x64.CONDITIONS)
    assert len(PLAIN) + len(BRANCHES) + len(LABELS) + len(CALLS) == len(x64.TEMPLATES)


def test_call_is_rel32_to_its_label():
    """call .Lx: e8 and the distance from the next instruction, backwards
    and forwards (hawk.gc.native calls its subroutines this way)."""
    back = assemble([x64.label(".Lsub"), x64.ret(), x64.call(".Lsub")], ADDRESS)
    assert normalise(decoded_one(back[1:], ADDRESS + 1)) == normalise(f"callq {ADDRESS:#x}")
    far = assemble([x64.call(".Lsub"), *[x64.nop()] * 300, x64.label(".Lsub")], ADDRESS)
    assert len(far) == 305 and far[0] == 0xE8
    assert normalise(decoded_one(far[:5], ADDRESS)) == normalise(f"callq {ADDRESS + 305:#x}")


def test_quad_label_is_the_labels_absolute_address():
    code = assemble([x64.nop(), x64.label(".La"), x64.nop(), x64.nop(), x64.label(".Lb"),
                     x64.quad_label(".Lb"), x64.quad_label(".La")], ADDRESS)
    assert len(code) == 3 + 16
    assert struct.unpack("<2Q", code[-16:]) == (ADDRESS + 3, ADDRESS + 1)


@pytest.mark.parametrize("name", PLAIN)
def test_template_round_trip(name):
    kinds, _ = x64.TEMPLATES[name]
    for operands in instances(kinds):
        line = x64.text(name, *operands)
        code = assemble([line], ADDRESS)
        assert normalise(decoded_one(code, ADDRESS)) == normalise(line), (line, code.hex())


@pytest.mark.parametrize("name", PLAIN)
def test_encoder_matches_keystone(name):
    """hawk.jit.encode's bytes are keystone's for the template's text, on
    the edge operands (every template without a label is encoded)."""
    kinds, _ = x64.TEMPLATES[name]
    for operands in instances(kinds):
        code = x64.emit(name, *operands)
        assert type(code) is bytes
        assert code == assemble([x64.text(name, *operands)], ADDRESS), (x64.text(name, *operands), code.hex())


_GPR = st.sampled_from(x64.GPRS)
_INDEX = st.sampled_from([r for r in x64.GPRS if r != R.RSP])
_DISP = st.one_of(st.integers(-130, 130), st.integers(-2**31, 2**31 - 1),
                  st.sampled_from([-2**31, 2**31 - 1, 127, 128, -128, -129]))
_MEM = st.one_of(st.builds(Mem, _GPR, st.none(), st.just(1), _DISP),
                 st.builds(Mem, _GPR, _INDEX, st.sampled_from([1, 2, 4, 8]), _DISP))
_I32 = st.one_of(st.integers(-130, 130), st.integers(-2**31, 2**31 - 1))
OPERANDS = {"r": _GPR, "r32": _GPR, "r8": _GPR, "x": st.sampled_from(x64.XMMS), "m": _MEM,
            "i32": _I32, "u32": st.integers(0, 2**32 - 1), "i64": st.integers(-2**63, 2**64 - 1),
            "sh": st.integers(0, 63)}


@st.composite
def template_instances(draw):
    name = draw(st.sampled_from(PLAIN))
    return name, tuple(draw(OPERANDS[kind]) for kind in x64.TEMPLATES[name][0])


@settings(max_examples=600, deadline=None)
@given(template_instances())
def test_encoder_matches_keystone_on_random_operands(instance):
    name, operands = instance
    assert x64.emit(name, *operands) == assemble([x64.text(name, *operands)], ADDRESS)


@pytest.mark.parametrize("name", BRANCHES)
def test_branch_round_trip(name):
    mnemonic = x64.TEMPLATES[name][1].split()[0]
    back = assemble([x64.label(".Ltarget"), x64.emit(name, ".Ltarget")], ADDRESS)
    assert normalise(decoded_one(back, ADDRESS)) == normalise(f"{mnemonic} {ADDRESS:#x}")
    assert len(back) == 2                    # rel8
    far = assemble([x64.emit(name, ".Ltarget"), *[x64.nop()] * 300, x64.label(".Ltarget")], ADDRESS)
    size = len(far) - 300                     # rel32
    assert normalise(decoded_one(far[:size], ADDRESS)) == normalise(f"{mnemonic} {ADDRESS + len(far):#x}")


def test_label_emits_no_bytes():
    assert x64.label(".Lx") == ".Lx:"
    assert assemble([x64.label(".Lx")], ADDRESS) == b""


def test_helpers_match_table():
    assert x64.text("add_rr", R.RAX, R.R9) == "addq %r9, %rax"
    assert x64.text("mov_rm", R.RAX, Mem(R.R15, R.RCX, 8, 0x10)) == "movq 0x10(%r15,%rcx,8), %rax"
    assert x64.text("mov_mr", Mem(R.R14, disp=-8), R.R8) == "movq %r8, -0x8(%r14)"
    assert x64.jcc("o", ".Lexit") == x64.jo(".Lexit") == x64.text("jo", ".Lexit") == "jo .Lexit"
    assert x64.cmovcc("l", R.RAX, R.RBX) == x64.cmovl_rr(R.RAX, R.RBX) == \
        assemble([x64.text("cmovl_rr", R.RAX, R.RBX)], ADDRESS)
    assert x64.add_rr(R.RAX, R.R9) == x64.emit("add_rr", R.RAX, R.R9) == b"\x4c\x01\xc8"
    assert x64.RAX is Reg.RAX and x64.XMM15 is Reg.XMM15
    assert all(callable(getattr(x64, name)) for name in x64.TEMPLATES)


@pytest.mark.parametrize("value, form", [
    (0, "movl $0x0, %eax"),
    (0xFFFFFFFF, "movl $0xffffffff, %eax"),
    (-1, "movq $-0x1, %rax"),
    (-0x80000000, "movq $-0x80000000, %rax"),
    (0xFFFFFFFF80000000, "movq $-0x80000000, %rax"),
    (0x100000000, "movabsq $0x100000000, %rax"),
    (-0x80000001, "movabsq $-0x80000001, %rax"),
    (0x7FFFFFFFFFFFFFFF, "movabsq $0x7fffffffffffffff, %rax"),
])
def test_mov_ri_picks_the_shortest_form(value, form):
    assert x64.mov_ri(R.RAX, value) == assemble([Asm(form)], ADDRESS)


BAD_OPERANDS = [
    ("mov_rm", R.RAX, Mem(R.R15, R.RSP, 8)),        # rsp is no index
    ("mov_rm", R.RAX, Mem(R.R15, R.RCX, 3)),        # bad scale
    ("mov_rm", R.RAX, Mem(R.R15, scale=8)),         # scale, no index
    ("mov_rm", R.RAX, Mem(R.R15, disp=2**31)),      # disp32
    ("mov_rm", R.RAX, Mem(R.XMM0)),                 # xmm base
    ("mov_rm", R.RAX, (R.R15, None, 1, 0)),         # not a Mem
    ("add_ri", R.RAX, 2**31),
    ("add_ri", R.RAX, -2**31 - 1),
    ("add_ri", R.RAX, True),
    ("mov32_ri", R.RAX, -1),
    ("movabs_ri", R.RAX, 2**64),
    ("shl_ri", R.RAX, 64),
    ("add_rr", R.RAX, R.XMM1),
    ("add_rr", R.RAX, 0),                            # ints are not registers
    ("addsd_xx", R.XMM0, R.RAX),
    ("movsd_xm", R.XMM0, Mem(R.RAX, R.XMM1)),       # xmm index
    ("mov_mi", Mem(R.RAX), 2**31),
    ("push_r", R.XMM3),
    ("jo", "rax"),                                   # would be a register jump
    ("jmp", "Lfoo"),
    ("jmp", ".L1; nop"),
    ("label", ".L-1"),
]


@pytest.mark.parametrize("make", [x64.emit, x64.text])
@pytest.mark.parametrize("bad", BAD_OPERANDS)
def test_operand_checks(make, bad):
    """The encoders (emit) check their operands as the text templates do."""
    with pytest.raises(OperandError):
        make(*bad)


def test_a_remembered_encoding_still_checks_its_operands():
    """hawk.jit.encode remembers encodings by operands; operands equal to
    ones already encoded but of another type (0 for rax, True for 1, a
    Mem holding ints or a float displacement) still fail their checks."""
    slot = Mem(R.R15, R.R14, 1, -8)
    first = x64.mov_rm(R.RAX, slot)
    assert x64.mov_rm(R.RAX, Mem(R.R15, R.R14, 1, -8)) == first
    x64.add_ri(R.RAX, 1)
    for name, *bad in [("mov_rm", 0, slot), ("mov_rm", R.RAX, Mem(15, 14, 1, -8)),
                       ("mov_rm", R.RAX, Mem(R.R15, R.R14, 1, -8.0)),
                       ("mov_rm", R.RAX, (R.R15, R.R14, 1, -8)), ("add_ri", R.RAX, True)]:
        with pytest.raises(OperandError):
            x64.emit(name, *bad)


def test_the_encoding_memo_starts_again_when_full(monkeypatch):
    """Past MEMO_MAX remembered operand tuples a template's memo is
    cleared, and encodings stay right before and after."""
    monkeypatch.setattr(encode, "MEMO_MAX", 4)
    remembered, plain = encode.encoder("mov_mr"), encode.ENCODINGS["mov_mr"]()
    for _ in range(2):
        for disp in range(0, 80, 8):
            assert remembered(Mem(R.R15, R.R14, 1, disp), R.RCX) == plain(Mem(R.R15, R.R14, 1, disp), R.RCX)
    memo = next(c.cell_contents for c in remembered.__closure__ if type(c.cell_contents) is dict)
    assert 0 < len(memo) <= 4


def test_mov_ri_checks_its_immediate():
    with pytest.raises(OperandError):
        x64.mov_ri(R.RAX, -2**63 - 1)


@pytest.mark.parametrize("make", [x64.emit, x64.text])
def test_wrong_operand_count(make):
    with pytest.raises(TypeError):
        make("add_rr", R.RAX)
    with pytest.raises(TypeError):
        make("ret", R.RAX)
    with pytest.raises(TypeError):
        make("push_r", R.RAX, 1)


# -- assembler ---------------------------------------------------------------

def sample_block() -> list[Asm]:
    return [x64.mov_ri(R.RAX, 0x123456789), x64.add_rr(R.RAX, R.R9),
            x64.mov_mr(Mem(R.R15, R.R14, 8, 0x18), R.RAX), x64.addsd_xx(R.XMM1, R.XMM9),
            x64.ret()]


def test_batch_equals_lines():
    lines = sample_block()
    assert assemble(lines, ADDRESS) == b"".join(assemble([line], ADDRESS) for line in lines)


def test_batch_resolves_labels_at_the_load_address():
    lines = [x64.label(".Ltop"), x64.sub_ri(R.RCX, 1), x64.jne(".Ltop"),
             x64.jmp(".Lend"), x64.nop(), x64.label(".Lend")]
    code = assemble(lines, ADDRESS)
    text = [f"{i.mnemonic} {i.operands}" for i in decode(code, ADDRESS)]
    assert text == ["sub rcx, 1", f"jne {ADDRESS:#x}", f"jmp {ADDRESS + len(code):#x}", "nop "]


def test_machine_code_lines_pass_through_keystone_unchanged():
    """Runs of machine code go to keystone as .ascii strings of their raw
    bytes (four of them escaped): every byte value, alone, repeated and
    next to octal digits, and random blobs around a branch, come back as
    they went in, with the branch laid out between them."""
    for value in range(256):
        for code in (bytes([value]), bytes([value]) * 3, bytes([value, 0x30, value, 0x37])):
            assert assemble([x64.nop(), code, x64.nop()], ADDRESS) == b"\x90" + code + b"\x90"
    pairs = bytes(x for i in range(256) for j in range(0, 256, 7) for x in (i, j))
    assert assemble([pairs], ADDRESS) == pairs
    rng = random.Random(4)
    for _ in range(10):
        blob = rng.randbytes(rng.randrange(1, 3000))
        lines = [blob[:10], blob[10:], x64.jmp(".La"), x64.label(".La"), blob[:77]]
        assert assemble(lines, ADDRESS) == blob + b"\xeb\x00" + blob[:77]


def test_an_error_after_machine_code_names_its_line():
    lines = [x64.mov_rr(R.RAX, R.RBX), x64.nop(), x64.jo(".Lnowhere"), x64.ret()]
    with pytest.raises(AssemblyError) as info:
        assemble(lines, ADDRESS)
    assert info.value.line_no == 2 and ".Lnowhere" in info.value.message
    lines = [x64.mov_rr(R.RAX, R.RBX), x64.label(".La"), x64.nop(), x64.label(".La")]
    with pytest.raises(AssemblyError) as info:
        assemble(lines, ADDRESS)
    assert info.value.line_no == 3


def test_empty_batch():
    assert assemble([], ADDRESS) == b""


def test_only_template_lines_are_accepted():
    with pytest.raises(TypeError, match="template"):
        assemble([x64.nop(), "nop"], ADDRESS)


def test_error_names_the_line():
    lines = [*sample_block()[:4], Asm("addq %rax"),     # hand-made: invalid
             x64.jmp(".Lnext"), x64.label(".Lnext"), x64.ret()]
    with pytest.raises(AssemblyError) as info:
        assemble(lines, ADDRESS)
    assert info.value.line_no == 4 and info.value.line == "addq %rax"
    assert "KS_ERR_ASM_INVALIDOPERAND" in str(info.value)


def test_error_names_a_missing_label():
    lines = [x64.nop(), x64.label(".Lhere"), x64.jo(".Lthere"), x64.jmp(".Lhere")]
    with pytest.raises(AssemblyError) as info:
        assemble(lines, ADDRESS)
    assert info.value.line_no == 2 and ".Lthere" in info.value.message


def test_error_names_a_redefined_label():
    lines = [x64.label(".La"), x64.nop(), x64.jmp(".La"), x64.label(".La"), x64.ret()]
    with pytest.raises(AssemblyError) as info:
        assemble(lines, ADDRESS)
    assert info.value.line_no == 3


# -- the keystone binding (hawk.jit.ks) ---------------------------------------

def test_binding_assembles_at_the_load_address():
    engine = ks.Engine()
    assert engine.asm("nop\nret", ADDRESS) == b"\x90\xc3"
    assert engine.asm("", ADDRESS) == b""
    rel = engine.asm("jmp 0x7f0012355000", ADDRESS)        # rel32 from the address
    assert rel[0] == 0xE9 and int.from_bytes(rel[1:], "little", signed=True) == 0x10000 - 5


def test_binding_errors_carry_keystone_errno_and_message():
    engine = ks.Engine()
    with pytest.raises(ks.KsError) as info:
        engine.asm("jmp .Lnowhere", ADDRESS)
    assert info.value.errno == ks.ERR_ASM_SYMBOL_MISSING
    assert "KS_ERR_ASM_SYMBOL_MISSING" in str(info.value)
    with pytest.raises(ks.KsError, match="KS_ERR_ASM_INVALIDOPERAND"):
        engine.asm("addq %rax", ADDRESS)


def test_binding_drops_an_oversized_immediate_silently():
    """The AT&T-mode trap the i32 operand checks exist for: keystone 0.9.2
    assembles an ALU op or store with an immediate beyond 32 bits to no
    bytes at all, with no error (Intel mode reported it)."""
    engine = ks.Engine()
    assert engine.asm("addq $0x1ffffffff, %rax", ADDRESS) == b""
    assert engine.asm("movq $0x123456789, 0x8(%r15)", ADDRESS) == b""
    with pytest.raises(x64.OperandError):
        x64.add_ri(R.RAX, 0x1FFFFFFFF)


def test_binding_resolver_is_asked_for_unknown_symbols():
    asked = []

    def resolver(name, value):
        asked.append(name)
        value[0] = ADDRESS
        return name == b"known"
    engine = ks.Engine(resolver)
    assert engine.asm("nop", ADDRESS) == b"\x90" and asked == []
    engine.asm("jmp known", ADDRESS)
    assert set(asked) == {b"known"}
    with pytest.raises(ks.KsError):
        engine.asm("jmp unknown", ADDRESS)


def test_binding_without_the_package(monkeypatch):
    monkeypatch.setattr(ks.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError, match="keystone-engine"):
        ks.library_path()


def test_back_end_imports_neither_keystone_package_nor_typing():
    """The keystone package's module (inspect, platform) and typing cost
    milliseconds inside a program's timed run (the first trace loads the
    back end)."""
    code = ("import sys; import hawk.jit.emit, hawk.jit.assembler; "
            "hawk.jit.assembler.assemble([hawk.jit.x64.ret()], 0x1000); "
            "print(sorted(m for m in ('keystone', 'typing', 'platform') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_preload_maps_the_library_off_the_main_thread():
    """A VM with the JIT on starts mapping libkeystone at start-up on another
    thread (hawk.jit.ks.preload), so the first trace does not pay the ~3 ms
    dlopen; that thread also opens (and warms) the engine the first Engine
    takes over; later ones open their own."""
    code = ("import sys; from hawk.jit import ks; from hawk.vm.vm import VM; "
            "from hawk.jit.options import JitOptions; "
            "vm = VM(jit=JitOptions()); thread = ks._PRELOAD; thread.join(); "
            "maps = open('/proc/self/maps').read(); "
            "print(thread.name, ks._LIB is None, 'libkeystone.so' in maps); "
            "warm = ks._WARM.value; first, second = ks.Engine(), ks.Engine(); "
            "print(warm is not None, first._h.value == warm, second._h.value != warm, ks._WARM); "
            "print(first.asm('nop', 0x1000) == b'\\x90', second.asm('movq %rax, %rbx', 0) == b'H\\x89\\xc3')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["hawk-keystone-preload", "True", "True",
                                  "True", "True", "True", "None", "True", "True"]

# -- disassembler ------------------------------------------------------------

def test_disassemble_lists_addresses_bytes_and_text():
    code = assemble(sample_block(), ADDRESS)
    lines = disassemble(code, ADDRESS)
    assert len(lines) == 5
    assert lines[0].startswith(f"{ADDRESS:#014x}  48 b8 89 67 45 23 01 00 00 00")
    assert lines[0].endswith("movabs rax, 0x123456789")
    assert lines[-1].endswith("ret")


def test_disassemble_shows_undecodable_bytes():
    lines = disassemble(b"\x90\xff\xff\x90", ADDRESS)     # ff /7 does not exist
    assert [line.split()[-2:] for line in lines] == [["90", "nop"], [".byte", "0xff"],
                                                   [".byte", "0xff"], ["90", "nop"]]
