"""The primitives written in Python, one module per R7RS chapter; importing
this package registers them all (see hawk.vm.primspec.load_all)."""
from hawk.vm.prims import (chars, control, equality, evaluation, hashtables, io,  # noqa: F401
                           lists, numbers, strings, system, vectors)
