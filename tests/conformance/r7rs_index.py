"""The R7RS-small index checked against hawk: for every identifier of the
16 standard libraries (r7rs-index.txt, from the report's appendix A),
is it exported by our table of that library, and bound there (a keyword,
or a global the runtime defines)? And is it exercised by a case of the
conformance suite (named in a tests/conformance/test_*.py file)?

    PYTHONPATH=. python tests/conformance/r7rs_index.py

prints "N of M implemented", the conformance coverage, and whatever is
missing, by library. tests/conformance/test_r7rs_index.py asserts it.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
# what may surround an identifier in Scheme text quoted inside Python
_DELIMITERS = r"""\s()'"`,\[\]"""


def load_index(path: Path = HERE / "r7rs-index.txt") -> dict[tuple[str, ...], list[str]]:
    """library name -> its identifiers, in the file's order."""
    index: dict[tuple[str, ...], list[str]] = {}
    current: list[str] = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("#") or not line:
            continue
        if line.startswith("("):
            current = index[tuple(line[1:-1].split())] = []
        else:
            current.extend(line.split())
    return index


def unimplemented(index) -> dict[tuple[str, ...], list[tuple[str, str]]]:
    """library -> [(name, why)] for names not exported or not bound."""
    from hawk.driver import make_vm
    from hawk.frontend.datum import Symbol, sym
    from hawk.frontend.expander import Expander
    from hawk.vm import values as V
    vm = make_vm()
    standard = Expander().libraries.standard
    missing = {}
    for lib, names in index.items():
        exports = standard[lib].exports if lib in standard else {}
        for name in names:
            binding = exports.get(sym(name))
            why = ("library not provided" if lib not in standard
                   else "not exported" if binding is None
                   else "exported but unbound" if isinstance(binding, Symbol)
                   and vm.lookup(binding.name) == V.UNBOUND else None)
            if why:
                missing.setdefault(lib, []).append((name, why))
    return missing


def uncovered(index, texts=None) -> dict[tuple[str, ...], list[str]]:
    """library -> names no conformance test file mentions."""
    if texts is None:
        texts = "\n".join(p.read_text() for p in sorted(HERE.glob("test_*.py")))
    result = {}
    for lib, names in index.items():
        absent = [n for n in names if not re.search(
            rf"(?:^|[{_DELIMITERS}]){re.escape(n)}(?=$|[{_DELIMITERS}])", texts, re.M)]
        if absent:
            result[lib] = absent
    return result


def main() -> int:
    index = load_index()
    total = sum(len(names) for names in index.values())
    missing = unimplemented(index)
    gaps = uncovered(index)
    n_missing = sum(len(v) for v in missing.values())
    n_gaps = sum(len(v) for v in gaps.values())
    print(f"{total - n_missing} of {total} implemented "
          f"({len(index)} libraries; names counted once per library)")
    for lib, items in missing.items():
        print(f"  ({' '.join(lib)}): " + ", ".join(f"{n} ({why})" for n, why in items))
    print(f"{total - n_gaps} of {total} exercised by tests/conformance")
    for lib, names in gaps.items():
        print(f"  ({' '.join(lib)}): " + " ".join(names))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
