"""The R7RS reader: source text -> hawk.frontend.datum values.

Why it is written this way: the reader must attach a SourceLoc to every list
it builds, report malformed input as a ReadError at the exact line:column,
and cope with very long or very deeply nested input (the runtime's `read`
uses it for benchmark data).  So it is a hand-written scanner over the string
with an index (compiled regexes only for runs of characters and for number
syntax) feeding a parser that keeps its own stack of open forms instead of
recursing in Python.

Extensions beyond R7RS:
  * `[ ]` work as parentheses; each closes only its own kind.
  * `#!eof`, `#!default` and `#!unspecific` read as EOF, DEFAULT and
    UNSPECIFIED (so `read` returns EOF for `#!eof` as if input had ended).
  * A token that looks numeric but is not a number (`1+`, `->x`, `...`) is a
    symbol.  `|` delimits tokens, as R7RS says: `a|b|` is `a` then `b`.
  * hawk has no exact complex numbers: `1+2i` reads as a Python complex,
    `1+0i` as the exact integer 1, and `#e1+2i` is an error.

Every pair of a list's spine gets the SourceLoc of its opening parenthesis;
both pairs of the `(quote x)` made from `'x` get that of the quote mark.

Datum labels (`#n=` / `#n#`) are scoped to one top-level datum.  A reference
to a label whose datum is still being read yields a placeholder that is
replaced once that datum is complete, which is how cycles are built.
"""
from __future__ import annotations

import bisect
import cmath
import functools
import re
from fractions import Fraction

from hawk.errors import ReadError
from hawk.frontend.datum import (DEFAULT, EOF, NIL, UNSPECIFIED, Char, MString,
                                 Pair, SourceLoc, Symbol, Vector)

__all__ = ["Reader", "read_all", "parse_number", "CHAR_NAMES"]

# --- character classes -------------------------------------------------------

_SPACE = re.compile(r"\s*")
_TOKEN = re.compile(r'[^\s()\[\]";|]*')          # everything up to a delimiter
# The common case in one match: whitespace, then a parenthesis (group 1) or
# a token that is a number, symbol or `.` (group 2).
_SIMPLE_TOKEN = re.compile(r"""\s*(?:([()\[\]])|([^\s()\[\]";|#'`,][^\s()\[\]";|]*))""")
_LINE_REST = re.compile(r"[^\n\r]*")
_LINE_BREAK = re.compile(r"\r\n?|\n")
_BLOCK_MARK = re.compile(r"#\||\|#")
_DATUM_LABEL = re.compile(r"#([0-9]+)([=#])")
_HEX_SCALAR = re.compile(r"([0-9a-fA-F]+);")
_HEX_DIGITS = re.compile(r"[0-9a-fA-F]+")
_CONTINUATION = re.compile(r"[ \t]*(?:\r\n?|\n)[ \t]*")
_STRING_STOP = {'"': re.compile(r'["\\]'), "|": re.compile(r"[|\\]")}

_MNEMONIC_ESCAPES = {"a": "\a", "b": "\b", "t": "\t", "n": "\n", "r": "\r",
                     '"': '"', "\\": "\\", "|": "|"}

# The R7RS character names (the printer uses them too).
CHAR_NAMES = {"alarm": 0x07, "backspace": 0x08, "delete": 0x7F, "escape": 0x1B,
              "newline": 0x0A, "null": 0x00, "return": 0x0D, "space": 0x20,
              "tab": 0x09}

_BOOLEANS = {"#t": True, "#f": False, "#true": True, "#false": False}
_DIRECTIVE_DATA = {"#!eof": EOF, "#!default": DEFAULT, "#!unspecific": UNSPECIFIED}
_QUOTE_SYMBOLS = {"'": Symbol.intern("quote"), "`": Symbol.intern("quasiquote"),
                  ",": Symbol.intern("unquote"), ",@": Symbol.intern("unquote-splicing")}
_NUMBER_START = frozenset("0123456789+-.")


def _is_scalar(code: int) -> bool:
    """True for a Unicode scalar value (what a Scheme character can hold)."""
    return 0 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF


# --- numbers -------------------------------------------------------------------

class _BadNumber(Exception):
    """Number syntax that matched but denotes no number hawk can represent."""


def _number_pattern(digit: str, decimal: bool) -> re.Pattern:
    """The R7RS <complex R> grammar for one radix (text already lower-cased)."""
    uint = f"[{digit}]+"
    if decimal:
        ureal = rf"(?:{uint}/{uint}|(?:{uint}(?:\.[0-9]*)?|\.[0-9]+)(?:e[+-]?[0-9]+)?)"
    else:
        ureal = f"(?:{uint}(?:/{uint})?)"
    infnan = r"(?:inf|nan)\.0"
    real = rf"(?:[+-]?{ureal}|[+-]{infnan})"
    imag = rf"[+-](?:{ureal}|{infnan})?"
    return re.compile(rf"(?P<re>{real})(?:@(?P<angle>{real})|(?P<im>{imag})i)?"
                      rf"|(?P<pure>{imag})i")


_RADIX_DIGITS = {2: ("01", False), 8: ("0-7", False), 10: ("0-9", True), 16: ("0-9a-f", False)}


@functools.cache
def _number_re(radix: int) -> re.Pattern:
    """The number pattern of a radix, compiled at its first use: the four
    cost ~2.5 ms of every start-up, and most programs use one."""
    return _number_pattern(*_RADIX_DIGITS[radix])

_RADIX_PREFIX = {"b": 2, "o": 8, "d": 10, "x": 16}

# Python refuses to convert decimal strings longer than this in one go
# (sys.int_max_str_digits); longer ones are converted piecewise.
_DIGIT_CHUNK = 4000
_MAX_EXPONENT = 100_000


def _decimal_int(text: str) -> int:
    """int(text) for an optionally signed decimal string of any length."""
    if len(text) <= _DIGIT_CHUNK:
        return int(text)
    if text[0] in "+-":
        magnitude = _decimal_int(text[1:])
        return -magnitude if text[0] == "-" else magnitude
    low = len(text) // 2
    return _decimal_int(text[:-low]) * 10 ** low + _decimal_int(text[-low:])


def _to_int(text: str, radix: int) -> int:
    return _decimal_int(text) if radix == 10 else int(text, radix)


def _to_float(x) -> float:
    """Inexact version of an exact number; too large becomes an infinity."""
    try:
        return float(x)
    except OverflowError:
        return float("inf") if x > 0 else float("-inf")


def _exact(x: Fraction):
    """Normalise: a Fraction with denominator 1 is an int."""
    return x.numerator if x.denominator == 1 else x


def _exact_decimal(text: str):
    """The exact value of decimal notation such as -1.25e3."""
    mantissa, _, exponent = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = _decimal_int(whole.lstrip("+-") + fraction)
    scale = int(exponent or 0) - len(fraction)
    if abs(scale) > _MAX_EXPONENT:
        raise _BadNumber("exponent too large for an exact number")
    if mantissa.startswith("-"):
        digits = -digits
    if scale >= 0:
        return digits * 10 ** scale
    return _exact(Fraction(digits, 10 ** -scale))


def _real(text: str, radix: int, exactness: str | None):
    """The value of one <real R> (already validated by the pattern)."""
    if text[1:] in ("inf.0", "nan.0"):
        if exactness == "e":
            raise _BadNumber("no exact number for an infinity or NaN")
        return float(text[:4])
    if "/" in text:
        numerator, denominator = text.split("/")
        den = _to_int(denominator, radix)
        if den == 0:
            raise _BadNumber("division by zero in number")
        value = _exact(Fraction(_to_int(numerator, radix), den))
    elif radix == 10 and ("." in text or "e" in text):
        if exactness != "e":
            return float(text)
        value = _exact_decimal(text)
    else:
        value = _to_int(text, radix)
    return _to_float(value) if exactness == "i" else value


def _is_exact_zero(x) -> bool:
    return x == 0 and not isinstance(x, float)


def _imaginary(text: str, radix: int, exactness: str | None):
    if text in ("+", "-"):
        return 1 if text == "+" else -1
    return _real(text, radix, exactness)


def _complex(match: re.Match, radix: int, exactness: str | None):
    """The number denoted by a full match of a _number_re pattern."""
    if match["angle"] is not None:
        magnitude = _real(match["re"], radix, exactness)
        angle = _real(match["angle"], radix, exactness)
        if _is_exact_zero(angle):
            return magnitude
        if exactness == "e":
            raise _BadNumber("exact complex numbers are not supported")
        try:
            return cmath.rect(_to_float(magnitude), _to_float(angle))
        except ValueError:
            raise _BadNumber("polar number has no value") from None
    real = 0 if match["re"] is None else _real(match["re"], radix, exactness)
    imag_text = match["im"] if match["pure"] is None else match["pure"]
    if imag_text is None:
        return real
    imag = _imaginary(imag_text, radix, exactness)
    if _is_exact_zero(imag):
        return real
    if exactness == "e":
        raise _BadNumber("exact complex numbers are not supported")
    return complex(_to_float(real), _to_float(imag))


def _parse_number(text: str, radix: int = 10):
    """The number written as `text` (lower case), None if it is not number
    syntax; raises _BadNumber for syntax that denotes no number."""
    exactness = None
    prefix_radix = None
    i = 0
    while text.startswith("#", i):
        letter = text[i + 1:i + 2]
        if letter in _RADIX_PREFIX and prefix_radix is None:
            prefix_radix = _RADIX_PREFIX[letter]
        elif letter in ("e", "i") and exactness is None:
            exactness = letter
        else:
            return None
        i += 2
    radix = prefix_radix or radix
    match = _number_re(radix).fullmatch(text, i)
    if match is None:
        return None
    return _complex(match, radix, exactness)


def parse_number(text: str, radix: int = 10):
    """R7RS `string->number`: the number `text` denotes in `radix` (a prefix
    such as #x overrides it), or None if it denotes none."""
    try:
        return _parse_number(text.lower(), radix)
    except _BadNumber:
        return None


# --- the parser's stack --------------------------------------------------------

# Token kinds produced by Reader._next_token.
_ATOM, _OPEN, _CLOSE, _DOT, _PREFIX, _END = range(6)
# Frame kinds: collections being filled, then one-datum prefixes.
_LIST, _VECTOR, _BYTES, _QUOTE, _LABEL, _SKIP = range(6)
_COLLECTION_NAMES = {_LIST: "list", _VECTOR: "vector", _BYTES: "bytevector"}

_END_OF_INPUT = object()   # Reader._read_datum: no datum left
_ABSORBED = object()       # Reader._deliver: datum went into an open frame


class _Frame:
    """A form the parser has opened and not yet finished."""
    __slots__ = ("kind", "start", "text", "tag", "items", "dot", "tail")

    def __init__(self, kind: int, start: int, text: str, tag=None):
        self.kind = kind
        self.start = start      # index of the opening text in the source
        self.text = text        # for messages: "(", "#;", "#0=", "quote", ...
        self.tag = tag          # quote symbol or label key
        self.items = []
        self.dot = 0            # 0: no dot yet, 1: dot seen, 2: tail read
        self.tail = NIL


class _Placeholder:
    """Stands for a labelled datum that is still being read.  `value` is set
    once it is read, for labels that were defined as this placeholder
    (`#0=(#1=#0#)`) and are referred to later."""
    __slots__ = ("used", "value")

    def __init__(self):
        self.used = False
        self.value = None


def _replace_placeholder(root, placeholder: _Placeholder) -> None:
    """Replace every reference to `placeholder` inside `root` by `root`."""
    seen = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Pair):
            if node.car is placeholder:
                node.car = root
            elif isinstance(node.car, (Pair, Vector)):
                stack.append(node.car)
            if node.cdr is placeholder:
                node.cdr = root
            elif isinstance(node.cdr, (Pair, Vector)):
                stack.append(node.cdr)
        else:
            for i, item in enumerate(node):
                if item is placeholder:
                    node[i] = root
                elif isinstance(item, (Pair, Vector)):
                    stack.append(item)


# --- the reader ----------------------------------------------------------------

class Reader:
    """Reads successive data from `text`; `read()` returns EOF at the end."""

    def __init__(self, text: str, file: str = "<string>", first_line: int = 1):
        """first_line: the line number of the text's first line (the REPL
        numbers lines across the whole session)."""
        self.file = file
        self.first_line = first_line
        self.fold_case = False
        self._text = text
        self._end = len(text)
        self._pos = 0
        self._labels: dict[str, object] = {}
        self._line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    # -- position ---------------------------------------------------------------

    @property
    def offset(self) -> int:
        """Index in the text of the next character to read."""
        return self._pos

    @property
    def position(self) -> tuple[int, int]:
        """(line, column) of the next character to read, both 1-based."""
        loc = self._loc(self._pos)
        return loc.line, loc.column

    def _loc(self, index: int) -> SourceLoc:
        line = bisect.bisect_right(self._line_starts, index)
        return SourceLoc(self.file, line + self.first_line - 1, index - self._line_starts[line - 1] + 1)

    def _error(self, message: str, index: int, *irritants) -> ReadError:
        return ReadError(message, irritants, loc=self._loc(index))

    # -- the parser ---------------------------------------------------------------

    def read(self):
        """The next datum, or EOF when only whitespace and comments remain."""
        datum = self._read_datum()
        return EOF if datum is _END_OF_INPUT else datum

    def _read_datum(self):
        self._labels = {}
        stack: list[_Frame] = []
        while True:
            kind, value, start = self._next_token()
            if kind == _ATOM and stack:
                top = stack[-1]
                if top.kind == _LIST and top.dot == 0:   # the common case, inline
                    top.items.append(value)
                    continue
            if kind == _OPEN or kind == _PREFIX:
                stack.append(value)
                continue
            if kind == _DOT:
                self._dot(stack, start)
                continue
            if kind == _CLOSE:
                value, start = self._close(stack, value, start)
            elif kind == _END:
                if stack:
                    raise self._unfinished(stack[-1])
                return _END_OF_INPUT
            value = self._deliver(stack, value, start)
            if value is not _ABSORBED:
                return value

    def _deliver(self, stack: list[_Frame], value, start: int):
        """Hand a complete datum (starting at `start`) to the innermost open
        frame; returns it if no frame is open, else _ABSORBED."""
        while stack:
            frame = stack[-1]
            kind = frame.kind
            if kind == _QUOTE:
                stack.pop()
                loc = self._loc(frame.start)
                value = Pair(frame.tag, Pair(value, NIL, loc), loc)
                start = frame.start
            elif kind == _LABEL:
                stack.pop()
                value = self._define_label(frame, value)
                start = frame.start
            elif kind == _SKIP:
                stack.pop()
                return _ABSORBED
            else:
                self._add_item(frame, value, start)
                return _ABSORBED
        return value

    def _add_item(self, frame: _Frame, value, start: int) -> None:
        if frame.dot == 1:
            frame.tail = value
            frame.dot = 2
        elif frame.dot == 2:
            raise self._error("more than one datum after '.'", start)
        elif frame.kind == _BYTES and not (type(value) is int and 0 <= value <= 255):
            raise self._error("bytevector element must be an exact integer 0..255",
                              start, value)
        else:
            frame.items.append(value)

    def _dot(self, stack: list[_Frame], start: int) -> None:
        frame = stack[-1] if stack else None
        if frame is None or frame.kind != _LIST or not frame.items or frame.dot:
            raise self._error("unexpected '.'", start)
        frame.dot = 1

    def _close(self, stack: list[_Frame], char: str, start: int):
        """Finish the innermost collection at the closing `char`; returns the
        datum and the index where it started."""
        if not stack:
            raise self._error(f"unexpected '{char}'", start)
        if stack[-1].kind not in _COLLECTION_NAMES:
            raise self._error(f"expected a datum after {stack[-1].text} "
                              f"but found '{char}'", start)
        frame = stack.pop()
        expected = "]" if frame.text == "[" else ")"
        if char != expected:
            raise self._error(f"expected '{expected}' to close '{frame.text}' "
                              f"but found '{char}'", start)
        if frame.kind == _VECTOR:
            return Vector(frame.items), frame.start
        if frame.kind == _BYTES:
            return bytearray(frame.items), frame.start
        if frame.dot == 1:
            raise self._error(f"expected a datum after '.' but found '{char}'", start)
        loc = self._loc(frame.start)
        result = frame.tail
        for item in reversed(frame.items):
            result = Pair(item, result, loc)
        return result, frame.start

    def _unfinished(self, frame: _Frame) -> ReadError:
        """The error for input ending inside `frame`.  Its message starts
        with "unterminated" or "missing datum after", which only such errors
        use (hawk.vm.ports relies on it to ask an interactive port for more)."""
        name = _COLLECTION_NAMES.get(frame.kind)
        if name is not None:
            return self._error(f"unterminated {name}", frame.start)
        return self._error(f"missing datum after {frame.text}", frame.start)

    def _define_label(self, frame: _Frame, value):
        placeholder = self._labels[frame.tag]
        if value is placeholder:
            raise self._error("datum label refers only to itself", frame.start,
                              frame.text)
        self._labels[frame.tag] = placeholder.value = value
        if placeholder.used:
            _replace_placeholder(value, placeholder)
        return value

    # -- the scanner ----------------------------------------------------------------

    def _next_token(self):
        """(kind, value, start index) of the next token after any atmosphere."""
        match = _SIMPLE_TOKEN.match(self._text, self._pos)
        if match is None:
            self._skip_atmosphere()
            match = _SIMPLE_TOKEN.match(self._text, self._pos)
            if match is None:
                return self._other_token()
        self._pos = match.end()
        paren = match.group(1)
        if paren is not None:
            i = match.start(1)
            if paren == "(" or paren == "[":
                return _OPEN, _Frame(_LIST, i, paren), i
            return _CLOSE, paren, i
        i = match.start(2)
        token = match.group(2)
        if token == ".":
            return _DOT, None, i
        return _ATOM, self._atom(token, i), i

    def _other_token(self):
        """The next token when it is not a parenthesis, number or symbol."""
        text, i = self._text, self._pos
        if i >= self._end:
            return _END, None, i
        c = text[i]
        if c in _QUOTE_SYMBOLS:
            if c == "," and text.startswith("@", i + 1):
                c = ",@"
            self._pos = i + len(c)
            symbol = _QUOTE_SYMBOLS[c]
            return _PREFIX, _Frame(_QUOTE, i, symbol.name, symbol), i
        if c == '"':
            return _ATOM, MString(self._read_quoted(i, "string")), i
        if c == "|":
            return _ATOM, Symbol.intern(self._read_quoted(i, "|symbol|")), i
        return self._read_hash(i)

    def _skip_atmosphere(self) -> None:
        """Skip whitespace, comments and the #!fold-case directives."""
        text, end = self._text, self._end
        i = self._pos
        while True:
            i = _SPACE.match(text, i).end()
            if i >= end:
                break
            c = text[i]
            if c == ";":
                i = _LINE_REST.match(text, i).end()
            elif c == "#" and text.startswith("|", i + 1):
                i = self._skip_block_comment(i)
            elif c == "#" and text.startswith("!", i + 1):
                directive = _TOKEN.match(text, i).group()
                if directive not in ("#!fold-case", "#!no-fold-case"):
                    break
                self.fold_case = directive == "#!fold-case"
                i += len(directive)
            else:
                break
        self._pos = i

    def _skip_block_comment(self, start: int) -> int:
        """Index just after the (nested) block comment opening at `start`."""
        depth = 0
        i = start
        while True:
            mark = _BLOCK_MARK.search(self._text, i)
            if mark is None:
                raise self._error("unterminated block comment", start)
            depth += 1 if mark.group() == "#|" else -1
            i = mark.end()
            if depth == 0:
                return i

    def _atom(self, token: str, start: int):
        """A number or symbol token (not starting with # or |)."""
        if token.isdigit() and token.isascii():
            return _decimal_int(token)
        if token[0] in _NUMBER_START:
            number = self._number(token, start)
            if number is not None:
                return number
        return Symbol.intern(token.casefold() if self.fold_case else token)

    def _number(self, token: str, start: int):
        try:
            return _parse_number(token.lower())
        except _BadNumber as e:
            raise self._error(str(e), start, token) from None

    def _read_quoted(self, start: int, what: str) -> str:
        """The contents of a string or |symbol| opening at `start`, escapes
        processed; leaves the position after the closing delimiter."""
        text = self._text
        quote = text[start]
        stop = _STRING_STOP[quote]
        parts = []
        i = start + 1
        while True:
            found = stop.search(text, i)
            if found is None:
                raise self._error(f"unterminated {what}", start)
            j = found.start()
            parts.append(text[i:j])
            if text[j] == quote:
                self._pos = j + 1
                return "".join(parts)
            if j + 1 >= self._end:
                raise self._error(f"unterminated {what}", start)
            i = self._escape(j, parts)

    def _escape(self, i: int, parts: list) -> int:
        """Decode the escape whose backslash is at `i` into `parts`; returns
        the index after it."""
        text = self._text
        c = text[i + 1]
        if c in _MNEMONIC_ESCAPES:
            parts.append(_MNEMONIC_ESCAPES[c])
            return i + 2
        if c == "x":
            scalar = _HEX_SCALAR.match(text, i + 2)
            if scalar is None:
                raise self._error("bad \\x escape (expected hex digits and ';')", i)
            code = int(scalar.group(1), 16)
            if not _is_scalar(code):
                raise self._error("escape is not a Unicode scalar value", i,
                                  scalar.group(1))
            parts.append(chr(code))
            return scalar.end()
        continuation = _CONTINUATION.match(text, i + 1)
        if continuation is not None:
            return continuation.end()
        raise self._error("bad escape", i, "\\" + c)

    def _read_hash(self, start: int):
        """The token starting with `#` at `start`."""
        text = self._text
        c = text[start + 1:start + 2]
        if c == "(":
            self._pos = start + 2
            return _OPEN, _Frame(_VECTOR, start, "#("), start
        if c == "\\":
            return _ATOM, self._read_char(start), start
        if c == ";":
            self._pos = start + 2
            return _PREFIX, _Frame(_SKIP, start, "#;"), start
        if c.isdigit():
            return self._read_label(start)
        if c in ("u", "U") and text[start + 2:start + 4] == "8(":
            self._pos = start + 4
            return _OPEN, _Frame(_BYTES, start, text[start:start + 4]), start
        end = _TOKEN.match(text, start).end()
        self._pos = end
        token = text[start:end]
        lowered = token.lower()
        if lowered in _BOOLEANS:
            return _ATOM, _BOOLEANS[lowered], start
        if lowered in _DIRECTIVE_DATA:
            return _ATOM, _DIRECTIVE_DATA[lowered], start
        if c == "!":
            raise self._error("unknown directive", start, token)
        if c.lower() in ("x", "b", "o", "d", "e", "i"):
            number = self._number(token, start)
            if number is None:
                raise self._error("bad number", start, token)
            return _ATOM, number, start
        raise self._error("bad # syntax", start, token)

    def _read_char(self, start: int) -> Char:
        """A character literal; `start` is the index of its `#`."""
        text = self._text
        first = start + 2
        if first >= self._end:
            raise self._error("unterminated character", start)
        end = _TOKEN.match(text, first + 1).end()
        self._pos = end
        name = text[first:end]
        if len(name) == 1:
            return Char(ord(name))
        key = name.lower() if self.fold_case else name
        code = CHAR_NAMES.get(key)
        if code is None and key[0] == "x" and _HEX_DIGITS.fullmatch(key, 1):
            code = int(key[1:], 16)
            if not _is_scalar(code):
                raise self._error("character is not a Unicode scalar value", start,
                                  "#\\" + name)
        if code is None:
            raise self._error("unknown character name", start, "#\\" + name)
        return Char(code)

    def _read_label(self, start: int):
        """`#n=` (a prefix frame) or `#n#` (the labelled datum)."""
        match = _DATUM_LABEL.match(self._text, start)
        if match is None:
            end = _TOKEN.match(self._text, start).end()
            raise self._error("bad # syntax", start, self._text[start:end])
        self._pos = match.end()
        key = match.group(1).lstrip("0") or "0"
        if match.group(2) == "=":
            if key in self._labels:
                raise self._error("duplicate datum label", start, match.group())
            self._labels[key] = _Placeholder()
            return _PREFIX, _Frame(_LABEL, start, match.group(), key), start
        value = self._labels.get(key)
        if value is None:
            raise self._error("undefined datum label", start, match.group())
        while isinstance(value, _Placeholder) and value.value is not None:
            value = value.value
        if isinstance(value, _Placeholder):
            value.used = True
        return _ATOM, value, start


def read_all(text: str, file: str = "<string>", first_line: int = 1) -> list:
    """Every datum in `text`, in order."""
    reader = Reader(text, file, first_line)
    data = []
    while True:
        datum = reader._read_datum()
        if datum is _END_OF_INPUT:
            return data
        data.append(datum)
