"""Tagged 64-bit words: the one representation of a Scheme value shared by
the interpreter (Python), the collector and trace machine code.

Low 3 bits are the tag:
  0 fixnum      value << 3 (61-bit signed), so add/sub are machine add/sub
  1 pair        pointer
  2 flonum      pointer to a boxed double
  3 closure     pointer (procedures, including primitives)
  4 symbol      pointer
  5 object      pointer; the type is in the header (strings, vectors, ...)
  6 immediate   (payload << 8) | (subkind << 3) | 6: #f #t () eof ... chars
  7 unused

A pointer is the byte offset of the object's header from the start of the
Memory reservation, or'ed with the tag (objects are 8-byte aligned). So the
header's word index is `p >> 3`, and field i (0-based, after the header) is
word `(p >> 3) + 1 + i`: no base subtraction on the interpreter's hot path.
Machine code keeps the memory base in a pinned register.
"""
from __future__ import annotations

TAG_BITS = 3
TAG_MASK = 7
TAG_FIXNUM = 0
TAG_PAIR = 1
TAG_FLONUM = 2
TAG_CLOSURE = 3
TAG_SYMBOL = 4
TAG_OBJECT = 5
TAG_IMM = 6

FIXNUM_MIN = -(1 << 60)
FIXNUM_MAX = (1 << 60) - 1
WORD_MIN = -(1 << 63)
WORD_MAX = (1 << 63) - 1

# immediates: subkind 0 = constants, subkind 1 = characters
IMM_CHAR_TAG = (1 << 3) | TAG_IMM          # 0x0e
FALSE = (0 << 8) | TAG_IMM                  # 0x006
TRUE = (1 << 8) | TAG_IMM                   # 0x106
NIL = (2 << 8) | TAG_IMM                    # 0x206
EOF = (3 << 8) | TAG_IMM
UNSPECIFIED = (4 << 8) | TAG_IMM
UNBOUND = (5 << 8) | TAG_IMM                # value of an unbound global cell
DEFAULT = (6 << 8) | TAG_IMM                # a missing optional argument
UNDEFINED = (7 << 8) | TAG_IMM              # letrec variable before its init
DEAD = (8 << 8) | TAG_IMM                   # a frame slot cleared by the collector (never read)

IMMEDIATE_NAMES = {
    FALSE: "#f", TRUE: "#t", NIL: "()", EOF: "#<eof>",
    UNSPECIFIED: "#<unspecified>", UNBOUND: "#<unbound>",
    DEFAULT: "#<default>", UNDEFINED: "#<undefined>", DEAD: "#<dead slot>",
}


def fixnum(n: int) -> int:
    return n << 3


def fixnum_value(w: int) -> int:
    return w >> 3


def is_fixnum(w: int) -> bool:
    return (w & 7) == 0


def fits_fixnum(n: int) -> bool:
    return FIXNUM_MIN <= n <= FIXNUM_MAX


def char(code: int) -> int:
    return (code << 8) | IMM_CHAR_TAG


def char_code(w: int) -> int:
    return w >> 8


def is_char(w: int) -> bool:
    return (w & 0xff) == IMM_CHAR_TAG


def boolean(b: bool) -> int:
    return TRUE if b else FALSE


def tag(w: int) -> int:
    return w & 7


def is_pointer(w: int) -> bool:
    t = w & 7
    return 1 <= t <= 5
