"""Alpha renaming: a copy of the tree in which every binding occurrence has
its own fresh Var.

Why: the expander makes one Var per binding it creates, but a macro can
duplicate a template (and with it a lambda and its Vars), and the expander
may share a subtree between two places. Later passes store per-Var facts
(assigned, boxed, registers) and rewrite the tree in place, which is only
sound when no Var is bound twice and no node is shared. This pass
guarantees both. It introduces and removes no node types.
"""
from __future__ import annotations

from hawk.errors import CompileError
from hawk.frontend import ast as A
from hawk.frontend.passes.tree import copy_node


def run(node: A.Node) -> A.Node:
    return _Renamer().visit(node)


class _Renamer:
    def __init__(self):
        self.env: dict[A.Var, A.Var] = {}   # source Var -> its current copy
        self.handlers = {
            A.LocalRef: self.local_ref,
            A.LocalSet: self.local_set,
            A.Lambda: self.lambda_,
            A.Let: self.let,
            A.Letrec: self.letrec,
            A.Fix: self.fix,
            A.Loop: self.loop,
            A.Recur: self.recur,
        }

    def visit(self, node: A.Node) -> A.Node:
        handler = self.handlers.get(type(node))
        return handler(node) if handler else copy_node(node, self.visit)

    # -- scopes -------------------------------------------------------------
    def bind(self, vars_: list[A.Var]) -> tuple[list[A.Var], dict]:
        """Fresh copies of vars_, entered in env; returns them and the
        mappings they hide (for `unbind`)."""
        saved = {v: self.env.get(v) for v in vars_}
        fresh = []
        for v in vars_:
            fresh.append(A.Var(v.name))
            self.env[v] = fresh[-1]
        return fresh, saved

    def unbind(self, saved: dict) -> None:
        for v, old in saved.items():
            if old is None:
                del self.env[v]
            else:
                self.env[v] = old

    def lookup(self, var: A.Var) -> A.Var:
        try:
            return self.env[var]
        except KeyError:
            raise CompileError(f"internal: reference to unbound local {var!r}") from None

    # -- node handlers -------------------------------------------------------
    def local_ref(self, node: A.LocalRef) -> A.Node:
        return A.LocalRef(self.lookup(node.var))

    def local_set(self, node: A.LocalSet) -> A.Node:
        return A.LocalSet(self.lookup(node.var), self.visit(node.value))

    def recur(self, node: A.Recur) -> A.Node:
        return A.Recur(self.lookup(node.name), [self.visit(a) for a in node.args])

    def lambda_(self, node: A.Lambda) -> A.Node:
        rest = [node.rest] if node.rest is not None else []
        fresh, saved = self.bind(node.params + rest)
        body = self.visit(node.body)
        self.unbind(saved)
        return A.Lambda(fresh[:len(node.params)], fresh[-1] if rest else None, body,
                        node.name, node.loc)

    def let(self, node: A.Let) -> A.Node:
        inits = [self.visit(i) for i in node.inits]
        fresh, saved = self.bind(node.vars)
        body = self.visit(node.body)
        self.unbind(saved)
        return A.Let(fresh, inits, body)

    def letrec(self, node: A.Letrec) -> A.Node:
        fresh, saved = self.bind(node.vars)
        inits = [self.visit(i) for i in node.inits]
        body = self.visit(node.body)
        self.unbind(saved)
        return A.Letrec(fresh, inits, body)

    def fix(self, node: A.Fix) -> A.Node:
        fresh, saved = self.bind(node.vars)
        lambdas = [self.visit(f) for f in node.lambdas]
        body = self.visit(node.body)
        self.unbind(saved)
        return A.Fix(fresh, lambdas, body)

    def loop(self, node: A.Loop) -> A.Node:
        inits = [self.visit(i) for i in node.inits]
        fresh, saved = self.bind([node.name] + node.vars)
        body = self.visit(node.body)
        self.unbind(saved)
        return A.Loop(fresh[0], fresh[1:], inits, body)
