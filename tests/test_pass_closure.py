"""closure: Lambda.free lists each lambda's free locals in slot order."""
from hawk.frontend import ast as A
from hawk.frontend.passes import closure


def ref(v):
    return A.LocalRef(v)


def test_free_variables_in_first_mention_order():
    a, b, x = A.Var("a"), A.Var("b"), A.Var("x")
    lam = A.Lambda([x], None, A.Seq([ref(b), ref(x), ref(a), ref(b)]))
    closure.run(A.Lambda([a, b], None, lam))
    assert lam.free == [b, a]


def test_nested_free_variables_propagate_outwards():
    a, x, y = A.Var("a"), A.Var("x"), A.Var("y")
    inner = A.Lambda([y], None, A.Seq([ref(a), ref(x), ref(y)]))
    middle = A.Lambda([x], None, inner)
    outer = A.Lambda([a], None, middle)
    closure.run(outer)
    assert inner.free == [a, x] and middle.free == [a] and outer.free == []


def test_locally_bound_variables_are_not_free():
    a, t, f, lp, i = (A.Var(n) for n in ("a", "t", "f", "loop", "i"))
    fix = A.Fix([f], [A.Lambda([], None, ref(f))], ref(f))
    loop = A.Loop(lp, [i], [ref(a)], A.Recur(lp, [ref(i)]))
    lam = A.Lambda([], None, A.Let([t], [A.Const(1)], A.Seq([ref(t), fix, loop])))
    closure.run(lam)
    assert lam.free == [a]
    assert fix.lambdas[0].free == [f]


def test_case_lambda_clauses():
    a, x = A.Var("a"), A.Var("x")
    c1 = A.Lambda([], None, ref(a))
    c2 = A.Lambda([x], None, ref(x))
    closure.run(A.Lambda([a], None, A.CaseLambda([c1, c2])))
    assert c1.free == [a] and c2.free == []


def test_boxes_are_free_like_variables():
    b = A.Var("b")
    inner = A.Lambda([], None, A.SetBox(ref(b), A.Unbox(ref(b))))
    closure.run(A.Let([b], [A.MakeBox(A.Const(0))], inner))
    assert inner.free == [b]
