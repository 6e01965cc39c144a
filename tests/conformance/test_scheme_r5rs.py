"""(scheme r5rs): the library imports as R5RS names (and only those); the
names R7RS renamed still work; include and include-ci of (scheme base)."""
from __future__ import annotations

from conftest import run_scheme
from tables import check_values

R5RS_PROGRAM = """
(import (scheme r5rs))
(write (list (exact->inexact 1/4) (inexact->exact 0.5) (caddr '(1 2 3)) (cadadr '(1 (2 3)))
             (force (delay 1)) (eval '(+ 1 2) (scheme-report-environment 5))
             (call-with-current-continuation (lambda (k) (k 'k)))))
"""


def test_r5rs_names():
    r = run_scheme(R5RS_PROGRAM)
    assert (r.status, r.out, r.err) == (0, "(0.25 1/2 3 3 1 3 k)", "")


def test_r5rs_does_not_export_r7rs_additions():
    r = run_scheme("(import (scheme r5rs))\n(write (string-map char-upcase \"a\"))", "t.scm")
    assert r.status == 1 and r.err.startswith("t.scm:2:8: ")
    assert "unbound identifier string-map" in r.err


def test_exactness_conversions():
    check_values([("(list (exact->inexact 1/3) (inexact->exact 2.5) (exact->inexact 2))",
                   "(0.3333333333333333 5/2 2.0)")])


def test_include_and_include_ci(tmp_path):
    (tmp_path / "defs.scm").write_text("(define included 'yes)")
    (tmp_path / "upper.scm").write_text("(DEFINE FOLDED 'YES)")
    check_values([("included", "yes"), ("folded", "yes")],
                 f'(include "{tmp_path}/defs.scm") (include-ci "{tmp_path}/upper.scm")')
