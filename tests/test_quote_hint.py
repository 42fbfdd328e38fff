"""A value whose own quote marks end it early gets a hint about quoting, whichever YAML loader reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder.build import Options, check
from builder.notes import _load_yaml, _Loader, _Reading


class PureLoader(_Reading, yaml.SafeLoader):
    """The pure-Python loader, which words its errors differently from libyaml's."""


LOADERS = [pytest.param(_Loader, id="libyaml"), pytest.param(PureLoader, id="pure-python")]


def _message(front: str, loader: type[_Reading]) -> tuple[int, str]:
    [problem] = _load_yaml(front, "x.md", loader)[2]
    return problem.line, problem.message


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("line", "fixed", "meant"),
    [
        ('title: "He said "no" today"', "title: 'He said \"no\" today'", 'He said "no" today'),
        ("title: 'It's here'", 'title: "It\'s here"', "It's here"),
        ("title: 'He said 'no' today'", 'title: "He said \'no\' today"', "He said 'no' today"),
        ('summary: "Prigozhin: "we turn back""', "summary: 'Prigozhin: \"we turn back\"'", 'Prigozhin: "we turn back"'),
        ("title: 'Shoigu's \"orders\"'", 'title: "Shoigu\'s \\"orders\\""', 'Shoigu\'s "orders"'),
    ],
)
def test_inner_quotes_get_the_value_written_the_other_way(loader: type[_Reading], line: str, fixed: str, meant: str) -> None:
    at, message = _message(f"\ndate: 2023-06-24\n{line}\nactors: []\n", loader)
    quote = line.split(": ", 1)[1][0]
    assert at == 3 and message.endswith(f"; the {quote} inside the value on line 3 ends it early: put the value in "
                                         f"{'single' if quote == chr(34) else 'double'} quotes, as in {fixed}")  # fmt: skip
    assert yaml.safe_load(fixed) == {line.split(":")[0]: meant}  # the fix reads as the writer meant


@pytest.mark.parametrize("loader", LOADERS)
def test_in_a_list_the_hint_names_the_escape(loader: type[_Reading]) -> None:
    _, message = _message('\ntitle: T\nactors: ["Wagner "PMC"", Shoigu]\n', loader)
    hint = '; the " inside the value on line 3 ends it early: put the value in single quotes, or write each " inside it as \\"'
    assert message.endswith(hint)


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("front", ['\ntitle: "unclosed\ndate: 2024\n', "\ntitle: a: b\n"])
def test_other_syntax_errors_get_no_quote_hint(loader: type[_Reading], front: str) -> None:
    _, message = _message(front, loader)
    assert "ends it early" not in message


def test_the_fixed_value_reads_as_the_writer_meant(tmp_path: Path) -> None:
    """Written as the hint says, the note checks clean, with the quotes in its title."""
    content = tmp_path / "content"
    (content / "events").mkdir(parents=True)
    note = content / "events" / "2023-06-24-no.md"
    note.write_text('---\ntitle: "He said "no" today"\ndate: 2023-06-24\n---\nBody.\n')
    [problem] = [d for d in check(Options(content=content)).report.items if d.severity == "error"]
    assert (problem.line, problem.message.split("; ")[0]) == (2, "YAML syntax error: did not find expected key")
    fixed = problem.message.rsplit("as in ", 1)[1]
    note.write_text(f"---\n{fixed}\ndate: 2023-06-24\n---\nBody.\n")
    assert [d for d in check(Options(content=content)).report.items if d.severity == "error"] == []
    assert yaml.safe_load(fixed) == {"title": 'He said "no" today'}
