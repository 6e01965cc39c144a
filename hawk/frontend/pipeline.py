"""From read forms to a Proto: expansion, the passes, code generation.

PASSES is the one place that says which passes run, in which order:

  alpha_rename  every binding gets its own Var, no shared subtrees
  integrate     calls of unshadowed primitives -> PrimCall
  fix_letrec    Letrec -> Fix (lambdas) + Let/LocalSet (the rest)
  inline_once   procedures called once -> Let (beta reduction)
  loops         named-let / do shaped Fix lambdas -> Loop / Recur
  assignment    set! variables -> boxes (no LocalSet after this)
  closure       Lambda.free for every lambda

Why this order: integration comes early so later passes see primitive
calls as PrimCalls (no calls of variables); letrec must be fixed before
inlining and loop lowering, which work on Fix; loops are found after
inlining has exposed them (`((letrec ((loop ...)) loop) 0)`) and before
assignment conversion, which must know where the lambdas are; closure
conversion needs the final tree.

The passes and the compiler recurse on the tree, so they run with a raised
Python recursion limit (deeply nested source, such as a long `cond`, makes
deeply nested trees).
"""
from __future__ import annotations

import sys
from contextlib import contextmanager

from hawk.frontend import ast as A
from hawk.frontend.datum import Pair, SourceLoc, Symbol
from hawk.frontend.passes import (alpha_rename, assignment, closure, fix_letrec, inline_once,
                                  integrate, loops)
from hawk.vm import compiler, primspec
from hawk.vm.bytecode import Op, decode
from hawk.vm.proto import Proto

PASSES = [
    alpha_rename.run,
    integrate.run,
    fix_letrec.run,
    inline_once.run,
    loops.run,
    assignment.run,
    closure.run,
]

RECURSION_LIMIT = 20000


@contextmanager
def deep_recursion():
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def run_passes(node: A.Node, prims: dict[str, primspec.PrimSpec],
               defined: set | None = None) -> A.Node:
    """node after every pass; `prims` and `defined` go to integrate."""
    options = {integrate.run: {"prims": prims, "defined": defined}}
    for run in PASSES:
        node = run(node, **options.get(run, {}))
    return node


def compile_program(forms: list, file: str, expander,
                    prims: dict[str, primspec.PrimSpec] | None = None,
                    defined: set | None = None) -> Proto:
    """A whole program: a Proto with no parameters returning the value of
    the last expression. `defined`: global names not to integrate as
    primitives (those some other compiled code defines, such as the
    runtime library: see `globals_defined`); extended in place with the
    program's own definitions and assignments."""
    return _compile(lambda: expander.expand_program(forms), SourceLoc(file, 1, 1), prims, defined)


def compile_toplevel(form, expander, defined: set | None = None,
                     prims: dict[str, primspec.PrimSpec] | None = None) -> Proto:
    """One REPL form. Pass the same `defined` set for every form of a
    session: it collects the globals the session defines or assigns, which
    are then no longer integrated as primitives."""
    loc = form.loc if isinstance(form, Pair) else None
    return _compile(lambda: expander.expand_toplevel(form), loc, prims, defined)


def globals_defined(protos: list[Proto]) -> set[Symbol]:
    """The global names compiled code defines or assigns (its GDEF and GSET
    instructions), e.g. to keep a program from integrating a primitive the
    runtime library redefines. Works on prototypes loaded from .hbc too."""
    names = set()
    for root in protos:
        for p in root.walk():
            for ins in p.code:
                op, a, b, c, d = decode(ins)
                if op in (Op.GDEF, Op.GSET):
                    names.add(p.consts[d].name)
    return names


def _compile(expand, loc, prims, defined) -> Proto:
    """expand() gives the AST; it runs inside deep_recursion too."""
    prims = primspec.load_all() if prims is None else prims
    with deep_recursion():
        node = run_passes(expand(), prims, defined)
        return compiler.compile_program(node, "toplevel", loc, prims)
