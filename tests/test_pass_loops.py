"""loops: named-let / do shaped Fix lambdas become Loop + Recur."""
from hawk.frontend import ast as A
from hawk.frontend.datum import sym
from hawk.frontend.passes import loops
from hawk.frontend.passes.tree import walk


def types(node):
    return [type(n) for n in walk(node)]


def ref(v):
    return A.LocalRef(v)


def call(fn, *args):
    return A.Call(fn, list(args))


def prim(op, *args):
    return A.PrimCall(op, list(args))


def named_let(self_call_tail=True, calls_in_body=1):
    """(let loop ((i 0)) (if (< i 10) (loop (+ i 1)) i))"""
    lp, i = A.Var("loop"), A.Var("i")
    again = call(ref(lp), prim("+", ref(i), A.Const(1)))
    if not self_call_tail:
        again = prim("+", again, A.Const(1))
    lam = A.Lambda([i], None, A.If(prim("<", ref(i), A.Const(10)), again, ref(i)))
    calls = [call(ref(lp), A.Const(0)) for _ in range(calls_in_body)]
    body = calls[0] if calls_in_body == 1 else A.Seq(calls)
    return A.Fix([lp], [lam], body), lp, i


def test_named_let_becomes_a_loop():
    fix, lp, i = named_let()
    out = loops.run(fix)
    assert type(out) is A.Loop and out.name is lp and out.vars == [i]
    assert out.inits[0].value == 0
    recur = out.body.then
    assert type(recur) is A.Recur and recur.name is lp and recur.args[0].op == "+"
    assert A.Fix not in types(out) and A.Call not in types(out)


def test_non_tail_self_call_is_not_a_loop():
    fix, _, _ = named_let(self_call_tail=False)
    assert type(loops.run(fix)) is A.Fix


def test_two_entry_calls_are_not_a_loop():
    fix, _, _ = named_let(calls_in_body=2)
    assert type(loops.run(fix)) is A.Fix


def test_escaping_reference_is_not_a_loop():
    fix, lp, _ = named_let()
    fix.body = A.Seq([fix.body, call(A.GlobalRef(sym("g")), ref(lp))])
    assert type(loops.run(fix)) is A.Fix


def test_self_call_from_a_nested_lambda_is_not_a_loop():
    lp, i = A.Var("loop"), A.Var("i")
    lam = A.Lambda([i], None, A.Lambda([], None, call(ref(lp), ref(i))))
    assert type(loops.run(A.Fix([lp], [lam], call(ref(lp), A.Const(0))))) is A.Fix


def test_sibling_mention_is_not_a_loop():
    fix, lp, _ = named_let()
    g = A.Var("g")
    fix.vars.append(g)
    fix.lambdas.append(A.Lambda([], None, call(ref(lp), A.Const(1))))
    out = loops.run(fix)
    assert type(out) is A.Fix and lp in out.vars


def test_rest_parameter_is_not_a_loop():
    lp, r = A.Var("loop"), A.Var("r")
    lam = A.Lambda([], r, call(ref(lp)))
    assert type(loops.run(A.Fix([lp], [lam], call(ref(lp))))) is A.Fix


def test_loop_in_non_tail_position():
    fix, lp, _ = named_let()
    fix.body = prim("+", A.Const(1), call(ref(lp), A.Const(0)))
    out = loops.run(fix)
    assert type(out) is A.PrimCall and type(out.args[1]) is A.Loop


def test_other_fix_lambdas_stay():
    fix, lp, _ = named_let()
    g = A.Var("g")
    fix.vars.append(g)
    fix.lambdas.append(A.Lambda([], None, A.Const(1)))
    out = loops.run(fix)
    assert type(out) is A.Fix and out.vars == [g] and type(out.body) is A.Loop


def test_nested_loops_jump_to_the_outer_loop():
    # (let outer ((i 0)) (let inner ((j i)) (if (< j 3) (inner (+ j 1)) (outer (+ i 1)))))
    outer, inner, i, j = A.Var("outer"), A.Var("inner"), A.Var("i"), A.Var("j")
    inner_lam = A.Lambda([j], None, A.If(prim("<", ref(j), A.Const(3)),
                                         call(ref(inner), prim("+", ref(j), A.Const(1))),
                                         call(ref(outer), prim("+", ref(i), A.Const(1)))))
    outer_lam = A.Lambda([i], None, A.Fix([inner], [inner_lam], call(ref(inner), ref(i))))
    out = loops.run(A.Fix([outer], [outer_lam], call(ref(outer), A.Const(0))))
    assert type(out) is A.Loop and out.name is outer
    inner_loop = out.body
    assert type(inner_loop) is A.Loop and inner_loop.name is inner
    recurs = [n.name for n in walk(inner_loop) if type(n) is A.Recur]
    assert recurs == [inner, outer]
