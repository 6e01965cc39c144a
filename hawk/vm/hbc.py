"""The `.hbc` file: compiled prototypes serialized for reuse.

A header line names the format version and a key that must match for the
file to be used: the key hashes the source being compiled together with
every compiler source file, so a change to either makes the cache stale
and it is rebuilt. The body is a pickle of the prototypes (they hold only
frontend data, never heap pointers).
"""
from __future__ import annotations

import functools
import os
import pickle
import zlib
from pathlib import Path

FORMAT = b"HAWK-HBC 3"   # 2: Proto.dead_after_call; 3: records (hawk.record) pickle their own way
_COMPILER_SOURCES = ("record.py", "frontend", "vm")     # under hawk/: files and folders


@functools.cache
def compiler_fingerprint() -> str:
    """A checksum of the sources that determine what bytecode is produced
    (computed once per process: every library file's cache key uses it).
    CRC-32 and Adler-32 from zlib, which the runtime loads anyway, rather
    than hashlib: its import loads OpenSSL, ~3 ms of every start-up, and
    the key only has to notice edits, not withstand an adversary."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    crc, adler = 0, 1
    for name in _COMPILER_SOURCES:
        for path in _sources(os.path.join(root, name)):
            with open(path, "rb") as fh:
                data = os.path.basename(path).encode() + fh.read()
            crc, adler = zlib.crc32(data, crc), zlib.adler32(data, adler)
    return f"{crc:08x}{adler:08x}"


def _sources(top: str) -> list[str]:
    """The .py files under `top` (or `top` itself), in a fixed order."""
    if top.endswith(".py"):
        return [top]
    found = []
    for folder, subdirs, files in os.walk(top):
        subdirs.sort()
        found += [os.path.join(folder, f) for f in sorted(files) if f.endswith(".py")]
    return found


def cache_key(source: str) -> str:
    data = (compiler_fingerprint() + source).encode()
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


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
