"""Front-matter values read the quick way (``notes._construct``) are exactly what PyYAML's safe constructor
makes, value and type, for real notes and for every YAML shape a writer might use; what the quick way does
not cover falls back to PyYAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.corpus import write_corpus
from builder.markup import Markdown
from builder.notes import (
    _HANDLER,
    HAS_C_LOADER,
    MAX_DEPTH,
    MAX_FRONT_MATTER_BYTES,
    MAX_INT_DIGITS,
    MAX_ITEMS,
    MAX_VALUES,
    _construct,
    _load_yaml,
    _Loader,
    _Reading,
    _Unusual,
    parse_note,
)
from builder.records import EVENT_FIELDS, event_from_note
from builder.scan import note_files

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
        quick = _construct(quick_loader, quick_node)
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
        _construct(loader, node)
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


# ---- limits: however a note is written, reading it costs little --------------------------------------------


class PureLoader(_Reading, yaml.SafeLoader):
    """The builder's loader as it is where PyYAML was built without libyaml."""


LOADERS = [pytest.param(_Loader, id="loader"), pytest.param(PureLoader, id="pure-python-loader")]


def _messages(front: str, loader: type[_Reading]) -> list[str]:
    return [f"{p.line}: {p.severity}: {p.message}" for p in _load_yaml(front, "x.md", loader)[2]]


def _refused(front: str, loader: type[_Reading]) -> list[str]:
    data, lines, problems = _load_yaml(front, "x.md", loader)
    assert data is None and lines == {}
    return [f"{p.line}: {p.message}" for p in problems]


@pytest.mark.parametrize("loader", LOADERS)
def test_lists_and_mappings_hold_at_most_max_items(loader: type[_Reading]) -> None:
    items = "".join(f"  - actor {i}\n" for i in range(MAX_ITEMS + 1))
    assert _load_yaml(f"\ntitle: T\nactors:\n{items[: items.rindex('  -')]}", "x.md", loader)[0] is not None
    assert _refused(f"\ntitle: T\nactors:\n{items}", loader) == [
        f'{3 + MAX_ITEMS + 1}: "actors" holds 1,001 items, more than the 1,000 a note may have (the first past the limit is on this line)'
    ]
    keys = ", ".join(f"k{i}: v" for i in range(MAX_ITEMS + 1))
    assert _refused(f"\ntitle: T\nsources: [{{{keys}}}]\n", loader) == [
        '3: "sources.0" holds 1,001 keys, more than the 1,000 a note may have (the first past the limit is on this line)'
    ]


@pytest.mark.parametrize("loader", LOADERS)
def test_values_nest_at_most_max_depth(loader: type[_Reading]) -> None:
    deepest = MAX_DEPTH - 1  # the front-matter's own mapping is the first level
    assert _load_yaml(f"\nx: {'[' * deepest}1{']' * deepest}\n", "x.md", loader)[0] is not None
    assert _refused(f"\nx: {'[' * (deepest + 1)}1{']' * (deepest + 1)}\n", loader) == [
        f'2: "x{".0" * deepest}": lists and mappings nest more than {MAX_DEPTH} levels deep'
    ]


@pytest.mark.parametrize("loader", LOADERS)
def test_nesting_past_what_the_yaml_reader_itself_can_take_is_an_error_too(loader: type[_Reading]) -> None:
    problems = _refused(f"\ntitle: T\nx: {'[' * 5000}{']' * 5000}\n", loader)
    libyaml = "3: YAML syntax error: exceeded maximum nesting depth"
    recursion = f"1: front-matter nests lists or mappings more than {MAX_DEPTH} levels deep"
    assert problems == [libyaml if loader is _Loader and HAS_C_LOADER else recursion]


@pytest.mark.parametrize("loader", LOADERS)
def test_integers_have_at_most_max_int_digits_wherever_they_are(loader: type[_Reading]) -> None:
    assert _load_yaml(f"\nx: {'9' * MAX_INT_DIGITS}\n{'8' * MAX_INT_DIGITS}: y\n", "x.md", loader)[0] is not None
    message = f"an integer of more than {MAX_INT_DIGITS} digits; put it in quotes if it is text"
    assert _refused(f"\nx: {'9' * 5000}\ny: [1, 0x{'f' * 4000}]\n{'8' * 101}: z\nw: '{'9' * 5000}'\n", loader) == [
        f'2: "x": {message}', f'3: "y.1": {message}', f"4: front-matter: {message}"
    ]


@pytest.mark.parametrize("loader", LOADERS)
def test_aliases_count_as_copies_of_what_they_name(loader: type[_Reading]) -> None:
    def laughs(levels: int) -> str:
        lines = [f"l0: &l0 [{', '.join(['x'] * 9)}]"] + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
        return "\n" + "\n".join(lines)

    assert _load_yaml(laughs(3), "x.md", loader)[0] is not None  # 8,307 values
    message = f"front-matter holds more than {MAX_VALUES:,} values, counting an alias (*name) as a copy of what it names"
    assert _refused(laughs(4), loader) == [f"6: {message} (reached on this line); write fewer values, or write them out"]
    # PyYAML's own constructor (for the set) would share the copies, and the walk over them would not end
    assert _refused(laughs(9) + "\ns: !!set {a}", loader) == [f"6: {message} (reached on this line); write fewer values, or write them out"]


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("front", ["\nx: &x [*x]\ny: !!set {a}\n", "\ny: !!set {a}\nx: &x [*x]\n", "\nm: &m {<<: *m}\n"])
def test_a_value_that_holds_itself_is_an_error_whichever_constructor_would_make_it(loader: type[_Reading], front: str) -> None:
    line = front.count("\n", 0, front.index("&")) + 1
    assert _refused(front, loader) == [f"{line}: an alias (*name) stands for a value that holds it; write the value out instead"]


def test_front_matter_has_at_most_max_front_matter_bytes() -> None:
    def note(size: int) -> bytes:
        front = "\ntitle: T\ndate: 2024\n# "
        front += "é" * ((size - len(front.encode()) - 1) // 2) + "x" * ((size - len(front.encode()) - 1) % 2) + "\n"
        assert len(front.encode()) == size
        return f"---{front}---\nBody.\n".encode()

    assert parse_note(note(MAX_FRONT_MATTER_BYTES), "x.md", "x", "event")[0] is not None
    note_, problems = parse_note(note(MAX_FRONT_MATTER_BYTES + 1), "x.md", "x", "event")
    assert note_ is None
    limit = "more than the 65,536 a note may have (reached on this line); long text belongs in the body"
    assert [str(p) for p in problems] == [f"x.md:4: error: front-matter is 65,537 bytes, {limit}"]


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("value", "shown"),
    [("!!int abc", "'abc' cannot be read as !!int"), ("!!float x", "'x' cannot be read as !!float"),
     ("!!bool maybe", "'maybe' cannot be read as !!bool"), ("!!timestamp 2024-13-45", "'2024-13-45' cannot be read as !!timestamp"),
     ("[a, !!timestamp nope]", "'nope' cannot be read as !!timestamp"), ("!!binary a", "")],
)  # fmt: skip
def test_a_value_its_tag_cannot_make_is_an_error_at_its_line(loader: type[_Reading], value: str, shown: str) -> None:
    problems = _refused(f"\ntitle: T\nx: {value}\n", loader)
    assert problems == [f"3: {shown}; remove the tag or correct the value"] or (
        value.startswith("!!binary") and problems[0].startswith("3: YAML syntax error: failed to decode base64 data")
    )


@pytest.mark.parametrize("loader", LOADERS)
def test_a_character_yaml_does_not_allow_is_one_line_at_its_line(loader: type[_Reading]) -> None:
    message = "front-matter holds a character that YAML does not allow"
    assert _refused("\ntitle: T\nplace: Se\x01oul\n", loader) == [f"3: {message} (U+0001); remove it"]
    assert _refused("\ntitle: T\n\nx: \ufffe\n", loader) == [f"4: {message} (U+FFFE); remove it"]


def test_lone_surrogates_which_only_the_pure_python_loader_makes_are_removed_with_a_warning() -> None:
    data, _, problems = _load_yaml('\ntitle: T\nplace: "Se\\ud800oul"\n', "x.md", PureLoader)
    assert data == {"title": "T", "place": "Seoul"}
    assert [str(p) for p in problems] == ['x.md:3: warning: "place" holds characters that XML forbids (U+D800); they were removed']


def test_keys_given_twice_are_reported_and_the_last_value_is_surveyed_too() -> None:
    assert _messages("\nx: 1\nx: [" + ", ".join(["y"] * 1001) + "]\n", _Loader) == [
        '3: error: "x" holds 1,001 items, more than the 1,000 a note may have (the first past the limit is on this line)',
        '3: error: key "x" is given twice (first on line 2)',
    ]


def test_a_key_with_a_line_break_is_shown_as_written_and_its_diagnostic_stays_one_line() -> None:
    note, problems = parse_note(b'---\ntitle: T\ndate: 2024\n"a\\nb\\u2028c": 1\n---\n', "x.md", "x", "event")
    assert note is not None
    found, more = event_from_note(note, Markdown())
    assert found is not None
    known = ", ".join(EVENT_FIELDS)
    assert [str(p) for p in problems + more] == [f'x.md:4: warning: unknown key "a\\nb\\u2028c" is ignored (known: {known})']
