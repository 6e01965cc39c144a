"""Process-context and time primitives (R7RS 6.14).

Why: `exit` must unwind to the top level (which flushes ports and runs
nothing else for `emergency-exit`), so both raise SchemeExit instead of
calling sys.exit. Jiffies are nanoseconds from a monotonic clock. None of
these is integrable (they are rare and PRIM operand slots are scarce).
"""
from __future__ import annotations

import os
import time

from hawk.errors import SchemeError, SchemeExit
from hawk.vm import values as V
from hawk.vm.primspec import primitive
from hawk.vm.prims.common import string_value

# (features) and cond-expand (hawk.frontend.libraries) share this list.
FEATURES = ["r7rs", "exact-closed", "ratios", "ieee-float", "full-unicode", "posix",
            "hawk", "hawk-0.1", "x86-64", "linux"]


def _exit_code(name, w) -> int:
    if w is None or w == V.TRUE:
        return 0
    if w == V.FALSE:
        return 1
    if (w & 7) == 0:
        return w >> 3
    raise SchemeError(f"{name}: exit code must be a boolean or an exact integer", [w])


@primitive("exit", 0, 1, integrable=False)
def exit_(vm, code=None):
    raise SchemeExit(_exit_code("exit", code))


@primitive("emergency-exit", 0, 1, integrable=False)
def emergency_exit(vm, code=None):
    raise SchemeExit(_exit_code("emergency-exit", code), emergency=True)


@primitive("command-line", 0, integrable=False)
def command_line(vm):
    return vm.data.list([vm.data.string(arg) for arg in vm.argv])


@primitive("get-environment-variable", 1, integrable=False)
def get_environment_variable(vm, name):
    value = os.environ.get(string_value(vm, "get-environment-variable", name))
    return V.FALSE if value is None else vm.data.string(value)


@primitive("get-environment-variables", 0, integrable=False)
def get_environment_variables(vm):
    d = vm.data
    return d.list([d.cons(d.string(k), d.string(v)) for k, v in os.environ.items()])


@primitive("current-second", 0, integrable=False)
def current_second(vm):
    return vm.data.flonum(time.time())


@primitive("current-jiffy", 0, integrable=False)
def current_jiffy(vm):
    return vm.data.integer(time.perf_counter_ns())


@primitive("jiffies-per-second", 0, integrable=False)
def jiffies_per_second(vm):
    return V.fixnum(10 ** 9)


@primitive("features", 0, integrable=False)
def features(vm):
    return vm.data.list([vm.data.intern(f) for f in FEATURES])
