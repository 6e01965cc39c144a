"""Traces that call primitives written in Python (hawk.jit.callout): loops
calling member/list-tail... get traces with call-outs (reverse and append are
inline list copies, length an inline list walk) and print what
the interpreter prints; a primitive that raises inside a trace gives the
interpreter's error and location; abs inline on fixnums; allocation under GC stress; registers
(callee- and caller-saved GPRs, XMMs) survive the call."""
from __future__ import annotations

import io

import pytest

from hawk.jit.options import JitOptions

if not JitOptions.supported():
    pytest.skip("the JIT needs x86-64 Linux", allow_module_level=True)

from conftest import run_both, run_jit, run_scheme            # noqa: E402
from hawk.driver import make_vm, run_source                    # noqa: E402
from hawk.jit import callout                                   # noqa: E402
from hawk.jit.callout import FAILED                            # noqa: E402
from hawk.vm.primspec import PRIMS, PURE, load_all             # noqa: E402


def iteration(t) -> list:
    """The instructions of the iteration trace t recorded (a peeled loop
    repeats them after LOOP, hawk.jit.loopopt)."""
    ops = [op for op, *_ in t.ir.ins]
    return t.ir.ins[:ops.index("LOOP")] if "LOOP" in ops else t.ir.ins


def callouts(t) -> list:
    """The names of the primitives one iteration of trace t calls."""
    return [callout.FUNCTIONS[a].__name__ for op, a, b, c in iteration(t) if op == "CALLP"]


def called(vm) -> set:
    """The primitives any trace of vm calls, by registered name."""
    fns = {callout.FUNCTIONS[a] for t in vm.jit.all_traces
           for op, a, b, c in t.ir.ins if op == "CALLP"}
    return {name for name, spec in PRIMS.items() if spec.fn in fns}


LISTS = """
(define (f n)
  (let loop ((i n) (acc '()) (s 0))
    (if (= i 0)
        (list s (length acc) (reverse (list-tail acc (- (length acc) 2))))
        (loop (- i 1)
              (append (reverse (list i (abs (- 50 i)))) (if (memv i '(3 7 11)) acc '()))
              (+ s (abs (- 50 i)) (length (member (list (modulo i 5)) '((0) (1) (2) (3) (4)))))))))
(display (f 200)) (newline)
(display (f 300)) (newline)
"""


def test_loop_calling_primitives_gets_a_trace_with_callouts():
    joff, jit = run_both(LISTS, hot=7)
    assert joff[0] == 0 and jit == joff
    out, vm = run_jit(LISTS)
    assert out == joff[1]
    assert "member" in called(vm)        # of a list: equal? compares structure
    assert not {"list", "append", "reverse", "length"} & called(vm)     # inline (tests below)
    loops = [t for t in vm.jit.all_traces if t.func.name == "f" and t.kind == "loop"]
    assert loops and vm.jit.stats["entries"] >= 1


BUILD = """
(define (g n)
  (let loop ((i 0) (acc '()))
    (if (= i n) acc
        (let ((p (list i (list (* 2 i) 'y) (cons i i))))
          (loop (+ i 1) (cons (list (cadr p) (caadr p) (cdaddr p) (cddr p)) acc))))))
(display (car (g 300))) (newline)
"""


def test_list_and_cxr_are_inline():
    joff, jit = run_both(BUILD + "(g 10) (cadr 5)", hot=3)
    assert joff[1] == "((598 y) 598 299 ((299 . 299)))\n" and jit == joff
    assert "cadr: not a pair" in joff[2]       # the interpreter's error, after the loops
    out, vm = run_jit(BUILD, hot=3)
    [t] = [t for t in vm.jit.all_traces if t.func.name == "g" and t.kind == "loop"]
    assert callouts(t) == [] and [ins[0] for ins in iteration(t)].count("NEWPAIR") == 11
    stressed = run_scheme(BUILD, stress=1, jit=JitOptions(enabled=True, hot=3))
    assert (stressed.status, stressed.out, stressed.err) == (0, joff[1], "")


CHARS = """
(define (f s)
  (let loop ((i 0) (n 0))
    (if (= i (string-length s)) n
        (let ((c (string-ref s i)))
          (loop (+ i 1) (cond ((char<=? #\\a c #\\z) (+ n 1))
                              ((char=? c #\\space #\\space) (+ n 100))
                              ((char>? c #\\Z) (+ n 10000))
                              (else n)))))))
(display (f "Hello World _x_")) (newline)
(display (f "Hello World _x_")) (newline)
"""


def test_char_comparisons_are_inline():
    joff, jit = run_both(CHARS + "(char<? #\\a #\\b 'c)", hot=3)
    assert joff[1] == "20209\n20209\n" and jit == joff
    assert "char<?: not a character" in joff[2]
    out, vm = run_jit(CHARS)
    assert out == joff[1] and vm.jit.all_traces
    assert not called(vm) & {"char<=?", "char=?", "char>?"}


CASES = """
(define v (vector "a" "b" 'c (vector 1) 7 #\\x))
(define (f n)
  (let loop ((i 0) (s 0))
    (if (= i n) s
        (loop (+ i 1) (+ s (case (vector-ref v (modulo i 6))
                             (("a" "b") 1) ((c #\\x) 2) ((7 8 9) 5) (else 3)))))))
(display (f 600)) (newline)
"""


def test_case_is_guards_even_on_strings_and_vectors():
    """case compares with eqv? (no memv call-out); eqv? of any key with a
    constant string datum is eq? (it used to abort as "two heap objects")."""
    joff, jit = run_both(CASES, hot=3)
    assert joff == (0, "1800\n", "") and jit == joff
    out, vm = run_jit(CASES, hot=3)
    in_f = [key for key in vm.jit.aborts        # (func id, pc) or (parent trace, exit)
            if (key[0].func if hasattr(key[0], "func") else vm.funcs[key[0]]).name == "f"]
    assert in_f == [] and [t for t in vm.jit.all_traces if t.func.name == "f"]
    assert not called(vm)
VECTORS = """
(define k '(a b))
(define (f n acc)
  (if (= n 0) acc
      (let ((v (make-vector (modulo n 4) k)) (w (vector n (make-vector 2))))
        (f (- n 1) (+ acc (vector-length v) (vector-ref w 0)
                      (if (vector-ref (vector-ref w 1) 0) 1000 0))))))
(display (f 200 0)) (newline)
(display (vector-length (make-vector 100000 'x))) (newline)
"""


def test_vectors_are_allocated_inline_unless_big():
    joff, jit = run_both(VECTORS, hot=3)
    assert joff[1] == "20400\n100000\n" and jit == joff
    out, vm = run_jit(VECTORS)
    assert out == joff[1]
    assert not called(vm) & {"make-vector", "vector"}
    assert any(op == "NEWVEC" for t in vm.jit.all_traces for op, *_ in t.ir.ins)


def test_the_ir_listing_names_the_primitive_a_callout_calls():
    out, vm = run_jit(LISTS)
    lines = [ln for t in vm.jit.all_traces for ln in t.ir.listing() if " CALLP " in ln]
    assert lines and all(ln.split()[2] in PRIMS for ln in lines)


def test_abs_is_inline_on_fixnums_and_a_call_as_a_procedure():
    """`abs` as a PRIM instruction on fixnums is ABSOV (no branch on the
    sign); as a procedure value (CALL, CALLT) it is called."""
    text = """
(define my-abs abs)
(define (g x) (my-abs x))
(define (f n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s (abs (- i 9)) (g (- 9 i)) (my-abs i))))))
(display (f 100)) (newline)
"""
    joff, jit = run_both(text, hot=3)
    assert jit == joff and joff[1] == f"{sum(2 * abs(i - 9) + i for i in range(100))}\n"
    out, vm = run_jit(text, hot=3)
    [t] = [t for t in vm.jit.all_traces if t.func.name == "f" and t.kind == "loop"]
    assert callouts(t) == [PRIMS["abs"].fn.__name__] * 2
    assert [op for op, *_ in iteration(t)].count("ABSOV") == 1


def test_abs_of_the_most_negative_fixnum_leaves_the_trace_for_a_bignum():
    text = """
(define xs (list -3 4 -5 6 -7 8 -9 10 (- (expt 2 60)) 2.5 -1/2))
(define (f xs) (let loop ((xs xs) (acc '())) (if (null? xs) (reverse acc) (loop (cdr xs) (cons (abs (car xs)) acc)))))
(display (f xs)) (newline)
"""
    joff, jit = run_both(text, hot=2)
    assert joff == (0, "(3 4 5 6 7 8 9 10 1152921504606846976 2.5 1/2)\n", "")
    assert jit == joff


# the failing argument comes from a vector, so no guard in the trace sees it
# before the call-out does
def data(good, bad):
    """A vector of `good` with `bad` at index 15."""
    return f"(define data (make-vector 20 {good})) (vector-set! data 15 {bad})"


ERRORS = [
    (data("(list 1)", "'()") + " (define kar car)", "(kar (vector-ref data i))",
     "car: not a pair"),
    ("(define v (vector 1 2 3 4 5 6 7 8 9 10 11)) (define vref vector-ref)",
     "(vref v (- i 4))", "vector-ref: index out of range"),
    (data('"ab"', 5), "(string->symbol (vector-ref data i))", "string->symbol: not a string"),
    ("", "(list-tail '(1 2 3 4 5 6 7 8 9 10 11 12) (- 17 i))", "list-tail"),
    (data("(list 1 2)", "'(1 . 2)"), "(reverse (vector-ref data i))",
     "reverse: not a proper list"),
    (data("(list 1 2)", "3"), "(append '(0) (vector-ref data i) '(4))", "append: not a proper list"),
    (data("(list 1 2)", "'(1 2 . 3)"), "(length (vector-ref data i))", "length: not a proper list"),
    ("(define c (list 1 2 3)) (set-cdr! (cddr c) c) " + data("(list 1 2 3 4)", "c"),
     "(length (vector-ref data i))", "length: not a proper list"),
]


@pytest.mark.parametrize("setup, expr, message", ERRORS, ids=["car", "vector-ref", "string->symbol",
                                                              "list-tail", "reverse", "append",
                                                              "length", "length-cycle"])
def test_a_primitive_raising_in_a_trace_is_the_interpreters_error(setup, expr, message):
    text = f"""{setup}
(define (f n)
  (let loop ((i 5) (acc '()))
    (if (= i n) (length acc)
        (loop (+ i 1) (cons {expr} acc)))))
(display (f 15)) (newline)
(display (f 20)) (newline)
"""
    joff, jit = run_both(text, hot=2)
    status, out, err = joff
    assert status == 1 and out == "10\n" and message in err and "<test>:5:" in err
    assert jit == joff
    vm = make_vm(["<test>"], jit=JitOptions(enabled=True, hot=2), stdout=io.StringIO(),
                 stderr=io.StringIO())
    with pytest.raises(Exception, match=message):
        run_source(vm, text, "<test>")
    failed = [n for t in vm.jit.all_traces for i, (op, *_) in enumerate(t.ir.ins)
              if op in ("CALLP", "REVAPP", "APPEND", "LENGTH")
              and (n := t.exit_counts.get(t.ir.snap_of[i]))]
    assert failed, "the error should leave a trace through its call-out's (or list walk's) exit"


COPIES = """
(define (f n)
  (let loop ((i 0) (acc '()) (s 0))
    (if (= i n) (list s (list-tail acc (- (length acc) 3)))
        (let ((xs (list-tail '(1 2 3 4 5 6 7 8 9) (modulo i 10))))
          (loop (+ i 1) (append (reverse xs) (if (< (length acc) 50) acc '()))
                (+ s (length (append xs xs (list i)))))))))
(display (f 300)) (newline)
"""


def test_reverse_append_and_length_walk_lists_inline_whatever_their_length():
    """One trace serves lists of every length: REVAPP/APPEND/LENGTH instead
    of call-outs, and no exits at the list walks."""
    joff, jit = run_both(COPIES, hot=3)
    assert joff == (0, "(3000 (4 3 2))\n", "") and jit == joff
    out, vm = run_jit(COPIES, hot=3)
    [t] = [t for t in vm.jit.all_traces if t.func.name == "f" and t.kind == "loop"]
    ops = [op for op, *_ in iteration(t)]
    assert callouts(t) == ["list_tail"]
    assert ops.count("REVAPP") == 1 and ops.count("APPEND") == 3 and ops.count("LENGTH") == 2
    copies = {t.ir.snap_of[i] for i, (op, *_) in enumerate(t.ir.ins)
              if op in ("REVAPP", "APPEND", "LENGTH")}
    assert not copies & set(t.exit_counts)
    stressed = run_scheme(COPIES, stress=1, jit=JitOptions(enabled=True, hot=3))
    assert (stressed.status, stressed.out, stressed.err) == joff


def test_allocating_primitives_in_a_trace_under_gc_stress():
    text = """
(define (f n)
  (let loop ((i 0) (acc '()))
    (if (= i n) (list (length acc) (list-tail acc 995))
        (loop (+ i 1) (append (list (cons i (make-string 2 #\\a))) (reverse (list-tail (reverse acc) 0)))))))
(display (f 1000)) (newline)
"""
    plain = run_scheme(text)
    stressed = run_scheme(text, stress=1, jit=JitOptions(enabled=True, hot=3))
    assert plain.status == 0 and plain.out.startswith("(1000 ((4 . aa)")
    assert (stressed.status, stressed.out, stressed.err) == (plain.status, plain.out, plain.err)


def test_many_live_values_survive_a_call():
    """More live fixnums and flonums than caller-saved registers, all used
    after a call-out: saved and restored around it (and the callee-saved
    ones preserved by C)."""
    names = [f"a{j}" for j in range(14)]
    binds = " ".join(f"({n} (+ i {j}))" for j, n in enumerate(names))
    fbinds = " ".join(f"(x{j} (* 1.5 (+ i {j})))" for j in range(8))
    text = f"""
(define (f n)
  (let loop ((i 0) (s 0) (fs 0.0))
    (if (= i n) (list s fs)
        (let* ({binds} {fbinds} (m (gcd i 6)))
          (loop (+ i 1) (+ s m {" ".join(names)}) (+ fs {" ".join(f"x{j}" for j in range(8))}))))))
(display (f 500)) (newline)
"""
    joff, jit = run_both(text, hot=3)
    assert joff[0] == 0 and jit == joff
    out, vm = run_jit(text, hot=3)
    [t] = [t for t in vm.jit.all_traces if t.func.name == "f" and t.kind == "loop"]
    assert "gcd" in called(vm)
    assert any(op in ("FADD", "FMUL") for op, *_ in t.ir.ins)


def test_impure_primitives_are_not_called_while_recording():
    """A loop that writes a string port aborts instead of writing twice."""
    text = """
(define p (open-output-string))
(define (f n) (let loop ((i 0)) (if (< i n) (begin (write-char #\\x p) (loop (+ i 1))))))
(f 50)
(display (string-length (get-output-string p))) (newline)
"""
    out, vm = run_jit(text, hot=3)
    assert out == "50\n"
    assert "write-char" not in called(vm)


def test_the_pure_table_names_registered_primitives_without_effects():
    prims = load_all()
    assert PURE <= set(prims)
    assert not {n for n in PURE if n.endswith("!")}
    assert all(spec.pure == (name in PURE) for name, spec in prims.items())


def test_the_failure_word_is_no_value():
    assert FAILED & 7 == 7          # tag 7 is unused (hawk.vm.values)


LCG = """
(define seed 21)
(define (rand) (set! seed (modulo (+ (* seed 1103515245) 12345) 2147483648)) seed)
(define (lcg n) (let loop ((i 0) (s 0)) (if (= i n) s (loop (+ i 1) (+ s (rand))))))
(display (lcg 400)) (newline)
"""


def test_arithmetic_past_the_fixnum_range_calls_the_primitive():
    """The product overflows into a bignum while recording: the trace calls
    * (and + and modulo, on the bignum) instead of aborting, and its
    loop runs to the end in traces."""
    joff, _ = run_both(LCG, hot=3)
    out, vm = run_jit(LCG, hot=3)
    assert out == joff[1]
    aborted = {vm.funcs[key[0]].name for key in vm.jit.aborts if isinstance(key[0], int)}
    assert not aborted & {"rand", "lcg", "loop"}
    assert {"*", "+", "modulo"} <= called(vm)
    assert vm.jit.stats["exits"] < 20


VOWELS = """
(define (count-vowels s)
  (let loop ((i 0) (n 0))
    (if (= i (string-length s)) n (loop (+ i 1) (if (memv (string-ref s i) '(#\\a #\\e #\\i #\\o #\\u)) (+ n 1) n)))))
(define (go k s) (if (= k 0) s (go (- k 1) (+ s (count-vowels "a quick brown fox jumps over the dog")))))
(display (go 100 0)) (newline)
"""


def test_memv_of_a_char_walks_the_list_in_the_trace():
    """memv of a char (only its own word is eqv? to it): the trace loads
    and compares the list's elements itself, no call of memv."""
    out, vm = run_jit(VOWELS, hot=3)
    assert out == "1000\n"
    assert "memv" not in called(vm)
    assert vm.jit.stats["exits"] < 100


VALUES = """
(define (f n)
  (let loop ((i 0) (s 0))
    (if (= i n) s
        (let-values (((q r) (floor/ i 7)) ((a b c) (values i 1 2))) (loop (+ i 1) (+ s q r a b c))))))
(display (f 700)) (newline)
"""


def test_multiple_values_are_traced():
    """floor/ of fixnums (MODT, SUBOV, QUOT) and values make their
    objects in the trace (NEWOBJ), %values? is a type test and
    %values->list loads, and call-with-values spreads the list through
    apply: no recording aborts and nothing is called out."""
    out, vm = run_jit(VALUES, hot=3)
    assert out == f"{sum(i // 7 + i % 7 + i + 3 for i in range(700))}\n"
    aborted = {vm.funcs[key[0]].name for key in vm.jit.aborts if isinstance(key[0], int)}
    assert not aborted & {"f", "loop", "call-with-values", "lambda"}
    assert not called(vm)
    assert {"NEWOBJ", "MODT", "QUOT"} <= {ins[0] for t in vm.jit.all_traces for ins in t.ir.ins}
    assert vm.jit.stats["exits"] < 60
