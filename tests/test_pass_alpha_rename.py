"""alpha_rename: every binding gets a fresh Var and the tree is copied."""
import pytest

from hawk.errors import CompileError
from hawk.frontend import ast as A
from hawk.frontend.datum import sym
from hawk.frontend.passes import alpha_rename
from hawk.frontend.passes.tree import walk


def bound_vars(node):
    out = []
    for n in walk(node):
        if type(n) is A.Lambda:
            out += n.params + ([n.rest] if n.rest else [])
        elif type(n) in (A.Let, A.Letrec, A.Fix):
            out += n.vars
        elif type(n) is A.Loop:
            out += [n.name] + n.vars
    return out


def test_duplicated_lambda_gets_distinct_vars():
    x = A.Var("x")
    lam = A.Lambda([x], None, A.LocalRef(x))
    out = alpha_rename.run(A.Seq([lam, lam]))
    a, b = out.body
    assert a is not b and a.params[0] is not b.params[0]
    assert a.body.var is a.params[0] and b.body.var is b.params[0]
    assert x not in bound_vars(out)
    assert a.params[0].name == "x"


def test_every_binding_is_unique():
    x, y, f = A.Var("x"), A.Var("y"), A.Var("f")
    body = A.Letrec([f], [A.Lambda([y], x, A.Call(A.LocalRef(f), [A.LocalRef(y), A.LocalRef(x)]))],
                    A.LocalRef(f))
    tree = A.Seq([A.Lambda([x], None, body), A.Lambda([x], None, body)])
    out = alpha_rename.run(tree)
    vars_ = bound_vars(out)
    assert len(vars_) == len(set(vars_)) == 8


def test_let_inits_see_the_outer_binding():
    x = A.Var("x")
    inner = A.Let([x], [A.LocalRef(x)], A.LocalRef(x))
    out = alpha_rename.run(A.Lambda([x], None, inner))
    let = out.body
    assert let.inits[0].var is out.params[0]
    assert let.body.var is let.vars[0] is not out.params[0]


def test_letrec_inits_see_their_own_vars():
    f = A.Var("f")
    out = alpha_rename.run(A.Letrec([f], [A.Lambda([], None, A.LocalRef(f))], A.Const(1)))
    assert out.inits[0].body.var is out.vars[0] is not f


def test_sets_and_loops_follow_the_renaming():
    x, lp, i = A.Var("x"), A.Var("loop"), A.Var("i")
    loop = A.Loop(lp, [i], [A.Const(0)], A.Seq([A.LocalSet(x, A.LocalRef(i)),
                                                A.Recur(lp, [A.LocalRef(i)])]))
    out = alpha_rename.run(A.Lambda([x], None, loop))
    new = out.body
    assert new.body.body[0].var is out.params[0]
    assert new.body.body[1].name is new.name is not lp
    assert new.body.body[1].args[0].var is new.vars[0]


def test_nodes_are_copied_and_fields_kept():
    ref = A.GlobalRef(sym("car"), None)
    call = A.Call(ref, [A.Const(1)], None)
    lam = A.Lambda([], None, call, "f", None)
    out = alpha_rename.run(lam)
    assert out is not lam and out.body is not call and out.body.fn is not ref
    assert out.name == "f" and out.body.fn.name is sym("car")


def test_unbound_local_is_an_internal_error():
    with pytest.raises(CompileError):
        alpha_rename.run(A.LocalRef(A.Var("x")))


def test_traversal_table_covers_every_node_type():
    from hawk.frontend.passes.tree import CHILDREN
    node_types = {c for c in vars(A).values()
                  if isinstance(c, type) and issubclass(c, A.Node) and c is not A.Node}
    assert node_types == set(CHILDREN)
