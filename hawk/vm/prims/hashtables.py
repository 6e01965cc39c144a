"""Hash tables (SRFI 69): the primitives that need no call back into
Scheme; hawk/lib/srfi69.scm adds the procedures taking procedures
(make-hash-table's equivalence argument, hash-table-ref's thunk,
hash-table-update!, hash-table-walk...).

Why this design, under a moving collector:

* Keys and values live in a Python list of tagged words, `words`
  (k0, v0, k1, v1, ...), registered in vm.heap.root_lists, so a
  collection updates them in place like any other root.
* The index is a dict from a Python key computed from a Scheme key to
  the list of slots holding keys with that Python key. For `equal?`,
  `string=?` and `string-ci=?` tables the Python key depends only on the
  contents (a bounded structural hash, the string, its case fold), so it
  survives collections. For `eq?` and `eqv?` tables it is the word itself
  for everything but boxed numbers, i.e. the object's address, which a
  collection changes: such a table remembers vm.heap.collections when it
  built its index and rebuilds it (one pass over `words`) at its first use
  after a collection.
* A table is a foreign object (Data.foreign_object). When a collection
  finds its handle dead, `words` stops being a root (`root_list`). While
  the handle lives, `words` keeps every key and value alive, so a table
  reachable only through its own entries is never freed.

Deleting moves the last entry into the freed slot, so `words` stays dense.
The user's hash function argument is not needed (and cannot be called
from here): every supported equivalence has its own consistent hash.
"""
from __future__ import annotations

import zlib

from hawk.errors import SchemeError
from hawk.vm import values as V
from hawk.vm.objects import T
from hawk.vm.primspec import primitive
from hawk.vm.prims.common import natural, string_value
from hawk.vm.prims.equality import equal, eqv

HASH_BOUND = 1 << 29       # default bound of `hash` and friends (a fixnum)
EQUAL_HASH_NODES = 64      # how much of a structure `hash` looks at
_MASK = (1 << 61) - 1


def _hp(name, nmin, nmax=-1):
    return primitive(name, nmin, nmax, integrable=False)


# ---- hash functions (deterministic: no per-process string hash seed) ---------------

def _text_hash(s: str) -> int:
    return zlib.crc32(s.encode("utf-8", "surrogatepass"))


def _number_hash(vm, w: int, ty: int):
    """Hash of a boxed number, consistent with eqv? (None: not one)."""
    W = vm.W
    if ty == T.FLONUM:
        return W[(w >> 3) + 1]                  # the bits: eqv? compares bits
    if ty in (T.BIGNUM, T.RATNUM):
        return hash(vm.data.number_value(w))    # deterministic for numbers
    if ty == T.COMPNUM:
        i = w >> 3
        return hash((W[(W[i + 1] >> 3) + 1], W[(W[i + 2] >> 3) + 1]))
    return None


def identity_hash(vm, w: int) -> int:
    """A hash consistent with eq? and eqv? that never depends on an
    address (objects move) nor on mutable contents."""
    t = w & 7
    if t == 0 or t == V.TAG_IMM:
        return w
    if t == V.TAG_SYMBOL:
        return _text_hash(vm.data.symbol_name(w))
    ty = T.FLONUM if t == V.TAG_FLONUM else vm.data.type_of(w)
    h = _number_hash(vm, w, ty)
    return ty if h is None else h


def _atom_hash(vm, w: int, ty: int) -> int:
    """Hash of a non-pair, non-vector, consistent with equal?."""
    if ty == T.STRING:
        return _text_hash(vm.data.string_value(w))
    if ty == T.BYTEVECTOR:
        return zlib.crc32(vm.data.bytevector_value(w))
    return identity_hash(vm, w)


def equal_hash(vm, w: int) -> int:
    """A hash consistent with equal?: combines the atoms and shapes of the
    first EQUAL_HASH_NODES nodes of a breadth-first walk (so it ends on
    long and cyclic data)."""
    W = vm.W
    h = 0
    todo = [w]
    for _ in range(EQUAL_HASH_NODES):
        if not todo:
            break
        w = todo.pop()
        t = w & 7
        if t == V.TAG_PAIR:
            part = 1
            todo[:0] = (W[(w >> 3) + 2], W[(w >> 3) + 1])
        elif t == V.TAG_OBJECT and (W[w >> 3] & 0xff) == T.VECTOR:
            n = vm.data.size(w)
            part = 2 + n
            todo[:0] = reversed(W[(w >> 3) + 1:(w >> 3) + 1 + min(n, EQUAL_HASH_NODES)])
        else:
            part = _atom_hash(vm, w, T.FLONUM if t == V.TAG_FLONUM else vm.data.type_of(w))
        h = (h * 1000003 + part) & _MASK
    return h


def _eqv_key(vm, name, w):
    t = w & 7
    if t == V.TAG_FLONUM or t == V.TAG_OBJECT:
        h = _number_hash(vm, w, T.FLONUM if t == V.TAG_FLONUM else vm.data.type_of(w))
        if h is not None:
            return ("number", h)
    return w


def _string_key(vm, name, w):
    return string_value(vm, name, w)


def _string_ci_key(vm, name, w):
    return string_value(vm, name, w).casefold()


def _same_string(vm, a, b):
    return vm.data.string_value(a) == vm.data.string_value(b)


def _same_string_ci(vm, a, b):
    return vm.data.string_value(a).casefold() == vm.data.string_value(b).casefold()


# kind -> (Python key of a Scheme key, equivalence of keys with the same
# Python key (None: the Python key decides), does the key hold addresses?)
KINDS = {
    "eq": (lambda vm, name, w: w, None, True),
    "eqv": (_eqv_key, eqv, True),
    "equal": (lambda vm, name, w: equal_hash(vm, w), equal, False),
    "string": (_string_key, None, False),
    "string-ci": (_string_ci_key, None, False),
}


class HashTable:
    kind_name = "hash-table"       # how the printer shows the handle

    def __init__(self, heap, kind: str):
        self.heap = heap
        self.kind = kind
        self.key_of, self.same, self.by_address = KINDS[kind]
        self.words: list[int] = []                 # k0, v0, k1, v1, ...: a GC root
        heap.root_lists.append(self.words)
        self.root_list = self.words                # dropped when the handle dies
        self.buckets: dict[object, list[int]] = {}  # Python key -> entry numbers
        self.epoch = heap.collections

    def __len__(self) -> int:
        return len(self.words) >> 1

    def _sync(self, vm) -> None:
        """Rebuild an address-keyed index after a collection moved keys."""
        if self.by_address and self.epoch != self.heap.collections:
            self.epoch = self.heap.collections
            self.buckets = {}
            for k in range(len(self)):
                self.buckets.setdefault(self.key_of(vm, "", self.words[2 * k]), []).append(k)

    def find(self, vm, name: str, key: int):
        """(Python key, entry number or -1) of `key`."""
        self._sync(vm)
        pkey = self.key_of(vm, name, key)
        same = self.same
        for k in self.buckets.get(pkey, ()):
            if same is None or same(vm, self.words[2 * k], key):
                return pkey, k
        return pkey, -1

    def get(self, vm, name: str, key: int, default: int) -> int:
        k = self.find(vm, name, key)[1]
        return default if k < 0 else self.words[2 * k + 1]

    def set(self, vm, name: str, key: int, value: int) -> None:
        pkey, k = self.find(vm, name, key)
        if k >= 0:
            self.words[2 * k + 1] = value
        else:
            self.buckets.setdefault(pkey, []).append(len(self))
            self.words += (key, value)

    def delete(self, vm, name: str, key: int) -> None:
        pkey, k = self.find(vm, name, key)
        if k < 0:
            return
        self._unindex(pkey, k)
        last = len(self) - 1
        if k != last:           # move the last entry into the hole
            moved = self.key_of(vm, name, self.words[2 * last])
            bucket = self.buckets[moved]
            bucket[bucket.index(last)] = k
            self.words[2 * k:2 * k + 2] = self.words[2 * last:2 * last + 2]
        del self.words[2 * last:]

    def _unindex(self, pkey, k: int) -> None:
        bucket = self.buckets[pkey]
        bucket.remove(k)
        if not bucket:
            del self.buckets[pkey]

    def clear(self) -> None:
        self.words.clear()
        self.buckets.clear()

    def copy(self, vm) -> HashTable:
        self._sync(vm)
        new = HashTable(self.heap, self.kind)
        new.words += self.words
        new.buckets = {pkey: list(bucket) for pkey, bucket in self.buckets.items()}
        new.epoch = self.epoch
        return new


def _table(vm, name: str, w: int) -> HashTable:
    if vm.data.type_of(w) == T.FOREIGN:
        table = vm.data.foreign_value(w)
        if isinstance(table, HashTable):
            return table
    raise SchemeError(f"{name}: not a hash table", [w])


# ---- primitives ------------------------------------------------------------------------

@_hp("%make-hash-table", 1)
def make_hash_table(vm, kind):
    """kind: one of the symbols eq eqv equal string string-ci."""
    return vm.data.foreign_object(HashTable(vm.heap, vm.data.symbol_name(kind)))


@_hp("hash-table?", 1)
def hash_table_p(vm, w):
    return V.boolean(vm.data.type_of(w) == T.FOREIGN
                     and isinstance(vm.data.foreign_value(w), HashTable))


@_hp("hash-table-ref/default", 3)
def hash_table_ref_default(vm, t, key, default):
    return _table(vm, "hash-table-ref/default", t).get(vm, "hash-table-ref/default", key, default)


@_hp("hash-table-set!", 3)
def hash_table_set(vm, t, key, value):
    _table(vm, "hash-table-set!", t).set(vm, "hash-table-set!", key, value)
    return V.UNSPECIFIED


@_hp("hash-table-delete!", 2)
def hash_table_delete(vm, t, key):
    _table(vm, "hash-table-delete!", t).delete(vm, "hash-table-delete!", key)
    return V.UNSPECIFIED


def _make_exists(name):
    def exists(vm, t, key):
        return V.boolean(_table(vm, name, t).find(vm, name, key)[1] >= 0)
    return exists


for _name in ("hash-table-exists?", "hash-table-contains?"):
    _hp(_name, 2)(_make_exists(_name))


@_hp("hash-table-size", 1)
def hash_table_size(vm, t):
    return V.fixnum(len(_table(vm, "hash-table-size", t)))


# name, list element made from (key word, value word)
_LISTINGS = [
    ("hash-table-keys", lambda vm, k, v: k),
    ("hash-table-values", lambda vm, k, v: v),
    ("hash-table->alist", lambda vm, k, v: vm.data.cons(k, v)),
]


def _make_listing(name, element):
    def listing(vm, t):
        words = _table(vm, name, t).words
        return vm.data.list([element(vm, words[i], words[i + 1]) for i in range(0, len(words), 2)])
    return listing


for _name, _element in _LISTINGS:
    _hp(_name, 1)(_make_listing(_name, _element))


@_hp("hash-table-copy", 1, 2)
def hash_table_copy(vm, t, mutable=None):
    """Every table is mutable, so SRFI 69's `mutable?` argument changes nothing."""
    return vm.data.foreign_object(_table(vm, "hash-table-copy", t).copy(vm))


@_hp("%hash-table-kind", 1)
def hash_table_kind(vm, t):
    """The kind symbol the table was made with (srfi69.scm maps it back to
    the equivalence and hash procedures)."""
    return vm.data.intern(_table(vm, "hash-table-equivalence-function", t).kind)


@_hp("hash-table-merge!", 2)
def hash_table_merge(vm, t1, t2):
    """Add every association of t2 to t1 (t2's value wins for a key in
    both); return t1."""
    into = _table(vm, "hash-table-merge!", t1)
    words = list(_table(vm, "hash-table-merge!", t2).words)
    for i in range(0, len(words), 2):
        into.set(vm, "hash-table-merge!", words[i], words[i + 1])
    return t1


@_hp("hash-table-clear!", 1)
def hash_table_clear(vm, t):
    _table(vm, "hash-table-clear!", t).clear()
    return V.UNSPECIFIED


def _bounded(name, h: int, bound) -> int:
    n = HASH_BOUND if bound is None else natural(name, bound)
    if n == 0:
        raise SchemeError(f"{name}: bound must be positive", [bound])
    return V.fixnum(h % n)


# name, hash of the argument (given the name, for its type check)
_HASHES = [
    ("hash", lambda vm, name, w: equal_hash(vm, w)),
    ("hash-by-identity", lambda vm, name, w: identity_hash(vm, w)),
    ("string-hash", lambda vm, name, w: _text_hash(_string_key(vm, name, w))),
    ("string-ci-hash", lambda vm, name, w: _text_hash(_string_ci_key(vm, name, w))),
]


def _make_hash(name, fn):
    def hash_(vm, w, bound=None):
        return _bounded(name, fn(vm, name, w), bound)
    return hash_


for _name, _fn in _HASHES:
    _hp(_name, 1, 2)(_make_hash(_name, _fn))
