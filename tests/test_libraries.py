"""R7RS libraries: define-library, import sets, the standard library tables,
cond-expand, library lookup along the search path, and their errors.
Programs run through hawk.driver.run_program; user libraries are written
to a temporary directory next to the program."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest

from hawk.driver import make_vm, run_program
from hawk.errors import SyntaxError_
from hawk.frontend.ast import GlobalDef
from hawk.frontend.datum import Symbol
from hawk.frontend.expander import SPECIAL_FORMS, Expander, Special
from hawk.frontend.libraries import FEATURES, STANDARD_LIBRARIES
from hawk.frontend.reader import read_all
from hawk.vm import values as V

@pytest.fixture
def files(tmp_path):
    """Write {relative path: text} under tmp_path; return tmp_path."""
    def write(tree: dict):
        for name, text in tree.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return tmp_path
    return write


def run(text: str, directory=None, **dirs) -> tuple[int, str, str]:
    """(status, output, errors) of a program stored as main.scm in `directory`."""
    out, err = io.StringIO(), io.StringIO()
    file = str(directory / "main.scm") if directory is not None else "<test>"
    status = run_program(text, file, stdin=io.StringIO(""), stdout=out, stderr=err, **dirs)
    return status, out.getvalue(), err.getvalue()


def output(text: str, directory=None, **dirs) -> str:
    status, out, err = run(text, directory, **dirs)
    assert (status, err) == (0, ""), err
    return out


def error(text: str, directory=None, **dirs) -> str:
    status, out, err = run(text, directory, **dirs)
    assert status == 1, out
    return err


POINT = """
(define-library (geo point)
  (export make-point point-x (rename point-y py) scale count-calls my-or)
  (import (scheme base))
  (begin
    (define calls 0)
    (define (count-calls) calls)
    (define-record-type point (make-point x y) point? (x point-x) (y point-y))
    (define (scale p k) (bump!) (make-point (* k (point-x p)) (* k (point-y p))))
    (define (bump!) (set! calls (+ calls 1)))          ; defined after its first use
    (define-syntax my-or
      (syntax-rules ()
        ((_) #f)
        ((_ e r ...) (let ((t e)) (bump!) (if t t (my-or r ...))))))))
"""


# ---- define-library and import ------------------------------------------------

def test_import_user_library(files):
    d = files({"geo/point.sld": POINT})
    assert output("""
        (import (scheme base) (scheme write) (geo point))
        (define p (scale (make-point 1 2) 3))
        (display (list (point-x p) (py p) (count-calls)))""", d) == "(3 6 1)"


def test_exported_macro_is_hygienic(files):
    d = files({"geo/point.sld": POINT})
    # the program's t, bump! and calls are not the macro's
    assert output("""
        (import (scheme base) (scheme write) (geo point))
        (define t 5) (define calls 'mine) (define (bump!) 'mine)
        (display (list (my-or #f t) (let ((if list)) (my-or #f #f 7)) (count-calls) calls))""",
                  d) == "(5 7 5 mine)"


def test_library_globals_are_mangled_and_do_not_clash(files):
    d = files({"geo/point.sld": POINT, "other/calls.sld": """
        (define-library (other calls) (export calls) (import (scheme base))
          (begin (define calls 'other)))"""})
    assert output("""
        (import (scheme base) (scheme write) (geo point) (prefix (other calls) o:))
        (define calls 'program)
        (scale (make-point 1 1) 2)
        (display (list calls o:calls (count-calls)))""", d) == "(program other 1)"
    ex = Expander([str(d)])
    program = ex.expand_program(read_all("(import (geo point))", str(d / "main.scm")))
    names = {n.name.name for n in program.body if isinstance(n, GlobalDef)}
    assert "(geo point)::calls" in names and "calls" not in names


def test_import_set_modifiers_nest(files):
    d = files({"geo/point.sld": POINT})
    assert output("""
        (import (scheme base) (scheme write)
                (prefix (rename (only (geo point) make-point point-x py) (py y)) p.)
                (rename (except (scheme base) car) (cdr tail)))
        (display (list (p.point-x (p.make-point 1 2)) (p.y (p.make-point 1 2))
                       (tail '(1 2))))""", d) == "(1 2 (2))"


@pytest.mark.parametrize("spec", ["(only (geo point) nope)", "(except (geo point) nope)",
                                  "(rename (geo point) (nope x))",
                                  "(only (prefix (geo point) g:) make-point)"])
def test_importing_what_is_not_exported(files, spec):
    d = files({"geo/point.sld": POINT})
    err = error(f"(import (scheme base)\n        {spec})", d)
    assert "not exported" in err and "main.scm:2:9" in err


def test_each_library_is_loaded_once(files):
    d = files({
        "a/noisy.sld": """(define-library (a noisy) (export n) (import (scheme base) (scheme write))
                            (begin (display "loading ") (define n 1)))""",
        "a/user.sld": """(define-library (a user) (export m) (import (scheme base) (a noisy))
                           (begin (define m (+ n 1))))"""})
    assert output("""(import (scheme base) (scheme write) (a user) (a noisy) (only (a noisy) n))
                     (display (list n m))""", d) == "loading (1 2)"


def test_define_library_in_the_program():
    assert output("""
        (define-library (local lib) (export double) (import (scheme base))
          (begin (define (double x) (* 2 x))))
        (import (scheme base) (scheme write) (local lib))
        (display (double 21))""") == "42"


def test_includes_and_library_declarations(files):
    d = files({
        "inc/lib.sld": """(define-library (inc lib)
                            (include-library-declarations "decls.scm")
                            (include "body.scm")
                            (include-ci "upper.scm"))""",
        "inc/decls.scm": "(export twice shout) (import (scheme base))",
        "inc/body.scm": "(define (twice x) (* 2 x))",
        "inc/upper.scm": "(DEFINE (SHOUT) 'LOUD)",
        "top.scm": "(define from-include 1)",
        "body.scm": "(define inner 2) (define Mixed 3)"})
    assert output("""
        (import (scheme base) (scheme write) (inc lib))
        (include "top.scm")
        (define (f) (include-ci "body.scm") (+ inner mixed))
        (display (list (twice from-include) (shout) (f)))""", d) == "(2 loud 5)"


def test_cond_expand_in_library_declarations(files):
    d = files({"ce/lib.sld": """
        (define-library (ce lib) (export which) (import (scheme base))
          (cond-expand
            ((library (no such)) (begin (define which 'wrong)))
            ((and hawk (or no-feature r7rs)) (begin (define which 'right)))))"""})
    assert output("(import (scheme write) (ce lib)) (display which)", d) == "right"


# ---- visibility -------------------------------------------------------------------

def test_program_without_import_sees_everything():
    assert output("(display (list (car '(1)) (exact->inexact 1/2))) (write-string \"x\")") \
        == "(1 0.5)x"


def test_importing_only_scheme_base_hides_display():
    err = error("(import (scheme base))\n(define (f) 1)\n(display (f))")
    assert "<test>:3:1" in err and "unbound identifier display" in err


def test_later_definitions_count_and_set_of_unbound_is_an_error():
    assert output("(import (scheme base) (scheme write)) (define (f) (g)) (define (g) 1) "
                  "(display (f))") == "1"
    assert "unbound identifier x" in error("(import (scheme base))\n(set! x 1)")


def test_imported_keywords_and_renamed_keywords():
    assert output("(import (rename (scheme base) (if when-true)) (scheme write))"
                  "(display (when-true #f 1 2))") == "2"
    assert "unbound identifier lambda" in error("(import (only (scheme base) define))"
                                                "(define f (lambda x x))")


def test_library_exporting_what_it_lacks(files):
    d = files({"bad/lib.sld": "(define-library (bad lib) (export ghost) (import (scheme base)))"})
    err = error("(import (bad lib))", d)
    assert "exports ghost, which it neither defines nor imports" in err


# ---- lookup ---------------------------------------------------------------------------

def test_library_not_found(files):
    d = files({})
    err = error("(import (scheme base)\n  (no such lib))", d)
    assert "library (no such lib) not found" in err and str(d) in err and "main.scm:2:3" in err


def test_import_cycle(files):
    d = files({"cyc/a.sld": "(define-library (cyc a) (export) (import (cyc b)))",
               "cyc/b.sld": "(define-library (cyc b) (export) (import (cyc a)))"})
    assert "import cycle: (cyc a) -> (cyc b) -> (cyc a)" in error("(import (cyc a))", d)


def which(name):
    return (f'(define-library (w lib) (export which) (import (scheme base))'
            f' (begin (define which "{name}")))')


def test_search_order(files):
    d = files({"prog/w/lib.sld": which("program"), "inc/w/lib.sld": which("include"),
               "app/w/lib.sld": which("append"), "app/w/only.sld": which("append only")
               .replace("(w lib)", "(w only)")})
    program = ("(import (scheme base) (scheme write) (w lib) (prefix (w only) o:))"
               " (display (list which o:which))")
    prog = d / "prog"
    assert output(program, prog, append_dirs=[str(d / "app")]) == '(program append only)'
    assert output(program, prog, include_dirs=[str(d / "inc")],
                  append_dirs=[str(d / "app")]) == '(include append only)'


def test_cli_library_options(files):
    d = files({"inc/w/lib.sld": which("from -I"),
               "app/w/only.sld": which("from -A").replace("(w lib)", "(w only)"),
               "p/main.scm": "(import (scheme base) (scheme write) (w lib) (prefix (w only) o:))"
                             " (display (list which o:which))"})
    r = subprocess.run([sys.executable, "-m", "hawk", "-I", str(d / "inc"), "run", "-A",
                        str(d / "app"), str(d / "p/main.scm")], capture_output=True, text=True,
                       timeout=120)
    assert (r.returncode, r.stdout, r.stderr) == (0, "(from -I from -A)", "")


# ---- cond-expand and features -------------------------------------------------------------

def test_features_and_cond_expand_agree():
    checks = " ".join(f"(cond-expand ({f} (display 1)) (else (display 0)))" for f in FEATURES)
    assert output(checks + " (display (length (features)))") == "1" * len(FEATURES) + str(
        len(FEATURES))
    assert output("(display (cond-expand ((not r7rs) 1) ((and) 2)))") == "2"


def test_malformed_forms():
    assert "malformed cond-expand requirement" in error("(cond-expand ((not a b) 1))")
    assert "malformed import set" in error("(import 5)")
    assert "unknown library declaration" in error("(define-library (x) (frob))")
    assert "define-library is only allowed at top level" in error(
        "(let () (define-library (x)) 1)")


# ---- the standard libraries ------------------------------------------------------------------

def test_standard_libraries_are_all_present():
    ex = Expander()
    for name in [("scheme", n) for n in (
            "base", "case-lambda", "char", "complex", "cxr", "eval", "file", "inexact", "lazy",
            "load", "process-context", "read", "repl", "time", "write", "r5rs")] + [
            ("srfi", n) for n in ("8", "9", "23", "39")] + [("hawk",)]:
        assert ex.libraries.standard[name].exports, name
    assert len(STANDARD_LIBRARIES[("scheme", "base")]) == len(
        set(STANDARD_LIBRARIES[("scheme", "base")]))


def test_keywords_are_exported_as_keywords():
    base = Expander().libraries.standard[("scheme", "base")].exports
    keywords = {s.name for s, b in base.items() if isinstance(b, Special)}
    assert {"define", "lambda", "if", "cond-expand", "include", "guard", "...", "_",
            "else", "=>"} <= keywords <= set(SPECIAL_FORMS)


def test_every_exported_global_is_defined():
    vm = make_vm()
    unbound = sorted({b.name for lib in Expander().libraries.standard.values()
                      for b in lib.exports.values()
                      if isinstance(b, Symbol) and vm.lookup(b.name) == V.UNBOUND})
    assert unbound == []


def test_expander_rejects_unknown_library():
    with pytest.raises(SyntaxError_, match="library \\(foo bar\\) not found"):
        Expander().expand_program(read_all("(import (foo bar))", "t.scm"))
