"""(scheme read) and (scheme write): `read` of every kind of datum from a
port, read errors, and the external representations written by write,
display, write-shared (labels for all sharing) and write-simple (none)."""
from __future__ import annotations

from tables import check_errors, check_values

PRELUDE = """
(define (read-all s) (let ((p (open-input-string s)))
  (let loop ((acc '())) (let ((x (read p))) (if (eof-object? x) (reverse acc) (loop (cons x acc)))))))
(define (shown proc x) (let ((p (open-output-string))) (proc x p) (get-output-string p)))
(define cyc (list 1 2)) (set-cdr! (cdr cyc) cyc)
(define shared (let ((x (list 'a))) (list x x)))
"""

VALUES = [
    ("(read-all \"1 2.5 #t #f #\\\\a \\\"s\\\" sym |odd sym| (1 . 2) #(1) #u8(3) '(q) `(a ,b ,@c)\")",
     '(1 2.5 #t #f #\\a "s" sym |odd sym| (1 . 2) #(1) #u8(3) (quote (q)) (quasiquote (a (unquote b) (unquote-splicing c))))'),
    ("(read-all \"; comment\\n #| block |# #;(skipped) kept #!fold-case UP #!no-fold-case Up\")",
     "(kept up Up)"),
    ("(read-all \"#0=(a . #0#)\")", "(#0=(a . #0#))"),
    ("(read (open-input-string \"\"))", "#<eof>"),
    ("(read-all \"#x-1F #e1.25 #i3/4 1e2 -0.0 +inf.0 1/2\")", "(-31 5/4 0.75 100.0 -0.0 +inf.0 1/2)"),
    ("(shown write \"a\\\"b\\\\c\\nd\")", '"\\"a\\\\\\"b\\\\\\\\c\\\\nd\\""'),
    ("(shown display \"a\\\"b\")", '"a\\"b"'),
    ("(list (shown write #\\space) (shown write #\\x0) (shown display #\\a) (shown write (string->symbol \"a b\")))",
     '("#\\\\space" "#\\\\null" "a" "|a b|")'),
    ("(shown write cyc)", '"#0=(1 2 . #0#)"'),
    ("(list (shown write shared) (shown write-shared shared) (shown write-simple shared))",
     '("((a) (a))" "(#0=(a) #0#)" "((a) (a))")'),
    ("(shown display '(1 \"two\" #\\3 (4.5)))", '"(1 two 3 (4.5))"'),
    ("(shown write (list 'quote 'x))", '"(quote x)"'),
]

ERRORS = [
    ("(read (open-input-string \"(1 2\"))", "read-error: read: unterminated list (<string>:1:1)"),
    ("(read (open-input-string \")\"))", "read-error: read: unexpected ')' (<string>:1:1)"),
    ("(read 5)", "error: read: not a port: 5"),
    ("(write 1 (open-input-string \"\"))", "error: write: not an output port: #<port>"),
    ("(display)", "error: display: wrong number of arguments (expected 1 to 2, got 0)"),
    ("(write-shared 1 2)", "error: write-shared: not a port: 2"),
]


def test_values():
    check_values(VALUES, PRELUDE)


def test_errors():
    check_errors(ERRORS)
