"""Ctrl-C while a program runs.

Programs run on a worker thread with a deep stack (hawk.cli.in_big_thread),
and Python delivers SIGINT to the main thread only, which is waiting for
the worker: the worker may be in trace code, which no Python exception can
reach. So the main thread `request`s an interrupt: it makes every running
VM's nursery look full (its HLIMIT word, and the Python mirror the blocks
engine reads, set to 0). The interpreters test HP > HLIMIT at every
safepoint and traces at their loop heads and allocations, so the worker
soon calls VM.collect, which `take`s the request and raises
KeyboardInterrupt on the worker's own stack: the driver flushes the
program's output and exits with status 130, as for any other stop. The
collection that the zeroed limit would have asked for happens at the next
safepoint instead, and sets a real limit again.

A trace that loops without allocating never tests the limit; if the worker
has not stopped within GRACE seconds, `abandon` flushes what the program
wrote and ends the process from the main thread.
"""
from __future__ import annotations

import os
import sys
import weakref

from hawk.gc.memory import HLIMIT

GRACE = 2.0                     # seconds the worker gets to reach a safepoint
_running: weakref.WeakSet = weakref.WeakSet()
_pending = [False]


def register(vm) -> None:
    """`vm` is running a program: an interrupt should stop it."""
    _running.add(vm)


def request() -> None:
    """Called on the main thread at Ctrl-C."""
    _pending[0] = True
    for vm in list(_running):
        vm.heap.limit[0] = 0
        vm.W[HLIMIT] = 0


def take() -> bool:
    """At a safepoint: was an interrupt requested (and not yet taken)?"""
    if _pending[0]:
        _pending[0] = False
        return True
    return False


def abandon(status: int = 130) -> None:
    """The worker did not reach a safepoint in time: flush every running
    VM's output from this thread, say so, and exit the process."""
    for vm in list(_running):
        try:
            vm.flush()
        except Exception:       # noqa: BLE001 - exiting anyway; the message still goes out
            pass
    print("hawk: interrupted", file=sys.stderr, flush=True)
    os._exit(status)
