"""(scheme cxr): the 24 three- and four-level car/cdr compositions, each on a
tree whose every path ends at a leaf named after it, and each failing on a
non-pair."""
from __future__ import annotations

from tables import check_errors, check_values

NAMES = """caaar caadr cadar caddr cdaar cdadr cddar cdddr caaaar caaadr caadar caaddr
           cadaar cadadr caddar cadddr cdaaar cdaadr cdadar cdaddr cddaar cddadr cdddar
           cddddr""".split()


def tree(ops: str = "") -> str:
    """The written subtree reached by `ops` (the letters of a c...r name,
    innermost last): depth-4 leaves are the symbols x<ops>."""
    if len(ops) == 4:
        return "x" + ops
    return f"({tree('a' + ops)} . {tree('d' + ops)})"


def test_every_cxr_follows_its_path():
    check_values([(f"({n} tree)", tree(n[1:-1])) for n in NAMES], f"(define tree '{tree()})")


ERRORS = [(f"({n} 5)", f"error: {n}: not a pair: 5") for n in NAMES]


def test_every_cxr_rejects_a_non_pair():
    check_errors(ERRORS)
