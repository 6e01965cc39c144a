"""inline_once: beta reduction of lambdas called once."""
from hawk.frontend import ast as A
from hawk.frontend.datum import sym
from hawk.frontend.passes import inline_once
from hawk.frontend.passes.tree import walk


def types(node):
    return [type(n) for n in walk(node)]


def ident():
    x = A.Var("x")
    return A.Lambda([x], None, A.LocalRef(x))


def call(fn, *args):
    return A.Call(fn, list(args))


def ref(v):
    return A.LocalRef(v)


def test_direct_lambda_application_becomes_let():
    lam = ident()
    out = inline_once.run(call(lam, A.Const(1)))
    assert type(out) is A.Let and out.vars == lam.params
    assert out.inits[0].value == 1 and out.body.var is lam.params[0]


def test_thunk_application_is_its_body():
    out = inline_once.run(call(A.Lambda([], None, A.Const(7))))
    assert type(out) is A.Const


def test_let_bound_lambda_called_once_is_inlined():
    f, lam = A.Var("f"), ident()
    out = inline_once.run(A.Let([f], [lam], call(A.GlobalRef(sym("g")), call(ref(f), A.Const(2)))))
    assert type(out) is A.Call and type(out.args[0]) is A.Let
    assert out.args[0].vars == lam.params


def test_let_keeps_its_other_bindings():
    f, y = A.Var("f"), A.Var("y")
    out = inline_once.run(A.Let([f, y], [ident(), A.Const(1)], call(ref(f), ref(y))))
    assert out.vars == [y] and type(out.body) is A.Let


def test_called_twice_is_kept():
    f = A.Var("f")
    node = A.Let([f], [ident()], A.Seq([call(ref(f), A.Const(1)), call(ref(f), A.Const(2))]))
    out = inline_once.run(node)
    assert out.vars == [f] and type(out.inits[0]) is A.Lambda


def test_escaping_reference_is_kept():
    f = A.Var("f")
    out = inline_once.run(A.Let([f], [ident()], call(A.GlobalRef(sym("g")), ref(f))))
    assert out.vars == [f]


def test_arity_mismatch_and_rest_are_kept():
    f = A.Var("f")
    out = inline_once.run(A.Let([f], [ident()], call(ref(f))))
    assert out.vars == [f]
    g, r = A.Var("g"), A.Var("r")
    out = inline_once.run(A.Let([g], [A.Lambda([], r, ref(r))], call(ref(g))))
    assert out.vars == [g]


def test_assigned_variable_is_kept():
    f = A.Var("f")
    node = A.Let([f], [ident()], A.Seq([A.LocalSet(f, A.Const(0)), call(ref(f), A.Const(1))]))
    assert inline_once.run(node).vars == [f]


def test_unreferenced_lambda_binding_is_dropped():
    f = A.Var("f")
    out = inline_once.run(A.Let([f], [ident()], A.Const(3)))
    assert type(out) is A.Const


def test_recursive_fix_lambda_is_kept():
    f, n = A.Var("f"), A.Var("n")
    lam = A.Lambda([n], None, call(ref(f), ref(n)))
    out = inline_once.run(A.Fix([f], [lam], A.Const(0)))
    # f is referenced once, from its own body: recursive, not inlined
    assert type(out) is A.Fix and out.vars == [f]


def test_fix_lambda_called_once_from_a_sibling_is_inlined_there():
    f, g = A.Var("f"), A.Var("g")
    lam_f = A.Lambda([], None, A.Const(1))
    lam_g = A.Lambda([], None, A.Seq([call(ref(f)), call(ref(g))]))
    out = inline_once.run(A.Fix([f, g], [lam_f, lam_g], A.Seq([call(ref(g)), call(ref(g))])))
    assert out.vars == [g]
    assert out.lambdas[0].body.body[0].value == 1


def test_operator_let_is_hoisted_for_named_let():
    # ((letrec ((loop (lambda (i) (loop i)))) loop) 0), already fixed
    lp, i = A.Var("loop"), A.Var("i")
    lam = A.Lambda([i], None, call(ref(lp), ref(i)))
    out = inline_once.run(call(A.Fix([lp], [lam], ref(lp)), A.Const(0)))
    assert type(out) is A.Fix and type(out.body) is A.Call
    assert out.body.fn.var is lp and out.body.args[0].value == 0


def test_hoisting_then_inlining():
    # ((let ((a 1)) (lambda (x) x)) 2) -> (let ((a 1)) (let ((x 2)) x))
    a, lam = A.Var("a"), ident()
    out = inline_once.run(call(A.Seq([A.Const(0), A.Let([a], [A.Const(1)], lam)]), A.Const(2)))
    assert type(out) is A.Seq
    let = out.body[1]
    assert let.vars == [a] and type(let.body) is A.Let and let.body.vars == lam.params
    assert A.Lambda not in types(out)
