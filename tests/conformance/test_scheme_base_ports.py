"""(scheme base), ports and exceptions: string and bytevector ports with
every reading and writing procedure, port predicates and states, the
current ports, and raise/guard/error objects."""
from __future__ import annotations

from tables import check_errors, check_values

PRELUDE = """
(define (in s) (open-input-string s))
(define (bin . bytes) (open-input-bytevector (apply bytevector bytes)))
(define (output-of proc) (let ((p (open-output-string))) (proc p) (get-output-string p)))
(define (catch thunk) (guard (e ((error-object? e) (list (error-object-message e) (error-object-irritants e)))
                                ((symbol? e) (list 'raised e)))
                        (thunk)))
"""

VALUES = [
    ("(let ((p (in \"ab\"))) (list (peek-char p) (read-char p) (read-char p) (read-char p) (peek-char p)))",
     "(#\\a #\\a #\\b #<eof> #<eof>)"),
    ("(let ((p (in \"one\\ntwo\\n\\nx\"))) (list (read-line p) (read-line p) (read-line p) (read-line p) (read-line p)))",
     '("one" "two" "" "x" #<eof>)'),
    ("(let ((p (in \"abcde\"))) (list (read-string 2 p) (read-string 0 p) (read-string 9 p) (read-string 1 p)))",
     '("ab" "" "cde" #<eof>)'),
    ("(let ((p (in \"x\"))) (list (char-ready? p) (read-char p) (char-ready? p)))", "(#t #\\x #t)"),
    ("(output-of (lambda (p) (write-char #\\a p) (write-string \"bcd\" p) (write-string \"wxyz\" p 1 3) (newline p)))",
     '"abcdxy\\n"'),
    ("(let ((p (bin 1 2 3))) (list (peek-u8 p) (read-u8 p) (u8-ready? p) (read-bytevector 5 p) (read-u8 p) (peek-u8 p)))",
     "(1 1 #t #u8(2 3) #<eof> #<eof>)"),
    ("(let ((p (bin 7 8 9)) (v (make-bytevector 4 0))) (list (read-bytevector! v p 1) v (read-bytevector! v p)))",
     "(3 #u8(0 7 8 9) #<eof>)"),
    ("(let ((p (open-output-bytevector))) (write-u8 65 p) (write-bytevector #u8(1 2 3) p 1) (get-output-bytevector p))",
     "#u8(65 2 3)"),
    ("(let ((p (in \"\")) (b (open-output-bytevector))) (list (input-port? p) (output-port? p) (textual-port? p)"
     " (binary-port? p) (binary-port? b) (output-port? b) (port? p) (port? \"p\")))",
     "(#t #f #t #f #t #t #t #f)"),
    ("(let ((p (in \"abc\")) (o (open-output-string))) (close-input-port p) (close-port o)"
     " (list (input-port-open? p) (output-port-open? o)))", "(#f #f)"),
    ("(let ((o (open-output-string))) (close-output-port o) (close-output-port o) (output-port-open? o))", "#f"),
    ("(call-with-port (in \"z\") read-char)", "#\\z"),
    ("(list (eof-object? (eof-object)) (eof-object? \"\") (eq? (eof-object) (read-char (in \"\"))))", "(#t #f #t)"),
    ("(list (input-port? (current-input-port)) (output-port? (current-output-port)) (output-port? (current-error-port)))",
     "(#t #t #t)"),
    ("(output-of (lambda (p) (parameterize ((current-output-port p)) (write 'x) (flush-output-port))))", '"x"'),
    ("(catch (lambda () (error \"bad thing\" 1 'two)))", '("bad thing" (1 two))'),
    ("(catch (lambda () (raise 'oops)))", "(raised oops)"),
    ("(with-exception-handler (lambda (e) (* e 2)) (lambda () (+ 1 (raise-continuable 20))))", "41"),
    ("(guard (e ((symbol? e) e)) (guard (e2 ((string? e2) 'inner)) (raise 'sym)))", "sym"),
    ("(guard (e ((error-object? e) (error-object? e))) (car 5))", "#t"),
    ("(guard (e ((file-error? e) 'file)) (open-input-file \"/nonexistent/x\"))", "file"),
    ("(guard (e ((read-error? e) 'read)) (read (in \"(1 2\")))", "read"),
    ("(list (file-error? 'x) (read-error? 'x) (error-object? 'x))", "(#f #f #f)"),
    ("(guard (e (#t (error-object-message e))) (error \"msg\"))", '"msg"'),
]

ERRORS = [
    ("(read-char 5)", "error: read-char: not a port: 5"),
    ("(read-char (open-output-string))", "error: read-char: not an input port: #<port>"),
    ("(read-u8 (open-input-string \"\"))", "error: read-u8: not a binary port: #<port>"),
    ("(write-u8 256 (open-output-bytevector))", "error: write-u8: not a byte: 256"),
    ("(let ((p (open-input-string \"x\"))) (close-port p) (read-char p))",
     "t.scm:2:53: error: read-char: port is closed: #<port>"),
    ("(write-char \"a\")", 'error: write-char: not a character: "a"'),
    ("(read-string -1 (open-input-string \"\"))", "error: read-string: not a non-negative exact integer: -1"),
    ("(get-output-string (open-output-bytevector))", "error: get-output-string: not a string output port: #<port>"),
    ("(raise 'boom)", "error: uncaught exception: boom"),
    ("(error \"failed\" \"str\" 2)", 'error: failed: "str" 2'),
    ("(error-object-message 5)", "error: error-object-message: not an error object: 5"),
    ("(with-exception-handler (lambda (e) 0) (lambda () (raise 'again)))",
     "error: handler returned from non-continuable raise: again"),
]


def test_values():
    check_values(VALUES, PRELUDE)


def test_errors():
    check_errors(ERRORS)
