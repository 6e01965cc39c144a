"""Primitives behind control features whose logic is written in Scheme
(hawk/lib/prelude.scm): records, promises, multiple values, and error
objects. They only build and take apart objects; the procedures a user
calls (force, raise, error, call-with-values...) are in the prelude."""
from __future__ import annotations

from hawk.errors import SchemeError
from hawk.vm import conditions
from hawk.vm import values as V
from hawk.vm.objects import T
from hawk.vm.primspec import primitive


def _check_rtd(vm, rtd: int, who: str) -> None:
    if vm.data.type_of(rtd) != T.RTD:
        raise SchemeError(f"{who}: not a record type", [rtd])


# ---- records ------------------------------------------------------------------
@primitive("%make-record-type", 2)
def make_record_type(vm, name, fields):
    return vm.data.make(T.RTD, [name, fields, V.fixnum(next(vm.data.uids))])


@primitive("%make-record", 1, None)
def make_record(vm, rtd, *values):
    _check_rtd(vm, rtd, "record constructor")
    return vm.data.make(T.RECORD, [rtd, *values])


@primitive("%record?", 2)
def record_p(vm, obj, rtd):
    d = vm.data
    return V.boolean(d.type_of(obj) == T.RECORD and d.field(obj, 0) == rtd)


def _record_field(vm, obj, rtd, k, who):
    d = vm.data
    if d.type_of(obj) != T.RECORD or d.field(obj, 0) != rtd:
        name = d.symbol_name(d.field(rtd, 0))
        raise SchemeError(f"{who}: not a record of type {name}", [obj])
    return 1 + (k >> 3)


@primitive("%record-ref", 4)
def record_ref(vm, obj, rtd, k, who):
    """who: the accessor's name (a symbol), for the error report."""
    return vm.data.field(obj, _record_field(vm, obj, rtd, k, vm.data.symbol_name(who)))


@primitive("%record-set!", 5)
def record_set(vm, obj, rtd, k, value, who):
    vm.data.set_field(obj, _record_field(vm, obj, rtd, k, vm.data.symbol_name(who)), value)
    return V.UNSPECIFIED


# ---- promises: one field, a pair (done? . value-or-thunk) shared by chains ----------
@primitive("%make-promise", 2)
def make_promise(vm, done, value):
    return vm.data.make(T.PROMISE, [vm.data.cons(done, value)])


@primitive("promise?", 1)
def promise_p(vm, obj):
    return V.boolean(vm.data.type_of(obj) == T.PROMISE)


@primitive("%promise-box", 1)
def promise_box(vm, p):
    return vm.data.field(p, 0)


@primitive("%promise-set-box!", 2)
def promise_set_box(vm, p, box):
    vm.data.set_field(p, 0, box)
    return V.UNSPECIFIED


# ---- multiple values --------------------------------------------------------------
@primitive("values", 0, None)
def values(vm, *args):
    return args[0] if len(args) == 1 else vm.data.make(T.VALUES, args)


@primitive("%values?", 1)
def values_p(vm, obj):
    return V.boolean(vm.data.type_of(obj) == T.VALUES)


@primitive("%values->list", 1)
def values_to_list(vm, obj):
    return vm.data.list(vm.data.fields(obj))


# ---- error objects ------------------------------------------------------------------
@primitive("%make-error", 3)
def make_error(vm, kind, message, irritants):
    return conditions.make(vm, vm.data.symbol_name(kind), message, irritants, None)


@primitive("%raise-uncaught", 1)
def raise_uncaught(vm, obj):
    raise conditions.to_exception(vm, obj)


@primitive("error-object?", 1)
def error_object_p(vm, obj):
    return V.boolean(conditions.is_condition(vm, obj))


def _condition(vm, obj, who):
    if not conditions.is_condition(vm, obj):
        raise SchemeError(f"{who}: not an error object", [obj])
    return obj


@primitive("error-object-message", 1)
def error_object_message(vm, obj):
    return conditions.field(vm, _condition(vm, obj, "error-object-message"), "message")


@primitive("error-object-irritants", 1)
def error_object_irritants(vm, obj):
    return conditions.field(vm, _condition(vm, obj, "error-object-irritants"), "irritants")


def _kind_predicate(kind: str):
    def test(vm, obj):
        return V.boolean(conditions.is_condition(vm, obj) and
                         vm.data.symbol_name(conditions.field(vm, obj, "kind")) == kind)
    return test


for _kind in ("file-error", "read-error"):
    primitive(_kind + "?", 1)(_kind_predicate(_kind))
