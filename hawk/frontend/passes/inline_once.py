"""Inlining of procedures called once (beta reduction); removes nothing,
introduces nothing (Lambdas become Lets).

  * `((lambda (x ...) body) arg ...)` -> `(let ((x arg) ...) body)`.
  * A Let- or Fix-bound lambda whose variable is referenced exactly once,
    as the operator of a call with a matching argument count, from outside
    its own body, and never assigned, is dropped from its binding form and
    the call becomes a Let of its parameters. Since the call is the only
    use, the body moves rather than being copied, so no binding is
    duplicated.
  * A Let- or Fix-bound lambda that is never referenced is dropped.
  * First, a call whose operator is a Let, Fix or Seq moves into that
    form's body: `((letrec ((loop (lambda ...))) loop) 0)` (one expansion
    of named let) becomes `(letrec ((loop ...)) (loop 0))`, the shape loop
    lowering wants. Variables are unique (alpha renaming), so the arguments
    cannot be captured.

Why: each such lambda would otherwise cost a closure allocation and a call;
as a Let its body is compiled in line, in the caller's frame.
"""
from __future__ import annotations

from hawk.frontend import ast as A
from hawk.frontend.passes.tree import assigned_vars, children, map_children


def run(node: A.Node) -> A.Node:
    node = _hoist(node)
    return _Inliner(_Uses(node), assigned_vars(node)).visit(node)


def _hoist(node: A.Node) -> A.Node:
    map_children(node, _hoist)
    return _hoist_call(node) if type(node) is A.Call else node


def _hoist_call(call: A.Call) -> A.Node:
    fn = call.fn
    if type(fn) in (A.Let, A.Fix):
        fn.body = _hoist_call(A.Call(fn.body, call.args, call.loc))
        return fn
    if type(fn) is A.Seq:
        fn.body[-1] = _hoist_call(A.Call(fn.body[-1], call.args, call.loc))
        return fn
    return call


class _Uses:
    """Reference counts, the call sites of each variable (as operator), and
    the Fix-bound variables called from inside their own lambda."""

    def __init__(self, root: A.Node):
        self.refs: dict[A.Var, int] = {}
        self.calls: dict[A.Var, A.Call] = {}
        self.recursive: set[A.Var] = set()
        self.inside: set[A.Var] = set()
        self.visit(root)

    def visit(self, node: A.Node) -> None:
        kind = type(node)
        if kind is A.LocalRef:
            self.refs[node.var] = self.refs.get(node.var, 0) + 1
        elif kind is A.Call and type(node.fn) is A.LocalRef:
            var = node.fn.var
            self.calls[var] = node
            if var in self.inside:
                self.recursive.add(var)
        elif kind is A.Fix:
            for var, lam in zip(node.vars, node.lambdas):
                self.inside.add(var)
                self.visit(lam)
                self.inside.discard(var)
            self.visit(node.body)
            return
        for child in children(node):
            self.visit(child)


class _Inliner:
    def __init__(self, uses: _Uses, assigned: set[A.Var]):
        self.uses = uses
        self.assigned = assigned
        self.pending: dict[A.Var, A.Lambda] = {}   # dropped bindings awaiting their call
        self.handlers = {A.Call: self.call, A.Let: self.let, A.Fix: self.fix}

    def visit(self, node: A.Node) -> A.Node:
        handler = self.handlers.get(type(node))
        return handler(node) if handler else map_children(node, self.visit)

    def inlinable(self, var: A.Var, init: A.Node) -> bool:
        if type(init) is not A.Lambda or var in self.assigned:
            return False
        refs = self.uses.refs.get(var, 0)
        if refs == 0:
            return True
        call = self.uses.calls.get(var)
        return (refs == 1 and call is not None and var not in self.uses.recursive
                and init.rest is None and len(call.args) == len(init.params))

    def split(self, vars_: list[A.Var], inits: list[A.Node]):
        """Move the inlinable bindings to `pending`; the others, visited."""
        kept = []
        for var, init in zip(vars_, inits):
            if self.inlinable(var, init):
                self.pending[var] = init
            else:
                kept.append((var, init))
        return [v for v, _ in kept], [i for _, i in kept]

    def let(self, node: A.Let) -> A.Node:
        node.vars, inits = self.split(node.vars, node.inits)
        node.inits = [self.visit(i) for i in inits]
        node.body = self.visit(node.body)
        return node if node.vars else node.body

    def fix(self, node: A.Fix) -> A.Node:
        node.vars, lambdas = self.split(node.vars, node.lambdas)
        node.lambdas = [self.visit(f) for f in lambdas]
        node.body = self.visit(node.body)
        return node if node.vars else node.body

    def call(self, node: A.Call) -> A.Node:
        fn = node.fn
        if type(fn) is A.LocalRef and fn.var in self.pending:
            return self.beta(self.pending.pop(fn.var), node.args)
        if type(fn) is A.Lambda and fn.rest is None and len(fn.params) == len(node.args):
            return self.beta(fn, node.args)
        return map_children(node, self.visit)

    def beta(self, lam: A.Lambda, args: list[A.Node]) -> A.Node:
        args = [self.visit(a) for a in args]
        body = self.visit(lam.body)
        return A.Let(lam.params, args, body) if lam.params else body

