"""Fixing letrec: removes Letrec; introduces Fix, Undefined and CheckDef.

A Letrec (letrec* semantics) binds lambdas, which are pure and may refer to
each other, and "complex" inits (anything else, or a lambda whose variable
is assigned), which must run in order. Lambdas become Fix bindings: closures
made once, with no boxes and no undefined checks. Each complex binding
becomes either

  * clean: a plain Let after everything its init may use, when the init
    (including any Fix lambda it may call, transitively) refers to no
    variable of the group bound at or after it and the variable is never
    assigned and no lambda made before the init refers to it; or
  * dirty: bound to Undefined in a Let around the whole group, initialised
    by a LocalSet in its place in the order (assignment conversion then
    boxes it), and read through CheckDef wherever it could be read before
    its init ran.

Each Fix is placed just before the first complex init that may call one of
its lambdas (or before the body), which keeps closures from capturing a
variable before it has its value. This is "Fixing Letrec" (Waddell, Sarkar,
Dybvig) with the order-preserving refinement for letrec*.
"""
from __future__ import annotations

from hawk.frontend import ast as A
from hawk.frontend.datum import sym
from hawk.frontend.passes.tree import assigned_vars, map_children, seq, walk


def run(node: A.Node) -> A.Node:
    return _Fixer(assigned_vars(node)).visit(node)


def _checked(node: A.Node, vars_: set[A.Var]) -> A.Node:
    """node with each LocalRef of vars_ wrapped in a CheckDef."""
    if type(node) is A.LocalRef and node.var in vars_:
        return A.CheckDef(node, sym(node.var.name))
    return map_children(node, lambda c: _checked(c, vars_)) if vars_ else node


class _Fixer:
    def __init__(self, assigned: set[A.Var]):
        self.assigned = assigned

    def visit(self, node: A.Node) -> A.Node:
        map_children(node, self.visit)
        return _Group(node, self.assigned).build() if type(node) is A.Letrec else node


class _Group:
    """The analysis of one Letrec and the tree replacing it."""

    def __init__(self, node: A.Letrec, assigned: set[A.Var]):
        self.body = node.body
        group = set(node.vars)
        self.inits = dict(zip(node.vars, node.inits))
        self.refs = {v: {n.var for n in walk(e) if type(n) in (A.LocalRef, A.LocalSet)} & group
                     for v, e in self.inits.items()}
        self.lambdas = [v for v in node.vars
                        if type(self.inits[v]) is A.Lambda and v not in assigned]
        lambda_set = set(self.lambdas)
        self.complex = [v for v in node.vars if v not in lambda_set]
        self.order = {v: k for k, v in enumerate(self.complex)}
        # where each lambda's Fix goes: before the first complex init that may call it
        self.pos = {v: len(self.complex) for v in self.lambdas}
        for k, v in reversed(list(enumerate(self.complex))):
            for f in self.reach(v) & lambda_set:
                self.pos[f] = k
        self.dirty = {v for v in self.complex if v in assigned}
        for v in self.complex:
            self.dirty |= self.forward(self.refs[v], self.order[v])
        for f in self.lambdas:
            self.dirty |= self.forward(self.refs[f], self.pos[f])

    def reach(self, var: A.Var) -> set[A.Var]:
        """Group variables var's init refers to, following the lambdas it
        may call."""
        seen = set(self.refs[var])
        todo = [v for v in seen if v in self.pos]
        while todo:
            new = self.refs[todo.pop()] - seen
            seen |= new
            todo.extend(v for v in new if v in self.pos)
        return seen

    def forward(self, refs: set[A.Var], k: int) -> set[A.Var]:
        """The complex variables in refs not yet initialised at step k."""
        return {v for v in refs if self.order.get(v, -1) >= k}

    def checked_init(self, var: A.Var, k: int) -> A.Node:
        return _checked(self.inits[var], self.forward(self.refs[var], k) & self.dirty)

    def fix(self, k: int, body: A.Node) -> A.Node:
        here = [f for f in self.lambdas if self.pos[f] == k]
        if not here:
            return body
        return A.Fix(here, [self.checked_init(f, k) for f in here], body)

    def build(self) -> A.Node:
        result = self.fix(len(self.complex), self.body)
        for k in reversed(range(len(self.complex))):
            var = self.complex[k]
            init = self.checked_init(var, k)
            if var in self.dirty:
                result = seq([A.LocalSet(var, init), result])
            else:
                result = A.Let([var], [init], result)
            result = self.fix(k, result)
        dirty = [v for v in self.complex if v in self.dirty]
        if dirty:
            result = A.Let(dirty, [A.Undefined() for _ in dirty], result)
        return result
