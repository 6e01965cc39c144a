"""The arity error case of every procedure of the R7RS index, generated
from the runtime: a call with one argument more than the procedure's
maximum (or, when it takes any number, one fewer than its minimum) must be
an arity error located at the call. The arity is read where hawk keeps it:
the primitive's declared nmin/nmax (hawk/vm/primspec.py), the Scheme
procedure's parameters, or its case-lambda clauses (hawk/lib/prelude.scm),
so a procedure added to the runtime gets its case without editing a table.

    PYTHONPATH=. python tests/conformance/arity.py

prints how many procedures have an arity case and which accept any count.
"""
from __future__ import annotations

import sys

from r7rs_index import load_index

# Where hawk's runtime arity is wider than R7RS's and the procedure checks
# the count itself: (fewest, most) arguments it accepts, and why.
CHECKS_ITSELF = {
    "exit": (0, 1, "unwinds dynamic-wind first, then applies the exit primitive to its rest "
                   "list; that primitive checks the count and names exit"),
}
# Procedures that take any number of arguments in hawk although R7RS
# gives a maximum, so no count is an arity error.
ANY_COUNT = {
    "current-input-port": "a parameter object; hawk's parameters also take (p value) to set "
                          "and (p key ...) for parameterize, through one rest list",
    "current-output-port": "a parameter object, as current-input-port",
    "current-error-port": "a parameter object, as current-input-port",
}
# The name an arity error gives, where it is not the identifier's own.
REPORTED_NAME = {"call/cc": "call-with-current-continuation"}


def procedures(index=None) -> dict[tuple[str, ...], list[tuple[str, int, int | None]]]:
    """library -> [(name, fewest, most or None)] for its identifiers bound
    to procedures (syntax keywords are left out)."""
    from hawk.driver import make_vm
    from hawk.frontend.datum import Symbol, sym
    from hawk.frontend.expander import Expander
    from hawk.vm import values as V
    vm = make_vm()
    standard = Expander().libraries.standard
    result = {}
    for lib, names in (index or load_index()).items():
        for name in names:
            binding = standard[lib].exports.get(sym(name))
            if not isinstance(binding, Symbol):
                continue                      # a syntax keyword
            w = vm.lookup(binding.name)
            if (w & 7) != V.TAG_CLOSURE:
                continue
            if name in CHECKS_ITSELF:
                lo, hi = CHECKS_ITSELF[name][:2]
            else:
                lo, hi = runtime_arity(vm.func_of(w))
            result.setdefault(lib, []).append((name, lo, hi))
    return result


def runtime_arity(f) -> tuple[int, int | None]:
    """(fewest, most or None) arguments the loaded function f accepts."""
    from hawk.vm.loader import BYTECODE
    if f.clauses:
        counts = [(n, None if rest else n) for n, rest in f.clauses]
    elif f.kind == BYTECODE:
        counts = [(f.nparams, None if f.rest else f.nparams)]
    else:
        counts = [(f.nparams, f.nmax)]
    most = [hi for _, hi in counts]
    return min(lo for lo, _ in counts), None if None in most else max(most)


def bad_count(lo: int, hi: int | None) -> int | None:
    """An argument count the procedure does not accept, if there is one."""
    if hi is not None:
        return hi + 1
    return lo - 1 if lo > 0 else None


def expected(lo: int, hi: int | None) -> str:
    """How arity errors word the counts accepted (written out here, not
    taken from hawk, so a change of wording fails a test)."""
    if hi is None:
        return f"{lo} or more"
    return str(lo) if lo == hi else f"{lo} to {hi}"


def cases(lib_procs) -> list[tuple[str, str]]:
    """(call, report) for each procedure that has a count it refuses."""
    out = []
    for name, lo, hi in lib_procs:
        n = bad_count(lo, hi)
        if n is None:
            continue
        call = f"({name}{' 0' * n})"
        out.append((call, f"error: {REPORTED_NAME.get(name, name)}: wrong number of arguments "
                          f"(expected {expected(lo, hi)}, got {n})"))
    return out


def main() -> int:
    procs = procedures()
    names = {n for items in procs.values() for n, _, _ in items}
    refused = {n for items in procs.values() for n, lo, hi in items if bad_count(lo, hi) is not None}
    print(f"{len(refused)} of {len(names)} procedures have an arity error case")
    print("any count:", " ".join(sorted(names - refused)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
