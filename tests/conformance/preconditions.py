"""Which procedures of the R7RS index have a type/range error case: a case
of some conformance ERRORS table, other than an arity error (those are
generated for all: arity.py), whose report is named by that procedure
(`error: vector-ref: index out of range: 3`), or whose expression calls it
and fails at that call (`(call/cc 5)`: `error: attempt to apply a
non-procedure: 5`, the argument being called inside it). Procedures without
one must be in NO_PRECONDITION, with the reason no such error exists;
tests/conformance/test_preconditions.py asserts the two lists agree, so a
procedure added without its error case shows up.

    PYTHONPATH=. python tests/conformance/preconditions.py
"""
from __future__ import annotations

import importlib
import re
import sys

from arity import REPORTED_NAME, procedures
from r7rs_index import HERE

# a report: its own location if any, kind, the procedure's name, the message
REPORT = re.compile(r"(\S+:\d+:\d+: )?[\w-]*error: (?:(\S+): )?(.*)")
CALL = re.compile(r"\((\S+)")


def error_tables() -> list[tuple[str, str]]:
    """Every (expression, report) of the conformance suite's ERRORS tables."""
    cases = []
    for path in sorted(HERE.glob("test_*.py")):
        cases += getattr(importlib.import_module(path.stem), "ERRORS", [])
    return cases


def with_error_case(cases) -> set[str]:
    """Procedures that have a type/range (not arity) error case."""
    found = set()
    for expr, report in cases:
        m = REPORT.match(report)
        if not m or m.group(3).startswith("wrong number of arguments"):
            continue
        if m.group(2):
            found.add(m.group(2))
        if m.group(1) is None:              # failed at the call of the expression's operator
            found.add(CALL.match(expr).group(1))
    return found


def lacking(cases=None) -> list[str]:
    """The index's procedures with no type/range error case, sorted."""
    named = with_error_case(error_tables() if cases is None else cases)
    names = {n for items in procedures().values() for n, _, _ in items}
    return sorted(n for n in names if REPORTED_NAME.get(n, n) not in named)


def main() -> int:
    missing = lacking()
    print(f"{len(missing)} procedures without a type/range error case:")
    print(" ".join(missing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
