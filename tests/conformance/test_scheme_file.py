"""(scheme file): opening, the call-with/with-... procedures, existence and
deletion, textual and binary files, and file errors."""
from __future__ import annotations

from tables import check_errors, check_values


def prelude(tmp_path) -> str:
    return f'(define f "{tmp_path}/a.txt") (define g "{tmp_path}/b.bin") (define missing "{tmp_path}/none")'


VALUES = [
    ("(list (file-exists? f) (file-exists? missing))", "(#f #f)"),
    ("(begin (call-with-output-file f (lambda (p) (write '(1 \"two\") p))) (file-exists? f))", "#t"),
    ("(call-with-input-file f read)", '(1 "two")'),
    ("(begin (with-output-to-file f (lambda () (display \"line1\\nline2\"))) (with-input-from-file f read-line))",
     '"line1"'),
    ("(let ((p (open-input-file f))) (let ((x (read-string 100 p))) (close-port p) x))", '"line1\\nline2"'),
    ("(let ((p (open-output-file f))) (write-string \"new\" p) (close-output-port p) (call-with-input-file f read-line))",
     '"new"'),
    ("(let ((p (open-binary-output-file g))) (write-bytevector #u8(0 255 10) p) (close-port p)"
     " (let* ((i (open-binary-input-file g)) (v (read-bytevector 10 i))) (close-port i) v))", "#u8(0 255 10)"),
    ("(let ((p (open-binary-input-file g))) (list (binary-port? p) (input-port? p) (read-u8 p)))", "(#t #t 0)"),
    ("(begin (delete-file f) (file-exists? f))", "#f"),
]

ERRORS = [
    ("(open-input-file \"/nonexistent/dir/x\")", "file-error: open-input-file: No such file or directory: \"/nonexistent/dir/x\""),
    ("(open-output-file \"/nonexistent/dir/x\")", "file-error: open-output-file: No such file or directory: \"/nonexistent/dir/x\""),
    ("(open-binary-input-file \"/nonexistent/x\")", "file-error: open-binary-input-file: No such file or directory: \"/nonexistent/x\""),
    ("(delete-file \"/nonexistent/x\")", "file-error: delete-file: No such file or directory: \"/nonexistent/x\""),
    ("(call-with-input-file \"/nonexistent/x\" read)", "file-error: open-input-file: No such file or directory: \"/nonexistent/x\""),
    ("(file-exists? 5)", "error: file-exists?: not a string: 5"),
    ("(with-output-to-file 'x (lambda () 1))", "error: open-output-file: not a string: x"),
]


def test_values(tmp_path):
    check_values(VALUES, prelude(tmp_path))


def test_errors():
    check_errors(ERRORS)
