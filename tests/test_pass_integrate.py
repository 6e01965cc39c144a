"""integrate: calls of registered, unredefined primitives become PrimCalls."""
from hawk.frontend import ast as A
from hawk.frontend.datum import SourceLoc, sym
from hawk.frontend.passes import integrate
from hawk.vm import primspec
from hawk.vm.primspec import PrimSpec

LOC = SourceLoc("t.scm", 3, 5)


def fake_prims():
    specs = [PrimSpec("car", 1, 1, None), PrimSpec("+", 0, None, None),
             PrimSpec("-", 1, None, None), PrimSpec("<", 1, None, None),
             PrimSpec("eq?", 2, 2, None), PrimSpec("list", 0, None, None, integrable=False),
             PrimSpec("string-upcase", 1, 1, None, index=7),
             PrimSpec("vector-set!", 3, 3, None)]
    return {s.name: s for s in specs}


def call(name, *args):
    return A.Call(A.GlobalRef(sym(name)), list(args), LOC)


def run(node, **kw):
    return integrate.run(node, prims=fake_prims(), **kw)


def test_primitive_call_becomes_primcall_with_loc():
    out = run(call("car", A.Const(1)))
    assert type(out) is A.PrimCall and out.op == "car" and out.loc == LOC
    assert type(out.args[0]) is A.Const


def test_integrable_primitive_without_opcode_becomes_primcall():
    out = run(call("string-upcase", A.Const(1)))
    assert type(out) is A.PrimCall and out.op == "string-upcase"


def test_non_integrable_variadic_stays_a_call():
    assert type(run(call("list", A.Const(1), A.Const(2)))) is A.Call


def test_wrong_arity_stays_a_call():
    assert type(run(call("car", A.Const(1), A.Const(2)))) is A.Call
    assert type(run(call("eq?", A.Const(1)))) is A.Call


def test_unregistered_stays_a_call():
    assert type(run(call("frob", A.Const(1)))) is A.Call


def test_defined_or_assigned_global_is_not_integrated():
    prog = A.Seq([A.GlobalDef(sym("car"), A.Const(0)), call("car", A.Const(1))])
    assert type(run(prog).body[1]) is A.Call
    prog = A.Seq([call("car", A.Const(1)), A.GlobalSet(sym("car"), A.Const(0))])
    assert type(run(prog).body[0]) is A.Call


def test_defined_set_is_extended_and_respected():
    defined = set()
    run(A.GlobalDef(sym("car"), A.Const(0)), defined=defined)
    assert sym("car") in defined
    assert type(run(call("car", A.Const(1)), defined=defined)) is A.Call


def test_variadic_arithmetic_folds_left():
    a, b, c = A.Const(1), A.Const(2), A.Const(3)
    out = run(call("+", a, b, c))
    assert out.op == "+" and out.args[1] is c
    inner = out.args[0]
    assert inner.op == "+" and inner.args == [a, b]


def test_unary_minus_and_short_arithmetic():
    assert run(call("-", A.Const(1))).op == "-"
    assert type(run(call("+", A.Const(1)))) is A.Call
    assert type(run(call("+"))) is A.Call


def test_comparison_integrates_with_two_args_only():
    assert type(run(call("<", A.Const(1), A.Const(2)))) is A.PrimCall
    assert type(run(call("<", A.Const(1), A.Const(2), A.Const(3)))) is A.Call


def test_nested_calls_are_integrated_inside_out():
    out = run(call("car", call("car", A.Const(1))))
    assert out.op == "car" and out.args[0].op == "car"


def test_local_operator_is_untouched():
    f = A.Var("car")
    node = A.Call(A.LocalRef(f), [A.Const(1)])
    assert run(A.Lambda([f], None, node)).body is node


def test_default_table_comes_from_the_registry(monkeypatch):
    monkeypatch.setattr(primspec, "load_all", fake_prims)
    assert type(integrate.run(call("car", A.Const(1)))) is A.PrimCall
