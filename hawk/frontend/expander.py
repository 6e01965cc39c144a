"""The expander: Scheme data from the reader to the core AST (hawk.frontend.ast).

Every identifier is resolved through a chain of environment frames
(syntax_rules.Env) to a local Var, a global name, a core syntactic keyword
(`Special`) or a macro (`SyntaxRules`); resolution, not spelling, decides
what a form means, so local bindings and user globals named `if` or `list`
shadow the keyword, and macro output stays hygienic (see syntax_rules).

Core and derived forms are handled by the functions in `SPECIAL_FORMS`
(keyword name -> handler); each reduces its form straight to the node types
of ast.py.  The only run-time procedures the expansions call, always as a
GlobalRef of these names, are:

    cons list append list->vector apply eqv? call-with-values values
    make-promise %make-promise call/cc with-exception-handler
    raise-continuable %parameterize %make-record-type %make-record
    %record? %record-ref %record-set!

`define-values` and `define-record-type` are rewritten into a `begin` of
plain definitions built from identifiers closed in the pristine core
environment (`CORE_ENV`), so user bindings cannot capture them and they
work alike at top level and in bodies.

Libraries (see hawk.frontend.libraries): every top level has a
`Namespace` root frame.  `import` binds identifiers in it to what the
library exports; a program's first `import` closes its namespace, so it
then sees only what it imports.  `define-library` expands each library's
body once, with its own namespace, in a `_TopScanner` whose definitions get
the library's mangled global names; the library's nodes are emitted where
the importer's import form is.  Uses of identifiers that a closed namespace
never binds are reported when the program has been expanded (so later
definitions count), at their first use.

A top-level program and a body are both walked by a `_Scanner` that splices
`begin`s and expands macro uses until it sees whether each form is a
definition; a body's definitions become one Letrec (letrec* semantics),
expressions among them being bound to dummy variables.

Recursion: sequences (programs, bodies, `begin`, arguments, clauses,
quoted and quasiquoted lists, macro uses expanding into macro uses in the
same position) are handled iteratively.  Nesting is recursive, costing
Python frames per level of expression nesting: about 3 for calls and `if`,
5 for `let` and `cond`, 6 for `lambda`, 10 for a `define` inside a body.
So an expression nested N deep needs a recursion limit of about 10*N (plus
what the caller uses): the default 1000 is enough for ordinary code, and a
limit of 100000 (with a big thread stack) handles nesting ~10000 deep.
"""
from __future__ import annotations

from functools import partial
from pathlib import Path

from hawk.errors import SyntaxError_
from hawk.frontend.ast import (CaseLambda, Call, Const, GlobalDef, GlobalRef,
                               GlobalSet, If, Lambda, Let, Letrec, LocalRef,
                               LocalSet, Node, Seq, Var)
from hawk.frontend.datum import (NIL, UNSPECIFIED, MString, Pair, Symbol,
                                 Vector, from_list, sym, to_list)
from hawk.frontend.libraries import (Libraries, Library, Namespace, Unbound, format_name,
                                     library_name, requirement_holds)
from hawk.frontend.reader import read_all
from hawk.frontend.syntax_rules import (Env, Renamed, SyntaxRules, base_symbol,
                                        is_identifier, resolve, strip)
from hawk.vm import primspec

__all__ = ["Expander", "Special", "SPECIAL_FORMS", "CORE_ENV"]


class Special:
    """A core syntactic keyword.  `expand(expander, form, env)` turns a use
    of it in expression context into a node."""
    __slots__ = ("name", "expand")

    def __init__(self, name: str, expand):
        self.name = name
        self.expand = expand

    def __repr__(self) -> str:
        return f"<special {self.name}>"


SPECIAL_FORMS: dict[str, Special] = {}


def _special(*names: str):
    def register(handler):
        for name in names:
            SPECIAL_FORMS[name] = Special(name, handler)
        return handler
    return register


def _initial_table() -> dict:
    return {sym(name): special for name, special in SPECIAL_FORMS.items()}


class Expander:
    """Expands programs or REPL inputs against one persistent top-level
    environment (macros and shadowing definitions carry over).
    `search_path`: the directories where `(import (a b))` looks for a/b.sld."""

    def __init__(self, search_path=()):
        self.top = Namespace(_initial_table())
        self.libraries = Libraries(SPECIAL_FORMS, primspec.load_all(), search_path)
        self.pending: list[tuple[Unbound, object]] = []     # uses of unbound markers

    # ---- public API

    def expand_program(self, forms: list) -> Seq:
        """A whole program (a list of data) as a Seq of its top-level forms."""
        scanner = _TopScanner(self, self.top)
        scanner.run(forms)
        for marker, loc in self.pending:
            if marker.still_unbound():
                raise SyntaxError_(f"unbound identifier {marker.symbol.name} (neither "
                                   "imported nor defined)", [], loc)
        self.pending.clear()
        return Seq(scanner.nodes or [Const(UNSPECIFIED)])

    def expand_toplevel(self, form) -> Node:
        """One REPL input.  Unbound identifiers are left to run time: a later
        input may define them."""
        scanner = _TopScanner(self, self.top)
        scanner.run([form])
        self.pending.clear()
        return _sequence(scanner.nodes) if scanner.nodes else Const(UNSPECIFIED)

    # ---- libraries

    def import_(self, namespace: Namespace, x: Pair) -> list[Node]:
        """Bind what `(import set ...)` imports in `namespace`; the nodes of
        the libraries it loads."""
        nodes = []
        for spec in _operands(x, 1):
            loc = getattr(spec, "loc", None) or x.loc
            bindings, loaded = self.libraries.import_set(spec, self.define_libraries, loc)
            namespace.table.update(bindings)
            nodes += loaded
        return nodes

    def define_libraries(self, forms: list, path: Path) -> list[Node]:
        """The nodes of a library file's define-library forms."""
        nodes = []
        for form in forms:
            if not (isinstance(form, Pair) and is_identifier(form.car)
                    and base_symbol(form.car).name == "define-library"):
                raise SyntaxError_(f"{path} may hold only define-library forms", [],
                                   getattr(form, "loc", None))
            nodes += self.define_library(form, path.parent)
        return nodes

    def define_library(self, x: Pair, directory: Path) -> list[Node]:
        """Register the library `x` defines; the nodes initialising it.
        `directory`: where its includes are looked up."""
        args = _operands(x, 1)
        name = library_name(args[0], x.loc)
        if name in self.libraries.standard or name in self.libraries.loaded:
            raise SyntaxError_(f"library {format_name(name)} is already defined", [], x.loc)
        builder = _LibraryBuilder(self, Namespace({}, format_name(name), closed=True), directory)
        builder.declarations(args[1:])
        self.libraries.loaded[name] = Library(name, builder.exports(name))
        return builder.scanner.nodes

    def cond_expand(self, x: Pair) -> list:
        """The forms of the first cond-expand clause whose requirement holds."""
        for clause in _operands(x, 1):
            parts = _items(clause, x) if isinstance(clause, Pair) else []
            if not parts:
                raise _malformed(x, clause)
            if ((is_identifier(parts[0]) and base_symbol(parts[0]).name == "else")
                    or requirement_holds(parts[0], self.libraries.available, x.loc)):
                return parts[1:]
        return []

    # ---- expressions

    def expand(self, x, env: Env, loc=None) -> Node:
        """The node for expression `x`; `loc` locates errors in a bare identifier."""
        while isinstance(x, Pair):
            loc = x.loc or loc
            binding = _head_binding(x, env)
            if isinstance(binding, SyntaxRules):
                x = binding.expand(x, env)
            elif isinstance(binding, Special):
                return binding.expand(self, x, env)
            else:
                return self.call(x, env)
        if is_identifier(x):
            return self.reference(x, env, loc)
        if x is NIL:
            raise SyntaxError_("empty combination () is not an expression", [], loc)
        return Const(strip(x))

    def reference(self, ident, env: Env, loc) -> Node:
        binding = resolve(ident, env)
        if isinstance(binding, Var):
            return LocalRef(binding)
        target = self.global_target(binding, loc)
        if target is not None:
            return GlobalRef(target, loc)
        raise SyntaxError_(f"syntax keyword used as variable: {base_symbol(ident).name}",
                           [], loc)

    def global_target(self, binding, loc) -> Symbol | None:
        """The global a variable binding names (None: not a global); notes a
        use of an unbound marker for the check at the end of the program."""
        if isinstance(binding, Unbound):
            self.pending.append((binding, loc))
            return binding.target
        return binding if isinstance(binding, Symbol) else None

    def call(self, x: Pair, env: Env) -> Call:
        items = _items(x, x)
        return Call(self.expand(items[0], env, x.loc),
                    [self.expand(a, env, x.loc) for a in items[1:]], x.loc)

    def sequence(self, forms: list, env: Env, x: Pair) -> Node:
        """Expressions evaluated in order (no definitions)."""
        if not forms:
            raise _malformed(x)
        return _sequence([self.expand(f, env, x.loc) for f in forms])

    def body(self, forms: list, env: Env, x: Pair) -> Node:
        """A body: internal definitions, then expressions."""
        scanner = _BodyScanner(self, env, x)
        scanner.run(forms)
        return scanner.finish()

    def lambda_(self, formals, body: list, env: Env, x: Pair, name: str | None = None) -> Lambda:
        params, rest = _formals(formals, x)
        frame, variables = _bind(params + ([rest] if rest is not None else []), env, x)
        rest_var = variables.pop() if rest is not None else None
        return Lambda(variables, rest_var, self.body(body, frame, x), name, x.loc)

    def is_keyword(self, x, env: Env, name: str) -> bool:
        return is_identifier(x) and resolve(x, env) is SPECIAL_FORMS[name]

    # ---- definitions

    def parse_define(self, x: Pair):
        """(name, make_value) for a `define` form; make_value(env) -> node."""
        args = _operands(x, 1)
        target = args[0]
        if isinstance(target, Pair):           # (define (f . formals) body ...)
            name = target.car
            if not is_identifier(name) or len(args) < 2:
                raise _malformed(x)
            label = base_symbol(name).name
            return name, lambda env: self.lambda_(target.cdr, args[1:], env, x, label)
        if not is_identifier(target) or len(args) > 2:
            raise _malformed(x)
        if len(args) == 1:
            return target, lambda env: Const(UNSPECIFIED)
        label = base_symbol(target).name
        return target, lambda env: _named(self.expand(args[1], env, x.loc), label)

    def transformer(self, spec, env: Env, x: Pair) -> SyntaxRules:
        if isinstance(spec, Pair) and self.is_keyword(spec.car, env, "syntax-rules"):
            return SyntaxRules(spec, env)
        raise SyntaxError_("unsupported macro transformer (only syntax-rules is supported)",
                           [], x.loc)

    # ---- quasiquote

    def quasi(self, x, level: int, env: Env, loc) -> Node:
        """The node building quasiquoted `x` at nesting `level` (1 = outermost)."""
        if isinstance(x, Pair):
            keyword = self.quasi_keyword(x, env)
            if keyword is None:
                return self.quasi_list(x, level, env, loc)
            return self.quasi_tagged(keyword, x.cdr.car, level, env, loc)
        if isinstance(x, Vector):
            node = self.quasi_list(from_list(x), level, env, loc)
            if isinstance(node, Const):
                return Const(Vector(to_list(node.value)))
            return _global_call("list->vector", [node], loc)
        return Const(strip(x))

    def quasi_keyword(self, x: Pair, env: Env) -> str | None:
        """'quasiquote', 'unquote' or 'unquote-splicing' if `x` is such a
        two-element form, else None."""
        if not (is_identifier(x.car) and isinstance(x.cdr, Pair) and x.cdr.cdr is NIL):
            return None
        binding = resolve(x.car, env)
        if isinstance(binding, Special) and binding.name in _QUASI_LEVEL:
            return binding.name
        return None

    def quasi_tagged(self, keyword: str, arg, level: int, env: Env, loc) -> Node:
        level += _QUASI_LEVEL[keyword]
        if level == 0:
            if keyword == "unquote":
                return self.expand(arg, env, loc)
            raise SyntaxError_("unquote-splicing (,@) outside a list", [], loc)
        return _quasi_join([Const(sym(keyword)), self.quasi(arg, level, env, loc)],
                           Const(NIL), loc)

    def quasi_list(self, x, level: int, env: Env, loc) -> Node:
        parts = []                  # (spliced?, node) per element
        while isinstance(x, Pair) and self.quasi_keyword(x, env) is None:
            item = x.car
            if (level == 1 and isinstance(item, Pair)
                    and self.quasi_keyword(item, env) == "unquote-splicing"):
                parts.append((True, self.expand(item.cdr.car, env, loc)))
            else:
                parts.append((False, self.quasi(item, level, env, loc)))
            x = x.cdr
        result = self.quasi(x, level, env, loc)
        pending = []
        for spliced, node in reversed(parts):
            if not spliced:
                pending.append(node)
                continue
            result = _quasi_join(pending[::-1], result, loc)
            pending = []
            result = node if _is_const_nil(result) else _global_call("append", [node, result], loc)
        return _quasi_join(pending[::-1], result, loc)


_QUASI_LEVEL = {"quasiquote": 1, "unquote": -1, "unquote-splicing": -1}


def _is_const_nil(node: Node) -> bool:
    return isinstance(node, Const) and node.value is NIL


def _quasi_join(nodes: list, rest: Node, loc) -> Node:
    """The list of `nodes`' values followed by `rest`'s, constants folded."""
    i = len(nodes)
    while i and isinstance(nodes[i - 1], Const) and isinstance(rest, Const):
        i -= 1
        rest = Const(Pair(nodes[i].value, rest.value))
    if i == 0:
        return rest
    if _is_const_nil(rest):
        return _global_call("list", nodes[:i], loc)
    for node in reversed(nodes[:i]):
        rest = _global_call("cons", [node, rest], loc)
    return rest


# ---- small helpers ----------------------------------------------------------

def _head_binding(x, env: Env):
    if isinstance(x, Pair) and is_identifier(x.car):
        return resolve(x.car, env)
    return None


def _form_name(x) -> str:
    return base_symbol(x.car).name if isinstance(x, Pair) and is_identifier(x.car) else "form"


def _malformed(x, part=None) -> SyntaxError_:
    loc = getattr(part, "loc", None) or getattr(x, "loc", None)
    return SyntaxError_(f"malformed {_form_name(x)}", [], loc)


def _items(lst, x) -> list:
    """The elements of proper list `lst`, part of form `x`."""
    try:
        return to_list(lst)
    except ValueError:
        raise _malformed(x, lst) from None


def _operands(x: Pair, least: int, most: int | None = None) -> list:
    args = _items(x.cdr, x)
    if len(args) < least or (most is not None and len(args) > most):
        raise _malformed(x)
    return args


def _sequence(nodes: list) -> Node:
    return nodes[0] if len(nodes) == 1 else Seq(nodes)


def _named(node: Node, name: str) -> Node:
    if isinstance(node, (Lambda, CaseLambda)) and node.name is None:
        node.name = name
    return node


def _global_call(name: str, args: list, loc) -> Call:
    return Call(GlobalRef(sym(name), loc), args, loc)


def _thunk(body: Node, loc) -> Lambda:
    return Lambda([], None, body, None, loc)


def _formals(formals, x) -> tuple[list, object]:
    """(parameter identifiers, rest identifier or None) of a lambda list."""
    params = []
    while isinstance(formals, Pair):
        params.append(formals.car)
        formals = formals.cdr
    rest = None if formals is NIL else formals
    if not all(is_identifier(p) for p in params) or not (rest is None or is_identifier(rest)):
        raise SyntaxError_(f"malformed parameter list in {_form_name(x)}", [], x.loc)
    return params, rest


def _bind(idents: list, env: Env, x) -> tuple[Env, list]:
    """A new frame binding each identifier to a fresh Var."""
    frame = Env({}, env)
    variables = []
    for ident in idents:
        if ident in frame.table:
            raise SyntaxError_(f"duplicate variable {base_symbol(ident).name} "
                               f"in {_form_name(x)}", [], x.loc)
        var = frame.table[ident] = Var(base_symbol(ident).name)
        variables.append(var)
    return frame, variables


def _pairs(lst, x) -> list:
    """The (first, second) of each two-element list in list `lst`."""
    out = []
    for binding in _items(lst, x):
        parts = _items(binding, x) if isinstance(binding, Pair) else None
        if parts is None or len(parts) != 2:
            raise _malformed(x, binding)
        out.append(parts)
    return out


def _bindings(lst, x) -> list:
    """The (identifier, init) pairs of a let-style binding list."""
    pairs = _pairs(lst, x)
    for binding, (name, _) in zip(_items(lst, x), pairs):
        if not is_identifier(name):
            raise _malformed(x, binding)
    return pairs


def _build(loc, items: list, tail=NIL):
    """A list datum whose pairs all carry `loc` (for rewrites)."""
    for item in reversed(items):
        tail = Pair(item, tail, loc)
    return tail


def _core(name: str) -> Renamed:
    """A fresh identifier meaning what `name` means in the core environment."""
    return Renamed(sym(name), CORE_ENV)


# ---- scanning programs and bodies --------------------------------------------

class _Scanner:
    """Walks the forms of a program or body in order, splicing `begin`s and
    expanding macro uses until each form shows whether it is a definition;
    subclasses decide what definitions and expressions become."""

    def __init__(self, ex: Expander, env: Env):
        self.ex = ex
        self.env = env

    def run(self, forms: list) -> None:
        stack = list(reversed(forms))
        while stack:
            form = stack.pop()
            binding = _head_binding(form, self.env)
            if isinstance(binding, SyntaxRules):
                stack.append(binding.expand(form, self.env))
                continue
            action = _SCAN_ACTIONS.get(binding.name) if isinstance(binding, Special) else None
            if action is None:
                self.expression(form)
            else:
                action(self, form, stack)


def _scan_begin(scanner: _Scanner, x: Pair, stack: list) -> None:
    stack.extend(reversed(_items(x.cdr, x)))


def _scan_define(scanner: _Scanner, x: Pair, stack: list) -> None:
    name, make_value = scanner.ex.parse_define(x)
    scanner.define(name, make_value, x)


def _scan_define_syntax(scanner: _Scanner, x: Pair, stack: list) -> None:
    name, spec = _operands(x, 2, 2)
    if not is_identifier(name):
        raise _malformed(x)
    scanner.define_syntax(name, scanner.ex.transformer(spec, scanner.env, x), x)


def _scan_rewrite(rewrite, scanner: _Scanner, x: Pair, stack: list) -> None:
    stack.append(rewrite(x))


def _scan_import(scanner: _Scanner, x: Pair, stack: list) -> None:
    scanner.import_(x)


def _scan_define_library(scanner: _Scanner, x: Pair, stack: list) -> None:
    scanner.define_library(x)


def _scan_cond_expand(scanner: _Scanner, x: Pair, stack: list) -> None:
    stack.extend(reversed(scanner.ex.cond_expand(x)))


def _scan_include(fold_case: bool, scanner: _Scanner, x: Pair, stack: list) -> None:
    stack.extend(reversed(_include(x, _form_directory(x), fold_case)))


def _form_directory(x: Pair) -> Path:
    """The directory of the file form `x` was read from (includes are relative to it)."""
    return Path(x.loc.file).parent if x.loc is not None else Path(".")


def _include(x: Pair, directory: Path, fold_case: bool) -> list:
    """The data in the files `(include "file" ...)` names, read as if they
    began with #!fold-case when `fold_case`."""
    forms = []
    for name in _operands(x, 1):
        if not isinstance(name, MString):
            raise _malformed(x)
        path = directory / str(name)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise SyntaxError_(f"{_form_name(x)}: cannot read {path}: {e.strerror}",
                               [], x.loc) from None
        forms += (read_all("#!fold-case\n" + text, str(path), 0) if fold_case
                  else read_all(text, str(path)))
    return forms


class _TopScanner(_Scanner):
    """Top level (of the program or of a library, whose namespace `env`
    is): definitions become GlobalDefs of the namespace's global names,
    expanded in order, so a definition (of a variable or a macro) affects
    the forms after it."""

    def __init__(self, ex: Expander, env: Namespace):
        super().__init__(ex, env)
        self.nodes: list[Node] = []

    def define(self, name, make_value, x: Pair) -> None:
        symbol = base_symbol(name)
        target = self.env.table[symbol] = self.env.global_name(symbol)
        self.nodes.append(GlobalDef(target, make_value(self.env)))

    def define_syntax(self, name, transformer: SyntaxRules, x: Pair) -> None:
        self.env.table[base_symbol(name)] = transformer

    def expression(self, form) -> None:
        self.nodes.append(self.ex.expand(form, self.env))

    def import_(self, x: Pair) -> None:
        self.env.close(_PROGRAM_KEYWORDS)
        self.nodes += self.ex.import_(self.env, x)

    def define_library(self, x: Pair) -> None:
        self.nodes += self.ex.define_library(x, _form_directory(x))


class _BodyScanner(_Scanner):
    """A body: definitions bind in a new frame; expansion of the values and
    expressions waits until every definition of the body is known."""

    def __init__(self, ex: Expander, env: Env, x: Pair):
        super().__init__(ex, Env({}, env))
        self.form = x               # the form the body belongs to
        self.entries = []           # (Var, or None for an expression; thunk -> node)

    def define(self, name, make_value, x: Pair) -> None:
        self.check_new(name, x)
        var = self.env.table[name] = Var(base_symbol(name).name)
        self.entries.append((var, partial(make_value, self.env)))

    def define_syntax(self, name, transformer: SyntaxRules, x: Pair) -> None:
        self.check_new(name, x)
        self.env.table[name] = transformer

    def check_new(self, name, x: Pair) -> None:
        if name in self.env.table:
            raise SyntaxError_(f"duplicate definition of {base_symbol(name).name} in a body",
                               [], x.loc)

    def expression(self, form) -> None:
        self.entries.append((None, partial(self.ex.expand, form, self.env, self.form.loc)))

    def import_(self, x: Pair) -> None:
        raise SyntaxError_("import is only allowed at top level", [], x.loc)

    def define_library(self, x: Pair) -> None:
        raise SyntaxError_("define-library is only allowed at top level", [], x.loc)

    def finish(self) -> Node:
        entries = self.entries
        if not entries or entries[-1][0] is not None:
            raise SyntaxError_(f"body of {_form_name(self.form)} has no expression",
                               [], self.form.loc)
        last_def = max((i for i, (var, _) in enumerate(entries) if var is not None), default=-1)
        variables, inits = [], []
        for var, thunk in entries[:last_def + 1]:
            variables.append(var or Var("_"))
            inits.append(thunk())
        body = _sequence([thunk() for _, thunk in entries[last_def + 1:]])
        return Letrec(variables, inits, body) if variables else body


class _LibraryBuilder:
    """Processes the declarations of one define-library form (each by
    `_DECLARATIONS`), expanding its body in its own namespace."""

    def __init__(self, ex: Expander, namespace: Namespace, directory: Path):
        self.ex = ex
        self.scanner = _TopScanner(ex, namespace)
        self.directory = directory
        self.export_specs: list = []      # (internal identifier, external Symbol, form)

    def declarations(self, forms: list) -> None:
        for form in forms:
            head = base_symbol(form.car).name if _head_is_identifier(form) else None
            if head not in _DECLARATIONS:
                raise SyntaxError_("unknown library declaration", [strip(form)],
                                   getattr(form, "loc", None))
            _DECLARATIONS[head](self, form)

    def exports(self, name: tuple) -> dict:
        """External name -> binding of every export."""
        out = {}
        for internal, external, x in self.export_specs:
            binding = resolve(internal, self.scanner.env)
            if isinstance(binding, Unbound):
                raise SyntaxError_(f"library {format_name(name)} exports "
                                   f"{base_symbol(internal).name}, which it neither defines "
                                   "nor imports", [], x.loc)
            out[external] = binding
        return out


def _head_is_identifier(form) -> bool:
    return isinstance(form, Pair) and is_identifier(form.car)


def _declare_export(builder: _LibraryBuilder, x: Pair) -> None:
    for spec in _operands(x, 0):
        parts = _items(spec, x) if isinstance(spec, Pair) else [spec, spec]
        if isinstance(spec, Pair) and not (
                len(parts) == 3 and is_identifier(parts[0])
                and base_symbol(parts[0]).name == "rename"):
            raise _malformed(x, spec)
        internal, external = parts[-2:]
        if not (is_identifier(internal) and is_identifier(external)):
            raise _malformed(x, spec)
        builder.export_specs.append((base_symbol(internal), base_symbol(external), x))


def _declare_import(builder: _LibraryBuilder, x: Pair) -> None:
    builder.scanner.nodes += builder.ex.import_(builder.scanner.env, x)


def _declare_begin(builder: _LibraryBuilder, x: Pair) -> None:
    builder.scanner.run(_operands(x, 0))


def _declare_include(fold_case: bool, builder: _LibraryBuilder, x: Pair) -> None:
    builder.scanner.run(_include(x, builder.directory, fold_case))


def _declare_library_declarations(builder: _LibraryBuilder, x: Pair) -> None:
    builder.declarations(_include(x, builder.directory, False))


def _declare_cond_expand(builder: _LibraryBuilder, x: Pair) -> None:
    builder.declarations(builder.ex.cond_expand(x))


_DECLARATIONS = {
    "export": _declare_export,
    "import": _declare_import,
    "begin": _declare_begin,
    "include": partial(_declare_include, False),
    "include-ci": partial(_declare_include, True),
    "include-library-declarations": _declare_library_declarations,
    "cond-expand": _declare_cond_expand,
}


# ---- rewrites into plain definitions ----------------------------------------

def _rewrite_define_values(x: Pair):
    """(define-values formals e) ->
    (begin (define v) ... (call-with-values (lambda () e)
                             (lambda temps (set! v temp) ...)))"""
    formals, expr = _operands(x, 2, 2)
    params, rest = _formals(formals, x)
    names = params + ([rest] if rest is not None else [])
    temps = [Renamed(base_symbol(n), CORE_ENV) for n in names]
    temp_formals = _build(x.loc, temps[:len(params)], temps[-1] if rest is not None else NIL)
    sets = [_build(x.loc, [_core("set!"), n, t]) for n, t in zip(names, temps)]
    consumer = _build(x.loc, [_core("lambda"), temp_formals,
                              *(sets or [_build(x.loc, [_core("if"), False, False])])])
    producer = _build(x.loc, [_core("lambda"), NIL, expr])
    defines = [_build(x.loc, [_core("define"), n]) for n in names]
    return _build(x.loc, [_core("begin"), *defines,
                          _build(x.loc, [_core("call-with-values"), producer, consumer])])


def _rewrite_record_type(x: Pair):
    """(define-record-type name ctor pred field-spec ...) -> a `begin` of
    definitions of name (the rtd), the constructor, predicate, accessors
    and modifiers, calling %make-record-type, %make-record, %record?,
    %record-ref and %record-set!."""
    args = _operands(x, 3)
    type_name, ctor, pred = args[:3]
    specs = [_items(s, x) if isinstance(s, Pair) else [] for s in args[3:]]
    if not is_identifier(type_name) or not all(
            1 <= len(s) <= 3 and all(is_identifier(i) for i in s) for s in specs):
        raise _malformed(x)
    fields = [s[0] for s in specs]
    loc = x.loc

    def define(name, formals, body):
        return _build(loc, [_core("define"), name, _build(loc, [_core("lambda"), formals, body])])

    def quoted(datum):
        return _build(loc, [_core("quote"), datum])

    forms = [_build(loc, [_core("define"), type_name,
                          _build(loc, [_core("%make-record-type"), quoted(type_name),
                                       quoted(_build(loc, fields))])])]
    forms += _record_constructor(ctor, fields, type_name, define, x)
    if is_identifier(pred):
        obj = _core("obj")
        forms.append(define(pred, _build(loc, [obj]),
                            _build(loc, [_core("%record?"), obj, type_name])))
    for index, (field, *procs) in enumerate(specs):
        obj, value = _core("obj"), _core("value")
        # accessors and modifiers carry no source location and pass their own
        # name: a wrong record is reported as "point-x: ..." at the caller's
        # call, not at this define-record-type form
        forms.append(_unlocated_define(procs[0], [obj], [
            _core("%record-ref"), obj, type_name, index, quoted(procs[0])]))
        if len(procs) == 2:
            forms.append(_unlocated_define(procs[1], [obj, value], [
                _core("%record-set!"), obj, type_name, index, value, quoted(procs[1])]))
    return _build(loc, [_core("begin"), *forms])


def _unlocated_define(name, formals: list, body: list) -> Pair:
    """(define name (lambda formals body)) whose lambda has no location, so an
    error inside it is located at the first caller that has one."""
    return _build(None, [_core("define"), name,
                         _build(None, [_core("lambda"), _build(None, formals), _build(None, body)])])


def _record_constructor(ctor, fields: list, type_name, define, x: Pair) -> list:
    """The constructor's definition: `(make f ...)` takes the named fields
    (others start as #f), a bare identifier takes all fields, #f defines none."""
    if ctor is False:
        return []
    if is_identifier(ctor):
        ctor = Pair(ctor, _build(x.loc, fields))
    names = _items(ctor, x) if isinstance(ctor, Pair) else []
    if not names or not all(is_identifier(n) for n in names):
        raise _malformed(x)
    temps = {}
    for field in names[1:]:
        if field not in fields or field in temps:
            raise SyntaxError_(f"constructor field {base_symbol(field).name} is not a "
                               "field of the record type (or is repeated)", [], x.loc)
        temps[field] = Renamed(base_symbol(field), CORE_ENV)
    args = [temps.get(f, False) for f in fields]
    return [define(names[0], _build(x.loc, list(temps.values())),
                   _build(x.loc, [_core("%make-record"), type_name, *args]))]


_SCAN_ACTIONS = {
    "begin": _scan_begin,
    "define": _scan_define,
    "define-syntax": _scan_define_syntax,
    "define-values": partial(_scan_rewrite, _rewrite_define_values),
    "define-record-type": partial(_scan_rewrite, _rewrite_record_type),
    "import": _scan_import,
    "define-library": _scan_define_library,
    "cond-expand": _scan_cond_expand,
    "include": partial(_scan_include, False),
    "include-ci": partial(_scan_include, True),
}


# ---- special forms ------------------------------------------------------------

@_special("quote")
def _quote(ex: Expander, x: Pair, env: Env) -> Node:
    (datum,) = _operands(x, 1, 1)
    return Const(strip(datum))


@_special("quasiquote")
def _quasiquote(ex: Expander, x: Pair, env: Env) -> Node:
    (template,) = _operands(x, 1, 1)
    return ex.quasi(template, 1, env, x.loc)


@_special("if")
def _if(ex: Expander, x: Pair, env: Env) -> Node:
    args = [ex.expand(a, env, x.loc) for a in _operands(x, 2, 3)]
    return If(args[0], args[1], args[2] if len(args) == 3 else Const(UNSPECIFIED))


@_special("lambda")
def _lambda(ex: Expander, x: Pair, env: Env) -> Node:
    args = _operands(x, 2)
    return ex.lambda_(args[0], args[1:], env, x)


@_special("case-lambda")
def _case_lambda(ex: Expander, x: Pair, env: Env) -> Node:
    clauses = []
    for clause in _operands(x, 1):
        parts = _items(clause, x) if isinstance(clause, Pair) else []
        if len(parts) < 2:
            raise _malformed(x, clause)
        clauses.append(ex.lambda_(parts[0], parts[1:], env, x))
    return CaseLambda(clauses, None, x.loc)


@_special("set!")
def _set(ex: Expander, x: Pair, env: Env) -> Node:
    target, value = _operands(x, 2, 2)
    if not is_identifier(target):
        raise _malformed(x)
    binding = resolve(target, env)
    if isinstance(binding, Var):
        return LocalSet(binding, ex.expand(value, env, x.loc))
    symbol = ex.global_target(binding, x.loc)
    if symbol is not None:
        return GlobalSet(symbol, ex.expand(value, env, x.loc), x.loc)
    raise SyntaxError_(f"set! of a syntax keyword: {base_symbol(target).name}", [], x.loc)


@_special("begin")
def _begin(ex: Expander, x: Pair, env: Env) -> Node:
    return ex.sequence(_operands(x, 1), env, x)


@_special("define", "define-values", "define-syntax", "define-record-type")
def _misplaced_definition(ex: Expander, x: Pair, env: Env) -> Node:
    raise SyntaxError_(f"{_form_name(x)} in expression context (definitions belong "
                       "at top level or in a body)", [], x.loc)


@_special("import", "define-library")
def _misplaced_library_form(ex: Expander, x: Pair, env: Env) -> Node:
    raise SyntaxError_(f"{_form_name(x)} is only allowed at top level", [], x.loc)


@_special("cond-expand")
def _cond_expand(ex: Expander, x: Pair, env: Env) -> Node:
    forms = ex.cond_expand(x)
    return ex.sequence(forms, env, x) if forms else Const(UNSPECIFIED)


def _include_expression(fold_case: bool, ex: Expander, x: Pair, env: Env) -> Node:
    return ex.sequence(_include(x, _form_directory(x), fold_case), env, x)


_special("include")(partial(_include_expression, False))
_special("include-ci")(partial(_include_expression, True))


@_special("syntax-rules")
def _misplaced_syntax_rules(ex: Expander, x: Pair, env: Env) -> Node:
    raise SyntaxError_("syntax-rules outside define-syntax, let-syntax or letrec-syntax",
                       [], x.loc)


@_special("syntax-error")
def _syntax_error(ex: Expander, x: Pair, env: Env) -> Node:
    """R7RS (syntax-error "message" irritant ...), for macros to report misuse."""
    args = _operands(x, 1)
    if not isinstance(args[0], MString):
        raise _malformed(x)
    raise SyntaxError_(str(args[0]), [strip(a) for a in args[1:]], x.loc)


@_special("else", "=>", "unquote", "unquote-splicing", "...", "_")
def _misplaced_auxiliary(ex: Expander, x: Pair, env: Env) -> Node:
    raise SyntaxError_(f"misplaced auxiliary keyword {_form_name(x)}", [], x.loc)


# -- binding forms

@_special("let")
def _let(ex: Expander, x: Pair, env: Env) -> Node:
    args = _operands(x, 2)
    if is_identifier(args[0]):
        return _named_let(ex, x, args, env)
    bindings = _bindings(args[0], x)
    inits = [_named(ex.expand(init, env, x.loc), base_symbol(name).name)
             for name, init in bindings]
    frame, variables = _bind([name for name, _ in bindings], env, x)
    return Let(variables, inits, ex.body(args[1:], frame, x))


def _named_let(ex: Expander, x: Pair, args: list, env: Env) -> Node:
    if len(args) < 3:
        raise _malformed(x)
    name, bindings = args[0], _bindings(args[1], x)
    inits = [ex.expand(init, env, x.loc) for _, init in bindings]
    frame, (loop,) = _bind([name], env, x)
    proc = ex.lambda_(_build(x.loc, [n for n, _ in bindings]), args[2:], frame, x,
                      base_symbol(name).name)
    return Letrec([loop], [proc], Call(LocalRef(loop), inits, x.loc))


@_special("let*")
def _let_star(ex: Expander, x: Pair, env: Env) -> Node:
    """Nested Lets.  One frame serves every binding: each init is expanded
    (completely) before the next name is bound in it, so it sees exactly the
    earlier ones, and a long let* costs no long chain of frames."""
    args = _operands(x, 2)
    frame, variables, inits = Env({}, env), [], []
    for name, init in _bindings(args[0], x):
        inits.append(_named(ex.expand(init, frame, x.loc), base_symbol(name).name))
        var = frame.table[name] = Var(base_symbol(name).name)
        variables.append(var)
    body = ex.body(args[1:], frame, x)
    for var, init in zip(reversed(variables), reversed(inits)):
        body = Let([var], [init], body)
    return body


@_special("letrec", "letrec*")
def _letrec(ex: Expander, x: Pair, env: Env) -> Node:
    args = _operands(x, 2)
    bindings = _bindings(args[0], x)
    frame, variables = _bind([name for name, _ in bindings], env, x)
    inits = [_named(ex.expand(init, frame, x.loc), base_symbol(name).name)
             for name, init in bindings]
    return Letrec(variables, inits, ex.body(args[1:], frame, x))


@_special("receive")
def _receive(ex: Expander, x: Pair, env: Env) -> Node:
    """SRFI 8 (receive formals e body ...) ->
    (call-with-values (lambda () e) (lambda formals body ...))"""
    args = _operands(x, 3)
    producer = _thunk(ex.expand(args[1], env, x.loc), x.loc)
    return _global_call("call-with-values",
                        [producer, ex.lambda_(args[0], args[2:], env, x)], x.loc)


@_special("let-values")
def _let_values(ex: Expander, x: Pair, env: Env) -> Node:
    return _values_bindings(ex, x, env, sequential=False)


@_special("let*-values")
def _let_star_values(ex: Expander, x: Pair, env: Env) -> Node:
    return _values_bindings(ex, x, env, sequential=True)


def _values_bindings(ex: Expander, x: Pair, env: Env, sequential: bool) -> Node:
    """Nested call-with-values; for let-values every init is expanded in the
    outer environment, for let*-values in the scope of the earlier formals."""
    args = _operands(x, 2)
    scope, seen, layers = env, set(), []
    for formals, init in _pairs(args[0], x):
        init_node = ex.expand(init, scope if sequential else env, x.loc)
        params, rest = _formals(formals, x)
        idents = params + ([rest] if rest is not None else [])
        if not sequential:
            for ident in idents:
                if ident in seen:
                    raise SyntaxError_(f"duplicate variable {base_symbol(ident).name} "
                                       "in let-values", [], x.loc)
                seen.add(ident)
        scope, variables = _bind(idents, scope, x)
        rest_var = variables.pop() if rest is not None else None
        layers.append((init_node, variables, rest_var))
    body = ex.body(args[1:], scope, x)
    for init_node, variables, rest_var in reversed(layers):
        body = _global_call("call-with-values", [
            _thunk(init_node, x.loc), Lambda(variables, rest_var, body, None, x.loc)], x.loc)
    return body


@_special("do")
def _do(ex: Expander, x: Pair, env: Env) -> Node:
    args = _operands(x, 2)
    specs = []
    for spec in _items(args[0], x):
        parts = _items(spec, x) if isinstance(spec, Pair) else []
        if not 2 <= len(parts) <= 3 or not is_identifier(parts[0]):
            raise _malformed(x, spec)
        specs.append(parts)
    exit_clause = _items(args[1], x) if isinstance(args[1], Pair) else []
    if not exit_clause:
        raise _malformed(x)
    inits = [ex.expand(init, env, x.loc) for _, init, *_ in specs]
    frame, variables = _bind([name for name, *_ in specs], env, x)
    test = ex.expand(exit_clause[0], frame, x.loc)
    result = (ex.sequence(exit_clause[1:], frame, x) if len(exit_clause) > 1
              else Const(UNSPECIFIED))
    commands = [ex.expand(c, frame, x.loc) for c in args[2:]]
    steps = [ex.expand(spec[2], frame, x.loc) if len(spec) == 3 else LocalRef(var)
             for spec, var in zip(specs, variables)]
    loop = Var("do")
    again = Call(LocalRef(loop), steps, x.loc)
    proc = Lambda(variables, None, If(test, result, _sequence(commands + [again])), "do", x.loc)
    return Letrec([loop], [proc], Call(LocalRef(loop), inits, x.loc))


# -- conditionals

@_special("and")
def _and(ex: Expander, x: Pair, env: Env) -> Node:
    nodes = [ex.expand(a, env, x.loc) for a in _operands(x, 0)]
    if not nodes:
        return Const(True)
    result = nodes[-1]
    for node in reversed(nodes[:-1]):
        result = If(node, result, Const(False))
    return result


@_special("or")
def _or(ex: Expander, x: Pair, env: Env) -> Node:
    nodes = [ex.expand(a, env, x.loc) for a in _operands(x, 0)]
    if not nodes:
        return Const(False)
    result = nodes[-1]
    for node in reversed(nodes[:-1]):
        result = _test_once(node, result)
    return result


def _test_once(test: Node, otherwise: Node) -> Node:
    """test's value if true, else otherwise: (let ((t test)) (if t t otherwise))."""
    t = Var("t")
    return Let([t], [test], If(LocalRef(t), LocalRef(t), otherwise))


@_special("when")
def _when(ex: Expander, x: Pair, env: Env) -> Node:
    test, body = _guarded_body(ex, x, env)
    return If(test, body, Const(UNSPECIFIED))


@_special("unless")
def _unless(ex: Expander, x: Pair, env: Env) -> Node:
    test, body = _guarded_body(ex, x, env)
    return If(test, Const(UNSPECIFIED), body)


def _guarded_body(ex: Expander, x: Pair, env: Env) -> tuple[Node, Node]:
    args = _operands(x, 2)
    return ex.expand(args[0], env, x.loc), ex.sequence(args[1:], env, x)


@_special("cond")
def _cond(ex: Expander, x: Pair, env: Env) -> Node:
    return _cond_clauses(ex, _operands(x, 1), env, Const(UNSPECIFIED), x)


def _cond_clauses(ex: Expander, clauses: list, env: Env, default: Node, x: Pair) -> Node:
    """cond clauses (also guard's) as nested Ifs; `default` when none applies."""
    builders = []
    for i, clause in enumerate(clauses):
        parts = _items(clause, x) if isinstance(clause, Pair) else []
        if not parts:
            raise _malformed(x, clause)
        if ex.is_keyword(parts[0], env, "else"):
            if i != len(clauses) - 1 or len(parts) < 2:
                raise _malformed(x, clause)
            builders.append(partial(_else_clause, ex.sequence(parts[1:], env, x)))
            continue
        test = ex.expand(parts[0], env, x.loc)
        if len(parts) == 1:
            builders.append(partial(_test_once, test))
        elif len(parts) == 3 and ex.is_keyword(parts[1], env, "=>"):
            receiver = ex.expand(parts[2], env, x.loc)
            builders.append(partial(_arrow_clause, test, receiver, clause.loc or x.loc))
        else:
            builders.append(partial(_if_clause, test, ex.sequence(parts[1:], env, x)))
    result = default
    for build in reversed(builders):
        result = build(result)
    return result


def _else_clause(body: Node, otherwise: Node) -> Node:
    return body


def _if_clause(test: Node, body: Node, otherwise: Node) -> Node:
    return If(test, body, otherwise)


def _arrow_clause(test: Node, receiver: Node, loc, otherwise: Node) -> Node:
    t = Var("t")
    return Let([t], [test], If(LocalRef(t), Call(receiver, [LocalRef(t)], loc), otherwise))


@_special("case")
def _case(ex: Expander, x: Pair, env: Env) -> Node:
    args = _operands(x, 2)
    key = Var("key")
    builders = []
    for i, clause in enumerate(args[1:]):
        parts = _items(clause, x) if isinstance(clause, Pair) else []
        if len(parts) < 2:
            raise _malformed(x, clause)
        if len(parts) == 3 and ex.is_keyword(parts[1], env, "=>"):
            body = Call(ex.expand(parts[2], env, x.loc), [LocalRef(key)], clause.loc or x.loc)
        else:
            body = ex.sequence(parts[1:], env, x)
        if ex.is_keyword(parts[0], env, "else"):
            if i != len(args) - 2:
                raise _malformed(x, clause)
            builders.append(partial(_else_clause, body))
            continue
        data = [strip(d) for d in _items(parts[0], x)]
        builders.append(partial(_if_clause, _any_eqv(key, data, x.loc), body))
    result = Const(UNSPECIFIED)
    for build in reversed(builders):
        result = build(result)
    return Let([key], [ex.expand(args[0], env, x.loc)], result)


def _any_eqv(key: Var, data: list, loc) -> Node:
    """(or (eqv? key 'd1) (eqv? key 'd2) ...) as nested ifs yielding #t, so
    a case clause compiles to compare-and-branch instructions (which traces
    turn into guards) instead of a call of memv on the datum list."""
    tests = [_global_call("eqv?", [LocalRef(key), Const(d)], loc) for d in data]
    result = tests.pop() if tests else Const(False)
    for test in reversed(tests):
        result = If(test, Const(True), result)
    return result


# -- promises, parameters, exceptions

@_special("delay")
def _delay(ex: Expander, x: Pair, env: Env) -> Node:
    """(%make-promise #f (lambda () (make-promise e)))"""
    (expr,) = _operands(x, 1, 1)
    value = _global_call("make-promise", [ex.expand(expr, env, x.loc)], x.loc)
    return _global_call("%make-promise", [Const(False), _thunk(value, x.loc)], x.loc)


@_special("delay-force")
def _delay_force(ex: Expander, x: Pair, env: Env) -> Node:
    """(%make-promise #f (lambda () e))"""
    (expr,) = _operands(x, 1, 1)
    return _global_call("%make-promise",
                        [Const(False), _thunk(ex.expand(expr, env, x.loc), x.loc)], x.loc)


@_special("parameterize")
def _parameterize(ex: Expander, x: Pair, env: Env) -> Node:
    """(%parameterize (list p ...) (list v ...) (lambda () body ...))"""
    args = _operands(x, 2)
    pairs = _pairs(args[0], x)
    params = [ex.expand(p, env, x.loc) for p, _ in pairs]
    values = [ex.expand(v, env, x.loc) for _, v in pairs]
    return _global_call("%parameterize", [
        _global_call("list", params, x.loc), _global_call("list", values, x.loc),
        _thunk(ex.body(args[1:], env, x), x.loc)], x.loc)


@_special("guard")
def _guard(ex: Expander, x: Pair, env: Env) -> Node:
    """R7RS guard:
    ((call/cc
       (lambda (guard-k)
         (with-exception-handler
           (lambda (condition)
             ((call/cc
                (lambda (handler-k)
                  (guard-k (lambda ()
                             (let ((var condition))
                               (cond clause ...
                                     (else (handler-k (lambda ()
                                                        (raise-continuable condition))))))))))))
           (lambda ()
             (call-with-values (lambda () body ...)
               (lambda args (guard-k (lambda () (apply values args))))))))))"""
    args = _operands(x, 2)
    spec = _items(args[0], x) if isinstance(args[0], Pair) else []
    if not spec or not is_identifier(spec[0]):
        raise _malformed(x)
    loc = x.loc
    guard_k, condition, handler_k, results = Var("guard-k"), Var("condition"), Var("handler-k"), Var("args")
    frame, (var,) = _bind([spec[0]], env, x)
    reraise = Call(LocalRef(handler_k), [_thunk(_global_call(
        "raise-continuable", [LocalRef(condition)], loc), loc)], loc)
    clauses = _cond_clauses(ex, spec[1:], frame, reraise, x)
    handle = Call(LocalRef(guard_k), [_thunk(Let([var], [LocalRef(condition)], clauses), loc)], loc)
    handler = Lambda([condition], None, Call(_global_call(
        "call/cc", [Lambda([handler_k], None, handle, None, loc)], loc), [], loc), None, loc)
    deliver = Call(LocalRef(guard_k), [_thunk(_global_call(
        "apply", [GlobalRef(sym("values"), loc), LocalRef(results)], loc), loc)], loc)
    body = _thunk(_global_call("call-with-values", [
        _thunk(ex.body(args[1:], env, x), loc), Lambda([], results, deliver, None, loc)], loc), loc)
    escape = Lambda([guard_k], None, _global_call("with-exception-handler", [handler, body], loc),
                    None, loc)
    return Call(_global_call("call/cc", [escape], loc), [], loc)


# -- macros

@_special("let-syntax")
def _let_syntax(ex: Expander, x: Pair, env: Env) -> Node:
    return _syntax_scope(ex, x, env, recursive=False)


@_special("letrec-syntax")
def _letrec_syntax(ex: Expander, x: Pair, env: Env) -> Node:
    return _syntax_scope(ex, x, env, recursive=True)


def _syntax_scope(ex: Expander, x: Pair, env: Env, recursive: bool) -> Node:
    args = _operands(x, 2)
    frame = Env({}, env)
    for name, spec in _bindings(args[0], x):
        frame.table[name] = ex.transformer(spec, frame if recursive else env, x)
    return ex.body(args[1:], frame, x)


CORE_ENV = Env(_initial_table())

# what a program's namespace still binds once its first import closes it
_PROGRAM_KEYWORDS = {sym(name): SPECIAL_FORMS[name] for name in ("import", "define-library")}
