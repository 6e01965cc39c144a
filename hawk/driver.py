"""Putting the stages together: make a VM with the runtime library loaded,
compile and run programs, and print errors the way a user sees them."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from hawk.errors import HawkError, SchemeError
from hawk.frontend.expander import Expander
from hawk.frontend.pipeline import compile_program, globals_defined
from hawk.frontend.reader import read_all
from hawk.gc.memory import BC_INTERP
from hawk.vm import hbc
from hawk.vm.vm import VM

LIB = Path(__file__).resolve().parent / "lib"
LIBRARY_FILES = ("prelude.scm", "srfi1.scm", "srfi69.scm")


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


def make_vm(argv=(), **kwargs) -> VM:
    """A VM with the runtime library loaded. kwargs go to VM (heap, stdin,
    stdout, stderr)."""
    vm = VM(argv=list(argv), **kwargs)
    protos = library_protos()
    for proto in protos:
        vm.run(vm.load(proto, library=True), once=True)
    # globals the library (re)defines are never integrated as primitives
    vm.library_globals = globals_defined(protos)
    return vm


def library_path(file: str, include_dirs=(), append_dirs=()) -> list[str]:
    """Where `(import (a b))` looks for a/b.sld: the `-I` directories, the
    program file's own directory, then the `-A` directories."""
    return [*include_dirs, os.path.dirname(os.path.abspath(file)), *append_dirs]


def run_source(vm: VM, text: str, file: str, expander: Expander | None = None,
               search_path=()) -> int:
    """Compile and run a whole program; return its value (a word).
    `search_path`: library directories, for a new expander (and for `eval`'s
    environments)."""
    vm.search_path = list(search_path)
    t0 = time.perf_counter()
    proto = compile_program(read_all(text, file), file, expander or Expander(search_path),
                            defined=set(vm.library_globals))
    vm.seconds["frontend"] += time.perf_counter() - t0
    return vm.run(vm.load(proto))


def format_error(vm: VM, e: HawkError) -> str:
    """What a user sees: `file:line:col: kind: message: irritants`, then the
    Scheme backtrace, innermost call first."""
    from hawk.frontend.printer import write_string
    from hawk.vm.printer import write_word
    if isinstance(e, SchemeError):      # irritants are heap words
        parts = [write_word(vm, x) for x in e.irritants]
    else:                               # irritants are frontend data
        parts = [write_string(x) for x in e.irritants]
    head = f"{e.kind}: {e.message}" + (": " + " ".join(parts) if parts else "")
    lines = [f"{e.loc}: {head}" if e.loc is not None else head]
    for k, (name, loc) in enumerate(e.backtrace):
        lines.append(f"  {'in' if k == 0 else 'called from'} {name}" + (f" ({loc})" if loc else ""))
    return "\n".join(lines)


def report(vm: VM, e: HawkError, stream=None) -> None:
    _flush(vm)
    print(format_error(vm, e), file=stream or sys.stderr, flush=True)


def run_program(text: str, file: str, argv=(), verbose=(), include_dirs=(), append_dirs=(),
                **kwargs) -> int:
    """Run a whole program as `hawk run` does and return the exit status:
    0, the code given to `exit`, 1 for a Scheme error (reported on the
    VM's error stream after flushing its output), 70 for an internal error.
    include_dirs / append_dirs: library directories before / after the
    program's own (see `library_path`). With -p, statistics follow."""
    from hawk.errors import SchemeExit
    errors = kwargs.get("stderr") or sys.stderr
    vm = None
    t0 = time.perf_counter()
    try:
        vm = make_vm([file, *argv], **kwargs)
        vm.seconds["startup"] = time.perf_counter() - t0
        vm.heap.verbose = "gc" in verbose
        run_source(vm, text, file, search_path=library_path(file, include_dirs, append_dirs))
        vm.flush()
        return 0
    except SchemeExit as e:
        _flush(vm)
        return e.code
    except HawkError as e:
        report(vm, e, errors)
        return 1
    except KeyboardInterrupt:
        _flush(vm)
        print("hawk: interrupted", file=errors)
        return 130
    except Exception as e:     # noqa: BLE001 - an internal failure, reported as one
        _flush(vm)
        print(internal_error_text(e), file=errors)
        return 70
    finally:
        if vm is not None and vm.jit_options.profile:
            _profile(vm, errors, time.perf_counter() - t0)


def _profile(vm, stream, total: float) -> None:
    """-p: what the collector and the JIT did, and where the time went."""
    heap = vm.heap
    print(f"gc: {heap.collections} collections, {heap.seconds:.3f} s, "
          f"at most {heap.max_live >> 10} KiB live after one", file=stream)
    if vm.jit is not None:
        vm.jit.report(stream)
    else:
        print(f"bytecodes interpreted: {vm.W[BC_INTERP]}", file=stream)
    print(time_split(vm, total), file=stream)


def time_split(vm, total: float) -> str:
    """-p's `time:` line: the run's wall time cut into start-up (the runtime
    library), the program's front end, generating Python code (the blocks
    engine), the JIT's recording, compiling and back-end loading, running
    traces (and, within that, callouts from traces into Python), the
    collector, and the interpreter (whatever is left). Why: the trace
    counts alone do not say whether a slow run is slow in traces, in the
    interpreter or in fixed costs."""
    parts = dict(vm.seconds)
    parts["gc"] = vm.heap.seconds
    if vm.jit is not None:
        parts.update(vm.jit.seconds())
    inner = parts.pop("callouts", None)
    parts["interpreter"] = max(0.0, total - sum(parts.values()))
    text = ", ".join(f"{name} {secs * 1e3:.1f}" for name, secs in parts.items())
    if inner is not None:
        text += f" (callouts from traces {inner * 1e3:.1f} of the traces' time)"
    return f"time: {total * 1e3:.1f} ms: {text}"


def internal_error_text(e: Exception) -> str:
    """A failure of hawk itself (not of the user's program): say so, and
    where in hawk it happened, in two lines rather than a traceback."""
    import traceback
    where = traceback.extract_tb(e.__traceback__)[-1]
    return (f"hawk: internal error: {type(e).__name__}: {e}\n"
            f"  in {where.filename}:{where.lineno} ({where.name})")


def _flush(vm) -> None:
    if vm is not None:
        vm.flush()

