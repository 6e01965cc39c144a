"""Error types shared by every stage: each carries a Scheme-level source
location so the user sees file:line:column, never a Python traceback."""
from __future__ import annotations

from hawk.frontend.datum import SourceLoc


class HawkError(Exception):
    """Base of every error that is the user's program's fault."""
    kind = "error"

    def __init__(self, message: str, irritants=(), loc: SourceLoc | None = None):
        super().__init__(message)
        self.message = message
        self.irritants = list(irritants)
        self.loc = loc
        self.backtrace: list = []     # (function name, SourceLoc|None), innermost first


class ReadError(HawkError):
    """Malformed source text."""
    kind = "read error"


class SyntaxError_(HawkError):
    """A malformed special form or a macro use that matches no rule."""
    kind = "syntax error"


class CompileError(HawkError):
    """Something the compiler cannot translate (should be rare)."""
    kind = "compile error"


class SchemeError(HawkError):
    """A run-time error raised by a primitive or by `error`/`raise`.

    `payload` is the raised Scheme object (a tagged word) when the error
    came from `raise` of a non-condition; None otherwise."""
    kind = "error"

    def __init__(self, message: str, irritants=(), loc: SourceLoc | None = None,
                 kind: str | None = None, payload=None):
        super().__init__(message, irritants, loc)
        if kind is not None:
            self.kind = kind
        self.payload = payload


class SchemeExit(Exception):
    """`(exit code)` unwinding to the top level."""

    def __init__(self, code: int, emergency: bool = False):
        super().__init__(code)
        self.code = code
        self.emergency = emergency      # emergency-exit: skip dynamic-wind after-thunks
