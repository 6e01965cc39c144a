"""The `.hbc` file: compiled prototypes serialized for reuse.

A header line names the format version and a key that must match for the
file to be used: the key hashes the source being compiled together with
every compiler source file, so a change to either makes the cache stale
and it is rebuilt. The body is a pickle of the prototypes (they hold only
frontend data, never heap pointers).
"""
from __future__ import annotations

import functools
import hashlib
import pickle
from pathlib import Path

FORMAT = b"HAWK-HBC 2"   # 2: Proto.dead_after_call
_COMPILER_DIRS = ("frontend", "vm")


@functools.cache
def compiler_fingerprint() -> str:
    """A hash of the sources that determine what bytecode is produced
    (computed once per process: every library file's cache key uses it)."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for d in _COMPILER_DIRS:
        for f in sorted((root / d).rglob("*.py")):
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def cache_key(source: str) -> str:
    return hashlib.sha256((compiler_fingerprint() + source).encode()).hexdigest()


def save(path: Path, key: str, protos: list) -> None:
    data = FORMAT + b" " + key.encode() + b"\n" + pickle.dumps(protos, protocol=5)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def load(path: Path, key: str):
    """The prototypes stored under `key`, or None if missing or stale."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header, _, body = data.partition(b"\n")
    if header != FORMAT + b" " + key.encode():
        return None
    try:
        return pickle.loads(body)
    except Exception:       # noqa: BLE001 - a corrupt cache is just rebuilt
        return None
