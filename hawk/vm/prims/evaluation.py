"""The compiler at run time: the primitives behind `eval`, `environment`,
`interaction-environment` and `load` (their Scheme halves are in
hawk/lib/prelude.scm).

The interpreter is never re-entered from Python, so these primitives only
compile: each returns a closure of the compiled code, and the prelude calls
it. An environment is an expander (its top-level bindings and imported
libraries) plus the set of globals its code defined, which are then no
longer integrated as primitives (see hawk.frontend.pipeline).
"""
from __future__ import annotations

from pathlib import Path

from hawk.errors import SchemeError
from hawk.frontend.datum import Pair, sym
from hawk.vm.objects import T
from hawk.vm.primspec import primitive
from hawk.vm.prims.common import string_value


class Environment:
    """strict: an `environment` made from import sets, where an identifier
    they do not bind is an error when the code is compiled; the interaction
    environment is lenient like the REPL (unbound names are found, or
    reported, at run time)."""

    def __init__(self, vm, strict: bool):
        from hawk.frontend.expander import Expander
        self.expander = Expander(getattr(vm, "search_path", ()))
        self.defined = set(getattr(vm, "library_globals", ()))
        self.strict = strict


def _environment(vm, w) -> Environment:
    obj = vm.data.foreign_value(w) if vm.data.type_of(w) == T.FOREIGN else None
    if not isinstance(obj, Environment):
        raise SchemeError("eval: not an environment", [w])
    return obj


@primitive("%make-environment", 1, integrable=False)
def make_environment(vm, import_sets):
    """(environment-handle . closure that loads the imported libraries)"""
    from hawk.frontend.pipeline import compile_program
    env = Environment(vm, strict=True)
    form = Pair(sym("import"), vm.data.from_word(import_sets))
    proto = compile_program([form], "<environment>", env.expander, defined=env.defined)
    return vm.data.cons(vm.data.foreign_object(env), vm.load(proto))


@primitive("interaction-environment", 0, integrable=False)
def interaction_environment(vm):
    env = getattr(vm, "interaction", None)
    if env is None:
        env = vm.interaction = Environment(vm, strict=False)
    return vm.data.foreign_object(env)


@primitive("%compile", 2, integrable=False)
def compile_expression(vm, expr, env_word):
    """A closure that evaluates `expr` in the environment."""
    from hawk.frontend.pipeline import compile_program, compile_toplevel
    env = _environment(vm, env_word)
    form = vm.data.from_word(expr)
    if env.strict:
        return vm.load(compile_program([form], "<eval>", env.expander, defined=env.defined))
    return vm.load(compile_toplevel(form, env.expander, env.defined))


@primitive("%compile-file", 2, integrable=False)
def compile_file(vm, name, env_word):
    """A closure that runs every form of the file in the environment."""
    from hawk.frontend.pipeline import compile_program
    from hawk.frontend.reader import read_all
    env = _environment(vm, env_word)
    path = string_value(vm, "load", name)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise SchemeError(f"load: {e.strerror}", [name], kind="file-error") from None
    return vm.load(compile_program(read_all(text, path), path, env.expander, defined=env.defined))


