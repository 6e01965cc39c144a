"""Error objects (R7RS conditions) as heap records.

Errors raised by primitives (Python SchemeError) and by `error` share one
record type, so `guard`, `error-object?` and `error-object-message` work
the same on both. Fields: kind (symbol: error, file-error, read-error, ...),
message (string), irritants (list), location (string or #f).
"""
from __future__ import annotations

from hawk.errors import SchemeError
from hawk.vm import values as V
from hawk.vm.objects import T

FIELDS = ("kind", "message", "irritants", "location")


def error_rtd(vm) -> int:
    """The record type of error objects (one per VM, kept in vm.roots[0])."""
    if vm.roots[0] == V.FALSE:
        d = vm.data
        names = d.list([d.intern(n) for n in FIELDS])
        vm.roots[0] = d.make(T.RTD, [d.intern("error-object"), names, V.fixnum(0)])
    return vm.roots[0]


def make(vm, kind: str, message: int, irritants: int, loc: str | None) -> int:
    d = vm.data
    where = d.string(loc) if loc else V.FALSE
    return d.make(T.RECORD, [error_rtd(vm), d.intern(kind), message, irritants, where])


def make_condition(vm, exc: SchemeError) -> int:
    """The error object for a Python-side SchemeError."""
    d = vm.data
    kind = exc.kind.replace(" ", "-")
    return make(vm, kind, d.string(exc.message), d.list(list(exc.irritants)),
                str(exc.loc) if exc.loc else None)


def is_condition(vm, w: int) -> bool:
    d = vm.data
    return d.type_of(w) == T.RECORD and d.field(w, 0) == error_rtd(vm)


def field(vm, w: int, name: str) -> int:
    return vm.data.field(w, 1 + FIELDS.index(name))


def to_exception(vm, w: int) -> SchemeError:
    """A raised object that no handler caught, as the final SchemeError."""
    d = vm.data
    if is_condition(vm, w):
        msg = d.string_value(field(vm, w, "message"))
        irritants = d.list_items(field(vm, w, "irritants")) or []
        kind = d.symbol_name(field(vm, w, "kind")).replace("-", " ")
        return SchemeError(msg, irritants, kind=kind, payload=w)
    return SchemeError("uncaught exception", [w], kind="error", payload=w)
