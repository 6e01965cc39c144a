"""The primitives written in Python, one module per R7RS chapter; importing
this package registers them all (see hawk.vm.primspec.load_all)."""
from hawk.vm.prims import (chars, control, equality, hashtables, io, lists,  # noqa: F401
                           numbers, strings, system, vectors)
