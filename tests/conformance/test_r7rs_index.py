"""The R7RS-small index (r7rs-index.txt): every identifier of the 16
standard libraries is exported by hawk's table of that library and bound,
and every one is exercised by some case of this conformance suite."""
from __future__ import annotations

from r7rs_index import load_index, uncovered, unimplemented


def test_the_index_lists_the_sixteen_libraries():
    index = load_index()
    assert len(index) == 16
    assert all(len(names) == len(set(names)) for names in index.values())
    assert len(index[("scheme", "base")]) > 200 and index[("scheme", "load")] == ["load"]


def test_every_name_is_implemented():
    assert unimplemented(load_index()) == {}


def test_every_name_is_exercised_by_a_conformance_case():
    assert uncovered(load_index()) == {}


def test_the_coverage_check_finds_what_is_missing():
    index = {("x",): ["car", "car!", "list-copy"]}
    assert uncovered(index, "(car x) (list-copy-all l)") == {("x",): ["car!", "list-copy"]}
