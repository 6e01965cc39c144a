"""R7RS ports: binary and bytevector ports, binary files, the procedures
that own a port (call-with-port, with-output-to-file...), and the current
ports as parameter objects that `parameterize` redirects."""
from __future__ import annotations

import pytest

from conftest import run_scheme


def out(program: str, **kwargs) -> str:
    result = run_scheme(program, **kwargs)
    assert result.status == 0, result.err
    return result.out


def error(program: str) -> str:
    result = run_scheme(program)
    assert result.status == 1
    assert result.err.startswith("<test>:")        # located in the program
    return result.err


def test_parameterize_redirects_display_write_and_newline():
    assert out("""
      (define p (open-output-string))
      (parameterize ((current-output-port p))
        (display "a") (write "b") (newline) (write-char #\\c) (write-string "d"))
      (write (get-output-string p))""") == '"a\\"b\\"\\ncd"'


def test_parameterize_restores_the_port_on_exit_and_escape():
    assert out("""
      (define p (open-output-string))
      (call/cc (lambda (k) (parameterize ((current-output-port p)) (display 1) (k 0))))
      (display 2)
      (write (get-output-string p))""") == '2"1"'


def test_current_ports_are_parameters_and_ports():
    assert out("""
      (write (list (output-port? (current-output-port)) (input-port? (current-input-port))
                   (output-port? (current-error-port)) (textual-port? (current-output-port))))
      (define p (open-input-string "xyz"))
      (write (parameterize ((current-input-port p)) (list (read-char) (peek-char) (read-line))))""") \
        == '(#t #t #t #t)(#\\x #\\y "yz")'


def test_parameterize_error_port_and_reading_from_stdin():
    assert out("""
      (define e (open-output-string))
      (parameterize ((current-error-port e)) (display "oops" (current-error-port)))
      (write (list (get-output-string e) (read-line)))""", stdin="line\n") == '("oops" "line")'


@pytest.mark.parametrize("program, message", [
    ("(parameterize ((current-output-port 5)) 1)", "current-output-port: not an output port"),
    ("(parameterize ((current-input-port (open-output-string))) 1)",
     "current-input-port: not an input port"),
    ("(parameterize ((current-output-port (open-output-bytevector))) (display 1))",
     "display: not a textual port"),
    ("(define p (open-output-string)) (close-port p) "
     "(parameterize ((current-output-port p)) (display 1))", "display: port is closed"),
])
def test_current_port_errors(program, message):
    assert message in error(program)


def test_bytevector_ports():
    assert out("""
      (define o (open-output-bytevector))
      (write-u8 1 o) (write-bytevector #u8(2 3 4 5) o 1 3) (write-bytevector #u8() o)
      (write (get-output-bytevector o))
      (define i (open-input-bytevector #u8(9 8 7 6 5)))
      (write (list (peek-u8 i) (read-u8 i) (read-bytevector 2 i) (u8-ready? i)
                   (binary-port? i) (textual-port? i) (input-port? i)))
      (define buf (make-bytevector 4 0))
      (write (list (read-bytevector! buf i 1) buf (read-u8 i) (peek-u8 i)
                   (read-bytevector 3 i) (read-bytevector! buf i)))""") \
        == "#u8(1 3 4)(9 9 #u8(8 7) #t #t #f #t)(2 #u8(0 6 5 0) #<eof> #<eof> #<eof> #<eof>)"


def test_read_bytevector_zero_and_short_reads():
    assert out("""
      (define i (open-input-bytevector #u8(1 2 3)))
      (write (list (read-bytevector 0 i) (read-bytevector 10 i) (read-bytevector 1 i)))""") \
        == "(#u8() #u8(1 2 3) #<eof>)"


@pytest.mark.parametrize("program, message", [
    ("(write-u8 256 (open-output-bytevector))", "write-u8: not a byte"),
    ("(write-u8 1)", "write-u8: not a binary port"),
    ("(read-u8 (open-input-string \"a\"))", "read-u8: not a binary port"),
    ("(read-char (open-input-bytevector #u8(1)))", "read-char: not a textual port"),
    ("(read-bytevector -1 (open-input-bytevector #u8(1)))", "read-bytevector: not a non-negative"),
    ("(read-bytevector! (make-bytevector 2) (open-input-bytevector #u8(1)) 0 3)",
     "read-bytevector!: bad range"),
    ("(read-bytevector! \"x\" (open-input-bytevector #u8(1)))", "read-bytevector!: not a bytevector"),
    ("(write-bytevector #u8(1) (open-output-bytevector) 2)", "write-bytevector: bad range"),
    ("(get-output-bytevector (open-output-string))", "get-output-bytevector: not a bytevector"),
    ("(open-input-bytevector \"abc\")", "open-input-bytevector: not a bytevector"),
    ("(peek-u8 5)", "peek-u8: not a port"),
])
def test_binary_port_errors(program, message):
    assert message in error(program)


def test_binary_files(tmp_path):
    path = str(tmp_path / "b.bin")
    assert out(f"""
      (define o (open-binary-output-file "{path}"))
      (write-bytevector (bytevector 0 255 10 13) o) (write-u8 7 o) (close-port o)
      (define i (open-binary-input-file "{path}"))
      (write (list (binary-port? i) (read-bytevector 100 i) (read-u8 i)))
      (close-input-port i)""") == "(#t #u8(0 255 10 13 7) #<eof>)"
    assert (tmp_path / "b.bin").read_bytes() == bytes([0, 255, 10, 13, 7])


def test_file_procedures_taking_procedures(tmp_path):
    path = str(tmp_path / "t.txt")
    assert out(f"""
      (write (with-output-to-file "{path}" (lambda () (display "one two") (newline) 'done)))
      (write (call-with-input-file "{path}" read))
      (write (with-input-from-file "{path}" (lambda () (read) (read))))
      (call-with-output-file "{path}" (lambda (p) (write '(a "b") p)))
      (write (call-with-input-file "{path}" read-line))
      (define p (open-input-string "q"))
      (write (list (call-with-port p read-char) (input-port-open? p)))""") \
        == 'doneonetwo"(a \\"b\\")"(#\\q #f)'


def test_with_output_to_file_restores_the_port_after_an_error(tmp_path):
    path = str(tmp_path / "e.txt")
    assert out(f"""
      (guard (e (#t (display "caught")))
        (with-output-to-file "{path}" (lambda () (display "in file") (raise 'x))))
      (display " after")""") == "caught after"


@pytest.mark.parametrize("program, message", [
    ("(call-with-port 5 (lambda (p) p))", "call-with-port: not a port"),
    ('(call-with-input-file "/nonexistent/x" read)', "open-input-file:"),
    ('(with-output-to-file "/nonexistent/x" (lambda () 1))', "open-output-file:"),
    ('(open-binary-input-file "/nonexistent/x")', "open-binary-input-file:"),
])
def test_file_procedure_errors(program, message):
    assert message in error(program)


def test_read_string_and_char_ready():
    assert out("""
      (define p (open-input-string "abcdef"))
      (write (list (char-ready? p) (read-string 4 p) (read-string 4 p) (read-string 4 p)
                   (read-string 0 (open-input-string "x"))))""") == '(#t "abcd" "ef" #<eof> "")'


def test_hash_table_and_port_handles_print_their_kind():
    assert out("(display (list (open-input-string \"\") (make-hash-table)))") == \
        "(#<port> #<hash-table>)"


def test_output_file_never_closed_is_flushed_at_exit(tmp_path):
    from conftest import run_scheme
    path = tmp_path / "out.txt"
    for ending in ("", "(exit 3)", "(car '())"):
        text = f'(define p (open-output-file "{path}")) (write-string "kept" p) {ending}'
        run_scheme(text)
        assert path.read_text() == "kept"


def test_char_ready_and_u8_ready_on_a_pipe_say_whether_data_waits():
    """Before anything is written to the pipe neither is ready; after, both
    are (the textual one on standard input, the binary one opened by name)."""
    import io
    import os
    from hawk.driver import make_vm, run_source
    text_r, text_w = os.pipe()
    bin_r, bin_w = os.pipe()
    stdin = os.fdopen(text_r, encoding="utf-8")
    out = io.StringIO()
    vm = make_vm(stdin=stdin, stdout=out)
    try:
        run_source(vm, f"""
          (define b (open-binary-input-file "/dev/fd/{bin_r}"))
          (define (check) (write (list (char-ready?) (u8-ready? b))))""", "<test>")
        run_source(vm, "(check)", "<test>")
        os.write(text_w, b"x")
        os.write(bin_w, b"\x07")
        run_source(vm, "(check) (write (list (read-u8 b)))", "<test>")
    finally:
        for fd in (text_w, bin_w, bin_r):
            os.close(fd)
        stdin.close()
    vm.flush()
    assert out.getvalue() == "(#f #f)(#t #t)(7)"
