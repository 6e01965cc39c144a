"""The `hawk` command's click group: every option and subcommand (see
hawk.cli, which runs a plain `hawk run FILE` without loading click).

Global options may come before or after the subcommand.
"""
from __future__ import annotations

import sys

import click

from hawk import __version__
from hawk.cli import in_big_thread, read_source, run_file

VERBOSE = ("gc", "record", "ir", "asm", "exit")


def _categories(ctx, param, values) -> tuple[str, ...]:
    """-v's categories, each given alone or as a comma-separated list; an
    unknown one is an error (it used to be ignored silently)."""
    found = tuple(cat for value in values for cat in value.split(","))
    for cat in found:
        if cat not in VERBOSE:
            raise click.BadParameter(f"unknown category {cat!r} (choose from {', '.join(VERBOSE)})")
    return found


_GLOBAL_OPTIONS = [
    click.option("--joff", is_flag=True, help="Interpreter only (no JIT)."),
    click.option("--seed", type=int, default=None, help="Seed for trace scheduling (JIT)."),
    click.option("--hot", type=int, default=None, help="Hotness threshold for recording traces."),
    click.option("-m", "--max-trace", "max_trace", type=int, default=None,
                 help="Stop compiling after N traces."),
    click.option("-p", "--profile", is_flag=True, help="Print JIT and GC statistics at exit."),
    click.option("--dump", is_flag=True,
                 help="Write /tmp/perf-PID.map naming each trace (for `perf report`)."),
    click.option("--list", "list_file", is_flag=True, help="Print the bytecode of FILE instead of running it."),
    click.option("-v", "--verbose", "verbose", multiple=True, callback=_categories,
                 help=f"Debug output: {', '.join(VERBOSE)} (repeatable, or a comma-separated list)."),
    click.option("-I", "include_dirs", multiple=True, metavar="DIR",
                 help="Look for libraries in DIR before the program's directory (repeatable)."),
    click.option("-A", "append_dirs", multiple=True, metavar="DIR",
                 help="Look for libraries in DIR after the program's directory (repeatable)."),
]
_LIBRARY_DIRS = ("include_dirs", "append_dirs")


def _global_options(fn):
    for opt in reversed(_GLOBAL_OPTIONS):
        fn = opt(fn)
    return fn


class _Group(click.Group):
    """`hawk FILE ...` means `hawk run FILE ...`."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-") or args[:1] == ["-"]:
            args = ["run", *args]
        return super().resolve_command(ctx, args)


@click.group(cls=_Group, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hawk")
@_global_options
@click.pass_context
def main(ctx, joff, seed, hot, max_trace, profile, dump, list_file, verbose, include_dirs,
         append_dirs):
    """Hawk: an R7RS Scheme with a tracing JIT."""
    ctx.obj = dict(joff=joff, seed=seed, hot=hot, max_trace=max_trace, profile=profile,
                   dump=dump, list_file=list_file, verbose=set(verbose), include_dirs=include_dirs,
                   append_dirs=append_dirs)
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty():
            sys.exit(in_big_thread(_repl, ctx.obj))
        sys.exit(in_big_thread(run_file, "-", [], ctx.obj))


def _merge(ctx, **local):
    opts = dict(ctx.obj or {})
    for k, v in local.items():
        if k == "verbose":
            opts["verbose"] = set(opts.get("verbose", ())) | set(v)
        elif k in _LIBRARY_DIRS:
            opts[k] = tuple(opts.get(k, ())) + tuple(v)
        elif v:
            opts[k] = v
    return opts


@main.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@_global_options
@click.argument("file")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def run(ctx, file, args, **local):
    """Run the Scheme program FILE (`-` reads it from standard input)."""
    opts = _merge(ctx, **local)
    if opts.get("list_file"):
        sys.exit(in_big_thread(_list, file))
    sys.exit(in_big_thread(run_file, file, list(args), opts))


@main.command()
@_global_options
@click.pass_context
def repl(ctx, **local):
    """Interactive top level."""
    sys.exit(in_big_thread(_repl, _merge(ctx, **local)))


def _list(file: str) -> int:
    from hawk.errors import HawkError
    from hawk.driver import report
    from hawk.frontend.expander import Expander
    from hawk.frontend.pipeline import compile_program
    from hawk.frontend.reader import read_all
    from hawk.vm.listing import format_proto
    try:
        proto = compile_program(read_all(read_source(file), file), file, Expander())
    except HawkError as e:
        report(None, e)
        return 1
    except OSError as e:
        print(f"hawk: cannot read {file}: {e.strerror}", file=sys.stderr)
        return 2
    click.echo(format_proto(proto))
    return 0


def _repl(opts: dict) -> int:
    from hawk.repl import Repl
    return Repl(interactive=sys.stdin.isatty()).loop()
