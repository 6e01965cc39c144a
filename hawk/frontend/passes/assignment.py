"""Assignment conversion: removes LocalSet; introduces MakeBox, Unbox and
SetBox.

Every local variable that is the target of a `set!` lives in a box: its
binding stores a new box (Let inits are wrapped in MakeBox; an assigned
parameter or loop variable is boxed on entry into a fresh variable of the
same name), references read the box and sets write it. Variables never
assigned are untouched.

Why: closures copy the values of their free variables when they are made
(flat closures) and continuations copy stack slots, so a variable can only
be shared by several closures and continuations -- and stay one location,
as Scheme requires -- if it is a box. After this pass every variable keeps
the value it was bound to, which the compiler relies on. Sets Var.assigned
and Var.boxed.
"""
from __future__ import annotations

from hawk.frontend import ast as A
from hawk.frontend.passes.tree import assigned_vars, map_children


def run(node: A.Node) -> A.Node:
    assigned = assigned_vars(node)
    for v in assigned:
        v.assigned = v.boxed = True
    return _Converter(assigned).visit(node)


class _Converter:
    def __init__(self, assigned: set[A.Var]):
        self.assigned = assigned
        self.handlers = {
            A.LocalRef: self.local_ref,
            A.LocalSet: self.local_set,
            A.Let: self.let,
            A.Lambda: self.lambda_,
            A.Loop: self.loop,
        }

    def visit(self, node: A.Node) -> A.Node:
        handler = self.handlers.get(type(node))
        return handler(node) if handler else map_children(node, self.visit)

    def local_ref(self, node: A.LocalRef) -> A.Node:
        return A.Unbox(node) if node.var in self.assigned else node

    def local_set(self, node: A.LocalSet) -> A.Node:
        return A.SetBox(A.LocalRef(node.var), self.visit(node.value))

    def let(self, node: A.Let) -> A.Node:
        map_children(node, self.visit)
        node.inits = [A.MakeBox(init) if v in self.assigned else init
                      for v, init in zip(node.vars, node.inits)]
        return node

    def box_on_entry(self, vars_: list[A.Var], body: A.Node) -> tuple[list[A.Var], A.Node]:
        """Replace each assigned var of vars_ by a fresh one whose value is
        boxed into the original at the start of body."""
        boxed = [v for v in vars_ if v in self.assigned]
        if not boxed:
            return vars_, body
        fresh = {v: A.Var(v.name) for v in boxed}
        entry = A.Let(boxed, [A.MakeBox(A.LocalRef(fresh[v])) for v in boxed], body)
        return [fresh.get(v, v) for v in vars_], entry

    def lambda_(self, node: A.Lambda) -> A.Node:
        body = self.visit(node.body)
        rest = [node.rest] if node.rest is not None else []
        vars_, node.body = self.box_on_entry(node.params + rest, body)
        node.params = vars_[:len(node.params)]
        node.rest = vars_[-1] if rest else None
        return node

    def loop(self, node: A.Loop) -> A.Node:
        node.inits = [self.visit(i) for i in node.inits]
        node.vars, node.body = self.box_on_entry(node.vars, self.visit(node.body))
        return node
