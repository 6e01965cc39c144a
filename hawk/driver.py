"""Putting the stages together: make a VM with the runtime library loaded,
compile and run programs, and print errors the way a user sees them."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from hawk.errors import HawkError, SchemeError
from hawk.frontend.expander import Expander
from hawk.frontend.pipeline import compile_program
from hawk.frontend.reader import read_all
from hawk.vm import hbc
from hawk.vm.vm import VM

LIB = Path(__file__).resolve().parent / "lib"
LIBRARY_FILES = ("prelude.scm",)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hawk"


def library_protos() -> list:
    """The runtime library compiled, from the .hbc cache when it is fresh."""
    protos = []
    for name in LIBRARY_FILES:
        source = (LIB / name).read_text()
        key = hbc.cache_key(source)
        path = cache_dir() / (Path(name).stem + ".hbc")
        cached = hbc.load(path, key)
        if cached is None:
            cached = [compile_program(read_all(source, str(LIB / name)), str(LIB / name), Expander())]
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                hbc.save(path, key, cached)
            except OSError:
                pass            # an unwritable cache only costs start-up time
        protos.extend(cached)
    return protos


def make_vm(argv=(), **ports) -> VM:
    vm = VM(argv=list(argv), **ports)
    for proto in library_protos():
        vm.run(vm.load(proto, library=True))
    return vm


def run_source(vm: VM, text: str, file: str, expander: Expander | None = None) -> int:
    """Compile and run a whole program; return its value (a word)."""
    proto = compile_program(read_all(text, file), file, expander or Expander())
    return vm.run(vm.load(proto))


def format_error(vm: VM, e: HawkError) -> str:
    """The message a user sees: kind, message, irritants, location, backtrace."""
    from hawk.frontend.printer import write_string
    from hawk.vm.printer import write_word
    if isinstance(e, SchemeError):      # irritants are heap words
        parts = [write_word(vm, x) for x in e.irritants]
    else:                               # irritants are frontend data
        parts = [write_string(x) for x in e.irritants]
    lines = [" ".join([f"{e.kind}: {e.message}", *parts])]
    if e.backtrace:
        for k, (name, loc) in enumerate(e.backtrace):
            where = f" at {loc}" if loc else ""
            lines.append(f"  {'in' if k == 0 else 'called from'} {name}{where}")
    elif e.loc is not None:
        lines.append(f"  at {e.loc}")
    return "\n".join(lines)


def report(vm: VM, e: HawkError, stream=None) -> None:
    if vm is not None:
        vm.flush()
    print(format_error(vm, e), file=stream or sys.stderr, flush=True)
