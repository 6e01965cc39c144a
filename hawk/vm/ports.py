"""Port objects: the Python side of Scheme's textual and binary I/O.

Why: Scheme ports are heap handles (hawk.vm.data.Data.foreign_object) to
these objects, so the I/O primitives (hawk.vm.prims.io) stay thin. Output
is buffered in a list of chunks and written on `flush` (at exit, at an
error, before an interactive read, or at a newline when the stream is a
terminal), because writing to a Python stream per `display` is slow. Input
keeps a text buffer plus a position: `read-char` and friends index into it,
and `read` hands the unread text to hawk.frontend.reader.Reader, which
needs a string to parse.

A non-interactive stream is read in large chunks, and completely before the
first `read` of a datum (a datum may span any number of chunks). A terminal
is read a line at a time; `read` asks for more lines while the text so far
ends inside an unfinished datum.

Binary ports keep bytes the same way (a bytes buffer plus a position for
input, a bytearray for output); a bytevector port is one without a stream.
"""
from __future__ import annotations

from hawk.errors import ReadError
from hawk.frontend.datum import EOF
from hawk.frontend.reader import Reader

CHUNK = 1 << 16            # characters read from a non-interactive stream at once
MAX_PENDING_CHUNKS = 512   # an output buffer this long is written out


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def stream_ready(stream) -> bool:
    """Can `stream` be read without blocking? An in-memory stream (no file
    descriptor) and a regular file always can; a terminal or a pipe when
    select() on its descriptor says so. Input Python already buffered is
    not seen, so this may answer False although a read would not block
    (never the reverse, which is what char-ready? must guarantee)."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return True
    import select
    try:
        return bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError):
        return True


class Port:
    """Base class: direction and kind flags and the open/closed state."""
    kind_name = "port"       # how the printer shows the handle
    is_input = False
    is_output = False
    is_binary = False
    owns_stream = False      # a file the port opened (and closes)

    def __init__(self, name: str):
        self.name = name
        self.open = True

    def close(self) -> None:
        self.open = False

    def finalize(self) -> None:
        """The handle died: close (and so flush) a file the program left
        open. A port over the process's streams stays as it is."""
        if self.owns_stream:
            self.close()


class TextInputPort(Port):
    """Textual input from a string (`stream` None) or a Python text stream.

    `text[pos:]` is the unread input already in memory. `flush_first` lists
    output ports flushed before waiting on a terminal (so prompts appear)."""
    is_input = True

    def __init__(self, text: str = "", stream=None, name: str = "<string>",
                 flush_first=(), owns_stream: bool = False):
        super().__init__(name)
        self.text = text
        self.pos = 0
        self.stream = stream
        self.exhausted = stream is None
        self.tty = _isatty(stream)
        self.flush_first = tuple(flush_first)
        self.owns_stream = owns_stream
        self._reader = None        # (Reader, index of its text in self.text, self.text)

    # -- filling the buffer --------------------------------------------------------
    def _fill(self) -> bool:
        """Append more of the stream to the buffer; False at end of input."""
        if self.exhausted:
            return False
        if self.tty:
            for port in self.flush_first:
                port.flush()
            chunk = self.stream.readline()
        else:
            chunk = self.stream.read(CHUNK)
        if not chunk:
            self.exhausted = True
            return False
        self.text = self.text[self.pos:] + chunk
        self.pos = 0
        return True

    def _fill_all(self) -> None:
        if not self.exhausted:
            self.text = self.text[self.pos:] + self.stream.read()
            self.pos = 0
            self.exhausted = True

    # -- the reading operations (None means end of file) -----------------------------
    def read_char(self) -> str | None:
        if self.pos >= len(self.text) and not self._fill():
            return None
        self.pos += 1
        return self.text[self.pos - 1]

    def peek_char(self) -> str | None:
        if self.pos >= len(self.text) and not self._fill():
            return None
        return self.text[self.pos]

    def read_line(self) -> str | None:
        while True:
            end = self.text.find("\n", self.pos)
            if end >= 0:
                line = self.text[self.pos:end]
                self.pos = end + 1
                return line
            if not self._fill():
                break
        if self.pos >= len(self.text):
            return None
        line = self.text[self.pos:]
        self.pos = len(self.text)
        return line

    def read_string(self, k: int) -> str | None:
        while len(self.text) - self.pos < k and self._fill():
            pass
        if self.pos >= len(self.text):
            return None
        s = self.text[self.pos:self.pos + k]
        self.pos += len(s)
        return s

    def char_ready(self) -> bool:
        return self.pos < len(self.text) or self.exhausted or stream_ready(self.stream)

    def read_datum(self):
        """The next datum (hawk.frontend.datum), EOF at the end; raises
        ReadError on malformed text."""
        if not self.tty:
            self._fill_all()
        while True:
            reader, base = self._reader_here()
            try:
                datum = reader.read()
            except ReadError as e:
                self._reader = None
                if _incomplete(e) and self._fill():
                    continue
                raise
            if datum is EOF and self._fill():
                continue
            self.pos = base + reader.offset
            return datum

    def _reader_here(self):
        """A Reader positioned at `pos`, reusing the previous one when
        nothing else consumed input since (so repeated `read`s of a big
        input do not copy the rest of the text each time)."""
        cached = self._reader
        if cached is not None:
            reader, base, text = cached
            if text is self.text and base + reader.offset == self.pos:
                return reader, base
        reader = Reader(self.text[self.pos:], self.name)
        self._reader = (reader, self.pos, self.text)
        return reader, self.pos

    def close(self) -> None:
        super().close()
        if self.owns_stream:
            self.stream.close()


def _incomplete(error: ReadError) -> bool:
    """Does the error only say that the input ended inside a datum?"""
    return error.message.startswith(("unterminated", "missing datum after"))


class TextOutputPort(Port):
    """Textual output to a Python text stream, buffered (see module doc)."""
    is_output = True

    def __init__(self, stream, name: str, owns_stream: bool = False):
        super().__init__(name)
        self.stream = stream
        self.tty = _isatty(stream)
        self.owns_stream = owns_stream
        self.chunks: list[str] = []

    def write(self, text: str) -> None:
        self.chunks.append(text)
        if self.tty and "\n" in text:
            self.flush()
        elif len(self.chunks) >= MAX_PENDING_CHUNKS:
            self._drain()

    def _drain(self) -> None:
        if self.chunks:
            text = "".join(self.chunks)
            self.chunks.clear()
            self.stream.write(text)

    def flush(self) -> None:
        self._drain()
        self.stream.flush()

    def close(self) -> None:
        if self.open:
            self.flush()
            if self.owns_stream:
                self.stream.close()
        super().close()


class StringOutputPort(TextOutputPort):
    """`open-output-string`: accumulates text for `get-output-string`."""

    def __init__(self):
        super().__init__(None, "<string>")

    def write(self, text: str) -> None:
        self.chunks.append(text)

    def flush(self) -> None:
        pass

    def getvalue(self) -> str:
        text = "".join(self.chunks)
        self.chunks[:] = [text]
        return text


class BinaryInputPort(Port):
    """Binary input from a bytevector (`stream` None) or a Python binary
    stream, read in chunks of CHUNK bytes."""
    is_input = True
    is_binary = True

    def __init__(self, data: bytes = b"", stream=None, name: str = "<bytevector>"):
        super().__init__(name)
        self.data = bytes(data)
        self.pos = 0
        self.stream = stream
        self.owns_stream = stream is not None

    def _available(self, k: int) -> int:
        """Make up to `k` unread bytes available; how many there are."""
        while len(self.data) - self.pos < k and self.stream is not None:
            # read1: what one read of the file gives, so a pipe does not
            # wait for a whole chunk to arrive
            chunk = self.stream.read1(max(CHUNK, k))
            if not chunk:
                break
            self.data = self.data[self.pos:] + chunk
            self.pos = 0
        return min(k, len(self.data) - self.pos)

    def u8_ready(self) -> bool:
        return self.pos < len(self.data) or self.stream is None or stream_ready(self.stream)

    def peek_u8(self) -> int | None:
        return self.data[self.pos] if self._available(1) else None

    def read_u8(self) -> int | None:
        if not self._available(1):
            return None
        self.pos += 1
        return self.data[self.pos - 1]

    def read_bytes(self, k: int) -> bytes | None:
        """Up to `k` bytes; None at end of input (and k > 0)."""
        n = self._available(k)
        if n == 0 and k > 0:
            return None
        self.pos += n
        return self.data[self.pos - n:self.pos]

    def close(self) -> None:
        if self.open and self.stream is not None:
            self.stream.close()
        super().close()


class BinaryOutputPort(Port):
    """Binary output to a Python binary stream (None: a bytevector port),
    buffered in a bytearray."""
    is_output = True
    is_binary = True

    def __init__(self, stream=None, name: str = "<bytevector>"):
        super().__init__(name)
        self.stream = stream
        self.owns_stream = stream is not None
        self.buffer = bytearray()

    def write(self, data: bytes) -> None:
        self.buffer += data
        if self.stream is not None and len(self.buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.stream is not None:
            self.stream.write(self.buffer)
            self.buffer.clear()
            self.stream.flush()

    def getvalue(self) -> bytes:
        return bytes(self.buffer)

    def close(self) -> None:
        if self.open and self.stream is not None:
            self.flush()
            self.stream.close()
        super().close()


def open_input_file(path: str) -> TextInputPort:
    """Raises OSError (the primitive turns it into a file error)."""
    return TextInputPort(stream=open(path, encoding="utf-8"), name=path, owns_stream=True)


def open_output_file(path: str) -> TextOutputPort:
    return TextOutputPort(open(path, "w", encoding="utf-8"), path, owns_stream=True)


def open_binary_input_file(path: str) -> BinaryInputPort:
    return BinaryInputPort(stream=open(path, "rb"), name=path)


def open_binary_output_file(path: str) -> BinaryOutputPort:
    return BinaryOutputPort(open(path, "wb"), path)


def standard_ports(stdin, stdout, stderr):
    """(input, output, error) ports over the process's streams; reading an
    interactive stdin first flushes the other two."""
    out = TextOutputPort(stdout, "<stdout>")
    err = TextOutputPort(stderr, "<stderr>")
    return TextInputPort(stream=stdin, name="<stdin>", flush_first=(out, err)), out, err
