"""Tests of hygienic syntax-rules (hawk.frontend.syntax_rules) through the
expander: AST shapes, and semantics on the evaluator from test_expander."""
import pytest

from hawk.frontend.ast import Call, GlobalDef, Let, LocalRef
from hawk.frontend.datum import Pair, Vector, sym, to_list
from hawk.frontend.expander import Expander
from hawk.frontend.printer import write_string
from hawk.frontend.syntax_rules import Env, Renamed, resolve, strip
from test_expander import expand, last, read, run, syntax_error

MY_OR = """(define-syntax my-or
             (syntax-rules ()
               ((_) #f)
               ((_ e) e)
               ((_ e r ...) (let ((temp e)) (if temp temp (my-or r ...))))))"""

SWAP = """(define-syntax swap!
            (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))"""


# ---- identifiers and environments -----------------------------------------------

def test_resolve_walks_frames_then_the_definition_environment():
    top = Env()
    x = sym("x")
    inner = Env({x: "local"}, top)
    assert resolve(x, inner) == "local"
    assert resolve(sym("y"), inner) is sym("y")          # free: the global
    renamed = Renamed(x, top)
    assert resolve(renamed, inner) is x                  # not the use site's x
    assert resolve(renamed, Env({renamed: "bound"}, inner)) == "bound"


def test_strip_removes_renames_and_keeps_unchanged_data():
    top = Env()
    data = Pair(Renamed(Renamed(sym("a"), top), top), Pair(Vector([Renamed(sym("b"), top)]), sym("c")))
    stripped = strip(data)
    assert stripped.car is sym("a") and stripped.cdr.car[0] is sym("b") and stripped.cdr.cdr is sym("c")
    plain = read("(a (b #(c)) . d)")[0]
    assert strip(plain) is plain


def test_strip_copes_with_cycles():
    cyclic = read("#0=(a . #0#)")[0]
    assert strip(cyclic) is cyclic


# ---- hygiene ----------------------------------------------------------------------

def test_my_or_temp_does_not_capture_user_temp():
    node = last(MY_OR + "(let ((temp 5)) (my-or #f temp))")
    assert isinstance(node, Let)
    user_temp = node.vars[0]
    inner = node.body
    assert isinstance(inner, Let) and inner.vars[0] is not user_temp
    assert inner.vars[0].name == "temp"
    assert isinstance(inner.body.else_, LocalRef) and inner.body.else_.var is user_temp
    assert run(MY_OR + "(let ((temp 5)) (my-or #f temp))") == "5"
    assert run(MY_OR + "(list (my-or) (my-or #f) (my-or #f 2 3))") == "(#f #f 2)"


def test_swap_with_user_variable_named_tmp():
    assert run(SWAP + "(let ((tmp 1) (other 2)) (swap! tmp other) (list tmp other))") == "(2 1)"


def test_macro_if_survives_local_rebinding_of_if():
    assert run(MY_OR + "(let ((if (lambda args 'user-if))) (my-or #f 7))") == "7"
    assert run(MY_OR + "(let ((let 1) (temp 2)) (my-or #f temp))") == "2"


def test_template_global_survives_local_shadowing():
    src = "(define-syntax first (syntax-rules () ((_ l) (car l))))"
    assert run(src + "(let ((car cdr)) (first '(1 2)))") == "1"


def test_template_refers_to_local_binding_at_definition():
    assert run("""(let ((x 'outer))
                    (let-syntax ((m (syntax-rules () ((_) x))))
                      (let ((x 'inner)) (m))))""") == "outer"


def test_quote_in_template_is_the_plain_symbol():
    node = last("(define-syntax q (syntax-rules () ((_) '(x #(y))))) (q)")
    assert node.value.car is sym("x") and node.value.cdr.car[0] is sym("y")


def test_macro_output_calls_get_the_use_location():
    node = last("(define-syntax call-f (syntax-rules () ((_ a) (f a))))\n  (call-f 1)")
    assert isinstance(node, Call) and str(node.loc) == "t.scm:2:3"


# ---- patterns -------------------------------------------------------------------

def test_literals_match_by_binding():
    src = """(define-syntax kind
               (syntax-rules (else) ((_ else) 'keyword) ((_ x) 'other)))"""
    assert run(src + "(kind else)") == "keyword"
    assert run(src + "(kind foo)") == "other"
    assert run(src + "(let ((else 1)) (kind else))") == "other"


def test_underscore_matches_anything():
    assert run("(define-syntax second (syntax-rules () ((_ _ b . _) b))) (second 1 2 3 4)") == "2"


def test_nested_ellipsis():
    src = """(define-syntax my-let*
               (syntax-rules ()
                 ((_ () body ...) (let () body ...))
                 ((_ ((n v) rest ...) body ...) (let ((n v)) (my-let* (rest ...) body ...)))))"""
    assert run(src + "(my-let* ((a 1) (b (+ a 1))) (list a b))") == "(1 2)"
    flat = "(define-syntax flat (syntax-rules () ((_ (a ...) ...) '(a ... ...))))"
    assert run(flat + "(flat (1 2) () (3))") == "(1 2 3)"
    deep = "(define-syntax d (syntax-rules () ((_ ((a ...) ...) ...) '(((a ... 0) ...) ...))))"
    assert run(deep + "(d ((1 2) (3)) ((4)))") == "(((1 2 0) (3 0)) ((4 0)))"


def test_variable_of_lower_depth_repeats_inside_ellipsis():
    # a variable of depth d is iterated by the d innermost ellipses around it
    src = "(define-syntax each (syntax-rules () ((_ (x ...) (y ...)) '((x y ...) ...))))"
    assert run(src + "(each (a b) (1 2 3))") == "((a 1 2 3) (b 1 2 3))"
    src = "(define-syntax tag (syntax-rules () ((_ t x ...) '((t x) ...))))"
    assert run(src + "(tag k 1 2)") == "((k 1) (k 2))"


def test_ellipsis_in_middle_of_list():
    src = "(define-syntax ends (syntax-rules () ((_ a ... b c) '((a ...) b c))))"
    assert run(src + "(ends 1 2 3 4)") == "((1 2) 3 4)"
    assert run(src + "(ends 3 4)") == "(() 3 4)"


def test_dotted_tail_patterns():
    src = "(define-syntax dot (syntax-rules () ((_ a . rest) '(a rest))))"
    assert run(src + "(dot 1 2 3)") == "(1 (2 3))"
    assert run(src + "(dot 1)") == "(1 ())"
    src = "(define-syntax ell-dot (syntax-rules () ((_ (a ... . r)) '((a ...) r))))"
    assert run(src + "(ell-dot (1 2 . 3))") == "((1 2) 3)"


def test_vector_patterns():
    src = "(define-syntax vec (syntax-rules () ((_ #(a b ...)) '(a (b ...) #(b ... a)))))"
    assert run(src + "(vec #(1 2 3))") == "(1 (2 3) #(2 3 1))"


def test_constants_in_patterns():
    src = """(define-syntax c (syntax-rules () ((_ 1 x) 'one) ((_ "s" x) 'str) ((_ #t x) 'true) ((_ y x) 'other)))"""
    assert run(src + """(list (c 1 0) (c "s" 0) (c #t 0) (c 2 0) (c #f 0))""") == "(one str true other other)"


def test_custom_ellipsis():
    src = "(define-syntax my-list (syntax-rules ::: () ((_ x :::) (list x :::))))"
    assert run(src + "(my-list 1 2 3)") == "(1 2 3)"
    src = "(define-syntax lit-dots (syntax-rules ::: () ((_ x :::) '((x ...) :::))))"
    assert run(src + "(lit-dots 1 2)") == "((1 ...) (2 ...))"


def test_ellipsis_escape_in_macro_defining_macro():
    src = """(define-syntax def-lister
               (syntax-rules ()
                 ((_ name) (define-syntax name
                             (syntax-rules () ((_ x (... ...)) (list x (... ...))))))))
             (def-lister lst)"""
    assert run(src + "(lst 1 2 3)") == "(1 2 3)"
    assert run("(define-syntax dots (syntax-rules () ((_) '(... ...)))) (dots)") == "..."


# ---- macros producing definitions; scoping ---------------------------------------------

def test_macro_expanding_into_top_level_definitions():
    src = """(define-syntax def-two
               (syntax-rules () ((_ a b v) (begin (define a v) (define b v)))))
             (def-two x y 3)"""
    program = expand(src)
    assert [n.name for n in program.body] == [sym("x"), sym("y")]
    assert all(isinstance(n, GlobalDef) for n in program.body)
    assert run(src + "(list x y)") == "(3 3)"


def test_macro_expanding_into_internal_definitions():
    src = """(define-syntax def-counter
               (syntax-rules ()
                 ((_ name) (begin (define count 0)
                                  (define (name) (set! count (+ count 1)) count)))))
             (define (f)
               (define count 100)
               (def-counter next)
               (next) (next)
               (list (next) count))
             (f)"""
    assert run(src) == "(3 100)"


def test_macro_expanding_into_define_syntax():
    src = """(define-syntax def-const
               (syntax-rules () ((_ name v) (define-syntax name (syntax-rules () ((_) v))))))
             (def-const five 5)
             (define (g) (def-const six 6) (+ (five) (six)))
             (g)"""
    assert run(src) == "11"


def test_recursive_macro_over_long_input():
    src = "(define-syntax my-list (syntax-rules () ((_) '()) ((_ x . r) (cons x (my-list . r)))))"
    assert run(src + "(my-list 1 2 3)") == "(1 2 3)"
    deep = last(src + "(my-list " + " ".join(["1"] * 1000) + ")")
    assert isinstance(deep, Call) and deep.fn.name is sym("cons")
    items = " ".join(str(i) for i in range(100000))
    node = last("(define-syntax ql (syntax-rules () ((_ x ...) '(x ...)))) (ql " + items + ")")
    assert len(to_list(node.value)) == 100000


def test_let_syntax_and_letrec_syntax():
    assert run("""(let-syntax ((inc (syntax-rules () ((_ x) (+ x 1)))))
                    (inc 41))""") == "42"
    assert run("""(letrec-syntax ((ev? (syntax-rules () ((_) #t) ((_ x . r) (od? . r))))
                                  (od? (syntax-rules () ((_) #f) ((_ x . r) (ev? . r)))))
                    (list (ev? 1 2) (od? 1 2 3)))""") == "(#t #t)"
    # let-syntax transformers see the outer scope, not each other
    assert run("""(define-syntax m (syntax-rules () ((_) 'outer)))
                  (let-syntax ((m (syntax-rules () ((_) 'inner)))
                               (n (syntax-rules () ((_) (m)))))
                    (n))""") == "outer"


def test_internal_define_syntax():
    assert run("""(define (f x)
                    (define-syntax double (syntax-rules () ((_ e) (* 2 e))))
                    (define y (double x))
                    (double y))
                  (f 3)""") == "12"


def test_local_macro_shadows_special_form():
    assert run("(let-syntax ((if (syntax-rules () ((_ a b c) c)))) (if 1 2 3))") == "3"
    assert run(MY_OR + "(let-syntax ((if (syntax-rules () ((_ a b c) 'bad)))) (my-or #f 4))") == "4"


def test_user_macro_named_like_special_form_at_top_level():
    ex = Expander()
    ex.expand_program(read("(define-syntax when (syntax-rules () ((_ x) 'mine)))"))
    node = ex.expand_program(read("(when 1)")).body[0]
    assert node.value is sym("mine")


def test_macro_using_cond_with_else_literal_from_user():
    src = """(define-syntax my-cond
               (syntax-rules (else)
                 ((_ (else e)) e)
                 ((_ (c e) clause ...) (if c e (my-cond clause ...)))))"""
    assert run(src + "(my-cond (#f 1) (else 2))") == "2"


def test_macro_keyword_used_as_variable():
    err = syntax_error(MY_OR + "\n(display my-or)")
    assert "keyword" in err.message and str(err.loc) == "t.scm:6:1"


# ---- errors ----------------------------------------------------------------------------

def test_no_matching_rule_names_the_macro():
    err = syntax_error("(define-syntax two (syntax-rules () ((_ a b) a)))\n  (two 1)")
    assert "two" in err.message and str(err.loc) == "t.scm:2:3"


@pytest.mark.parametrize("spec, message, column", [
    ("(syntax-rules)", "no literals list", 2),
    ("(syntax-rules (1) ((_) 1))", "literals must be identifiers", 2),
    ("(syntax-rules () (_ 1))", "expected (pattern template)", 19),
    ("(syntax-rules () ((_ a a) 1))", "used twice", 19),
    ("(syntax-rules () ((_ a ... b ...) 1))", "two ellipses", 19),
    ("(syntax-rules () ((_ a ...) a))", "needs 1 ellipsis", 19),
    ("(syntax-rules () ((_ a) (a ...)))", "no pattern variable", 19),
    ("(syntax-rules () ((_ a) ...))", "misplaced ellipsis", 19),
    ("(syntax-rules () ((_ ...) 1))", "misplaced ellipsis", 19),
])
def test_malformed_syntax_rules(spec, message, column):
    err = syntax_error(f"(define-syntax m\n {spec})")
    assert message in err.message and str(err.loc) == f"t.scm:2:{column}"


def test_ellipsis_length_mismatch():
    err = syntax_error("(define-syntax z (syntax-rules () ((_ (a ...) (b ...)) '((a b) ...))))\n(z (1 2) (3))")
    assert "different numbers" in err.message and str(err.loc) == "t.scm:2:1"


def test_syntax_error_in_template_reports_at_the_use():
    err = syntax_error("""(define-syntax one-arg (syntax-rules ()
                            ((_ x) x) ((_ . other) (syntax-error "one-arg takes one argument" other))))
                          (one-arg 1 2)""")
    assert err.message == "one-arg takes one argument" and str(err.loc) == "t.scm:3:27"
    assert write_string(err.irritants[0]) == "(1 2)"


def test_misplaced_syntax_rules():
    assert "syntax-rules" in syntax_error("(syntax-rules () ())").message
