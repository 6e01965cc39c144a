"""Loop lowering: introduces Loop and Recur; removes the Fix bindings they
replace.

A Fix-bound lambda `f` (no rest parameter) becomes a loop when
  * inside its own body, `f` appears only as the operator of calls in tail
    position (not inside a nested lambda) with the right argument count,
  * the other lambdas of its Fix do not mention it, and
  * the Fix body mentions it exactly once, as the operator of a call with
    the right argument count (in tail position or not).
That is the shape of named let and `do`. The call becomes
`Loop(f, params, args, body)` and each self tail call `Recur(f, args)`; the
compiler emits a LOOP header and jumps: no closure, no call, no frame.

Fixes are processed innermost first, so a loop nested in another loop's
body can jump back to the outer loop once the inner one is lowered.
"""
from __future__ import annotations

from hawk.frontend import ast as A
from hawk.frontend.passes.tree import children, map_children, walk


def run(node: A.Node) -> A.Node:
    map_children(node, run)
    return _lower(node) if type(node) is A.Fix else node


# node type -> its children, each with "in tail position if the node is"
_TAIL_CHILDREN = {
    A.If: lambda n: [(n.test, False), (n.then, True), (n.else_, True)],
    A.Seq: lambda n: [(b, False) for b in n.body[:-1]] + [(n.body[-1], True)],
    A.Let: lambda n: [(i, False) for i in n.inits] + [(n.body, True)],
    A.Loop: lambda n: [(i, False) for i in n.inits] + [(n.body, True)],
    A.Fix: lambda n: [(f, False) for f in n.lambdas] + [(n.body, True)],
}


def _is_call_of(node: A.Node, var: A.Var) -> bool:
    return type(node) is A.Call and type(node.fn) is A.LocalRef and node.fn.var is var


def _only_tail_calls(node: A.Node, var: A.Var, nargs: int, tail: bool = True) -> bool:
    """Is every mention of var in node a tail call with nargs arguments?"""
    if type(node) is A.LocalRef:
        return node.var is not var
    if _is_call_of(node, var):
        if not tail or len(node.args) != nargs:
            return False
        pairs = [(a, False) for a in node.args]
    else:
        split = _TAIL_CHILDREN.get(type(node))
        pairs = split(node) if split else [(c, False) for c in children(node)]
    for child, child_tail in pairs:     # a loop, not all(): no C-level recursion
        if not _only_tail_calls(child, var, nargs, tail and child_tail):
            return False
    return True


def _mentions(node: A.Node, var: A.Var) -> int:
    return sum(1 for n in walk(node) if type(n) is A.LocalRef and n.var is var)


def _loop_call(body: A.Node, var: A.Var, nargs: int) -> bool:
    return _mentions(body, var) == 1 and any(
        _is_call_of(n, var) and len(n.args) == nargs for n in walk(body))


def _replace_calls(node: A.Node, var: A.Var, make) -> A.Node:
    """node with each call of var replaced by make(call)."""
    map_children(node, lambda c: _replace_calls(c, var, make))
    return make(node) if _is_call_of(node, var) else node


def _lowerable(fix: A.Fix, i: int) -> bool:
    var, lam = fix.vars[i], fix.lambdas[i]
    n = len(lam.params)
    return (lam.rest is None
            and _only_tail_calls(lam.body, var, n)
            and not any(_mentions(f, var) for j, f in enumerate(fix.lambdas) if j != i)
            and _loop_call(fix.body, var, n))


def _lower(fix: A.Fix) -> A.Node:
    i = 0
    while i < len(fix.vars):
        if not _lowerable(fix, i):
            i += 1
            continue
        var, lam = fix.vars.pop(i), fix.lambdas.pop(i)
        body = _replace_calls(lam.body, var, lambda call: A.Recur(var, call.args))
        fix.body = _replace_calls(
            fix.body, var, lambda call: A.Loop(var, lam.params, call.args, body))
        i = 0       # lowering one may make an earlier one lowerable
    return fix if fix.vars else fix.body
