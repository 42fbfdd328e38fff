"""Front-matter values read the quick way (``notes._construct``) are exactly what PyYAML's safe constructor
makes, value and type, for real notes and for every YAML shape a writer might use; what the quick way does
not cover falls back to PyYAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.corpus import write_corpus
from builder.notes import _HANDLER, _construct, _load_yaml, _Loader, _Unusual, note_files, parse_note

from .conftest import FIXTURES, SEED_CONTENT


def _typed(value: Any) -> Any:
    """A value with the type of every part spelled out (True == 1 and 1.0 == 1 in plain comparison)."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, value if value == value else "nan")


def _both(front: str) -> tuple[Any, Any]:
    quick_loader, reference_loader = _Loader(front), _Loader(front)
    quick_node, reference_node = quick_loader.get_single_node(), reference_loader.get_single_node()
    try:
        quick = _construct(quick_loader, quick_node, set())
    except _Unusual:
        quick = "unusual"
    return quick, reference_loader.construct_document(reference_node)


SHAPES = {
    "plain": "title: Talks\ndate: 2024-11-05\nend: '2024-11-07'\n",
    "scalars": "a: yes\nb: No\nc: ~\nd: null\ne: 0x1F\nf: 1_000\ng: 1:20\nh: .inf\ni: -.5e3\nj: 012\nk: 'quoted'\nl: \"esc\\tape\"\n",
    "empty values": "a:\nb: []\nc: {}\nd: ''\n",
    "nested": "sources:\n  - title: A\n    url: https://x.org/a?b=c#d\n    published: 2024-11\n  - B\nactors: [Kim, 'Yoon Suk Yeol']\n",
    "non-string keys": "1: one\ntrue: yes\n~: nothing\n2.5: half\n",
    "block scalars": "summary: >\n  folded\n  text\nbody: |\n  kept\n  lines\n",
    "anchors and aliases": "a: &x [1, 2]\nb: *x\nc: &m {k: v}\nd: *m\n",
    "duplicate key": "title: first\ntitle: second\n",
    "unicode": "title: Kyiv – Київ\nplace: 서울\n",
    "standard tags written out": "n: !!str 123\nf: !!float 1\nb: !!bool 'true'\n",
}
UNUSUAL = {
    "merge key": "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",
    "binary": "b: !!binary aGVsbG8=\n",
    "set": "s: !!set {a, b}\n",
    "collection key": "? [a, b]\n: c\n",
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_plain_shapes_read_the_same_as_pyyaml(name: str) -> None:
    quick, reference = _both(SHAPES[name])
    assert _typed(quick) == _typed(reference)


@pytest.mark.parametrize("name", sorted(UNUSUAL))
def test_other_shapes_fall_back_to_pyyaml(name: str) -> None:
    front = UNUSUAL[name]
    loader = _Loader(front)
    node = loader.get_single_node()
    with pytest.raises(_Unusual):
        _construct(loader, node, set())
    data, _, problems = _load_yaml(front, "x.md")
    try:
        reference = _Loader(front).get_single_data()
    except yaml.YAMLError:  # PyYAML refuses it (a list as a key): reported as the note's error
        assert data is None and [p.message for p in problems] == ["YAML syntax error: found unhashable key"]
    else:
        assert data == {str(k): v for k, v in reference.items()} and not problems


def test_every_note_of_the_seed_the_fixtures_and_a_bench_corpus_reads_the_same_as_pyyaml(tmp_path: Path) -> None:
    write_corpus(tmp_path / "corpus", 1000)
    fronts = [
        _HANDLER.split(path.read_text())[0]
        for content in (SEED_CONTENT, FIXTURES / "basic" / "content", tmp_path / "corpus")
        for path, _ in note_files(content)
    ]
    assert len(fronts) > 1000
    for front in fronts:
        quick, reference = _both(front)
        assert _typed(quick) == _typed(reference), front


def test_a_value_that_holds_itself_through_an_alias_is_an_error_not_a_crash() -> None:
    note, problems = parse_note(b"---\ntitle: T\na: &x\n  b: *x\n---\nBody.\n", "x.md", "x", "event")
    assert note is None
    assert [str(p) for p in problems] == ["x.md:3: error: an alias (*name) stands for a value that holds it; write the value out instead"]
