"""Primitive integration: `Call(GlobalRef(name), args)` -> `PrimCall(name,
args)` when `name` is a registered primitive (hawk.vm.primspec) that the
compiler can emit inline for that many arguments and that the program never
defines or assigns (so the global surely still holds the primitive).

Why: a PrimCall compiles to an opcode (CAR, ADD, ISLT + JMP, ...) or to a
direct PRIM instruction, skipping the global lookup and the call. The
arithmetic operators with more than two arguments are folded left into
binary PrimCalls, `(+ a b c)` -> `(+ (+ a b) c)`; comparisons integrate only
with exactly two arguments (the compiler's RULES decide).

Introduces PrimCall. The primitive table is injectable (`prims`); `defined`
is a set of global names that must not be integrated, which the pass also
extends with the names this program defines or assigns (so a REPL can carry
it from one form to the next).
"""
from __future__ import annotations

from hawk.frontend import ast as A
from hawk.frontend.passes.tree import map_children, walk
from hawk.vm import primspec
from hawk.vm.compiler import prim_compilable

# left-associative operators folded into binary calls
FOLDABLE = frozenset({"+", "-", "*", "/"})


def run(node: A.Node, prims: dict[str, primspec.PrimSpec] | None = None,
        defined: set | None = None) -> A.Node:
    prims = primspec.load_all() if prims is None else prims
    defined = set() if defined is None else defined
    defined.update(n.name for n in walk(node) if type(n) in (A.GlobalDef, A.GlobalSet))
    return _Integrator(prims, defined).visit(node)


def _accepts(spec: primspec.PrimSpec, nargs: int) -> bool:
    return spec.nmin <= nargs and (spec.nmax is None or nargs <= spec.nmax)


class _Integrator:
    def __init__(self, prims, defined):
        self.prims = prims
        self.defined = defined

    def visit(self, node: A.Node) -> A.Node:
        map_children(node, self.visit)
        return self.call(node) if type(node) is A.Call else node

    def call(self, node: A.Call) -> A.Node:
        fn = node.fn
        if type(fn) is not A.GlobalRef or fn.name in self.defined:
            return node
        spec = self.prims.get(fn.name.name)
        nargs = len(node.args)
        if spec is None or not _accepts(spec, nargs):
            return node
        if nargs > 2 and spec.name in FOLDABLE and prim_compilable(spec.name, 2, spec):
            return self.fold(spec.name, node.args, node.loc)
        if prim_compilable(spec.name, nargs, spec):
            return A.PrimCall(spec.name, node.args, node.loc)
        return node

    @staticmethod
    def fold(name: str, args: list[A.Node], loc) -> A.Node:
        result = args[0]
        for arg in args[1:]:
            result = A.PrimCall(name, [result, arg], loc)
        return result
