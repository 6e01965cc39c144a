"""The `hawk` command.

  hawk run FILE [ARGS...]    run a program (`hawk FILE` is shorthand; FILE `-` is stdin)
  hawk repl                  interactive top level (also plain `hawk` on a terminal)
  hawk --list FILE           print the bytecode of a program with source lines

Options and subcommands are click's (hawk.commands). A plain run, with no
option before the program's file, starts without importing click: it
costs ~25 ms, about a tenth of running hello world (bench/startup.py).
"""
from __future__ import annotations

import gc
import sys
import threading

# The expander and passes recurse over the program; deep nesting needs a
# deep Python stack, so work runs in a thread with a large one.
RECURSION_LIMIT = 100_000
THREAD_STACK = 512 * 1024 * 1024
COMMANDS = ("run", "repl")      # the click group's subcommands (tests/test_cli.py checks)
# Python's cyclic collector, young generation: collect after this many net
# container allocations (Python's default is 700). hawk's own Python
# objects are mostly long-lived (the runtime library's code, the front
# end's tables) and a program's data lives in native memory, so those
# collections found little: with the default, a benchmark run made ~45 of
# them, 6.5 ms of its ~160 ms, ~1 ms inside the timed part.
YOUNG_GENERATION = 50_000


def main(argv: list[str] | None = None):
    """Entry point (the `hawk` script, `python -m hawk`)."""
    args = sys.argv[1:] if argv is None else argv
    gc.set_threshold(YOUNG_GENERATION, *gc.get_threshold()[1:])
    try:
        plain = plain_run(args)
        if plain is not None:
            sys.exit(in_big_thread(run_file, plain[0], plain[1], {}))
        from hawk.commands import main as group     # click: only for options and other commands
        group(args)
    except KeyboardInterrupt:                       # before the program started
        print("hawk: interrupted", file=sys.stderr)
        sys.exit(130)


def plain_run(args: list[str]):
    """(file, program arguments) when `args` is `run FILE ARGS...` or
    `FILE ARGS...` with no option before FILE (everything after FILE is the
    program's, as for the click command), else None."""
    if args[:1] == ["run"]:
        args = args[1:]
    elif not args or args[0] in COMMANDS:
        return None
    if not args or args[0].startswith("-") and args[0] != "-":
        return None
    return args[0], args[1:]


def in_big_thread(fn, *args):
    """Run fn(*args) on a thread with a deep stack; return its exit code."""
    result = [1]
    done = threading.Event()

    def target():
        try:
            sys.setrecursionlimit(RECURSION_LIMIT)
            result[0] = fn(*args)
        finally:
            done.set()

    threading.stack_size(THREAD_STACK)
    threading.Thread(target=target, daemon=True).start()
    # wait on an Event, not Thread.join: CPython 3.11's join, interrupted by
    # Ctrl-C, may release the worker's state lock and later return at once
    while True:
        try:
            done.wait()
            return result[0]
        except KeyboardInterrupt:
            from hawk.vm import interrupts   # stop the worker at its next safepoint
            interrupts.request()
            try:
                if done.wait(interrupts.GRACE):
                    return result[0]
            except KeyboardInterrupt:
                pass
            interrupts.abandon()


def read_source(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    with open(file, encoding="utf-8") as fh:
        return fh.read()


def run_file(file: str, args: list[str], opts: dict) -> int:
    from hawk.driver import run_program
    try:
        text = read_source(file)
    except OSError as e:
        print(f"hawk: cannot read {file}: {e.strerror}", file=sys.stderr)
        return 2
    import io
    stdin = {"stdin": io.StringIO("")} if file == "-" else {}
    return run_program(text, file, args, opts.get("verbose", ()), opts.get("include_dirs", ()),
                       opts.get("append_dirs", ()), jit=_jit_options(opts), **stdin)


def _jit_options(opts: dict):
    from hawk.jit.options import JitOptions
    jit = JitOptions(enabled=not opts.get("joff"), seed=opts.get("seed"),
                     max_traces=opts.get("max_trace"), verbose=set(opts.get("verbose", ())),
                     profile=bool(opts.get("profile")), dump=bool(opts.get("dump")))
    if opts.get("hot"):
        jit.hot = opts["hot"]
    if jit.enabled and not JitOptions.supported():
        print("hawk: the JIT needs x86-64 Linux; running the interpreter only", file=sys.stderr)
        jit.enabled = False
    return jit
