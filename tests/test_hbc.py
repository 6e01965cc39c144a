"""The .hbc bytecode cache: round trip, staleness, corruption."""
from __future__ import annotations

from hawk.frontend.expander import Expander
from hawk.frontend.pipeline import compile_program
from hawk.frontend.reader import read_all
from hawk.vm import hbc

SOURCE = "(define (f x) (list x 'sym \"str\" #\\c 1.5 2/3 #(1 2))) (f 1)"


def compile_source(text):
    return compile_program(read_all(text, "t.scm"), "t.scm", Expander())


def test_round_trip_keeps_code_and_constants(tmp_path):
    proto = compile_source(SOURCE)
    path = tmp_path / "t.hbc"
    key = hbc.cache_key(SOURCE)
    hbc.save(path, key, [proto])
    [loaded] = hbc.load(path, key)
    assert [p.code for p in loaded.walk()] == [p.code for p in proto.walk()]
    assert [p.name for p in loaded.walk()] == [p.name for p in proto.walk()]
    assert [str(p.locs) for p in loaded.walk()] == [str(p.locs) for p in proto.walk()]


def test_changed_source_makes_the_cache_stale(tmp_path):
    path = tmp_path / "t.hbc"
    hbc.save(path, hbc.cache_key(SOURCE), [compile_source(SOURCE)])
    assert hbc.load(path, hbc.cache_key(SOURCE + " ")) is None


def test_changed_compiler_makes_the_cache_stale(tmp_path, monkeypatch):
    path = tmp_path / "t.hbc"
    hbc.save(path, hbc.cache_key(SOURCE), [compile_source(SOURCE)])
    monkeypatch.setattr(hbc, "compiler_fingerprint", lambda: "a different compiler")
    assert hbc.load(path, hbc.cache_key(SOURCE)) is None


def test_corrupt_or_missing_cache_is_rebuilt_not_fatal(tmp_path):
    path = tmp_path / "t.hbc"
    assert hbc.load(path, "k") is None
    path.write_bytes(hbc.FORMAT + b" k\n" + b"not a pickle")
    assert hbc.load(path, "k") is None


def test_library_cache_is_written_and_reused(tmp_path, monkeypatch):
    from hawk import driver
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = driver.library_protos()
    cached = list((tmp_path / "hawk").glob("*.hbc"))
    assert cached, "the library was not cached"
    calls = []
    monkeypatch.setattr(driver, "compile_program", lambda *a, **k: calls.append(a))
    second = driver.library_protos()
    assert calls == []
    assert [p.code for p in second[0].walk()] == [p.code for p in first[0].walk()]
