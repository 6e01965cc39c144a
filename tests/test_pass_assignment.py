"""assignment: set! variables live in boxes; nothing else changes."""
from hawk.frontend import ast as A
from hawk.frontend.datum import sym
from hawk.frontend.passes import assignment
from hawk.frontend.passes.tree import walk


def types(node):
    return [type(n) for n in walk(node)]


def test_unassigned_variables_are_untouched():
    x = A.Var("x")
    node = A.Let([x], [A.Const(1)], A.LocalRef(x))
    out = assignment.run(node)
    assert out is node and type(out.inits[0]) is A.Const and type(out.body) is A.LocalRef
    assert not x.boxed


def test_let_bound_assigned_variable_is_boxed():
    x = A.Var("x")
    node = A.Let([x], [A.Const(1)], A.Seq([A.LocalSet(x, A.Const(2)), A.LocalRef(x)]))
    out = assignment.run(node)
    assert type(out.inits[0]) is A.MakeBox and type(out.inits[0].value) is A.Const
    setter, ref = out.body.body
    assert type(setter) is A.SetBox and setter.box.var is x and setter.value.value == 2
    assert type(ref) is A.Unbox and ref.box.var is x
    assert x.assigned and x.boxed
    assert A.LocalSet not in types(out)


def test_assigned_parameter_is_boxed_on_entry():
    x, y = A.Var("x"), A.Var("y")
    lam = A.Lambda([x, y], None, A.Seq([A.LocalSet(x, A.LocalRef(y)), A.LocalRef(x)]))
    out = assignment.run(lam)
    fresh = out.params[0]
    assert fresh is not x and fresh.name == "x" and out.params[1] is y
    entry = out.body
    assert type(entry) is A.Let and entry.vars == [x]
    assert type(entry.inits[0]) is A.MakeBox and entry.inits[0].value.var is fresh
    assert type(entry.body.body[0]) is A.SetBox


def test_assigned_rest_parameter_is_boxed_on_entry():
    r = A.Var("r")
    out = assignment.run(A.Lambda([], r, A.LocalSet(r, A.Const(0))))
    assert out.rest is not r and out.body.vars == [r]


def test_assigned_loop_variable_is_boxed_each_iteration():
    lp, i = A.Var("loop"), A.Var("i")
    body = A.Seq([A.LocalSet(i, A.Const(3)), A.Recur(lp, [A.LocalRef(i)])])
    out = assignment.run(A.Loop(lp, [i], [A.Const(0)], body))
    assert out.vars[0] is not i
    assert type(out.body) is A.Let and out.body.vars == [i]
    recur = out.body.body.body[1]
    assert type(recur.args[0]) is A.Unbox


def test_references_inside_closures_and_checks_are_unboxed():
    x = A.Var("x")
    inner = A.Lambda([], None, A.CheckDef(A.LocalRef(x), sym("x")))
    out = assignment.run(A.Let([x], [A.Undefined()], A.Seq([inner, A.LocalSet(x, A.Const(1))])))
    check = out.body.body[0].body
    assert type(check) is A.CheckDef and type(check.value) is A.Unbox
    assert type(out.inits[0]) is A.MakeBox and type(out.inits[0].value) is A.Undefined
