"""The interactive top level: reads possibly multi-line input, prints each
value with `write`, survives errors, and keeps definitions (one VM and one
expander for the whole session)."""
from __future__ import annotations

import sys

from hawk.errors import HawkError, ReadError, SchemeExit
from hawk.frontend.expander import Expander
from hawk.frontend.pipeline import compile_toplevel
from hawk.frontend.reader import read_all
from hawk.vm import values as V


def _incomplete(e: ReadError) -> bool:
    """True when the text only lacks its end (more lines may complete it):
    the reader starts exactly those messages so."""
    return e.message.startswith(("unterminated", "missing datum after"))


class Repl:
    def __init__(self, interactive: bool, stdin=None, stdout=None):
        from hawk.driver import make_vm
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.interactive = interactive
        self.vm = make_vm(["repl"], stdout=self.stdout)
        self.expander = Expander()
        self.defined = set(self.vm.library_globals)   # grows with the session's definitions

    def prompt(self, text: str) -> None:
        if self.interactive:
            self.stdout.write(text)
            self.stdout.flush()

    def loop(self) -> int:
        from hawk.driver import internal_error_text, report
        from hawk.vm.printer import write_word
        buffer = ""
        lineno = 1          # session line number of the buffer's first line
        self.prompt("> ")
        while True:
            line = self.stdin.readline()
            if not line:
                self.vm.flush()
                return 0
            buffer += line
            try:
                forms = read_all(buffer, "<repl>", lineno)
            except ReadError as e:
                if _incomplete(e):
                    self.prompt("  ")
                    continue
                report(self.vm, e, self.stdout)
                lineno += buffer.count("\n")
                buffer = ""
                self.prompt("> ")
                continue
            lineno += buffer.count("\n")
            buffer = ""
            for form in forms:
                try:
                    proto = compile_toplevel(form, self.expander, self.defined)
                    value = self.vm.run(self.vm.load(proto))
                    self.vm.flush()
                    if value != V.UNSPECIFIED:
                        self.stdout.write(write_word(self.vm, value) + "\n")
                except SchemeExit as e:
                    self.vm.flush()
                    return e.code
                except HawkError as e:
                    report(self.vm, e, self.stdout)
                except Exception as e:     # noqa: BLE001 - the session survives hawk's own bugs
                    self.vm.flush()
                    self.stdout.write(internal_error_text(e) + "\n")
            self.prompt("> ")
