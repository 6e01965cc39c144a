"""fix_letrec: Letrec -> Fix for lambdas; Let / Undefined + LocalSet /
CheckDef for the other bindings, keeping letrec* order."""
from hawk.frontend import ast as A
from hawk.frontend.datum import sym
from hawk.frontend.passes import fix_letrec
from hawk.frontend.passes.tree import walk


def lam(*body_refs):
    """A thunk whose body mentions the given vars."""
    return A.Lambda([], None, A.Seq([A.LocalRef(v) for v in body_refs] or [A.Const(0)]))


def call(fn_var, *args):
    return A.Call(A.LocalRef(fn_var), list(args))


def effect():
    return A.Call(A.GlobalRef(sym("g")), [])


def types(node):
    return [type(n) for n in walk(node)]


def checked_vars(node):
    return [n.value.var for n in walk(node) if type(n) is A.CheckDef]


def test_lambdas_become_one_fix():
    f, g = A.Var("f"), A.Var("g")
    out = fix_letrec.run(A.Letrec([f, g], [lam(g), lam(f)], call(f)))
    assert type(out) is A.Fix and out.vars == [f, g]
    assert A.Undefined not in types(out) and A.CheckDef not in types(out)


def test_assigned_lambda_is_not_fixed():
    f = A.Var("f")
    out = fix_letrec.run(A.Letrec([f], [lam()], A.LocalSet(f, A.Const(1))))
    assert A.Fix not in types(out)
    assert type(out) is A.Let and type(out.inits[0]) is A.Undefined
    assert type(out.body) is A.Seq and out.body.body[0].var is f


def test_simple_init_is_a_plain_let():
    x, f = A.Var("x"), A.Var("f")
    out = fix_letrec.run(A.Letrec([x, f], [A.Const(5), lam(x)], call(f)))
    # (let ((x 5)) (fix ((f ...)) (f)))
    assert type(out) is A.Let and out.vars == [x] and type(out.inits[0]) is A.Const
    assert type(out.body) is A.Fix and out.body.vars == [f]
    assert A.Undefined not in types(out)


def test_value_defined_before_the_procedures_using_it():
    # (define n (g)) (define (h) n) (h): n needs no box and no check
    n, h = A.Var("n"), A.Var("h")
    out = fix_letrec.run(A.Letrec([n, h], [effect(), lam(n)], call(h)))
    assert type(out) is A.Let and out.vars == [n]
    assert type(out.body) is A.Fix
    assert checked_vars(out) == [] and A.LocalSet not in types(out)


def test_procedure_called_by_a_later_init():
    # (define (sq) 1) (define a (sq)) a: Fix placed before a's init
    sq, a = A.Var("sq"), A.Var("a")
    out = fix_letrec.run(A.Letrec([sq, a], [lam(), call(sq)], A.LocalRef(a)))
    assert type(out) is A.Fix and out.vars == [sq]
    assert type(out.body) is A.Let and out.body.vars == [a]


def test_forward_reference_makes_the_variable_dirty_and_checked():
    # (letrec* ((a (g b)) (b (g))) b)
    a, b = A.Var("a"), A.Var("b")
    init_a = A.Call(A.GlobalRef(sym("g")), [A.LocalRef(b)])
    out = fix_letrec.run(A.Letrec([a, b], [init_a, effect()], A.LocalRef(b)))
    assert type(out) is A.Let and out.vars == [b]
    assert type(out.inits[0]) is A.Undefined
    # a is clean: bound by a Let after b's slot was made, its init checks b
    assert type(out.body) is A.Let and out.body.vars == [a]
    assert checked_vars(out.body.inits[0]) == [b]
    check = out.body.inits[0].args[0]
    assert check.name is sym("b")
    # then b is set, and the body reads b unchecked
    rest = out.body.body
    assert type(rest) is A.Seq and type(rest.body[0]) is A.LocalSet and rest.body[0].var is b
    assert type(rest.body[1]) is A.LocalRef


def test_lambda_needed_early_that_reads_a_later_value():
    # (letrec* ((f (lambda () x)) (y (f)) (x (g))) y): f runs before x exists
    f, y, x = A.Var("f"), A.Var("y"), A.Var("x")
    out = fix_letrec.run(A.Letrec([f, y, x], [lam(x), call(f), effect()], A.LocalRef(y)))
    assert type(out) is A.Let and out.vars == [x]
    fix = out.body
    assert type(fix) is A.Fix and fix.vars == [f]
    assert checked_vars(fix.lambdas[0]) == [x]
    assert type(fix.body) is A.Let and fix.body.vars == [y]
    assert A.LocalSet in types(fix.body.body)


def test_self_reference_in_a_complex_init():
    x = A.Var("x")
    init = A.Call(A.GlobalRef(sym("cons")), [A.Const(1), lam(x)])
    out = fix_letrec.run(A.Letrec([x], [init], A.LocalRef(x)))
    assert type(out) is A.Let and type(out.inits[0]) is A.Undefined
    assert checked_vars(out) == [x]


def test_complex_inits_keep_their_order():
    a, b, c = A.Var("a"), A.Var("b"), A.Var("c")
    inits = [A.Call(A.GlobalRef(sym(n)), [A.LocalRef(c)] if n == "ga" else [])
             for n in ("ga", "gb", "gc")]
    out = fix_letrec.run(A.Letrec([a, b, c], inits, A.Const(0)))
    names = [n.fn.name.name for n in walk(out)
             if type(n) is A.Call and type(n.fn) is A.GlobalRef]
    assert names == ["ga", "gb", "gc"]


def test_nested_letrecs_are_all_converted():
    f, g = A.Var("f"), A.Var("g")
    inner = A.Letrec([g], [lam(g)], call(g))
    out = fix_letrec.run(A.Lambda([], None, A.Letrec([f], [A.Lambda([], None, inner)], call(f))))
    assert A.Letrec not in types(out)
    assert types(out).count(A.Fix) == 2


def test_empty_letrec_is_its_body():
    body = A.Const(1)
    assert fix_letrec.run(A.Letrec([], [], body)) is body
