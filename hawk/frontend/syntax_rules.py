"""Hygienic `syntax-rules` macros, and the identifiers and environments that
make them hygienic.

Why renaming: an identifier that a template inserts must mean what it meant
where the macro was defined, and must neither capture nor be captured by the
user's identifiers at the use site.  So each expansion replaces every
template identifier by a `Renamed` object that remembers the
macro-definition environment (one object per identifier per expansion).
The expander binds identifiers by object identity, hence:

  * a `Renamed` that the expansion itself binds (a template's `temp`) is a
    variable distinct from the user's `temp`;
  * a `Renamed` that the expansion does not bind is looked up again, under
    the name it had in the template, in the environment the macro was
    defined in (`resolve`), so a template's `if` is still the core `if`
    where the user has bound `if` locally.

`quote` strips the renames (`strip`), so `'x` in a template is the symbol x.

Environments are chains of `Env` frames.  A frame maps identifiers (Symbol
or Renamed, by identity) to bindings: an ast.Var (local variable), an
expander Special (core syntactic keyword), a SyntaxRules (macro), or a
Symbol (the global variable of that name).  A root frame (parent None)
maps every symbol it does not hold through its `free` method: a plain Env
to itself (a free identifier denotes the global variable of that name); a
library's namespace (hawk.frontend.libraries) to its own marker.

Patterns and templates are compiled once, when the macro is defined, into
small matcher / builder objects.  Matching and building iterate over lists,
so long input lists cost no Python stack; nesting costs a few frames per
level.
"""
from __future__ import annotations

from hawk.errors import SyntaxError_
from hawk.frontend.datum import NIL, Pair, Symbol, Vector, from_list, sym

ELLIPSIS = sym("...")
UNDERSCORE = sym("_")


# ---- identifiers and environments -------------------------------------------

class Renamed:
    """A template identifier as inserted by one macro expansion.  `name` is
    the identifier in the template (itself possibly Renamed, for macros
    written by macros); `env` is the macro-definition environment."""
    __slots__ = ("name", "env", "symbol")

    def __init__(self, name, env: "Env"):
        self.name = name
        self.env = env
        self.symbol = name if isinstance(name, Symbol) else name.symbol

    def __repr__(self) -> str:
        return f"<renamed {self.symbol.name}>"


def is_identifier(x) -> bool:
    return isinstance(x, (Symbol, Renamed))


def base_symbol(ident) -> Symbol:
    """The symbol an identifier was written as, all renames stripped."""
    return ident if isinstance(ident, Symbol) else ident.symbol


class Env:
    """One frame of bindings; see the module docstring."""
    __slots__ = ("table", "parent")

    def __init__(self, table: dict | None = None, parent: "Env | None" = None):
        self.table = {} if table is None else table
        self.parent = parent

    def free(self, symbol: Symbol):
        """What a symbol bound nowhere in the chain denotes (root frames only)."""
        return symbol


def resolve(ident, env: Env):
    """The binding `ident` denotes in `env` (Var, Special, SyntaxRules, the
    Symbol naming a global, or what the root frame's `free` says)."""
    while True:
        frame = env
        while True:
            binding = frame.table.get(ident)
            if binding is not None:
                return binding
            if frame.parent is None:
                break
            frame = frame.parent
        if isinstance(ident, Symbol):
            return frame.free(ident)
        ident, env = ident.name, ident.env


def strip(x, _memo: dict | None = None):
    """`x` with every Renamed replaced by its symbol; `x` itself when it holds
    none.  Iterative along lists; copes with shared and cyclic data."""
    if isinstance(x, Renamed):
        return x.symbol
    if not isinstance(x, (Pair, Vector)):
        return x
    memo = {} if _memo is None else _memo
    if id(x) in memo:
        return memo[id(x)]
    memo[id(x)] = x              # provisional: a cycle back here keeps x
    result = _strip_vector(x, memo) if isinstance(x, Vector) else _strip_list(x, memo)
    memo[id(x)] = result
    return result


def _strip_vector(v: Vector, memo: dict):
    items = [strip(e, memo) for e in v]
    return v if all(a is b for a, b in zip(items, v)) else Vector(items)


def _strip_list(x: Pair, memo: dict):
    cells, seen = [], set()
    y = x
    while isinstance(y, Pair) and id(y) not in seen:     # stop at a cdr cycle
        seen.add(id(y))
        cells.append(y)
        y = y.cdr
    tail = y if isinstance(y, Pair) else strip(y, memo)
    cars = [strip(c.car, memo) for c in cells]
    if tail is y and all(a is c.car for a, c in zip(cars, cells)):
        return x
    for cell, car in zip(reversed(cells), reversed(cars)):
        tail = Pair(car, tail, cell.loc)
    return tail


# ---- patterns -------------------------------------------------------------

class _Match:
    """What literal matching needs: both environments of one macro use."""
    __slots__ = ("use_env", "macro_env")

    def __init__(self, use_env: Env, macro_env: Env):
        self.use_env = use_env
        self.macro_env = macro_env


class _PVar:
    __slots__ = ("ident",)

    def __init__(self, ident):
        self.ident = ident

    def match(self, x, b: dict, m: _Match) -> bool:
        b[self.ident] = x
        return True


class _PAny:
    __slots__ = ()

    def match(self, x, b: dict, m: _Match) -> bool:
        return True


class _PLiteral:
    """Matches an identifier with the same binding (free-identifier=?)."""
    __slots__ = ("ident",)

    def __init__(self, ident):
        self.ident = ident

    def match(self, x, b: dict, m: _Match) -> bool:
        return is_identifier(x) and resolve(x, m.use_env) is resolve(self.ident, m.macro_env)


class _PConst:
    """An atom other than an identifier: matches an equal? atom."""
    __slots__ = ("datum",)

    def __init__(self, datum):
        self.datum = datum

    def match(self, x, b: dict, m: _Match) -> bool:
        return type(x) is type(self.datum) and x == self.datum


class _PSeq:
    """The elements of a list or vector pattern:
    `head ... [ell <ellipsis> after ...]`, plus for lists a `rest` pattern
    for the dotted tail (None: the list must be proper)."""
    __slots__ = ("head", "ell", "ell_vars", "after", "rest")

    def __init__(self, head, ell, ell_vars, after, rest):
        self.head, self.ell, self.ell_vars = head, ell, ell_vars
        self.after, self.rest = after, rest

    def match_items(self, items: list, b: dict, m: _Match) -> bool:
        n, k = len(self.head), len(self.after)
        if len(items) < n + k or (self.ell is None and len(items) != n):
            return False
        if not all(p.match(x, b, m) for p, x in zip(self.head, items)):
            return False
        if self.ell is None:
            return True
        end = len(items) - k
        matches = []
        for x in items[n:end]:
            sub = {}
            if not self.ell.match(x, sub, m):
                return False
            matches.append(sub)
        for var in self.ell_vars:
            b[var] = [sub[var] for sub in matches]
        return all(p.match(x, b, m) for p, x in zip(self.after, items[end:]))


class _PList(_PSeq):
    __slots__ = ()

    def match(self, x, b: dict, m: _Match) -> bool:
        cells = []
        while isinstance(x, Pair):
            cells.append(x)
            x = x.cdr
        if self.ell is None and self.rest is not None:
            # (p ... . rest): rest takes whatever follows the fixed elements
            n = len(self.head)
            if len(cells) < n:
                return False
            remainder = cells[n] if len(cells) > n else x
            return (self.match_items([c.car for c in cells[:n]], b, m)
                    and self.rest.match(remainder, b, m))
        if self.rest is None and x is not NIL:
            return False
        return (self.match_items([c.car for c in cells], b, m)
                and (self.rest is None or self.rest.match(x, b, m)))


class _PVector(_PSeq):
    __slots__ = ()

    def match(self, x, b: dict, m: _Match) -> bool:
        return isinstance(x, Vector) and self.match_items(list(x), b, m)


# ---- templates --------------------------------------------------------------

class _Instance:
    """One expansion: its renames (one Renamed per template identifier) and
    the use's location, given to every pair the template builds."""
    __slots__ = ("env", "loc", "renames")

    def __init__(self, env: Env, loc):
        self.env = env
        self.loc = loc
        self.renames = {}

    def rename(self, ident):
        r = self.renames.get(ident)
        if r is None:
            r = self.renames[ident] = Renamed(ident, self.env)
        return r


class _TIdent:
    __slots__ = ("ident",)

    def __init__(self, ident):
        self.ident = ident

    def build(self, b: dict, inst: _Instance):
        return inst.rename(self.ident)


class _TVar:
    __slots__ = ("ident",)

    def __init__(self, ident):
        self.ident = ident

    def build(self, b: dict, inst: _Instance):
        return b[self.ident]


class _TConst:
    __slots__ = ("datum",)

    def __init__(self, datum):
        self.datum = datum

    def build(self, b: dict, inst: _Instance):
        return self.datum


class _TEllipsis:
    """`sub <ellipsis>`: one `sub` per element of the matches of `vars` (the
    pattern variables this ellipsis iterates over)."""
    __slots__ = ("sub", "vars")

    def __init__(self, sub, vars_: list):
        self.sub = sub
        self.vars = vars_

    def build_many(self, b: dict, inst: _Instance) -> list:
        seqs = [b[v] for v in self.vars]
        n = len(seqs[0])
        if any(len(s) != n for s in seqs):
            names = ", ".join(base_symbol(v).name for v in self.vars)
            raise SyntaxError_(f"pattern variables {names} under one ellipsis matched "
                               "different numbers of items", [], inst.loc)
        out = []
        for i in range(n):
            bi = dict(b)
            for v, s in zip(self.vars, seqs):
                bi[v] = s[i]
            if isinstance(self.sub, _TEllipsis):
                out.extend(self.sub.build_many(bi, inst))
            else:
                out.append(self.sub.build(bi, inst))
        return out


def _build_items(items: list, b: dict, inst: _Instance) -> list:
    out = []
    for t in items:
        if isinstance(t, _TEllipsis):
            out.extend(t.build_many(b, inst))
        else:
            out.append(t.build(b, inst))
    return out


class _TList:
    __slots__ = ("items", "tail")

    def __init__(self, items: list, tail):
        self.items = items
        self.tail = tail

    def build(self, b: dict, inst: _Instance):
        result = self.tail.build(b, inst)
        for x in reversed(_build_items(self.items, b, inst)):
            result = Pair(x, result, inst.loc)
        return result


class _TVector:
    __slots__ = ("items",)

    def __init__(self, items: list):
        self.items = items

    def build(self, b: dict, inst: _Instance):
        return Vector(_build_items(self.items, b, inst))


# ---- compiling rules ----------------------------------------------------------

class _RuleCompiler:
    """Compiles one rule's pattern and template.  `depths` maps each pattern
    variable to its ellipsis depth."""

    def __init__(self, literals: set, ellipsis, loc):
        self.literals = literals
        self.ellipsis = ellipsis        # None: the default `...`
        self.loc = loc
        self.depths: dict = {}

    def error(self, message: str):
        raise SyntaxError_(message, [], self.loc)

    def is_ellipsis(self, x) -> bool:
        if not is_identifier(x) or x in self.literals:
            return False
        if self.ellipsis is None:
            return base_symbol(x) is ELLIPSIS
        return x is self.ellipsis

    # patterns

    def pattern(self, p, depth: int):
        if is_identifier(p):
            return self.pattern_identifier(p, depth)
        if isinstance(p, Pair) or p is NIL:
            return self.pattern_list(p, depth)
        if isinstance(p, Vector):
            return _PVector(*self.pattern_elements(from_list(p), depth))
        return _PConst(p)

    def pattern_identifier(self, p, depth: int):
        if p in self.literals:
            return _PLiteral(p)
        if base_symbol(p) is UNDERSCORE:
            return _PAny()
        if self.is_ellipsis(p):
            self.error("misplaced ellipsis in syntax-rules pattern")
        if p in self.depths:
            self.error(f"pattern variable {base_symbol(p).name} used twice in one pattern")
        self.depths[p] = depth
        return _PVar(p)

    def pattern_list(self, p, depth: int) -> _PList:
        head, ell, ell_vars, after, tail = self.pattern_elements(p, depth)
        rest = None if tail is NIL else self.pattern(tail, depth)
        return _PList(head, ell, ell_vars, after, rest)

    def pattern_elements(self, p, depth: int):
        """(head, ell, ell_vars, after, tail) for the elements of list `p`."""
        head, after = [], []
        ell, ell_vars = None, []
        while isinstance(p, Pair):
            element, p = p.car, p.cdr
            if isinstance(p, Pair) and self.is_ellipsis(p.car):
                if ell is not None:
                    self.error("two ellipses in one list of a syntax-rules pattern")
                known = len(self.depths)
                ell = self.pattern(element, depth + 1)
                ell_vars = list(self.depths)[known:]
                p = p.cdr
            else:
                (head if ell is None else after).append(self.pattern(element, depth))
        return head, ell, ell_vars, after, p

    # templates

    def template(self, t, level: int, escaped: bool):
        """(builder, occurrences): occurrences lists (variable, ellipsis
        level) for each pattern variable used in `t`."""
        if is_identifier(t):
            return self.template_identifier(t, level, escaped)
        if isinstance(t, Pair):
            if not escaped and self.is_ellipsis(t.car):
                return self.template_escape(t, level)
            items, occurrences, tail = self.template_elements(t, level, escaped)
            tail_builder, tail_occurrences = self.template(tail, level, escaped)
            return _TList(items, tail_builder), occurrences + tail_occurrences
        if isinstance(t, Vector):
            items, occurrences, _ = self.template_elements(from_list(t), level, escaped)
            return _TVector(items), occurrences
        return _TConst(t), []

    def template_identifier(self, t, level: int, escaped: bool):
        depth = self.depths.get(t)
        if depth is not None:
            if level < depth:
                self.error(f"pattern variable {base_symbol(t).name} needs {depth} "
                           "ellipsis(es) after it in the template")
            return _TVar(t), [(t, level)]
        if not escaped and self.is_ellipsis(t):
            self.error("misplaced ellipsis in syntax-rules template")
        return _TIdent(t), []

    def template_escape(self, t, level: int):
        """`(... template)`: the template with ellipses taken literally."""
        if not (isinstance(t.cdr, Pair) and t.cdr.cdr is NIL):
            self.error("malformed (... template) escape")
        return self.template(t.cdr.car, level, True)

    def template_elements(self, t, level: int, escaped: bool):
        items, occurrences = [], []
        while isinstance(t, Pair):
            element, t = t.car, t.cdr
            count = 0
            while not escaped and isinstance(t, Pair) and self.is_ellipsis(t.car):
                count += 1
                t = t.cdr
            builder, occ = self.template(element, level + count, escaped)
            for ell_level in range(level + count, level, -1):    # innermost first
                builder = _TEllipsis(builder, self.iterated(occ, ell_level))
            items.append(builder)
            occurrences.extend(occ)
        return items, occurrences, t

    def iterated(self, occurrences: list, ell_level: int) -> list:
        """The variables an ellipsis at `ell_level` iterates over: a variable
        of depth d is iterated by the d innermost ellipses around it."""
        found = []
        for var, level in occurrences:
            if level - ell_level < self.depths[var] and var not in found:
                found.append(var)
        if not found:
            self.error("no pattern variable with an ellipsis depth in an ellipsis template")
        return found


# ---- the transformer ----------------------------------------------------------

class SyntaxRules:
    """A macro: `(syntax-rules [ellipsis] (literal ...) (pattern template) ...)`
    closed over `env`, the environment it was defined in."""

    def __init__(self, spec: Pair, env: Env):
        self.env = env
        loc = spec.loc
        parts = _proper_items(spec.cdr, loc)
        ellipsis = None
        if parts and is_identifier(parts[0]):
            ellipsis, parts = parts[0], parts[1:]
        if not parts:
            raise SyntaxError_("malformed syntax-rules: no literals list", [], loc)
        literals = _proper_items(parts[0], loc)
        if not all(is_identifier(x) for x in literals):
            raise SyntaxError_("malformed syntax-rules: literals must be identifiers", [], loc)
        self.rules = [_compile_rule(rule, set(literals), ellipsis, loc) for rule in parts[1:]]

    def expand(self, form: Pair, use_env: Env):
        """The expansion of `form`, a use of this macro in `use_env`."""
        m = _Match(use_env, self.env)
        for pattern, template in self.rules:
            b = {}
            if pattern.match(form.cdr, b, m):
                return template.build(b, _Instance(self.env, form.loc))
        name = base_symbol(form.car).name
        raise SyntaxError_(f"no syntax-rules pattern of macro {name} matches this use",
                           [strip(form)], form.loc)


def _compile_rule(rule, literals: set, ellipsis, loc):
    loc = getattr(rule, "loc", None) or loc
    parts = _proper_items(rule, loc)
    if len(parts) != 2 or not isinstance(parts[0], Pair):
        raise SyntaxError_("malformed syntax-rules clause: expected (pattern template)", [], loc)
    compiler = _RuleCompiler(literals, ellipsis, loc)
    pattern = compiler.pattern_list(parts[0].cdr, 0)     # the keyword position is ignored
    template, _ = compiler.template(parts[1], 0, False)
    return pattern, template


def _proper_items(x, loc) -> list:
    items = []
    while isinstance(x, Pair):
        items.append(x.car)
        x = x.cdr
    if x is not NIL:
        raise SyntaxError_("malformed syntax-rules: improper list", [], loc)
    return items
