"""The compiler (after the passes), the listing and the pipeline: the
emitted bytecode for small hand-built programs."""
from fractions import Fraction

import pytest

from hawk.errors import CompileError
from hawk.frontend import ast as A
from hawk.frontend import pipeline
from hawk.frontend.datum import NIL, UNSPECIFIED, MString, Pair, SourceLoc, sym
from hawk.vm import compiler
from hawk.vm import values as V
from hawk.vm.bytecode import JUMP_BIAS, SPECS, Op, decode, signed8, signed16
from hawk.vm.data import Word
from hawk.vm.listing import format_proto
from hawk.vm.primspec import PrimSpec
from hawk.vm.proto import GlobalCell


def loc(line, col=1):
    return SourceLoc("t.scm", line, col)


def fake_prims():
    specs = [PrimSpec(n, 2, 2, None) for n in ("=", "<", ">", "<=", ">=", "eq?", "eqv?", "cons",
                                                "vector-ref", "set-car!", "quotient")]
    specs += [PrimSpec(n, 1, 1, None) for n in ("car", "cdr", "null?", "pair?", "not")]
    specs += [PrimSpec(n, 0, None, None) for n in ("+", "*")]
    specs += [PrimSpec("-", 1, None, None), PrimSpec("vector-set!", 3, 3, None),
              PrimSpec("display", 1, 2, None, index=5), PrimSpec("newline", 0, 1, None, index=6)]
    return {s.name: s for s in specs}


PRIMS = fake_prims()


def g(name, where=None):
    return A.GlobalRef(sym(name), where)


def call(fn, *args, where=None):
    if isinstance(fn, str):
        fn = g(fn)
    return A.Call(fn, list(args), where)


def ref(v):
    return A.LocalRef(v)


def k(x):
    return A.Const(x)


def compile_node(node):
    return compiler.compile_program(pipeline.run_passes(node, PRIMS), prims=PRIMS)


def compile_fn(params, body, rest=None, name="f"):
    """The Proto of (lambda params body), compiled inside a program."""
    return compile_node(A.Lambda(params, rest, body, name)).protos[0]


def instrs(proto):
    """(opname, operands...) per instruction; jumps as absolute targets."""
    out = []
    for pc, ins in enumerate(proto.code):
        op, a, b, c, d = decode(ins)
        spec = SPECS[Op(op)]
        fields = [(spec.a, a), (spec.c, d)] if spec.mode == "AD" else \
            [(spec.a, a), (spec.b, b), (spec.c, c)]
        vals = []
        for kind, v in fields:
            if kind == "jump":
                v = pc + 1 + v - JUMP_BIAS
            elif kind == "slit":
                v = signed16(v) if spec.mode == "AD" else signed8(v)
            if kind != "-":
                vals.append(v)
        out.append((spec.name, *vals))
    return out


def names(proto):
    return [i[0] for i in instrs(proto)]


def const(proto, index):
    return proto.consts[index]


# ---- calls ---------------------------------------------------------------------

def test_tail_call_is_callt():
    f, x = A.Var("f"), A.Var("x")
    p = compile_fn([f, x], call(ref(f), ref(x)))
    assert instrs(p) == [("FUNCF", 5, 2), ("MOV", 2, 0), ("MOV", 4, 1), ("CALLT", 2, 1)]


def test_call_frame_layout():
    # (lambda (f x) (car (f x 7)))
    f, x = A.Var("f"), A.Var("x")
    p = compile_fn([f, x], call("car", call(ref(f), ref(x), k(7))))
    # the call is made right in the register CAR reads and writes
    assert instrs(p) == [("FUNCF", 6, 2), ("MOV", 2, 0), ("MOV", 4, 1), ("KSHORT", 5, 7),
                         ("CALL", 2, 2), ("CAR", 2, 2), ("RET", 2)]
    assert p.framesize == 6 and p.nparams == 2 and not p.rest


def test_call_result_lands_in_its_destination():
    # (let ((v (g))) v): the call is made right in v's register
    v = A.Var("v")
    p = compile_fn([], A.Let([v], [call("g")], call("h", ref(v))))
    assert instrs(p) == [("FUNCF", 4, 0), ("GGET", 0, 0), ("CALL", 0, 0), ("GGET", 1, 1),
                         ("MOV", 3, 0), ("CALLT", 1, 1)]
    assert const(p, 0) == GlobalCell(sym("g"))


def test_every_tail_position_is_callt():
    x = A.Var("x")
    body = A.If(ref(x), A.Seq([call("a"), call("b")]),
                A.Let([A.Var("y")], [call("c")], call("d")))
    p = compile_fn([x], body)
    calls = [i[0] for i in instrs(p) if i[0] in ("CALL", "CALLT")]
    assert calls == ["CALL", "CALLT", "CALL", "CALLT"]
    assert "RET" not in names(p) and "JMP" in names(p)


def test_zero_argument_call_reserves_the_link_slot():
    p = compile_fn([], call("car", call("g")))
    assert instrs(p)[1:3] == [("GGET", 0, 0), ("CALL", 0, 0)] and p.framesize == 2


def test_too_many_arguments_is_a_compile_error():
    with pytest.raises(CompileError):
        compile_fn([], call("g", *[k(i) for i in range(300)]))


def test_frame_overflow_names_the_lambda_location():
    vars_ = [A.Var(f"v{i}") for i in range(260)]
    body = A.Let(vars_, [call("g") for _ in vars_], call("h", *[ref(v) for v in vars_[:3]]))
    lam = A.Lambda([], None, body, "big", loc(4, 2))
    with pytest.raises(CompileError) as info:
        compile_node(lam)
    assert info.value.loc == loc(4, 2)


# ---- branches --------------------------------------------------------------------

def branch_fn(test_op, swap=False):
    a, b = A.Var("a"), A.Var("b")
    args = [ref(b), ref(a)] if swap else [ref(a), ref(b)]
    return compile_fn([a, b], A.If(call(test_op, *args), k(1), k(2)))


def test_if_less_than_is_isnlt_jmp():
    assert instrs(branch_fn("<")) == [
        ("FUNCF", 3, 2), ("ISNLT", 0, 1), ("JMP", 5), ("KSHORT", 2, 1), ("RET", 2),
        ("KSHORT", 2, 2), ("RET", 2)]


@pytest.mark.parametrize("op,ins,swapped", [
    ("<=", "ISNLE", False), (">", "ISNLT", True), (">=", "ISNLE", True),
    ("=", "ISNNUM", False), ("eq?", "ISNE", False), ("eqv?", "ISNEV", False)])
def test_comparison_branches(op, ins, swapped):
    regs = (1, 0) if swapped else (0, 1)
    assert instrs(branch_fn(op))[1] == (ins, *regs)


def test_not_flips_the_branch():
    a, b = A.Var("a"), A.Var("b")
    p = compile_fn([a, b], A.If(call("not", call("<", ref(a), ref(b))), k(1), k(2)))
    assert instrs(p)[1:3] == [("ISLT", 0, 1), ("JMP", 5)]


def test_null_test_compares_with_nil():
    x = A.Var("x")
    p = compile_fn([x], A.If(call("null?", ref(x)), k(1), k(2)))
    assert instrs(p)[1:4] == [("KCONST", 1, 0), ("ISNE", 0, 1), ("JMP", 6)]
    assert const(p, 0) is NIL


def test_other_tests_use_isf():
    x = A.Var("x")
    p = compile_fn([x], A.If(ref(x), k(1), k(2)))
    assert instrs(p)[1:3] == [("ISF", 0), ("JMP", 5)]
    p = compile_fn([x], A.If(call("pair?", ref(x)), k(1), k(2)))
    assert instrs(p)[1:4] == [("PAIRP", 1, 0), ("ISF", 1), ("JMP", 6)]


def test_and_chains_its_jumps():
    # (if (if a b #f) 1 2): both tests jump to the else branch
    a, b = A.Var("a"), A.Var("b")
    p = compile_fn([a, b], A.If(A.If(ref(a), ref(b), k(False)), k(1), k(2)))
    assert instrs(p)[1:5] == [("ISF", 0), ("JMP", 7), ("ISF", 1), ("JMP", 7)]


def test_or_through_a_let():
    # (if (let ((t a)) (if t t b)) 1 2)
    a, b, t = A.Var("a"), A.Var("b"), A.Var("t")
    test = A.Let([t], [ref(a)], A.If(ref(t), ref(t), ref(b)))
    p = compile_fn([a, b], A.If(test, k(1), k(2)))
    assert "MOV" not in names(p)
    assert names(p).count("ISF") + names(p).count("IST") == 3


def test_constant_test_is_folded():
    p = compile_fn([], A.If(k(0), k(1), k(2)))
    assert instrs(p) == [("FUNCF", 1, 0), ("KSHORT", 0, 1), ("RET", 0)]


def test_non_tail_if_joins():
    x = A.Var("x")
    p = compile_fn([x], call("car", A.If(ref(x), call("g"), k(2))))
    assert instrs(p)[1:] == [("ISF", 0), ("JMP", 6), ("GGET", 1, 0), ("CALL", 1, 0),
                             ("JMP", 7), ("KSHORT", 1, 2), ("CAR", 1, 1), ("RET", 1)]


def test_comparison_value_goes_through_a_branch():
    x, y = A.Var("x"), A.Var("y")
    p = compile_fn([x, y], call("<", ref(x), ref(y)))
    assert instrs(p) == [("FUNCF", 3, 2), ("KCONST", 2, 0), ("ISLT", 0, 1), ("JMP", 5),
                         ("KCONST", 2, 1), ("RET", 2)]
    assert p.consts == [True, False]


def test_eq_value_uses_eq():
    x, y = A.Var("x"), A.Var("y")
    assert instrs(compile_fn([x, y], call("eq?", ref(x), ref(y))))[1] == ("EQ", 2, 0, 1)


# ---- loops -------------------------------------------------------------------------

def count_loop(n_var):
    """(let loop ((i 0) (acc 0)) (if (< i n) (loop (+ i 1) (+ acc i)) acc))"""
    lp, i, acc = A.Var("loop"), A.Var("i"), A.Var("acc")
    body = A.If(call("<", ref(i), ref(n_var)),
                call(ref(lp), call("+", ref(i), k(1)), call("+", ref(acc), ref(i))),
                ref(acc))
    lam = A.Lambda([i, acc], None, body, "loop")
    return A.Call(A.Letrec([lp], [lam], ref(lp)), [k(0), k(0)])


def test_named_let_is_a_loop_without_closure_or_call():
    n = A.Var("n")
    p = compile_fn([n], count_loop(n))
    # the new values go straight into the loop registers: s first (it reads
    # the old i), then i
    assert instrs(p) == [
        ("FUNCF", 3, 1), ("KSHORT", 1, 0), ("KSHORT", 2, 0), ("LOOP",),
        ("ISNLT", 1, 0), ("JMP", 9),
        ("ADD", 2, 2, 1), ("ADDN", 1, 1, 1), ("JMP", 3),
        ("RET", 2)]
    assert not p.protos


def test_loop_in_value_position_falls_through_to_its_continuation():
    n = A.Var("n")
    p = compile_fn([n], call("car", count_loop(n)))
    code = instrs(p)
    assert ("LOOP",) in code and "CLOSURE" not in names(p)
    exit_jump = code[code.index(("LOOP",)) + 2]
    # the loop's value goes to the register CAR reads, then execution goes on
    assert exit_jump[0] == "JMP" and code[exit_jump[1]:] == [("MOV", 1, 3), ("CAR", 1, 1),
                                                             ("RET", 1)]


def test_recur_swapping_variables_uses_temporaries():
    # (let loop ((a 1) (b 2)) (if (< a b) (loop b a) a))
    lp, a, b = A.Var("loop"), A.Var("a"), A.Var("b")
    body = A.If(call("<", ref(a), ref(b)), call(ref(lp), ref(b), ref(a)), ref(a))
    p = compile_fn([], A.Call(A.Letrec([lp], [A.Lambda([a, b], None, body)], ref(lp)),
                              [k(1), k(2)]))
    assert instrs(p)[6:11] == [("MOV", 2, 1), ("MOV", 3, 0), ("MOV", 0, 2), ("MOV", 1, 3),
                               ("JMP", 3)]


# ---- arithmetic and primitives ---------------------------------------------------------

def test_small_constant_operands_use_addn_subn():
    x = A.Var("x")
    cases = [(call("+", ref(x), k(1)), ("ADDN", 1, 0, 1)),
             (call("+", k(-3), ref(x)), ("ADDN", 1, 0, -3)),
             (call("-", ref(x), k(127)), ("SUBN", 1, 0, 127))]
    for body, expected in cases:
        assert instrs(compile_fn([x], body))[1] == expected
    assert names(compile_fn([x], call("+", ref(x), k(1000))))[1:3] == ["KSHORT", "ADD"]
    assert names(compile_fn([x], call("-", k(1), ref(x))))[1:3] == ["KSHORT", "SUB"]


def test_variadic_addition_is_nested():
    x, y, z = A.Var("x"), A.Var("y"), A.Var("z")
    p = compile_fn([x, y, z], call("+", ref(x), ref(y), ref(z)))
    assert instrs(p)[1:3] == [("ADD", 3, 0, 1), ("ADD", 3, 3, 2)]


def test_unary_minus_is_one_neg_instruction():
    """NEG, not -1 * x, so that its errors name -."""
    x = A.Var("x")
    assert instrs(compile_fn([x], call("-", ref(x))))[1:2] == [("NEG", 1, 0)]


def test_stores_and_their_unspecified_value():
    p_, v = A.Var("p"), A.Var("v")
    p = compile_fn([p_, v], A.Seq([call("set-car!", ref(p_), ref(v)),
                                   call("vector-set!", ref(v), k(0), ref(p_))]))
    assert instrs(p)[1:5] == [("SETCAR", 0, 1), ("KSHORT", 2, 0), ("VSET", 1, 2, 0),
                              ("KCONST", 2, 0)]
    assert const(p, 0) is UNSPECIFIED


def test_integrable_primitive_is_a_prim_instruction():
    x = A.Var("x")
    p = compile_fn([x], A.Seq([call("display", ref(x)), call("newline")]))
    assert instrs(p)[1:] == [("MOV", 1, 0), ("PRIM", 1, 1, 5), ("PRIM", 1, 0, 6), ("RET", 1)]


def test_failing_instructions_carry_their_source_location():
    x = A.Var("x")
    body = call("car", A.Call(g("f", loc(2, 9)), [ref(x)], loc(2, 8)), where=loc(2, 3))
    p = compile_fn([x], body)
    by_name = {i[0]: p.locs[pc] for pc, i in enumerate(instrs(p))}
    assert by_name["GGET"] == loc(2, 9)
    assert by_name["CALL"] == loc(2, 8)
    assert by_name["CAR"] == loc(2, 3)


# ---- constants ----------------------------------------------------------------------------

def test_constants():
    s = MString("abc")
    body = A.Seq([call("g", k(40000), k(-32768), k(1.5), k(1.5), k(0.0), k(-0.0), k(True),
                       k(1), k(Fraction(1, 3)), k(s), k(s), k(MString("abc")), k(sym("a")),
                       k(sym("a")), k(NIL))])
    p = compile_fn([], body)
    assert ("KSHORT", 3, -32768) in instrs(p) and ("KSHORT", 9, 1) in instrs(p)
    consts = [c for c in p.consts if not isinstance(c, GlobalCell)]
    assert consts[:4] == [40000, 1.5, 0.0, -0.0]
    assert str(consts[3]) == "-0.0"
    assert consts[4] is True and consts[5] == Fraction(1, 3)
    assert consts[6] is s and consts[7] is not s and consts[8] is sym("a") and consts[9] is NIL
    assert len(consts) == 10


# ---- variables, closures, boxes ---------------------------------------------------------

def test_globals():
    x = A.Var("x")
    body = A.Seq([A.GlobalDef(sym("a"), ref(x)), A.GlobalSet(sym("a"), k(1), loc(5)),
                  g("a", loc(6))])
    p = compile_fn([x], body)
    assert instrs(p) == [("FUNCF", 2, 1), ("GDEF", 0, 0), ("KSHORT", 1, 1), ("GSET", 1, 0),
                         ("GGET", 1, 0), ("RET", 1)]
    assert p.consts == [GlobalCell(sym("a"))]
    assert p.locs[3] == loc(5) and p.locs[4] == loc(6)


def test_closure_captures_registers_and_free_variables():
    # (lambda (a b) (lambda () (lambda () (cons a b))))
    a, b = A.Var("a"), A.Var("b")
    inner = A.Lambda([], None, call("cons", ref(a), ref(b)), "inner")
    p = compile_fn([a, b], A.Lambda([], None, inner, "middle"))
    assert instrs(p) == [("FUNCF", 3, 2), ("CLOSURE", 2, 0), ("RET", 2)]
    middle = p.protos[0]
    assert middle.upvals == [(True, 0), (True, 1)]
    assert middle.protos[0].upvals == [(False, 0), (False, 1)]
    assert instrs(middle.protos[0])[1:4] == [("UGET", 0, 0), ("UGET", 1, 1), ("CONS", 0, 0, 1)]


def test_fix_patches_mutual_references():
    # (letrec ((ev (lambda (n) (od n))) (od (lambda (n) (ev n)))) (g ev od))
    ev, od, n1, n2 = A.Var("ev"), A.Var("od"), A.Var("n"), A.Var("n")
    lam_ev = A.Lambda([n1], None, call(ref(od), ref(n1)), "ev")
    lam_od = A.Lambda([n2], None, call(ref(ev), ref(n2)), "od")
    p = compile_fn([], A.Letrec([ev, od], [lam_ev, lam_od], call("g", ref(ev), ref(od))))
    assert instrs(p)[1:5] == [("KCONST", 1, 0), ("CLOSURE", 0, 0), ("CLOSURE", 1, 1),
                              ("SETFREE", 0, 0, 1)]
    assert p.consts[0] == Word(V.UNDEFINED)
    assert p.protos[0].upvals == [(True, 1)] and p.protos[1].upvals == [(True, 0)]


def test_self_recursive_closure_patches_itself():
    f, n = A.Var("f"), A.Var("n")
    lam = A.Lambda([n], None, call("+", k(1), call(ref(f), ref(n))), "f")
    p = compile_fn([], A.Letrec([f], [lam], call("g", ref(f))))
    assert instrs(p)[1:4] == [("KCONST", 0, 0), ("CLOSURE", 0, 0), ("SETFREE", 0, 0, 0)]


def test_case_lambda_dispatcher():
    a, x, r = A.Var("a"), A.Var("x"), A.Var("r")
    c1 = A.Lambda([x], None, ref(a))
    c2 = A.Lambda([], r, ref(r))
    p = compile_fn([a], A.CaseLambda([c1, c2], "cl", loc(9)))
    assert instrs(p) == [("FUNCF", 4, 1), ("CLOSURE", 2, 0), ("CLOSURE", 3, 1),
                         ("CLOSURE", 1, 2), ("RET", 1)]
    one, two, disp = p.protos
    assert one.upvals == [(True, 0)] and one.name == "cl" and not two.upvals
    assert instrs(two)[0] == ("FUNCV", 1, 0) and two.rest
    assert instrs(disp) == [("FUNCC", 0, 2)]
    assert disp.upvals == [(True, 2), (True, 3)] and disp.clauses == [(1, False), (0, True)]
    assert disp.rest and disp.loc == loc(9)


def test_rest_parameter_uses_funcv():
    x, r = A.Var("x"), A.Var("r")
    p = compile_fn([x], ref(r), rest=r)
    assert instrs(p) == [("FUNCV", 2, 1), ("RET", 1)] and p.rest


def test_assigned_variables_are_boxed():
    # (lambda (x) (set! x (+ x 1)) (lambda () x))
    x = A.Var("x")
    body = A.Seq([A.LocalSet(x, call("+", ref(x), k(1))), A.Lambda([], None, ref(x))])
    p = compile_fn([x], body)
    assert instrs(p) == [("FUNCF", 3, 1), ("BOX", 1, 0), ("UNBOX", 2, 1), ("ADDN", 2, 2, 1),
                         ("SETBOX", 1, 2), ("CLOSURE", 2, 0), ("RET", 2)]
    assert instrs(p.protos[0])[1:] == [("UGET", 0, 0), ("UNBOX", 0, 0), ("RET", 0)]


def test_letrec_forward_reference_is_checked():
    # (letrec* ((a (g b)) (b 1)) ...) with b set by (g): CHKDEF of b in a's init
    a, b = A.Var("a"), A.Var("b")
    p = compile_fn([], A.Letrec([a, b], [call("g", ref(b)), call("h")], ref(a)))
    # b: a box made around the undefined marker; a's init unboxes and checks it
    assert instrs(p) == [("FUNCF", 4, 0), ("KCONST", 0, 0), ("BOX", 0, 0), ("GGET", 1, 1),
                         ("UNBOX", 3, 0), ("CHKDEF", 3, 2), ("CALL", 1, 1), ("GGET", 2, 3),
                         ("CALL", 2, 0), ("SETBOX", 0, 2), ("RET", 1)]
    assert const(p, 0) == Word(V.UNDEFINED) and const(p, 2) is sym("b")


# ---- listing -----------------------------------------------------------------------------

def test_listing_decodes_operands_by_kind():
    n = A.Var("n")
    lam = A.Lambda([n], None, A.Seq([call("display", g("x", loc(3, 4)), where=loc(3, 2)),
                                     count_loop(n)]), "count", loc(3, 1))
    p = compile_node(A.GlobalDef(sym("count"), lam))
    text = format_proto(p)
    assert "-- toplevel@0: params 0, frame 2" in text
    assert "CLOSURE  1 count@1" in text
    assert "GDEF     1 <global count>" in text
    assert "-- count@1: params 1, frame 3 at t.scm:3:1" in text
    line = next(ln for ln in text.splitlines() if "GGET" in ln)
    assert line.split() == ["1", "GGET", "1", "<global", "x>", "3:4"]
    assert "JMP      => 11" in text and "JMP      => 5" in text and "LOOP" in text
    assert "ADDN     1 1 1" in text and "PRIM     1 1 <prim " in text


def test_listing_shows_upvals_and_clauses():
    a, x = A.Var("a"), A.Var("x")
    text = format_proto(compile_node(A.Lambda([a], None, A.CaseLambda(
        [A.Lambda([x], None, ref(a))]), "outer")))
    assert "free: r0" in text and "free: r2" in text and "clauses: 1" in text
    assert "FUNCC    0 1" in text


# ---- pipeline ------------------------------------------------------------------------------

class FakeExpander:
    def __init__(self, node):
        self.node = node
        self.forms = None

    def expand_program(self, forms):
        self.forms = forms
        return self.node

    def expand_toplevel(self, form):
        return self.expand_program([form])


def test_pipeline_pass_order():
    assert [p.__module__.rsplit(".", 1)[1] for p in pipeline.PASSES] == [
        "alpha_rename", "integrate", "fix_letrec", "inline_once", "loops", "assignment",
        "closure"]


def test_compile_program():
    ex = FakeExpander(A.Seq([A.GlobalDef(sym("x"), k(1)), call("car", g("x"))]))
    p = pipeline.compile_program(["form"], "prog.scm", ex, prims=PRIMS)
    assert ex.forms == ["form"]
    assert p.nparams == 0 and not p.rest and p.loc == SourceLoc("prog.scm", 1, 1)
    assert names(p) == ["FUNCF", "KSHORT", "GDEF", "GGET", "CAR", "RET"]


def test_compile_toplevel_remembers_redefined_primitives():
    defined = set()
    form = Pair(sym("x"), NIL, loc(7))
    p = pipeline.compile_toplevel(form, FakeExpander(A.GlobalDef(sym("car"), k(0))),
                                  defined, prims=PRIMS)
    assert p.loc == loc(7) and sym("car") in defined
    p = pipeline.compile_toplevel(form, FakeExpander(call("car", k(1))), defined, prims=PRIMS)
    assert "CALL" in names(p) and "CAR" not in names(p)


def test_deeply_nested_source_compiles():
    x = A.Var("x")
    body = k("end")
    for i in range(3000):      # a 3000-clause cond
        body = A.If(call("eq?", ref(x), k(i)), k(i), body)
    p = pipeline.compile_program([], "deep.scm", FakeExpander(A.Lambda([x], None, body)),
                                 prims=PRIMS)
    assert names(p.protos[0]).count("ISNE") == 3000


def test_globals_defined_by_compiled_code():
    lib = compile_node(A.Seq([A.GlobalDef(sym("member"), A.Lambda([], None, A.GlobalSet(
        sym("x"), k(1)))), g("y")]))
    assert pipeline.globals_defined([lib]) == {sym("member"), sym("x")}
    prims = dict(PRIMS, member=PrimSpec("member", 2, 3, None, index=9))
    defined = pipeline.globals_defined([lib])
    p = pipeline.compile_program([], "u.scm", FakeExpander(call("member", k(1), k(2))),
                                 prims=prims, defined=defined)
    assert "PRIM" not in names(p) and "CALL" in names(p)


# ---- structural invariants on random programs ------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ENDS = {"RET", "CALLT", "JMP"}


def check_invariants(proto, parent=None):
    """What the interpreter relies on, for proto and its children."""
    code = instrs(proto)
    assert len(proto.locs) == len(proto.code)
    entry = code[0]
    if entry[0] == "FUNCC":
        assert len(proto.upvals) == len(proto.clauses) == entry[2] and len(code) == 1
    else:
        assert entry[0] in ("FUNCF", "FUNCV") and entry[1:] == (proto.framesize, proto.nparams)
        assert proto.framesize <= compiler.MAX_FRAME
        assert code[-1][0] in _ENDS
    for pc, ins in enumerate(code):
        op, a, b, c, d = decode(proto.code[pc])
        spec = SPECS[Op(op)]
        fields = [(spec.a, a), (spec.c, d)] if spec.mode == "AD" else \
            [(spec.a, a), (spec.b, b), (spec.c, c)]
        for kind, v in fields:
            if kind == "reg":
                assert v < proto.framesize, (pc, ins)
            elif kind == "const":
                assert v < len(proto.consts)
            elif kind == "proto":
                assert v < len(proto.protos)
            elif kind == "uv":
                assert v < len(proto.upvals)
        if ins[0] in ("CALL", "CALLT"):
            assert ins[1] + 2 + ins[2] <= proto.framesize
        elif ins[0] == "PRIM":
            assert ins[1] + max(ins[2], 1) <= proto.framesize
        elif ins[0] == "JMP":
            assert 0 <= ins[1] < len(code)
        if ins[0].startswith("IS"):
            assert code[pc + 1][0] == "JMP"
    if parent is not None:
        for local, i in proto.upvals:
            assert i < (parent.framesize if local else len(parent.upvals))
    for child in proto.protos:
        check_invariants(child, proto)


_GLOBALS = ["car", "+", "-", "<", "=", "eq?", "null?", "not", "cons", "display", "g", "vector-set!"]


@st.composite
def expressions(draw, scope, depth=0):
    leaf = depth > 4 or draw(st.integers(0, 3)) == 0
    if leaf:
        choices = ["const", "global"] + (["local"] * 2 if scope else [])
    else:
        choices = ["if", "let", "call", "lambda", "seq", "set", "loop", "letrec"] + \
            (["local"] if scope else [])
    kind = draw(st.sampled_from(choices))
    sub = lambda s=scope: draw(expressions(s, depth + 1))  # noqa: E731
    if kind == "const":
        return k(draw(st.one_of(st.integers(-70000, 70000), st.booleans(), st.just(NIL))))
    if kind == "global":
        return g(draw(st.sampled_from(_GLOBALS)))
    if kind == "local":
        return ref(draw(st.sampled_from(scope)))
    if kind == "if":
        return A.If(sub(), sub(), sub())
    if kind == "seq":
        return A.Seq([sub() for _ in range(draw(st.integers(1, 3)))])
    if kind == "set":
        return A.LocalSet(draw(st.sampled_from(scope)), sub()) if scope else sub()
    if kind == "call":
        args = [sub() for _ in range(draw(st.integers(0, 3)))]
        fn = g(draw(st.sampled_from(_GLOBALS))) if draw(st.booleans()) else sub()
        return A.Call(fn, args)
    new = [A.Var(f"v{depth}_{i}") for i in range(draw(st.integers(1, 3)))]
    if kind == "let":
        return A.Let(new, [sub() for _ in new], sub(scope + new))
    if kind == "lambda":
        rest = A.Var("r") if draw(st.booleans()) else None
        return A.Lambda(new, rest, sub(scope + new + ([rest] if rest else [])))
    if kind == "letrec":
        inits = [A.Lambda([], None, sub(scope + new)) if draw(st.booleans()) else sub(scope + new)
                 for _ in new]
        return A.Letrec(new, inits, sub(scope + new))
    # a named-let loop: (let lp ((v init) ...) (if test (lp step ...) result))
    lp = A.Var("lp")
    body = A.If(sub(scope + new), A.Call(ref(lp), [sub(scope + new) for _ in new]),
                sub(scope + new))
    return A.Call(A.Letrec([lp], [A.Lambda(new, None, body)], ref(lp)), [sub() for _ in new])


@settings(max_examples=200, deadline=None)
@given(expressions([]))
def test_random_programs_satisfy_the_invariants(node):
    check_invariants(compile_node(node))


def test_invariants_hold_for_the_programs_above():
    n = A.Var("n")
    check_invariants(compile_node(A.Lambda([n], None, A.Seq([count_loop(n), call(
        "car", count_loop(n))]))))


# ---- end to end: reader + expander + passes + compiler --------------------------------------

def compile_source(text):
    from hawk.frontend.expander import Expander
    from hawk.frontend.reader import read_all
    return pipeline.compile_program(read_all(text, "src.scm"), "src.scm", Expander())


def test_source_named_let_and_do_are_loops():
    p = compile_source("""
(define (count n) (let loop ((i 0) (acc '())) (if (< i n) (loop (+ i 1) (cons i acc)) acc)))
(define (show v) (do ((i 0 (+ i 1))) ((= i (vector-length v))) (display (vector-ref v i))))
""")
    for f in p.protos:
        assert names(f).count("LOOP") == 1 and not f.protos and "CALLT" not in names(f)
        check_invariants(f)
    assert {"ISNLT", "CONS", "ADDN"} <= set(names(p.protos[0]))
    assert "CALL" not in names(p.protos[0])
    assert {"VLEN", "VREF", "ISNNUM"} <= set(names(p.protos[1]))


def test_source_locations_reach_the_instructions():
    p = compile_source("(define (f x)\n  (car (cdr x)))\n")
    f = p.protos[0]
    locs = {ins[0]: f.locs[pc] for pc, ins in enumerate(instrs(f))}
    assert (locs["CDR"].line, locs["CDR"].column) == (2, 8)
    assert (locs["CAR"].line, locs["CAR"].column) == (2, 3)
    assert f.name == "f" and (f.loc.line, f.loc.column) == (1, 1)


def test_source_internal_defines_need_no_boxes():
    p = compile_source("""
(define (f lst)
  (define n (length lst))
  (define (twice) (* 2 n))
  (define t (twice))
  (list n t))
""")
    f = p.protos[0]
    assert not {"BOX", "UNBOX", "CHKDEF"} & set(names(f))
    assert not f.protos         # twice, called once, was inlined
