"""Closure conversion (analysis part): fills `Lambda.free` with each
lambda's free local variables, in closure slot order (order of first
mention). Removes and introduces no node types.

Why: closures are flat -- a closure record holds the values of its free
variables, copied when it is made (CLOSURE reads them from the creating
frame's registers or its own closure, as Proto.upvals say) -- so the
compiler must know, per lambda, which variables to copy and where each one
lives. Assignment conversion has run, so copying values is sound.

A lambda without free variables needs no closure record at run time: the
VM caches the closure of such a prototype, so CLOSURE is cheap for it.
Lambda lifting (passing free variables of well-known functions as extra
arguments) is not done.
"""
from __future__ import annotations

from hawk.frontend import ast as A
from hawk.frontend.passes.tree import binders, children


def run(node: A.Node) -> A.Node:
    _free(node)
    return node


def _free(node: A.Node) -> dict[A.Var, None]:
    """The free local variables of node, as an ordered set; sets the
    `free` field of every Lambda in it on the way."""
    result = {node.var: None} if type(node) in (A.LocalRef, A.LocalSet) else {}
    for child in children(node):
        result.update(_free(child))
    for var in binders(node):
        result.pop(var, None)
    if type(node) is A.Lambda:
        node.free = list(result)
    return result
