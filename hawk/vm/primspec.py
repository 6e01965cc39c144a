"""The registry of primitives written in Python.

Each primitive declares its name and arity once, with `@primitive`. The
primitive-integration pass and the compiler read this registry to decide
which calls become opcodes (the `opcode` field) or direct PRIM instructions
(integrable primitives, up to 256 of them, index = PrimSpec.index); all
primitives are also bound as global procedures at start-up.

A primitive's Python function takes `(vm, *args)` with tagged words and
returns a tagged word. It may allocate (GC runs only at safepoints, so raw
pointers stay valid for its whole run) and raises SchemeError on misuse.
"""
from __future__ import annotations

from collections.abc import Callable

from hawk.record import record
from hawk.vm.bytecode import Op


@record
class PrimSpec:
    name: str
    nmin: int
    nmax: int | None               # None: variadic
    fn: Callable
    opcode: Op | None = None       # dedicated opcode for exactly nmin..nmax args
    integrable: bool = True        # may be compiled as a PRIM instruction
    index: int = -1                # PRIM operand, assigned at registration
    pure: bool = False             # in PURE: a trace may call it (hawk.jit.callout)


# Primitives a trace may call from machine code (hawk.jit.callout), audited
# by reading hawk/vm/prims/*. Each one (1) never re-enters the VM: it calls no
# Scheme procedure, captures no continuation, returns no multiple values
# (floor/, truncate/, exact-integer-sqrt are out), does not touch the stack
# or the exit/error machinery; and (2) has no side effect beyond allocating
# fresh objects (or interning a symbol, which is idempotent), because the
# recorder computes a call's value by calling it while it follows the
# program, and the trace then calls it again. Every mutator (!), port, file,
# clock, hash table, environment and record-type primitive is left out.
CXRS = [f"c{m}r" for n in range(1, 5) for m in          # car, cdr, caar ... cddddr
        ("".join("ad"[(k >> j) & 1] for j in range(n)) for k in range(2 ** n))]
PURE = frozenset([
    # lists
    *CXRS, "cons", "pair?", "null?", "list?", "list", "make-list", "length", "append",
    "reverse", "list-tail", "list-ref", "list-copy", "last-pair",
    "memq", "memv", "member", "assq", "assv", "assoc",
    # equality, booleans, symbols
    "eq?", "eqv?", "equal?", "not", "boolean?", "boolean=?", "procedure?", "symbol?",
    "symbol=?", "symbol->string", "string->symbol",
    # numbers
    "+", "*", "-", "/", "=", "<", ">", "<=", ">=", "quotient", "remainder", "modulo",
    "truncate-quotient", "truncate-remainder", "floor-quotient", "floor-remainder",
    "floor/", "truncate/", "exact-integer-sqrt",
    "number?", "complex?", "real?", "rational?", "integer?", "exact-integer?",
    "exact-rational?", "exact?", "inexact?", "nan?", "infinite?", "finite?", "zero?",
    "positive?", "negative?", "odd?", "even?", "abs", "min", "max", "gcd", "lcm", "floor",
    "ceiling", "round", "truncate", "exact", "inexact->exact", "inexact", "exact->inexact",
    "numerator", "denominator", "rationalize", "sqrt", "expt", "square", "exp", "sin",
    "cos", "tan", "asin", "acos", "log", "atan", "make-rectangular", "make-polar",
    "real-part", "imag-part", "magnitude", "angle", "number->string", "string->number",
    # characters
    "char?", "char->integer", "integer->char", "char-alphabetic?", "char-numeric?",
    "char-whitespace?", "char-upper-case?", "char-lower-case?", "char-upcase",
    "char-downcase", "char-foldcase", "digit-value",
    *(f"{kind}{ci}{cmp}" for kind in ("char", "string") for ci in ("", "-ci")
      for cmp in ("=?", "<?", ">?", "<=?", ">=?")),
    # strings, vectors, bytevectors
    "string?", "make-string", "string", "string-length", "string-ref", "string-copy",
    "substring", "string-append", "string->list", "list->string", "string->vector",
    "vector->string", "string-upcase", "string-downcase", "string-foldcase",
    "string->utf8", "utf8->string",
    "vector?", "make-vector", "vector", "vector-length", "vector-ref", "vector-copy",
    "vector-append", "vector->list", "list->vector", "bytevector?", "make-bytevector",
    "bytevector", "bytevector-length", "bytevector-u8-ref", "bytevector-copy",
    "bytevector-append",
    # others
    "eof-object", "eof-object?", "values", "%values?", "%values->list", "%record?", "%record-ref", "promise?", "error-object?",
    "error-object-message", "error-object-irritants",
])

PRIMS: dict[str, PrimSpec] = {}
INTEGRABLE: list[PrimSpec] = []


def primitive(name: str, nmin: int, nmax: int | None = -1, opcode: Op | None = None,
              integrable: bool = True):
    """Register the decorated function as the primitive `name`.
    nmax defaults to nmin; None means any number of arguments."""
    if nmax == -1:
        nmax = nmin

    def register(fn):
        spec = PrimSpec(name, nmin, nmax, fn, opcode, integrable and nmax is not None,
                        pure=name in PURE)
        if spec.integrable:
            spec.index = len(INTEGRABLE)
            INTEGRABLE.append(spec)
            assert spec.index < 256, "too many integrable primitives for PRIM's C operand"
        PRIMS[name] = spec
        return fn
    return register


def load_all() -> dict[str, PrimSpec]:
    """Import every primitive module (they register on import)."""
    import hawk.vm.prims  # noqa: F401  (the package imports its modules)
    return PRIMS
