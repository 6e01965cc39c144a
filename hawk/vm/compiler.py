"""The bytecode compiler: the core AST, after the passes of
hawk.frontend.pipeline, to a Proto (hawk.vm.proto) following the
instruction set and frame convention of hawk.vm.bytecode.

Why it is shaped this way:
  * Registers are frame slots handed out in stack order. A function's
    parameters take R[0..], then each Let/Fix/Loop variable gets the next
    free slot for the extent of its scope, and temporaries are pushed above
    and popped when the expression that needed them is done. This needs no
    liveness analysis and keeps frames small; a frame may use at most
    MAX_FRAME slots (CompileError otherwise). A call needs its callee,
    link slot and arguments in consecutive slots, so a call with more than
    about 240 arguments also raises CompileError.
  * Every expression is compiled for a destination: a register, TAIL (the
    function's result: RET, or CALLT for calls) or EFFECT (value unused), so
    tail calls come out as CALLT in every tail position without a separate
    analysis.
  * `if` tests are compiled for control, not for a value: a 2-argument
    comparison, eq?, eqv? or null? becomes a compare-and-branch + JMP, `not`
    swaps the branch sense, nested `if`s (the expansion of `and`) chain
    their jumps; anything else is IST/ISF of its value. A comparison whose
    value is needed is compiled through such a branch loading #t or #f.
  * Variables are never assigned once bound (assignment conversion boxed
    every `set!` variable), so a variable's register is used directly as an
    instruction operand. Loop variables change only on Recur, which is in
    tail position of its loop, after every use of their old values.
  * Which primitive calls become which opcodes is the table RULES below
    (the primitive-integration pass asks `prim_compilable` before making a
    PrimCall); other integrable primitives become PRIM instructions.
"""
from __future__ import annotations

from fractions import Fraction

from hawk.errors import CompileError
from hawk.frontend import ast as A
from hawk.frontend.passes import tree
from hawk.frontend.datum import NIL, UNSPECIFIED, Char
from hawk.record import record
from hawk.vm import liveness, primspec
from hawk.vm import values as V
from hawk.vm.bytecode import JUMP_BIAS, NEGATE, Op, encode_abc, encode_ad
from hawk.vm.data import Word
from hawk.vm.proto import GlobalCell, Proto

MAX_FRAME = 250
TAIL = -1       # destination: the function's result
EFFECT = -2     # destination: the value is not needed

UNDEFINED_WORD = Word(V.UNDEFINED)

# Shapes of opcode-compiled primitive calls.
BINARY = "binary"     # R[A] = op(R[B], R[C])
UNARY = "unary"       # R[A] = op(R[D])
STORE2 = "store2"     # op(R[A], R[D]); unspecified value
STORE3 = "store3"     # op(R[A], R[B], R[C]); unspecified value
COMPARE = "compare"   # compare-and-branch op (+ JMP)


@record(frozen=True)
class Rule:
    shape: str
    op: Op | None
    swap: bool = False          # COMPARE: operands reversed (> and >=)
    value_op: Op | None = None  # COMPARE: opcode producing the value directly


# (primitive name, argument count) -> how the compiler emits it
RULES: dict[tuple[str, int], Rule] = {
    ("+", 2): Rule(BINARY, Op.ADD),
    ("-", 2): Rule(BINARY, Op.SUB),
    ("*", 2): Rule(BINARY, Op.MUL),
    ("/", 2): Rule(BINARY, Op.DIV),
    ("-", 1): Rule(UNARY, Op.NEG),
    ("quotient", 2): Rule(BINARY, Op.QUO),
    ("remainder", 2): Rule(BINARY, Op.REM),
    ("modulo", 2): Rule(BINARY, Op.MOD),
    ("cons", 2): Rule(BINARY, Op.CONS),
    ("vector-ref", 2): Rule(BINARY, Op.VREF),
    ("string-ref", 2): Rule(BINARY, Op.SREF),
    ("car", 1): Rule(UNARY, Op.CAR),
    ("cdr", 1): Rule(UNARY, Op.CDR),
    ("not", 1): Rule(UNARY, Op.NOT),
    ("null?", 1): Rule(UNARY, Op.NULLP),
    ("pair?", 1): Rule(UNARY, Op.PAIRP),
    ("vector-length", 1): Rule(UNARY, Op.VLEN),
    ("string-length", 1): Rule(UNARY, Op.SLEN),
    ("set-car!", 2): Rule(STORE2, Op.SETCAR),
    ("set-cdr!", 2): Rule(STORE2, Op.SETCDR),
    ("vector-set!", 3): Rule(STORE3, Op.VSET),
    ("=", 2): Rule(COMPARE, Op.ISNUM),
    ("<", 2): Rule(COMPARE, Op.ISLT),
    (">", 2): Rule(COMPARE, Op.ISLT, swap=True),
    ("<=", 2): Rule(COMPARE, Op.ISLE),
    (">=", 2): Rule(COMPARE, Op.ISLE, swap=True),
    ("eq?", 2): Rule(COMPARE, Op.ISEQ, value_op=Op.EQ),
    ("eqv?", 2): Rule(COMPARE, Op.ISEQV),
}

# ADD/SUB with a small fixnum constant operand
IMMEDIATE_FORMS = {Op.ADD: Op.ADDN, Op.SUB: Op.SUBN}

# Nodes whose evaluation has no effect and cannot fail.
PURE = (A.Const, A.LocalRef, A.Lambda, A.CaseLambda, A.Undefined)


def prim_compilable(name: str, nargs: int, spec: primspec.PrimSpec) -> bool:
    """Can a PrimCall of `name` with nargs arguments be compiled (to an
    opcode, or to PRIM when the primitive is integrable)?"""
    if (name, nargs) in RULES:
        return True
    return spec.integrable and spec.index >= 0 and spec.nmin <= nargs <= spec.nmax


def compile_program(node: A.Node, name: str = "toplevel", loc=None,
                    prims: dict[str, primspec.PrimSpec] | None = None) -> Proto:
    """The Proto (no parameters) whose body is `node`, returning its value."""
    root = A.Lambda([], None, node, name, loc)
    return _Function(root, name, primspec.PRIMS if prims is None else prims).compile(tail=False)


def _is_fixnum(x) -> bool:
    return type(x) is int


def _const_key(x):
    """Dictionary key under which equal immutable constants coincide;
    mutable data (and symbols, which are interned) by identity."""
    if isinstance(x, float):
        return (float, x.hex())
    if isinstance(x, complex):
        return (complex, x.real.hex(), x.imag.hex())
    if isinstance(x, (bool, int, Fraction, str, Char, GlobalCell, Word)):
        return (type(x), x)
    return (id, id(x))


class _Function:
    """Compiles one Lambda to one Proto (children compiled recursively)."""

    def __init__(self, lam: A.Lambda, name: str | None, prims):
        self.lam = lam
        self.prims = prims
        self.proto = Proto(name or "lambda", len(lam.params), lam.rest is not None, loc=lam.loc)
        self.code = self.proto.code
        self.regs: dict[A.Var, int] = {}                       # locals in this frame
        self.upidx = {v: i for i, v in enumerate(lam.free)}   # free variables
        self.loops: dict[A.Var, tuple[int, list[int]]] = {}   # loop -> (header pc, registers)
        self.const_index: dict = {}
        self.top = 0                 # first free register
        self.loc = lam.loc           # attached to emitted instructions
        self.dead_at = -1            # len(code) right after an unconditional transfer
        self.handlers = {
            A.Const: self.value(self.const),
            A.Undefined: self.value(self.undefined),
            A.LocalRef: self.value(self.local_ref),
            A.GlobalRef: self.value(self.global_ref),
            A.GlobalSet: self.global_set,
            A.GlobalDef: self.global_def,
            A.If: self.if_,
            A.Lambda: self.value(self.closure),
            A.CaseLambda: self.value(self.case_lambda),
            A.Seq: self.seq,
            A.Call: self.call,
            A.Let: self.let,
            A.Fix: self.fix,
            A.PrimCall: self.prim_call,
            A.CheckDef: self.value(self.check_def),
            A.MakeBox: self.value(self.make_box),
            A.Unbox: self.value(self.unbox),
            A.SetBox: self.set_box,
            A.Loop: self.loop,
            A.Recur: self.recur,
        }
        self.prim_value_handler = self.value(self.prim_value)
        self.branch_handlers = {
            A.Const: self.branch_const,
            A.If: self.branch_if,
            A.Seq: self.branch_seq,
            A.Let: self.branch_let,
            A.PrimCall: self.branch_prim,
        }

    def compile(self, tail: bool = True) -> Proto:
        """tail=False compiles the body's value into a register and returns
        it, without tail calls: used for a program's top level, so that a
        backtrace from its last form still shows the top-level frame."""
        lam = self.lam
        for v in lam.params + ([lam.rest] if lam.rest is not None else []):
            self.regs[v] = self.alloc()
        entry = Op.FUNCV if lam.rest is not None else Op.FUNCF
        self.emit_ad(entry, 0, len(lam.params))
        if tail:
            self.compile_node(lam.body, TAIL)
        else:
            result = self.alloc()
            self.compile_node(lam.body, result)
            self.emit_ad(Op.RET, result, 0)
        self.code[0] = encode_ad(entry, self.proto.framesize, len(lam.params))
        self.proto.dead_after_call = liveness.dead_after_calls(self.proto)
        return self.proto

    # -- registers, constants, emission -------------------------------------
    def alloc(self) -> int:
        r = self.top
        self.top += 1
        if self.top > MAX_FRAME:
            raise CompileError(f"{self.proto.name}: procedure needs more than {MAX_FRAME} "
                               "registers", loc=self.lam.loc)
        self.proto.framesize = max(self.proto.framesize, self.top)
        return r

    def const(self, node: A.Const, dest: int) -> None:
        self.load(node.value, dest)

    def load(self, value, dest: int) -> None:
        if _is_fixnum(value) and -0x8000 <= value < 0x8000:
            self.emit_ad(Op.KSHORT, dest, value & 0xffff)
        else:
            self.emit_ad(Op.KCONST, dest, self.constant(value))

    def constant(self, value) -> int:
        key = _const_key(value)
        k = self.const_index.get(key)
        if k is None:
            k = self.const_index[key] = self.index(self.proto.consts, value)
        return k

    def index(self, table: list, item) -> int:
        """Append item to a constant or child table; its 16-bit index."""
        if len(table) >= 0x10000:
            raise CompileError(f"{self.proto.name}: too many constants or nested procedures",
                               loc=self.lam.loc)
        table.append(item)
        return len(table) - 1

    def emit(self, ins: int) -> int:
        self.code.append(ins)
        self.proto.locs.append(self.loc)
        return len(self.code) - 1

    def emit_ad(self, op: Op, a: int, d: int) -> int:
        return self.emit(encode_ad(op, a, d))

    def emit_abc(self, op: Op, a: int, b: int, c: int) -> int:
        return self.emit(encode_abc(op, a, b, c))

    def emit_jmp(self) -> int:
        return self.emit_ad(Op.JMP, 0, JUMP_BIAS)

    def jump_to(self, pc: int, target: int) -> None:
        self.code[pc] = encode_ad(Op.JMP, 0, target - (pc + 1) + JUMP_BIAS)

    def patch(self, jumps: list[int]) -> None:
        """Make `jumps` land here."""
        for pc in jumps:
            self.jump_to(pc, len(self.code))
        if jumps:
            self.dead_at = -1

    def falls_through(self) -> bool:
        return self.dead_at != len(self.code)

    def end_block(self) -> None:
        self.dead_at = len(self.code)

    # -- destinations ---------------------------------------------------------
    def compile_node(self, node: A.Node, dest: int) -> None:
        handler = self.handlers.get(type(node))
        if handler is None:
            raise CompileError(f"internal: {type(node).__name__} reached the compiler")
        saved = self.loc
        loc = getattr(node, "loc", None)
        if loc is not None:
            self.loc = loc
        handler(node, dest)
        self.loc = saved

    def value(self, fn):
        """Adapt `fn(node, register)` to any destination."""
        def handler(node, dest):
            if dest >= 0:
                fn(node, dest)
            elif dest == TAIL:
                mark = self.top
                self.ret(self.operand(node))
                self.top = mark
            elif not isinstance(node, PURE):
                mark = self.top
                fn(node, self.alloc())
                self.top = mark
        return handler

    def operand(self, node: A.Node) -> int:
        """A register holding node's value: the variable's own register for
        a local, else a new temporary (the caller pops it)."""
        if type(node) is A.LocalRef and node.var in self.regs:
            return self.regs[node.var]
        r = self.alloc()
        self.compile_node(node, r)
        return r

    def operand_into(self, node: A.Node, dest: int) -> int:
        """Like `operand`, but a value that needs computing goes into dest
        (which the instruction consuming it overwrites anyway)."""
        if type(node) is A.LocalRef and node.var in self.regs:
            return self.regs[node.var]
        self.compile_node(node, dest)
        return dest

    def finish(self, reg: int, dest: int) -> None:
        """The value is in `reg`; deliver it to dest."""
        if dest == TAIL:
            self.ret(reg)
        elif dest >= 0 and dest != reg:
            self.emit_ad(Op.MOV, dest, reg)

    def ret(self, reg: int) -> None:
        self.emit_ad(Op.RET, reg, 0)
        self.end_block()

    def unspecified(self, dest: int) -> None:
        if dest != EFFECT:
            mark = self.top
            reg = dest if dest >= 0 else self.alloc()
            self.load(UNSPECIFIED, reg)
            self.finish(reg, dest)
            self.top = mark

    def base_register(self, dest: int) -> int:
        """Start of a consecutive block (CALL, PRIM): dest itself when it is
        the topmost register in use, else a new one; either way the
        registers above it are free."""
        return dest if dest >= 0 and dest == self.top - 1 else self.alloc()

    # -- variables --------------------------------------------------------------
    def undefined(self, node: A.Undefined, dest: int) -> None:
        self.load(UNDEFINED_WORD, dest)

    def local_ref(self, node: A.LocalRef, dest: int) -> None:
        var = node.var
        if var in self.regs:
            if self.regs[var] != dest:
                self.emit_ad(Op.MOV, dest, self.regs[var])
        elif var in self.upidx:
            self.emit_ad(Op.UGET, dest, self.upidx[var])
        else:
            raise CompileError(f"internal: {var!r} is neither local nor free here")

    def global_ref(self, node: A.GlobalRef, dest: int) -> None:
        self.emit_ad(Op.GGET, dest, self.constant(GlobalCell(node.name)))

    def global_set(self, node: A.GlobalSet, dest: int) -> None:
        self.global_store(Op.GSET, node, dest)

    def global_def(self, node: A.GlobalDef, dest: int) -> None:
        self.global_store(Op.GDEF, node, dest)

    def global_store(self, op: Op, node, dest: int) -> None:
        mark = self.top
        reg = self.operand(node.value)
        self.emit_ad(op, reg, self.constant(GlobalCell(node.name)))
        self.top = mark
        self.unspecified(dest)

    def check_def(self, node: A.CheckDef, dest: int) -> None:
        self.compile_node(node.value, dest)
        self.emit_ad(Op.CHKDEF, dest, self.constant(node.name))

    def make_box(self, node: A.MakeBox, dest: int) -> None:
        self.unary(Op.BOX, node.value, dest)

    def unbox(self, node: A.Unbox, dest: int) -> None:
        self.unary(Op.UNBOX, node.box, dest)

    def set_box(self, node: A.SetBox, dest: int) -> None:
        self.store(Op.SETBOX, [node.box, node.value], dest)

    # -- control ------------------------------------------------------------------
    def seq(self, node: A.Seq, dest: int) -> None:
        for n in node.body[:-1]:
            self.compile_node(n, EFFECT)
        self.compile_node(node.body[-1], dest)

    def if_(self, node: A.If, dest: int) -> None:
        if type(node.test) is A.Const:
            self.compile_node(node.then if node.test.value is not False else node.else_, dest)
            return
        to_else = self.branch(node.test, False)
        self.compile_node(node.then, dest)
        to_end = [self.emit_jmp()] if dest != TAIL and self.falls_through() else []
        self.patch(to_else)
        self.compile_node(node.else_, dest)
        self.patch(to_end)

    def let(self, node: A.Let, dest: int) -> None:
        mark = self.bind_let(node)
        self.compile_node(node.body, dest)
        self.top = mark

    def bind_let(self, node: A.Let) -> int:
        """Evaluate the inits into fresh registers (a local init is shared,
        not copied) and bind the vars; returns the register mark to pop to."""
        mark = self.top
        regs = []
        for init in node.inits:
            if type(init) is A.LocalRef and init.var in self.regs:
                regs.append(self.regs[init.var])
            else:
                regs.append(self.alloc())
                self.compile_node(init, regs[-1])
        self.regs.update(zip(node.vars, regs))
        return mark

    def fix(self, node: A.Fix, dest: int) -> None:
        """CLOSURE each lambda, then SETFREE the free variables that refer to
        a closure not yet made when they were captured; those registers are
        set to the undefined marker first so no stale word is captured."""
        mark = self.top
        regs = [self.alloc() for _ in node.vars]
        self.regs.update(zip(node.vars, regs))
        index = {v: j for j, v in enumerate(node.vars)}
        patches = [(regs[i], slot, regs[index[v]])
                   for i, lam in enumerate(node.lambdas)
                   for slot, v in enumerate(lam.free) if index.get(v, -1) >= i]
        for reg in sorted({p[2] for p in patches}):
            self.load(UNDEFINED_WORD, reg)
        for lam, reg in zip(node.lambdas, regs):
            self.compile_node(lam, reg)
        for reg, slot, value in patches:
            self.emit_abc(Op.SETFREE, reg, slot, value)
        self.compile_node(node.body, dest)
        self.top = mark

    def loop(self, node: A.Loop, dest: int) -> None:
        mark = self.top
        regs = []
        for init in node.inits:
            regs.append(self.alloc())
            self.compile_node(init, regs[-1])
        self.regs.update(zip(node.vars, regs))
        self.loops[node.name] = (self.emit_ad(Op.LOOP, 0, 0), regs)
        self.compile_node(node.body, dest)
        self.top = mark

    def recur(self, node: A.Recur, dest: int) -> None:
        """The new values of the loop variables, then back to the header.

        A parallel assignment: first, repeatedly compute straight into its
        own register any value whose variable no other pending value reads
        (e.g. `(loop (+ i 1) (+ s i))` becomes ADD s s i; ADDN i i 1); the
        rest go into temporaries first (they may read the old values), then
        into the loop's registers."""
        header, regs = self.loops[node.name]
        mark = self.top
        pending = [(reg, arg) for reg, arg in zip(regs, node.args)
                   if not (type(arg) is A.LocalRef and self.regs.get(arg.var) == reg)]
        reads = {id(arg): self.registers_read(arg) for _, arg in pending}
        progress = True
        while progress:
            progress = False
            for k, (reg, arg) in enumerate(pending):
                others = set().union(*(reads[id(a)] for j, (_, a) in enumerate(pending) if j != k))
                if reg not in others and (reg not in reads[id(arg)] or self.one_instruction(arg)):
                    self.compile_node(arg, reg)
                    del pending[k]
                    progress = True
                    break
        moves = []
        for reg, arg in pending:
            src = self.operand(arg)
            if src in regs and src != reg:      # would be overwritten by an earlier move
                self.emit_ad(Op.MOV, self.alloc(), src)
                src = self.top - 1
            if src != reg:
                moves.append((reg, src))
        for reg, src in moves:
            self.emit_ad(Op.MOV, reg, src)
        self.jump_to(self.emit_jmp(), header)
        self.end_block()
        self.top = mark

    def registers_read(self, node: A.Node) -> set[int]:
        """Registers of the local variables that `node` refers to."""
        out = set()
        stack = [node]
        while stack:
            n = stack.pop()
            if type(n) is A.LocalRef and n.var in self.regs:
                out.add(self.regs[n.var])
            stack.extend(tree.children(n))
        return out

    def one_instruction(self, node: A.Node) -> bool:
        """Does `node` compile to one instruction that reads all its
        operands before writing its destination (so the destination may be
        one of the operands)?"""
        if type(node) is not A.PrimCall:
            return False
        rule = RULES.get((node.op, len(node.args)))
        if rule is None or rule.shape not in (BINARY, UNARY):
            return False
        args = node.args
        if all(type(a) is A.LocalRef and a.var in self.regs for a in args):
            return True
        return (rule.op in IMMEDIATE_FORMS and type(args[0]) is A.LocalRef and args[0].var in self.regs
                and type(args[1]) is A.Const and _is_fixnum(args[1].value)
                and -0x80 <= args[1].value < 0x80)

    # -- procedures ----------------------------------------------------------------
    def closure(self, node: A.Lambda, dest: int, name: str | None = None) -> None:
        child = _Function(node, name or node.name, self.prims).compile()
        child.upvals = [self.capture(v) for v in node.free]
        self.emit_ad(Op.CLOSURE, dest, self.child(child))

    def child(self, proto: Proto) -> int:
        return self.index(self.proto.protos, proto)

    def capture(self, var: A.Var) -> tuple[bool, int]:
        if var in self.regs:
            return (True, self.regs[var])
        if var in self.upidx:
            return (False, self.upidx[var])
        raise CompileError(f"internal: free variable {var!r} not visible here")

    def case_lambda(self, node: A.CaseLambda, dest: int) -> None:
        """The clause closures go into temporaries; the dispatcher (a single
        FUNCC) captures them as its free variables, in clause order."""
        mark = self.top
        regs = []
        for clause in node.clauses:
            regs.append(self.alloc())
            self.closure(clause, regs[-1], clause.name or node.name)
        arities = [(len(c.params), c.rest is not None) for c in node.clauses]
        dispatcher = Proto(node.name or "case-lambda", min((n for n, _ in arities), default=0),
                           True, loc=node.loc, upvals=[(True, r) for r in regs],
                           clauses=arities)
        dispatcher.code.append(encode_ad(Op.FUNCC, 0, len(regs)))
        dispatcher.locs.append(node.loc)
        self.emit_ad(Op.CLOSURE, dest, self.child(dispatcher))
        self.top = mark

    def call(self, node: A.Call, dest: int) -> None:
        """Callee in R[A], R[A+1] left for the link, arguments from R[A+2]."""
        mark = self.top
        a = self.base_register(dest)
        self.compile_node(node.fn, a)
        self.alloc()
        for arg in node.args:
            self.compile_node(arg, self.alloc())
        if dest == TAIL:
            self.emit_abc(Op.CALLT, a, len(node.args), 0)
            self.end_block()
        else:
            self.emit_abc(Op.CALL, a, len(node.args), 0)
            self.finish(a, dest)
        self.top = mark

    # -- primitives ------------------------------------------------------------------
    def prim_call(self, node: A.PrimCall, dest: int) -> None:
        rule = RULES.get((node.op, len(node.args)))
        if rule is not None and rule.shape in (STORE2, STORE3):
            self.store(rule.op, node.args, dest)
        else:
            self.prim_value_handler(node, dest)

    def prim_value(self, node: A.PrimCall, dest: int) -> None:
        rule = RULES.get((node.op, len(node.args)))
        if rule is None:
            self.prim_instruction(node, dest)
        elif rule.shape == BINARY:
            self.binary(rule.op, node.args, dest)
        elif rule.shape == UNARY:
            self.unary(rule.op, node.args[0], dest)
        elif rule.value_op is not None:
            self.binary(rule.value_op, node.args, dest)
        else:
            self.boolean(node, dest)

    def prim_instruction(self, node: A.PrimCall, dest: int) -> None:
        """PRIM: arguments in R[A] .. R[A+B-1], result in R[A]."""
        mark = self.top
        a = self.base_register(dest)
        for i, arg in enumerate(node.args):
            self.compile_node(arg, self.alloc() if i else a)
        self.emit_abc(Op.PRIM, a, len(node.args), self.prims[node.op].index)
        self.finish(a, dest)
        self.top = mark

    def binary(self, op: Op, args: list[A.Node], dest: int) -> None:
        mark = self.top
        x, y = args
        if op in IMMEDIATE_FORMS and self.small(y):
            self.emit_abc(IMMEDIATE_FORMS[op], dest, self.operand_into(x, dest), y.value & 0xff)
        elif op is Op.ADD and self.small(x):
            self.emit_abc(Op.ADDN, dest, self.operand_into(y, dest), x.value & 0xff)
        else:
            b = self.operand_into(x, dest)
            self.emit_abc(op, dest, b, self.operand(y))
        self.top = mark

    @staticmethod
    def small(node: A.Node) -> bool:
        return type(node) is A.Const and _is_fixnum(node.value) and -0x80 <= node.value < 0x80

    def unary(self, op: Op, arg: A.Node, dest: int) -> None:
        self.emit_ad(op, dest, self.operand_into(arg, dest))

    def store(self, op: Op, args: list[A.Node], dest: int) -> None:
        mark = self.top
        regs = [self.operand(a) for a in args]
        if len(regs) == 2:
            self.emit_ad(op, regs[0], regs[1])
        else:
            self.emit_abc(op, *regs)
        self.top = mark
        self.unspecified(dest)

    def boolean(self, test: A.Node, dest: int) -> None:
        """#t or #f in dest according to a test compiled for control."""
        self.load(True, dest)
        jumps = self.branch(test, True)
        self.load(False, dest)
        self.patch(jumps)

    # -- tests compiled for control -------------------------------------------------
    def branch(self, test: A.Node, jump_if: bool) -> list[int]:
        """Code that jumps when test's truth equals jump_if and falls through
        otherwise; returns the jumps to patch to the target."""
        saved = self.loc
        loc = getattr(test, "loc", None)
        if loc is not None:
            self.loc = loc
        mark = self.top
        jumps = self.branch_handlers.get(type(test), self.branch_value)(test, jump_if)
        self.top = mark
        self.loc = saved
        return jumps

    def branch_value(self, test: A.Node, jump_if: bool) -> list[int]:
        reg = self.operand(test)
        self.emit_ad(Op.IST if jump_if else Op.ISF, 0, reg)
        return [self.emit_jmp()]

    def branch_const(self, test: A.Const, jump_if: bool) -> list[int]:
        return [self.emit_jmp()] if (test.value is not False) == jump_if else []

    def branch_seq(self, test: A.Seq, jump_if: bool) -> list[int]:
        for n in test.body[:-1]:
            self.compile_node(n, EFFECT)
        return self.branch(test.body[-1], jump_if)

    def branch_let(self, test: A.Let, jump_if: bool) -> list[int]:
        self.bind_let(test)
        return self.branch(test.body, jump_if)

    def branch_if(self, test: A.If, jump_if: bool) -> list[int]:
        if type(test.test) is A.Const:
            return self.branch(test.then if test.test.value is not False else test.else_, jump_if)
        to_else = self.branch(test.test, False)
        jumps = self.branch(test.then, jump_if)
        if type(test.else_) is A.Const:
            if (test.else_.value is not False) == jump_if:
                return jumps + to_else
            self.patch(to_else)
            return jumps
        skip = [self.emit_jmp()]
        self.patch(to_else)
        jumps += self.branch(test.else_, jump_if)
        self.patch(skip)
        return jumps

    def branch_prim(self, test: A.PrimCall, jump_if: bool) -> list[int]:
        nargs = len(test.args)
        if test.op == "not" and nargs == 1:
            return self.branch(test.args[0], not jump_if)
        if test.op == "null?" and nargs == 1:
            x = self.operand(test.args[0])
            nil = self.alloc()
            self.load(NIL, nil)
            return self.compare(Op.ISEQ, x, nil, jump_if)
        rule = RULES.get((test.op, nargs))
        if rule is None or rule.shape != COMPARE:
            return self.branch_value(test, jump_if)
        x = self.operand(test.args[0])
        y = self.operand(test.args[1])
        return self.compare(rule.op, *((y, x) if rule.swap else (x, y)), jump_if)

    def compare(self, op: Op, x: int, y: int, jump_if: bool) -> list[int]:
        self.emit_ad(op if jump_if else NEGATE[op], x, y)
        return [self.emit_jmp()]
