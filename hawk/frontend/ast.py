"""The core AST: what the expander produces and the passes transform.

The expander reduces every derived form (let*, cond, case, do, named let,
quasiquote, define-record-type, guard, ...) to the handful of node types
below. Each later pass documents which node types it removes or introduces;
the node types that only appear after a given pass are marked so here.

Variables are `Var` objects: one per binding occurrence, compared by
identity. Global (top-level) variables are referred to by `Symbol` name.
"""
from __future__ import annotations

from itertools import count

from hawk.frontend.datum import SourceLoc, Symbol
from hawk.record import factory, record

_var_ids = count(1)


class Var:
    """A local variable binding. `name` is the source name (for messages and
    --list); `uid` makes it unique. Passes record facts about it here."""
    __slots__ = ("name", "uid", "assigned", "boxed", "refs", "__weakref__")

    def __init__(self, name: str):
        self.name = name
        self.uid = next(_var_ids)
        self.assigned = False   # set by assignment conversion's analysis
        self.boxed = False      # True once assignment conversion boxed it
        self.refs = 0           # reference count, filled by analyses that need it

    def __repr__(self) -> str:
        return f"{self.name}.{self.uid}"


@record(eq=False)
class Node:
    pass


# ---- produced by the expander --------------------------------------------

@record(eq=False)
class Const(Node):
    value: object                      # a datum (hawk.frontend.datum)


@record(eq=False)
class LocalRef(Node):
    var: Var


@record(eq=False)
class LocalSet(Node):
    var: Var
    value: Node


@record(eq=False)
class GlobalRef(Node):
    name: Symbol
    loc: SourceLoc | None = None       # for "unbound variable" messages


@record(eq=False)
class GlobalSet(Node):
    name: Symbol
    value: Node
    loc: SourceLoc | None = None


@record(eq=False)
class GlobalDef(Node):
    name: Symbol
    value: Node


@record(eq=False)
class If(Node):
    test: Node
    then: Node
    else_: Node


@record(eq=False)
class Lambda(Node):
    params: list[Var]
    rest: Var | None
    body: Node
    name: str | None = None            # for backtraces: the defined name, if any
    loc: SourceLoc | None = None
    # filled by closure conversion: the free variables, in closure slot order
    free: list[Var] = factory(list)


@record(eq=False)
class CaseLambda(Node):
    clauses: list[Lambda]
    name: str | None = None
    loc: SourceLoc | None = None


@record(eq=False)
class Seq(Node):
    body: list[Node]                   # non-empty; value is the last one's


@record(eq=False)
class Call(Node):
    fn: Node
    args: list[Node]
    loc: SourceLoc | None = None


@record(eq=False)
class Let(Node):
    vars: list[Var]
    inits: list[Node]
    body: Node


@record(eq=False)
class Letrec(Node):
    """letrec* semantics: inits evaluated left to right, each may refer to
    any of vars (referring before initialisation is an error)."""
    vars: list[Var]
    inits: list[Node]
    body: Node


# ---- introduced by later passes ------------------------------------------

@record(eq=False)
class PrimCall(Node):
    """A call of an integrated primitive (primitive integration pass):
    compiled to an opcode or a direct primitive call, never through a
    global lookup."""
    op: str
    args: list[Node]
    loc: SourceLoc | None = None


@record(eq=False)
class Fix(Node):
    """Mutually recursive lambdas bound at once (fix-letrec pass): no
    variable in vars is assigned, every init is a Lambda."""
    vars: list[Var]
    lambdas: list[Lambda]
    body: Node


@record(eq=False)
class Undefined(Node):
    """The value of a letrec* variable before its initialisation (fix-letrec
    pass); compiled to the run-time undefined marker."""


@record(eq=False)
class CheckDef(Node):
    """`value`, with an error "`name` used before its definition" if it is
    the undefined marker (fix-letrec pass, on references to letrec*
    variables that may be read before their init ran)."""
    value: Node
    name: Symbol


@record(eq=False)
class MakeBox(Node):
    """A new box holding `value` (assignment conversion: the binding of an
    assigned variable)."""
    value: Node


@record(eq=False)
class Unbox(Node):
    """The contents of the box `box` (assignment conversion: a reference)."""
    box: Node


@record(eq=False)
class SetBox(Node):
    """Store `value` in the box `box`; unspecified value (assignment
    conversion: a set!). After that pass no LocalSet remains."""
    box: Node
    value: Node


@record(eq=False)
class Loop(Node):
    """A loop (loop lowering): bind vars to inits, then run body; a Recur
    naming this loop re-binds vars and runs body again. `name` is the Var of
    the lambda the loop came from; it labels the loop and is no variable.
    The loop's value is body's value."""
    name: Var
    vars: list[Var]
    inits: list[Node]
    body: Node


@record(eq=False)
class Recur(Node):
    """Jump back to the enclosing Loop `name` with new values for its vars;
    only in tail position of that loop's body (loop lowering)."""
    name: Var
    args: list[Node]
