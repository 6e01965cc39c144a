"""The runtime state that primitives see: heap, data helpers, ports,
process context. The interpreter's VM extends it with the machine state
(stack, frames, loaded code); primitives and their tests need only this."""
from __future__ import annotations

import sys

from hawk.gc.heap import Heap
from hawk.vm.data import Data


class State:
    def __init__(self, heap: Heap | None = None, stdin=None, stdout=None, stderr=None,
                 argv: list[str] | None = None):
        self.heap = heap or Heap()
        self.data = Data(self.heap)
        self.W = self.heap.W
        self.mem = self.heap.mem
        self.argv = list(argv or [])
        from hawk.vm.ports import standard_ports
        self.cur_in, self.cur_out, self.cur_err = standard_ports(
            stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr)

    def flush(self) -> None:
        """Flush every open output port: files the program never closed,
        then standard output and error (at exit, at error, before an
        interactive read). Every port whose handle is alive is in the
        foreign table; one whose handle died was closed when it was freed."""
        from hawk.vm.ports import Port
        for obj in self.data.foreign:
            if isinstance(obj, Port) and obj.is_output and obj.open:
                obj.flush()
        for port in (self.cur_out, self.cur_err):
            port.flush()
