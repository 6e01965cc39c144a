"""Which dispatch scheme should the interpreter use? A micro-benchmark of
three ways to run the same register bytecode in CPython, over a native
(mmap'd, memoryview) stack as the real interpreter does:

  if-chain   one function, locals for all state, `if op == X` tests in
             frequency order (what hawk/vm/interp.py does)
  closures   one pre-built closure per instruction returning the next pc
  table      a list of handler functions indexed by opcode, state in an object

The program is a counting loop (i from 0 to N, s += i) in 5 instructions
per iteration. Usage: python bench/dispatch.py [--n N] [--runs R]
"""
from __future__ import annotations

import argparse
import mmap
import statistics
import time

LOOP, ADD, ADDN, ISLT, JMP, RET = range(6)
# R0 = i, R1 = s, R2 = n
PROGRAM = [(LOOP, 0, 0, 0), (ISLT, 0, 2, 0), (JMP, 0, 4, 0), (RET, 1, 0, 0),
           (ADD, 1, 1, 0), (ADDN, 0, 0, 8), (JMP, 0, 0, 0)]
# ISLT followed by JMP: when R0 < R2 go to pc 4, else fall to RET


def new_stack(n):
    m = mmap.mmap(-1, 1 << 16)
    W = memoryview(m).cast("q")
    W[0], W[1], W[2] = 0, 0, n << 3
    return m, W


def run_if_chain(W, code):
    base = 0
    pc = 0
    while True:
        op, a, b, c = code[pc]
        if op == ADD:
            W[base + a] = W[base + b] + W[base + c]
            pc += 1
        elif op == ADDN:
            W[base + a] = W[base + b] + c
            pc += 1
        elif op == ISLT:
            pc = code[pc + 1][2] if W[base + a] < W[base + b] else pc + 2
        elif op == JMP:
            pc = b
        elif op == LOOP:
            pc += 1
        elif op == RET:
            return W[base + a]


def build_closures(W, code):
    state = {"base": 0}
    out = []
    for pc, (op, a, b, c) in enumerate(code):
        if op == ADD:
            def h(a=a, b=b, c=c, nxt=pc + 1):
                base = state["base"]
                W[base + a] = W[base + b] + W[base + c]
                return nxt
        elif op == ADDN:
            def h(a=a, b=b, c=c, nxt=pc + 1):
                base = state["base"]
                W[base + a] = W[base + b] + c
                return nxt
        elif op == ISLT:
            def h(a=a, b=b, taken=code[pc + 1][2], nxt=pc + 2):
                base = state["base"]
                return taken if W[base + a] < W[base + b] else nxt
        elif op == JMP:
            def h(b=b):
                return b
        elif op == LOOP:
            def h(nxt=pc + 1):
                return nxt
        else:
            def h(a=a):
                return -1 - a
        out.append(h)
    return out


def run_closures(W, handlers):
    pc = 0
    while pc >= 0:
        pc = handlers[pc]()
    return W[-1 - pc]


class TableVM:
    def __init__(self, W, code):
        self.W, self.code, self.base, self.pc = W, code, 0, 0

    def op_add(self, a, b, c):
        W = self.W
        W[self.base + a] = W[self.base + b] + W[self.base + c]
        self.pc += 1

    def op_addn(self, a, b, c):
        W = self.W
        W[self.base + a] = W[self.base + b] + c
        self.pc += 1

    def op_islt(self, a, b, c):
        W = self.W
        self.pc = self.code[self.pc + 1][2] if W[self.base + a] < W[self.base + b] else self.pc + 2

    def op_jmp(self, a, b, c):
        self.pc = b

    def op_loop(self, a, b, c):
        self.pc += 1

    def run(self):
        table = [self.op_loop, self.op_add, self.op_addn, self.op_islt, self.op_jmp]
        code = self.code
        while True:
            op, a, b, c = code[self.pc]
            if op == RET:
                return self.W[self.base + a]
            table[op](a, b, c)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300_000)
    ap.add_argument("--runs", type=int, default=5)
    opts = ap.parse_args()
    expected = sum(range(opts.n)) << 3
    schemes = {
        "if-chain": lambda W: run_if_chain(W, PROGRAM),
        "closures": lambda W: run_closures(W, build_closures(W, PROGRAM)),
        "table": lambda W: TableVM(W, PROGRAM).run(),
    }
    results = {}
    for name, fn in schemes.items():
        times = []
        for _ in range(opts.runs):
            m, W = new_stack(opts.n)
            t = time.perf_counter()
            assert fn(W) == expected
            times.append(time.perf_counter() - t)
        results[name] = times
    instrs = opts.n * 5
    for name, times in results.items():
        med = statistics.median(times)
        print(f"{name:9} median {med*1000:7.1f} ms [{min(times)*1000:.1f}-{max(times)*1000:.1f}]"
              f"  {med / instrs * 1e9:6.1f} ns/instruction")


if __name__ == "__main__":
    main()
