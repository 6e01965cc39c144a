"""(scheme load): load runs a file's forms in an environment."""
from __future__ import annotations

from tables import check_errors
from conftest import run_scheme


def out(text):
    r = run_scheme(text, "t.scm")
    assert (r.status, r.err) == (0, ""), r.err
    return r.out


def test_load_runs_every_form_of_a_file(tmp_path):
    lib = tmp_path / "defs.scm"
    lib.write_text("(define (sq x) (* x x))\n(define loaded 'yes)\n")
    text = f'(load "{lib}") (display (list (eval \'(sq 7) (interaction-environment)) ' \
           f'(eval \'loaded (interaction-environment))))'
    assert out(text) == "(49 yes)"


def test_load_of_a_missing_file_is_a_file_error():
    text = '(display (guard (e ((file-error? e) (quote file-error))) (load "/nonexistent.scm")))'
    assert out(text) == "file-error"


ERRORS = [
    ("(load 5)", "error: load: not a string: 5"),
    ("(load \"/nonexistent.scm\")", 'file-error: load: No such file or directory: "/nonexistent.scm"'),
]


def test_load_errors():
    check_errors(ERRORS)
