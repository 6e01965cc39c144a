"""`-v asm`: each trace's machine code, disassembled by capstone, with the
IR instruction, exit stub or part of the trace each block of it is for."""
from __future__ import annotations

import io
import platform
import re
import sys

import pytest

if not (sys.platform.startswith("linux") and platform.machine() == "x86_64"):
    pytest.skip("the JIT's machine code is x86-64 Linux only", allow_module_level=True)

from hawk.driver import make_vm, run_source                    # noqa: E402
from hawk.jit import ir as I                                   # noqa: E402
from hawk.jit.disasm import decode                            # noqa: E402
from hawk.jit.options import JitOptions                        # noqa: E402

PROGRAM = """
(define (sum-squares v)
  (let loop ((i 0) (s 0))
    (if (= i (vector-length v)) s
        (loop (+ i 1) (+ s (* (vector-ref v i) (vector-ref v i)))))))
(define v (make-vector 100 3))
(vector-set! v 7 1.5)
(display (sum-squares v)) (newline)
(display (sum-squares (make-vector 50 2))) (newline)
"""


def run(verbose: set):
    """The VM after the program (the listings go to sys.stderr)."""
    vm = make_vm(["<test>"], jit=JitOptions(enabled=True, hot=3, seed=1, verbose=verbose),
                 stdout=io.StringIO(), stderr=io.StringIO())
    run_source(vm, PROGRAM, "<test>")
    return vm


def test_the_listing_names_the_ir_instruction_of_each_block(capsys):
    vm = run({"asm"})
    err = capsys.readouterr().err
    listings = err.split("---- trace ")[1:]
    assert listings and len(listings) == len(vm.jit.all_traces)
    seen: set = set()
    for t, text in zip(vm.jit.all_traces, listings):
        lines = text.splitlines()[1:]
        notes = [k for k, line in enumerate(lines) if line.startswith("; ")]
        # every note is followed by code: the next line not a note is an instruction
        for k in notes:
            after = next(line for line in lines[k:] if not line.startswith("; "))
            assert re.match(r"0x[0-9a-f]+ ", after), (t.number, lines[k])
        ir_numbers = [int(line[2:6]) for line in lines if re.match(r"; \d{4} ", line)]
        assert ir_numbers == sorted(ir_numbers), t.number
        guards = {i for i, (op, *_) in enumerate(t.ir.ins) if I.FLAGS[op] & I.G}
        assert guards <= set(ir_numbers), t.number     # every guard's code is named
        seen |= set(ir_numbers)
        assert {t.ir.line(i) for i in ir_numbers} <= {line[2:] for line in lines}
        # an exit stub's note comes right before the code that sets eax to its number
        for k in notes:
            m = re.match(r"; exit (\d+) -> ", lines[k])
            if m:
                stub = lines[k + 1:next((j for j in notes if j > k), len(lines))]
                assert any(f"mov eax, {int(m[1]):#x}" in line or f"mov eax, {m[1]}" in line
                           for line in stub), (t.number, lines[k])
        assert set(t.notes) <= {i.address for i in decode(vm.jit.mcode.read(t.address, t.size),
                                                          t.address)} | {t.address + t.size}
    assert seen


def test_the_notes_leave_the_code_as_it_is():
    """Labels take no bytes: with and without -v asm, the same traces of the
    same sizes and instructions (addresses differ: each VM maps its own
    code memory)."""
    annotated = run({"asm"})
    plain = run(set())

    def shape(vm):
        return [(t.size, [i.mnemonic for i in decode(vm.jit.mcode.read(t.address, t.size), t.address)])
                for t in vm.jit.all_traces]
    assert shape(annotated) == shape(plain) and shape(plain)
    assert all(not t.notes for t in plain.jit.all_traces)
