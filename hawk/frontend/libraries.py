"""R7RS libraries: what `import` and `define-library` need besides expansion.

Why this shape: the runtime has one flat namespace of global cells (name ->
value), so libraries live entirely in the expander.  Each top level -- the
program's or a library's -- has a root environment frame, a `Namespace`.
A library's own top-level definitions get mangled global names
(`(mylib util)::helper`, which no one writes by accident), so they cannot
clash with the program's globals or another library's; the program keeps
plain names (the REPL, `eval` and the runtime library see the same cells).
Importing binds an identifier in the importer's namespace to what the
exporter bound it to: a global's name (a Symbol), a core keyword
(`Special`) or a macro (`SyntaxRules`, which keeps resolving its free
identifiers in the library's namespace: hygiene across libraries).

A namespace is *open* (a program without `import`: every free identifier
is the global of that name, all of R7RS visible) or *closed* (a library,
or a program once it imports): a free identifier then resolves to an
`Unbound` marker for the global that a later definition would create;
the expander reports the uses of markers still undefined at the end.

The standard libraries are tables of exported names (R7RS section 7 and the
SRFIs 1, 8, 9, 23, 39, 69), each mapped to the core keyword or the global
of the same name; names the runtime does not implement yet are listed all
the same and stay unbound globals.  `(hawk)` exports everything.  The
features `cond-expand` tests are the ones the `features` primitive lists.

User libraries are found as `a/b.sld` for `(a b)` along the search path,
read, expanded once per expander (that is, per VM) and their
initialisation code emitted before the importer's.
"""
from __future__ import annotations

from pathlib import Path

from hawk.errors import SyntaxError_
from hawk.frontend.datum import NIL, Pair, Symbol, sym, to_list
from hawk.frontend.reader import read_all
from hawk.frontend.syntax_rules import Env, base_symbol, is_identifier, strip
from hawk.vm.prims.system import FEATURES

__all__ = ["STANDARD_LIBRARIES", "FEATURES", "Namespace", "Unbound", "Library",
           "Libraries", "library_name", "format_name", "requirement_holds"]


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_R7RS_BASE = _names("""
    * + - ... / < <= = => > >= _ abs and append apply assoc assq assv begin
    binary-port? boolean=? boolean? bytevector bytevector-append bytevector-copy
    bytevector-copy! bytevector-length bytevector-u8-ref bytevector-u8-set!
    bytevector? caar cadr call-with-current-continuation call-with-port
    call-with-values call/cc car case cdar cddr cdr ceiling char->integer
    char-ready? char<=? char<? char=? char>=? char>? char? close-input-port
    close-output-port close-port complex? cond cond-expand cons current-error-port
    current-input-port current-output-port define define-record-type define-syntax
    define-values denominator do dynamic-wind else eof-object eof-object? eq?
    equal? eqv? error error-object-irritants error-object-message error-object?
    even? exact exact-integer-sqrt exact-integer? exact? expt features file-error?
    floor floor-quotient floor-remainder floor/ flush-output-port for-each gcd
    get-output-bytevector get-output-string guard if include include-ci inexact
    inexact? input-port-open? input-port? integer->char integer? lambda lcm length
    let let* let*-values let-syntax let-values letrec letrec* letrec-syntax list
    list->string list->vector list-copy list-ref list-set! list-tail list?
    make-bytevector make-list make-parameter make-string make-vector map max
    member memq memv min modulo negative? newline not null? number->string
    number? numerator odd? open-input-bytevector open-input-string
    open-output-bytevector open-output-string or output-port-open? output-port?
    pair? parameterize peek-char peek-u8 positive? procedure? quasiquote quote
    quotient raise raise-continuable rational? rationalize read-bytevector
    read-bytevector! read-char read-error? read-line read-string read-u8 real?
    remainder reverse round set! set-car! set-cdr! square string string->list
    string->number string->symbol string->utf8 string->vector string-append
    string-copy string-copy! string-fill! string-for-each string-length string-map
    string-ref string-set! string<=? string<? string=? string>=? string>? string?
    substring symbol->string symbol=? symbol? syntax-error syntax-rules
    textual-port? truncate truncate-quotient truncate-remainder truncate/
    u8-ready? unless unquote unquote-splicing utf8->string values vector
    vector->list vector->string vector-append vector-copy vector-copy!
    vector-fill! vector-for-each vector-length vector-map vector-ref vector-set!
    vector? when with-exception-handler write-bytevector write-char write-string
    write-u8 zero?
""")

_R5RS = _names("""
    * + - / < <= = > >= abs acos and angle append apply asin assoc assq assv atan
    begin boolean? caaaar caaadr caaar caadar caaddr caadr caar cadaar cadadr
    cadar caddar cadddr caddr cadr call-with-current-continuation
    call-with-input-file call-with-output-file call-with-values car case cdaaar
    cdaadr cdaar cdadar cdaddr cdadr cdar cddaar cddadr cddar cdddar cddddr
    cdddr cddr cdr ceiling char->integer char-alphabetic? char-ci<=? char-ci<?
    char-ci=? char-ci>=? char-ci>? char-downcase char-lower-case? char-numeric?
    char-ready? char-upcase char-upper-case? char-whitespace? char<=? char<?
    char=? char>=? char>? char? close-input-port close-output-port complex? cond
    cons cos current-input-port current-output-port define define-syntax delay
    denominator display do dynamic-wind eof-object? eq? equal? eqv? eval even?
    exact->inexact exact? exp expt floor for-each force gcd if imag-part
    inexact->exact inexact? input-port? integer->char integer?
    interaction-environment lambda lcm length let let* let-syntax letrec
    letrec-syntax list list->string list->vector list-ref list-tail list? load
    log magnitude make-polar make-rectangular make-string make-vector map max
    member memq memv min modulo negative? newline not null-environment null?
    number->string number? numerator odd? open-input-file open-output-file or
    output-port? pair? peek-char positive? procedure? quasiquote quote quotient
    rational? rationalize read read-char real-part real? remainder reverse round
    scheme-report-environment set! set-car! set-cdr! sin sqrt string
    string->list string->number string->symbol string-append string-ci<=?
    string-ci<? string-ci=? string-ci>=? string-ci>? string-copy string-fill!
    string-length string-ref string-set! string<=? string<? string=? string>=?
    string>? string? substring symbol->string symbol? tan truncate values vector
    vector->list vector-fill! vector-length vector-ref vector-set! vector?
    with-input-from-file with-output-to-file write write-char zero?
""")

_SRFI_1 = _names("""
    cons list xcons cons* make-list list-tabulate list-copy circular-list iota
    pair? null? proper-list? circular-list? dotted-list? not-pair? null-list?
    list= car cdr caar cadr cdar cddr caaar caadr cadar caddr cdaar cdadr cddar
    cdddr caaaar caaadr caadar caaddr cadaar cadadr caddar cadddr cdaaar cdaadr
    cdadar cdaddr cddaar cddadr cdddar cddddr list-ref first second third fourth
    fifth sixth seventh eighth ninth tenth car+cdr take drop take-right
    drop-right take! drop-right! split-at split-at! last last-pair length length+
    append concatenate reverse append! concatenate! reverse! append-reverse
    append-reverse! zip unzip1 unzip2 unzip3 unzip4 unzip5 count fold unfold
    pair-fold reduce fold-right unfold-right pair-fold-right reduce-right
    append-map append-map! pair-for-each filter-map map-in-order map for-each
    filter partition remove filter! partition! remove! member memq memv find
    find-tail any every list-index take-while drop-while take-while! span break
    span! break! delete delete-duplicates delete! delete-duplicates! assoc assq
    assv alist-cons alist-copy alist-delete alist-delete! lset<= lset=
    lset-adjoin lset-union lset-union! lset-intersection lset-intersection!
    lset-difference lset-difference! lset-xor lset-xor! lset-diff+intersection
    lset-diff+intersection! set-car! set-cdr!
""")

# library name -> exported identifiers, each the keyword or global of that name
STANDARD_LIBRARIES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("scheme", "base"): _R7RS_BASE,
    ("scheme", "case-lambda"): _names("case-lambda"),
    ("scheme", "char"): _names("""
        char-alphabetic? char-ci<=? char-ci<? char-ci=? char-ci>=? char-ci>?
        char-downcase char-foldcase char-lower-case? char-numeric? char-upcase
        char-upper-case? char-whitespace? digit-value string-ci<=? string-ci<?
        string-ci=? string-ci>=? string-ci>? string-downcase string-foldcase
        string-upcase"""),
    ("scheme", "complex"): _names(
        "angle imag-part magnitude make-polar make-rectangular real-part"),
    ("scheme", "cxr"): _names("""
        caaar caadr cadar caddr cdaar cdadr cddar cdddr caaaar caaadr caadar
        caaddr cadaar cadadr caddar cadddr cdaaar cdaadr cdadar cdaddr cddaar
        cddadr cdddar cddddr"""),
    ("scheme", "eval"): _names("environment eval"),
    ("scheme", "file"): _names("""
        call-with-input-file call-with-output-file delete-file file-exists?
        open-binary-input-file open-binary-output-file open-input-file
        open-output-file with-input-from-file with-output-to-file"""),
    ("scheme", "inexact"): _names(
        "acos asin atan cos exp finite? infinite? log nan? sin sqrt tan"),
    ("scheme", "lazy"): _names("delay delay-force force make-promise promise?"),
    ("scheme", "load"): _names("load"),
    ("scheme", "process-context"): _names("""
        command-line emergency-exit exit get-environment-variable
        get-environment-variables"""),
    ("scheme", "read"): _names("read"),
    ("scheme", "repl"): _names("interaction-environment"),
    ("scheme", "time"): _names("current-jiffy current-second jiffies-per-second"),
    ("scheme", "write"): _names("display write write-shared write-simple"),
    ("scheme", "r5rs"): _R5RS,
    ("srfi", "1"): _SRFI_1,
    ("srfi", "8"): _names("receive"),
    ("srfi", "9"): _names("define-record-type"),
    ("srfi", "23"): _names("error"),
    ("srfi", "39"): _names("make-parameter parameterize"),
    ("srfi", "69"): _names("""
        make-hash-table hash-table? alist->hash-table hash-table-equivalence-function
        hash-table-hash-function hash-table-ref hash-table-ref/default hash-table-set!
        hash-table-delete! hash-table-exists? hash-table-update!
        hash-table-update!/default hash-table-size hash-table-keys hash-table-values
        hash-table-walk hash-table-fold hash-table->alist hash-table-copy
        hash-table-merge! hash string-hash string-ci-hash hash-by-identity"""),
}


def _hawk_exports(primitives) -> tuple[str, ...]:
    """(hawk) is everything Hawk provides: every standard library's names and
    every primitive not internal (`%`-prefixed)."""
    names = {n for exports in STANDARD_LIBRARIES.values() for n in exports}
    names.update(p for p in primitives if not p.startswith("%"))
    return tuple(sorted(names))


# ---- namespaces ---------------------------------------------------------------

class Unbound:
    """What a free identifier denotes in a closed namespace: the global a
    later top-level definition of `symbol` there would create (`target`)."""
    __slots__ = ("namespace", "symbol", "target")

    def __init__(self, namespace: "Namespace", symbol: Symbol):
        self.namespace = namespace
        self.symbol = symbol
        self.target = namespace.global_name(symbol)

    def still_unbound(self) -> bool:
        return self.namespace.table.get(self.symbol) is not self.target


class Namespace(Env):
    """The root frame of a program's or a library's top level (see the
    module docstring).  `prefix`: None for the program (plain global
    names), else the library's printed name."""
    __slots__ = ("prefix", "closed", "markers")

    def __init__(self, table: dict, prefix: str | None = None, closed: bool = False):
        super().__init__(table)
        self.prefix = prefix
        self.closed = closed
        self.markers: dict[Symbol, Unbound] = {}

    def global_name(self, symbol: Symbol) -> Symbol:
        return symbol if self.prefix is None else sym(f"{self.prefix}::{symbol.name}")

    def free(self, symbol: Symbol):
        if not self.closed:
            return symbol
        marker = self.markers.get(symbol)
        if marker is None:
            marker = self.markers[symbol] = Unbound(self, symbol)
        return marker

    def close(self, keep: dict) -> None:
        """From now on only imports (and `keep`) bind identifiers."""
        if not self.closed:
            self.closed = True
            self.table.clear()
            self.table.update(keep)


# ---- library names, import sets -------------------------------------------------

def library_name(x, loc) -> tuple[str, ...]:
    """The key of library name `x`: (identifier | exact integer ...)."""
    try:
        parts = to_list(x) if isinstance(x, Pair) else None
    except ValueError:
        parts = None
    if not parts or not all(is_identifier(p) or (type(p) is int and p >= 0) for p in parts):
        raise SyntaxError_("malformed library name", [strip(x)], loc)
    return tuple(base_symbol(p).name if is_identifier(p) else str(p) for p in parts)


def format_name(name: tuple[str, ...]) -> str:
    return "(" + " ".join(name) + ")"


class Library:
    """An available library: its exports, identifier -> binding."""
    __slots__ = ("name", "exports")

    def __init__(self, name: tuple[str, ...], exports: dict):
        self.name = name
        self.exports = exports


def _items(x, loc, what: str = "import set") -> list:
    try:
        return to_list(x)
    except ValueError:
        raise SyntaxError_(f"malformed {what}", [strip(x)], loc) from None


def _identifiers(items: list, spec, loc) -> list[Symbol]:
    if not all(is_identifier(i) for i in items):
        raise SyntaxError_("malformed import set", [strip(spec)], loc)
    return [base_symbol(i) for i in items]


def _check_exported(names, bindings: dict, spec, loc) -> None:
    missing = [n.name for n in names if n not in bindings]
    if missing:
        raise SyntaxError_(f"import: {' '.join(missing)} not exported by the import set",
                           [strip(spec)], loc)


def _only(bindings: dict, args: list, spec, loc) -> dict:
    names = _identifiers(args, spec, loc)
    _check_exported(names, bindings, spec, loc)
    return {n: bindings[n] for n in names}


def _except(bindings: dict, args: list, spec, loc) -> dict:
    names = set(_identifiers(args, spec, loc))
    _check_exported(names, bindings, spec, loc)
    return {n: b for n, b in bindings.items() if n not in names}


def _prefix(bindings: dict, args: list, spec, loc) -> dict:
    (prefix,) = _identifiers(args, spec, loc) if len(args) == 1 else [None]
    if prefix is None:
        raise SyntaxError_("malformed import set", [strip(spec)], loc)
    return {sym(prefix.name + n.name): b for n, b in bindings.items()}


def _rename(bindings: dict, args: list, spec, loc) -> dict:
    pairs = [_identifiers(_items(a, loc), spec, loc) if isinstance(a, Pair) else [] for a in args]
    if not all(len(p) == 2 for p in pairs):
        raise SyntaxError_("malformed import set", [strip(spec)], loc)
    _check_exported([old for old, _ in pairs], bindings, spec, loc)
    renames = dict(pairs)
    return {renames.get(n, n): b for n, b in bindings.items()}


# import-set modifier -> (bindings of the inner set, its other operands) -> bindings
_MODIFIERS = {"only": _only, "except": _except, "prefix": _prefix, "rename": _rename}


# ---- cond-expand ------------------------------------------------------------------

def _not(results: list) -> bool:
    return not results[0]


# combinator -> (truth of its operands' results, operand count or None for any)
_COMBINATORS = {"and": (all, None), "or": (any, None), "not": (_not, 1)}


def requirement_holds(req, has_library, loc) -> bool:
    """Whether cond-expand feature requirement `req` holds; `has_library(key)`
    answers `(library name)` requirements."""
    if is_identifier(req):
        return base_symbol(req).name in FEATURES
    parts = _items(req, loc, "cond-expand requirement") if isinstance(req, Pair) else []
    head = base_symbol(parts[0]).name if parts and is_identifier(parts[0]) else None
    if head == "library" and len(parts) == 2:
        return has_library(library_name(parts[1], loc))
    combine, arity = _COMBINATORS.get(head, (None, None))
    if combine is not None and arity in (None, len(parts) - 1):
        return combine([requirement_holds(r, has_library, loc) for r in parts[1:]])
    raise SyntaxError_("malformed cond-expand requirement", [strip(req)], loc)


# ---- the registry -------------------------------------------------------------------

class Libraries:
    """The libraries one expander (one VM) knows: the standard ones, and
    user libraries loaded from `search_path` as they are first imported.
    `specials`: keyword name -> Special, for the standard tables.
    `define(forms, file)` (the expander's) expands the define-library
    forms of a file, returning their initialisation nodes."""

    def __init__(self, specials: dict, primitives, search_path=()):
        self.search_path = [Path(d) for d in search_path]
        self.loaded: dict[tuple[str, ...], Library] = {}
        self.loading: list[tuple[str, ...]] = []
        tables = dict(STANDARD_LIBRARIES)
        tables[("hawk",)] = _hawk_exports(primitives)
        self.standard = {name: Library(name, {sym(n): specials.get(n) or sym(n) for n in names})
                         for name, names in tables.items()}

    def available(self, name: tuple[str, ...]) -> bool:
        return name in self.standard or name in self.loaded or self.locate(name) is not None

    def locate(self, name: tuple[str, ...]) -> Path | None:
        for directory in self.search_path:
            path = directory.joinpath(*name[:-1], name[-1] + ".sld")
            if path.is_file():
                return path
        return None

    def find(self, name: tuple[str, ...], define, loc) -> tuple[Library, list]:
        """The library named `name` and the nodes initialising it, if this
        import is the one that loads it (else no nodes)."""
        library = self.standard.get(name) or self.loaded.get(name)
        if library is not None:
            return library, []
        if name in self.loading:
            cycle = self.loading[self.loading.index(name):] + [name]
            raise SyntaxError_("import cycle: " + " -> ".join(map(format_name, cycle)), [], loc)
        path = self.locate(name)
        if path is None:
            searched = ", ".join(map(str, self.search_path)) or "no directories"
            raise SyntaxError_(f"import: library {format_name(name)} not found "
                               f"(searched {searched})", [], loc)
        self.loading.append(name)
        try:
            nodes = define(read_all(path.read_text(encoding="utf-8"), str(path)), path)
        finally:
            self.loading.pop()
        if name not in self.loaded:
            raise SyntaxError_(f"import: {path} does not define library {format_name(name)}",
                               [], loc)
        return self.loaded[name], nodes

    def import_set(self, spec, define, loc) -> tuple[dict, list]:
        """(identifier -> binding, initialisation nodes) for import set `spec`."""
        parts = _items(spec, loc) if isinstance(spec, Pair) else []
        head = base_symbol(parts[0]).name if parts and is_identifier(parts[0]) else None
        if head in _MODIFIERS and len(parts) >= 2 and isinstance(parts[1], Pair):
            bindings, nodes = self.import_set(parts[1], define, loc)
            return _MODIFIERS[head](bindings, parts[2:], spec, loc), nodes
        if spec is NIL or not parts:
            raise SyntaxError_("malformed import set", [strip(spec)], loc)
        library, nodes = self.find(library_name(spec, loc), define, loc)
        return dict(library.exports), nodes
