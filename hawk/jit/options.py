"""The JIT's knobs, as given on the command line; the VM keeps one set."""
from __future__ import annotations

import os
import sys

from hawk.record import factory, record

HOT_LOOP = 56        # hotness threshold of loop headers (LuaJIT's default)
HOT_FUNC = 112       # ... of function entries
HOT_EXIT = 10        # exits taken before a side trace is recorded


@record
class JitOptions:
    enabled: bool = True
    seed: int | None = None          # seeded jitter on hotness thresholds (testing)
    hot: int = HOT_LOOP
    hot_exit: int = HOT_EXIT
    max_traces: int | None = None    # stop compiling after this many traces
    verbose: set = factory(set)   # record, ir, asm, exit
    profile: bool = False
    dump: bool = False               # write /tmp/perf-<pid>.map naming each trace for perf
    peel: bool = True                # loop optimisation (hawk.jit.loopopt; off in tests)

    @classmethod
    def supported(cls) -> bool:
        """The JIT emits x86-64 for Linux only."""
        return sys.platform.startswith("linux") and os.uname().machine in ("x86_64", "AMD64")
