"""Heap object layout: header format and, per type, which payload words
hold tagged values (the collector scans those and skips raw data).

Every object is an 8-byte header followed by `size` payload words:

  header = (size << 16) | (flags << 8) | type

The flag bits are copied with the object; only global cells use them
(CELL_DEFINED, CELL_ASSIGNED, CELL_PROMOTED below).

Type       tag     payload
PAIR       pair    car, cdr
FLONUM     flonum  the IEEE double's bits (raw)
CLOSURE    closure proto id (fixnum), free variables...
SYMBOL     symbol  name (a STRING)
STRING     object  length (fixnum), then code points as uint32, two a word (raw)
VECTOR     object  elements...
BYTEVECTOR object  length (fixnum), then bytes (raw)
BIGNUM     object  signed limb count (fixnum; sign = number's sign), then
                   64-bit little-endian magnitude limbs (raw)
RATNUM     object  numerator, denominator (exact integers, denominator > 1)
COMPNUM    object  real part, imaginary part (flonums)
BOX        object  value (assignment-converted variables)
RECORD     object  record type, fields...
RTD        object  name (symbol), field names (list), uid (fixnum)
PROMISE    object  done? (#t/#f), value or thunk
CELL       object  value, name (symbol): a global variable
VALUES     object  values... (multiple values other than one)
CONT       object  saved stack words and resume state (see interpreter)
FOREIGN    object  index (fixnum) into the VM's table of Python objects
                   (ports, hash tables): the object is a handle
"""
from __future__ import annotations

from enum import IntEnum

from hawk.vm.values import TAG_CLOSURE, TAG_FLONUM, TAG_OBJECT, TAG_PAIR, TAG_SYMBOL


class T(IntEnum):
    PAIR = 1
    FLONUM = 2
    CLOSURE = 3
    SYMBOL = 4
    STRING = 5
    VECTOR = 6
    BYTEVECTOR = 7
    BIGNUM = 8
    RATNUM = 9
    COMPNUM = 10
    BOX = 11
    RECORD = 12
    RTD = 13
    PROMISE = 14
    CELL = 15
    VALUES = 16
    CONT = 17
    FOREIGN = 18
    FORWARD = 0xff   # set by the copying collector: payload word 0 = new pointer


ALL = -1
# Leading payload words that hold tagged values; ALL means every word.
SCANNED = {
    T.PAIR: ALL, T.FLONUM: 0, T.CLOSURE: ALL, T.SYMBOL: ALL, T.STRING: 1,
    T.VECTOR: ALL, T.BYTEVECTOR: 1, T.BIGNUM: 1, T.RATNUM: ALL, T.COMPNUM: ALL,
    T.BOX: ALL, T.RECORD: ALL, T.RTD: ALL, T.PROMISE: ALL, T.CELL: ALL,
    T.VALUES: ALL, T.CONT: ALL, T.FOREIGN: ALL,
}

# The pointer tag each type is referred to with.
POINTER_TAG = {t: TAG_OBJECT for t in T}
POINTER_TAG.update({T.PAIR: TAG_PAIR, T.FLONUM: TAG_FLONUM,
                    T.CLOSURE: TAG_CLOSURE, T.SYMBOL: TAG_SYMBOL})

TYPE_MASK = 0xff
SIZE_SHIFT = 16


def header(type_: int, size: int) -> int:
    return (size << SIZE_SHIFT) | type_


def header_type(h: int) -> int:
    return h & TYPE_MASK


def header_size(h: int) -> int:
    return h >> SIZE_SHIFT


# Flag bits of a global cell's header, kept by hawk.vm.loader and the JIT:
# a cell whose value never changes after its one definition may be read
# by traces as a constant ("promoted"); loading code that assigns it
# (a GSET, or a second GDEF) marks it assigned and flushes the traces if
# one had promoted it.
CELL_DEFINED = 1 << 8       # loaded code contains a GDEF of it
CELL_ASSIGNED = 1 << 9      # ... a GSET of it, or a second GDEF: never promoted
CELL_PROMOTED = 1 << 10     # a trace has used its value as a constant

PAIR_HEADER = header(T.PAIR, 2)
FLONUM_HEADER = header(T.FLONUM, 1)
BOX_HEADER = header(T.BOX, 1)
