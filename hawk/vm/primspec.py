"""The registry of primitives written in Python.

Each primitive declares its name and arity once, with `@primitive`. The
primitive-integration pass and the compiler read this registry to decide
which calls become opcodes (the `opcode` field) or direct PRIM instructions
(integrable primitives, up to 256 of them, index = PrimSpec.index); all
primitives are also bound as global procedures at start-up.

A primitive's Python function takes `(vm, *args)` with tagged words and
returns a tagged word. It may allocate (GC runs only at safepoints, so raw
pointers stay valid for its whole run) and raises SchemeError on misuse.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from hawk.vm.bytecode import Op


@dataclass(slots=True)
class PrimSpec:
    name: str
    nmin: int
    nmax: int | None               # None: variadic
    fn: Callable
    opcode: Op | None = None       # dedicated opcode for exactly nmin..nmax args
    integrable: bool = True        # may be compiled as a PRIM instruction
    index: int = -1                # PRIM operand, assigned at registration


PRIMS: dict[str, PrimSpec] = {}
INTEGRABLE: list[PrimSpec] = []


def primitive(name: str, nmin: int, nmax: int | None = -1, opcode: Op | None = None,
              integrable: bool = True):
    """Register the decorated function as the primitive `name`.
    nmax defaults to nmin; None means any number of arguments."""
    if nmax == -1:
        nmax = nmin

    def register(fn):
        spec = PrimSpec(name, nmin, nmax, fn, opcode, integrable and nmax is not None)
        if spec.integrable:
            spec.index = len(INTEGRABLE)
            INTEGRABLE.append(spec)
            assert spec.index < 256, "too many integrable primitives for PRIM's C operand"
        PRIMS[name] = spec
        return fn
    return register


def load_all() -> dict[str, PrimSpec]:
    """Import every primitive module (they register on import)."""
    import hawk.vm.prims  # noqa: F401  (the package imports its modules)
    return PRIMS
