"""Input and output primitives (R7RS 6.13) over hawk.vm.ports.

Why this shape: a port is a foreign handle (Data.foreign_object) to a Port
object, and every procedure resolves its optional port argument the same
way (absent: the current port of that direction), so the primitives are
one line of checking plus one call into the port. None of them is
integrable: I/O dominates their cost, and PRIM operand slots are scarce.

The current ports are R7RS parameters: the prelude builds
current-input-port, current-output-port and current-error-port around
three pairs (`%current-port-cell`) whose cars hold the current ports, so
`parameterize` swaps a car and these primitives read the same car (two
word loads), with no call back into Scheme. The pairs are created on first
use and are GC roots (a list in vm.heap.root_lists).
"""
from __future__ import annotations

import os

from hawk.errors import ReadError, SchemeError
from hawk.vm import ports
from hawk.vm import printer
from hawk.vm import values as V
from hawk.vm.objects import T
from hawk.vm.primspec import primitive
from hawk.vm.prims.common import check_char, check_object, natural, span, string_value


def _io(name, nmin, nmax=-1):
    return primitive(name, nmin, nmax, integrable=False)


def _port_object(vm, name, w):
    if vm.data.type_of(w) == T.FOREIGN:
        port = vm.data.foreign_value(w)
        if isinstance(port, ports.Port):
            return port
    raise SchemeError(f"{name}: not a port", [w])


# the standard ports the current-port cells start with, by cell index
_STANDARD_PORTS = ("cur_in", "cur_out", "cur_err")
INPUT, OUTPUT, ERROR = range(3)


def current_cells(vm) -> list[int]:
    """The pairs whose cars are the current input, output and error ports."""
    cells = vm.__dict__.get("port_cells")
    if cells is None:
        d = vm.data
        cells = vm.port_cells = [d.cons(d.foreign_object(getattr(vm, attribute)), V.NIL)
                                 for attribute in _STANDARD_PORTS]
        vm.heap.root_lists.append(cells)
    return cells


def _port(vm, name, w, output: bool, binary: bool | None = False):
    """The open port of the wanted direction and kind (binary None:
    either) that argument `w` denotes (None: the current one)."""
    if w is None:
        w = vm.W[(current_cells(vm)[OUTPUT if output else INPUT] >> 3) + 1]
    port = _port_object(vm, name, w)
    if not (port.is_output if output else port.is_input):
        raise SchemeError(f"{name}: not an {'output' if output else 'input'} port", [w])
    if binary is not None and port.is_binary != binary:
        raise SchemeError(f"{name}: not a {'binary' if binary else 'textual'} port", [w])
    if not port.open:
        raise SchemeError(f"{name}: port is closed", [w])
    return port


def _file_error(name, error: OSError, path_word):
    return SchemeError(f"{name}: {error.strerror or error}", [path_word], kind="file-error")


# ---- output ---------------------------------------------------------------------------

_PRINTERS = [("write", printer.write_word), ("display", printer.display_word),
             ("write-shared", printer.write_shared_word),
             ("write-simple", printer.write_simple_word)]


def _make_printer(name, to_text):
    def print_(vm, w, port=None):
        _port(vm, name, port, True).write(to_text(vm, w))
        return V.UNSPECIFIED
    return print_


for _name, _to_text in _PRINTERS:
    _io(_name, 1, 2)(_make_printer(_name, _to_text))


@_io("newline", 0, 1)
def newline(vm, port=None):
    _port(vm, "newline", port, True).write("\n")
    return V.UNSPECIFIED


@_io("write-char", 1, 2)
def write_char(vm, c, port=None):
    _port(vm, "write-char", port, True).write(chr(check_char("write-char", c)))
    return V.UNSPECIFIED


@_io("write-string", 1, 4)
def write_string(vm, s, port=None, start=None, end=None):
    text = string_value(vm, "write-string", s)
    a, b = span("write-string", len(text), start, end)
    _port(vm, "write-string", port, True).write(text[a:b])
    return V.UNSPECIFIED


@_io("flush-output-port", 0, 1)
def flush_output_port(vm, port=None):
    _port(vm, "flush-output-port", port, True, None).flush()
    return V.UNSPECIFIED


# ---- input ------------------------------------------------------------------------------

def _char_or_eof(c):
    return V.EOF if c is None else V.char(ord(c))


@_io("read-char", 0, 1)
def read_char(vm, port=None):
    return _char_or_eof(_port(vm, "read-char", port, False).read_char())


@_io("peek-char", 0, 1)
def peek_char(vm, port=None):
    return _char_or_eof(_port(vm, "peek-char", port, False).peek_char())


@_io("read-line", 0, 1)
def read_line(vm, port=None):
    line = _port(vm, "read-line", port, False).read_line()
    return V.EOF if line is None else vm.data.string(line)


@_io("read-string", 1, 2)
def read_string(vm, k, port=None):
    text = _port(vm, "read-string", port, False).read_string(natural("read-string", k))
    return V.EOF if text is None else vm.data.string(text)


@_io("char-ready?", 0, 1)
def char_ready(vm, port=None):
    return V.boolean(_port(vm, "char-ready?", port, False).char_ready())


@_io("read", 0, 1)
def read(vm, port=None):
    try:
        datum = _port(vm, "read", port, False).read_datum()
    except ReadError as e:
        raise SchemeError(f"read: {e.message} ({e.loc})",
                          [vm.data.to_word(x) for x in e.irritants], kind="read-error") from None
    return vm.data.to_word(datum)


@_io("eof-object", 0)
def eof_object(vm):
    return V.EOF


@_io("eof-object?", 1)
def eof_object_p(vm, w):
    return V.boolean(w == V.EOF)


# ---- ports ---------------------------------------------------------------------------------

@_io("%current-port-cell", 1)
def current_port_cell(vm, k):
    """The cell of a current-port parameter (0 input, 1 output, 2 error)."""
    return current_cells(vm)[k >> 3]


def _make_current(k):
    # the prelude rebinds these names to parameters over the same cells
    def current(vm):
        return vm.W[(current_cells(vm)[k] >> 3) + 1]
    return current


for _k, _name in enumerate(("current-input-port", "current-output-port", "current-error-port")):
    _io(_name, 0)(_make_current(_k))


# name, test on the port object, and whether the argument must be a port
# (R7RS: the type predicates take any object, the -open? tests a port)
_PORT_TESTS = [
    ("port?", lambda p: True, False),
    ("input-port?", lambda p: p.is_input, False),
    ("output-port?", lambda p: p.is_output, False),
    ("textual-port?", lambda p: not p.is_binary, False),
    ("binary-port?", lambda p: p.is_binary, False),
    ("input-port-open?", lambda p: p.is_input and p.open, True),
    ("output-port-open?", lambda p: p.is_output and p.open, True),
]


def _make_port_test(name, test, port_only):
    def port_test(vm, w):
        port = vm.data.foreign_value(w) if vm.data.type_of(w) == T.FOREIGN else None
        if not isinstance(port, ports.Port):
            if port_only:
                raise SchemeError(f"{name}: not a port", [w])
            return V.FALSE
        return V.boolean(test(port))
    return port_test


for _name, _test, _port_only in _PORT_TESTS:
    _io(_name, 1)(_make_port_test(_name, _test, _port_only))


# name, direction the port must have (None: either)
_CLOSERS = [("close-port", None), ("close-input-port", "is_input"),
            ("close-output-port", "is_output")]


def _make_closer(name, direction):
    def close(vm, w):
        port = _port_object(vm, name, w)
        if direction is not None and not getattr(port, direction):
            raise SchemeError(f"{name}: wrong kind of port", [w])
        port.close()
        return V.UNSPECIFIED
    return close


for _name, _direction in _CLOSERS:
    _io(_name, 1)(_make_closer(_name, _direction))


@_io("open-input-string", 1)
def open_input_string(vm, s):
    return vm.data.foreign_object(ports.TextInputPort(string_value(vm, "open-input-string", s)))


@_io("open-output-string", 0)
def open_output_string(vm):
    return vm.data.foreign_object(ports.StringOutputPort())


@_io("get-output-string", 1)
def get_output_string(vm, w):
    port = _port_object(vm, "get-output-string", w)
    if not isinstance(port, ports.StringOutputPort):
        raise SchemeError("get-output-string: not a string output port", [w])
    return vm.data.string(port.getvalue())


# ---- binary ports ---------------------------------------------------------------------------

def _byte_or_eof(b):
    return V.EOF if b is None else V.fixnum(b)


_BYTE_READERS = [("read-u8", ports.BinaryInputPort.read_u8),
                 ("peek-u8", ports.BinaryInputPort.peek_u8)]


def _make_byte_reader(name, method):
    def read_byte(vm, port=None):
        return _byte_or_eof(method(_port(vm, name, port, False, True)))
    return read_byte


for _name, _method in _BYTE_READERS:
    _io(_name, 0, 1)(_make_byte_reader(_name, _method))


@_io("u8-ready?", 0, 1)
def u8_ready(vm, port=None):
    return V.boolean(_port(vm, "u8-ready?", port, False, True).u8_ready())


@_io("read-bytevector", 1, 2)
def read_bytevector(vm, k, port=None):
    data = _port(vm, "read-bytevector", port, False, True).read_bytes(natural("read-bytevector", k))
    return V.EOF if data is None else vm.data.bytevector(data)


@_io("read-bytevector!", 1, 4)
def read_bytevector_into(vm, bv, port=None, start=None, end=None):
    check_object(vm, "read-bytevector!", bv, T.BYTEVECTOR)
    d = vm.data
    a, b = span("read-bytevector!", d.field(bv, 0) >> 3, start, end)   # field 0: length
    data = _port(vm, "read-bytevector!", port, False, True).read_bytes(b - a)
    if data is None:
        return V.EOF
    i = d.bytevector_index(bv) + a
    vm.mem.U8[i:i + len(data)] = data
    return V.fixnum(len(data))


@_io("write-u8", 1, 2)
def write_u8(vm, byte, port=None):
    if (byte & 7) != 0 or not 0 <= byte >> 3 <= 255:
        raise SchemeError("write-u8: not a byte", [byte])
    _port(vm, "write-u8", port, True, True).write(bytes((byte >> 3,)))
    return V.UNSPECIFIED


@_io("write-bytevector", 1, 4)
def write_bytevector(vm, bv, port=None, start=None, end=None):
    data = vm.data.bytevector_value(check_object(vm, "write-bytevector", bv, T.BYTEVECTOR))
    a, b = span("write-bytevector", len(data), start, end)
    _port(vm, "write-bytevector", port, True, True).write(data[a:b])
    return V.UNSPECIFIED


@_io("open-input-bytevector", 1)
def open_input_bytevector(vm, bv):
    data = vm.data.bytevector_value(check_object(vm, "open-input-bytevector", bv, T.BYTEVECTOR))
    return vm.data.foreign_object(ports.BinaryInputPort(data))


@_io("open-output-bytevector", 0)
def open_output_bytevector(vm):
    return vm.data.foreign_object(ports.BinaryOutputPort())


@_io("get-output-bytevector", 1)
def get_output_bytevector(vm, w):
    port = _port_object(vm, "get-output-bytevector", w)
    if not isinstance(port, ports.BinaryOutputPort) or port.stream is not None:
        raise SchemeError("get-output-bytevector: not a bytevector output port", [w])
    return vm.data.bytevector(port.getvalue())


# ---- files ------------------------------------------------------------------------------------

_FILE_OPENERS = [("open-input-file", ports.open_input_file),
                 ("open-output-file", ports.open_output_file),
                 ("open-binary-input-file", ports.open_binary_input_file),
                 ("open-binary-output-file", ports.open_binary_output_file)]


def _make_file_opener(name, opener):
    def open_file(vm, path):
        try:
            return vm.data.foreign_object(opener(string_value(vm, name, path)))
        except OSError as e:
            raise _file_error(name, e, path) from None
    return open_file


for _name, _opener in _FILE_OPENERS:
    _io(_name, 1)(_make_file_opener(_name, _opener))


@_io("file-exists?", 1)
def file_exists(vm, path):
    return V.boolean(os.path.exists(string_value(vm, "file-exists?", path)))


@_io("delete-file", 1)
def delete_file(vm, path):
    try:
        os.remove(string_value(vm, "delete-file", path))
    except OSError as e:
        raise _file_error("delete-file", e, path) from None
    return V.UNSPECIFIED
