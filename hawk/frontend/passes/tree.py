"""Generic traversal of the core AST, shared by the passes.

Why a table: every pass treats most node types uniformly ("visit the
children") and only a few specially; listing each node type's child fields
once here lets a pass write just its special cases. A node type added to
hawk.frontend.ast must be added to CHILDREN.
"""
from __future__ import annotations

import copy

from hawk.frontend import ast as A

# node type -> its child fields: (field name, holds a list of nodes)
CHILDREN: dict[type, tuple[tuple[str, bool], ...]] = {
    A.Const: (),
    A.LocalRef: (),
    A.GlobalRef: (),
    A.Undefined: (),
    A.LocalSet: (("value", False),),
    A.GlobalSet: (("value", False),),
    A.GlobalDef: (("value", False),),
    A.If: (("test", False), ("then", False), ("else_", False)),
    A.Lambda: (("body", False),),
    A.CaseLambda: (("clauses", True),),
    A.Seq: (("body", True),),
    A.Call: (("fn", False), ("args", True)),
    A.Let: (("inits", True), ("body", False)),
    A.Letrec: (("inits", True), ("body", False)),
    A.PrimCall: (("args", True),),
    A.Fix: (("lambdas", True), ("body", False)),
    A.CheckDef: (("value", False),),
    A.MakeBox: (("value", False),),
    A.Unbox: (("box", False),),
    A.SetBox: (("box", False), ("value", False)),
    A.Loop: (("inits", True), ("body", False)),
    A.Recur: (("args", True),),
}


def children(node: A.Node) -> list[A.Node]:
    """The direct sub-nodes of `node`, in evaluation order."""
    out = []
    for name, many in CHILDREN[type(node)]:
        value = getattr(node, name)
        if many:
            out.extend(value)
        else:
            out.append(value)
    return out


def map_children(node: A.Node, f) -> A.Node:
    """Replace each child c of `node` by f(c), in place; returns `node`."""
    for name, many in CHILDREN[type(node)]:
        value = getattr(node, name)
        setattr(node, name, [f(c) for c in value] if many else f(value))
    return node


def copy_node(node: A.Node, f) -> A.Node:
    """A shallow copy of `node` whose children are f(child)."""
    new = copy.copy(node)
    if isinstance(new, A.Lambda):
        new.free = list(new.free)
    return map_children(new, f)


def walk(node: A.Node):
    """Every node of the tree, parents before children (no recursion)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(children(n)))


def binders(node: A.Node) -> list[A.Var]:
    """The variables a node binds (for its sub-scopes)."""
    kind = type(node)
    if kind is A.Lambda:
        return node.params + ([node.rest] if node.rest is not None else [])
    if kind in (A.Let, A.Letrec, A.Fix, A.Loop):
        return list(node.vars)
    return []


def assigned_vars(node: A.Node) -> set[A.Var]:
    """Variables that are the target of some LocalSet in the tree."""
    return {n.var for n in walk(node) if type(n) is A.LocalSet}


def seq(nodes: list[A.Node]) -> A.Node:
    """A Seq of `nodes`, flattened; the node itself if there is one."""
    flat = []
    for n in nodes:
        flat.extend(n.body if type(n) is A.Seq else [n])
    return flat[0] if len(flat) == 1 else A.Seq(flat)
