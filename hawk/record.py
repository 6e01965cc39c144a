"""Record classes: the part of dataclasses that hawk uses, made cheaply.

    @record                       # slotted, __init__, __repr__, __eq__ on fields
    class Rule:
        shape: str
        swap: bool = False
        seen: list = factory(list)   # dataclasses' field(default_factory=list)
    link: int = computed         # set by __post_init__, not an __init__ parameter

`record(frozen=True)` adds __hash__ on the fields, refuses assignment and
pickles through __getstate__/__setstate__; `record(eq=False)` keeps
identity comparison; `record(slots=False)` keeps a __dict__. A
`__post_init__` method is called at the end of __init__. Fields of record
base classes come first, as in dataclasses.

Why not dataclasses: every `hawk` command pays for the classes its modules
define at import. Importing dataclasses costs ~6 ms of start-up (it imports
inspect, which imports ast, dis and tokenize), a slotted dataclass ~0.3 ms
to make and a frozen one ~0.7 ms (each generated method is its own exec,
and slots mean making the class twice); with ~35 of them, ~15 ms by
those figures. Together with hashlib (hawk.vm.hbc), `hawk run` of a
one-line program went from 112 to 88 ms. A record costs ~0.06 ms:
one exec, for __init__ only (the method every instance pays for); __repr__,
__eq__ and __hash__ are shared functions reading the class's field list.
"""
from __future__ import annotations

_MISSING = object()


class factory:
    """A field default made fresh for each instance: `factory(list)`."""
    __slots__ = ("make",)

    def __init__(self, make):
        self.make = make


class Computed:
    """The default of a field that is no __init__ parameter: __post_init__
    sets it (dataclasses' field(init=False))."""
    __slots__ = ()


computed = Computed()


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record."""


def record(cls=None, /, *, frozen: bool = False, eq: bool = True, slots: bool = True):
    """Make `cls` a record class (see the module docstring)."""
    def wrap(cls):
        return _make(cls, frozen, eq, slots)
    return wrap if cls is None else wrap(cls)


def _make(cls, frozen: bool, eq: bool, slots: bool):
    own = list(cls.__dict__.get("__annotations__", {}))
    fields, defaults = {}, {}
    for base in reversed(cls.__mro__[1:]):
        fields.update(dict.fromkeys(getattr(base, "__fields__", ())))
        defaults.update(getattr(base, "__field_defaults__", {}))
    fields.update(dict.fromkeys(own))
    defaults.update((f, cls.__dict__[f]) for f in own if f in cls.__dict__)
    body = {k: v for k, v in cls.__dict__.items()
            if k not in own and k not in ("__dict__", "__weakref__")}
    body["__qualname__"] = cls.__qualname__          # type() would give the bare name
    body["__fields__"] = fields = tuple(fields)
    body["__field_defaults__"] = defaults
    if slots:
        body["__slots__"] = tuple(own)
    body["__init__"] = _init(cls.__qualname__, fields, defaults, frozen, hasattr(cls, "__post_init__"))
    body.setdefault("__repr__", _repr)
    if eq:
        body["__eq__"] = _eq
        body["__hash__"] = _hash if frozen else None
    if frozen:
        body["__setattr__"] = body["__delattr__"] = _refuse
        body["__getstate__"], body["__setstate__"] = _getstate, _setstate
    return type(cls)(cls.__name__, cls.__bases__, body)


def _init(name: str, fields: tuple, defaults: dict, frozen: bool, post: bool):
    """__init__(self, field, ..., field=default, ...), made by one exec."""
    env = {"_MISSING": _MISSING, "_set": object.__setattr__}
    params, lines = [], []
    for f in fields:
        value = f
        if f in defaults:
            d = defaults[f]
            if d is computed:
                continue
            if isinstance(d, factory):
                env[f"_make_{f}"] = d.make
                params.append(f"{f}=_MISSING")
                value = f"_make_{f}() if {f} is _MISSING else {f}"
            else:
                env[f"_default_{f}"] = d
                params.append(f"{f}=_default_{f}")
        else:
            params.append(f)
        lines.append(f"_set(self, {f!r}, {value})" if frozen else f"self.{f} = {value}")
    if post:
        lines.append("self.__post_init__()")
    text = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(lines or ["pass"])
    exec(text, env)
    fn = env["__init__"]
    fn.__qualname__ = f"{name}.__init__"
    return fn


def _values(self) -> tuple:
    return tuple(getattr(self, f) for f in self.__fields__)


def _repr(self) -> str:
    inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self.__fields__)
    return f"{type(self).__qualname__}({inner})"


def _eq(self, other):
    if other.__class__ is self.__class__:
        return _values(self) == _values(other)
    return NotImplemented


def _hash(self) -> int:
    return hash(_values(self))


def _refuse(self, name, *value):
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _getstate(self) -> tuple:
    return _values(self)


def _setstate(self, state: tuple) -> None:
    for f, v in zip(self.__fields__, state):
        object.__setattr__(self, f, v)
