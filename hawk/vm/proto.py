"""Function prototypes: the compiler's output and the interpreter's input.

A Proto is one lambda (or the top level of a program) compiled to
bytecode. Its constants are compile-time data (hawk.frontend.datum values)
or GlobalCell markers; the VM turns them into tagged words when it loads
the prototype (hawk.vm.loader), keeping the Proto itself free of heap
pointers so it can be serialized to a .hbc file.
"""
from __future__ import annotations

from hawk.frontend.datum import SourceLoc, Symbol
from hawk.record import factory, record


@record(frozen=True)
class GlobalCell:
    """Constant-table entry standing for the global variable `name`."""
    name: Symbol


@record(eq=False)
class Proto:
    name: str                       # for backtraces and --list ("lambda" if anonymous)
    nparams: int                    # required parameters
    rest: bool                      # extra arguments collected into a list
    framesize: int = 0              # registers used (max 250)
    code: list[int] = factory(list)
    consts: list = factory(list)
    protos: list["Proto"] = factory(list)   # children, for CLOSURE
    # free variables, in closure slot order: (True, register) takes the
    # creating frame's register; (False, index) its closure's free variable
    upvals: list[tuple[bool, int]] = factory(list)
    locs: list[SourceLoc | None] = factory(list)  # per instruction
    loc: SourceLoc | None = None    # where the lambda is written
    # case-lambda dispatchers (FUNCC): (nparams, rest) of each clause, whose
    # closures are this closure's free variables in the same order
    clauses: list[tuple[int, bool]] = factory(list)
    # return pc of each CALL -> registers below it that the code never reads
    # after the call returns (hawk.vm.liveness; the collector clears them)
    dead_after_call: dict[int, tuple[int, ...]] = factory(dict)

    def walk(self):
        """This prototype and all nested ones, depth first."""
        stack = [self]
        while stack:
            p = stack.pop()
            yield p
            stack.extend(reversed(p.protos))
