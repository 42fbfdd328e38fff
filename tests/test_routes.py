"""Routes cannot escape: whatever a note's file name, tags and actors, every page lands in its own folder under the
output folder, two notes never share a page without an error or a warning saying so, and the build never raises."""

from __future__ import annotations

import os
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.cli import main
from builder.routes import MAX_KEY_BYTES, key_problem, safe_key

from .conftest import TEMPLATES, tree


def _event(title: str, tags: list[str] = (), actors: list[str] = ()) -> str:  # type: ignore[assignment]
    def quoted(items: list[str]) -> str:
        return "[" + ", ".join('"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"' for t in items) + "]"

    return f'---\ntitle: "{title}"\ndate: "2024"\ntags: {quoted(list(tags))}\nactors: {quoted(list(actors))}\n---\nBody.\n'


def _site(root: Path, notes: dict[str, str]) -> Path:
    content = root / "content"
    (content / "events").mkdir(parents=True)
    (content / "site.toml").write_text('title = "Routes"\n')
    for name, text in notes.items():
        (content / "events" / name).write_text(text)
    return content


def _build(content: Path, out: Path) -> int:
    return main(["build", "--content", str(content), "--templates", str(TEMPLATES), "--out", str(out), "--jobs", "1", "--no-cache"])


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("...md", "it starts with a dot"),
        ("..md", "it starts with a dot"),
        (".md", "it starts with a dot"),
        ("a\\b.md", "it holds '\\\\'"),
        ("con.md", '"con" is a device name on Windows'),
        ("LPT1.md", '"lpt1" is a device name on Windows'),
        ("what?.md", "it holds '?'"),
        ("trailing..md", "it ends with a dot or a space"),
        (("x" * 201) + ".md", "it is 201 bytes long"),
    ],
)
def test_a_file_name_that_cannot_be_an_address_is_an_error_naming_the_file(
    tmp_path: Path, name: str, why: str, capsys: pytest.CaptureFixture[str]
) -> None:
    content = _site(tmp_path, {"good.md": _event("Good"), name: _event("Other")})
    assert _build(content, tmp_path / "site") == 1
    err = capsys.readouterr().err
    assert f"events/{name}:1: error: the file name \"{Path(name).stem}\" cannot be the address of its page: {why}" in err
    assert not (tmp_path / "site").exists()


def test_case_and_unicode_twins_are_an_error_naming_both_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nfc, nfd = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    content = _site(tmp_path, {f"{nfc}.md": _event("One"), f"{nfd}.md": _event("Two"), "Talks.md": _event("3"), "talks.md": _event("4")})
    assert _build(content, tmp_path / "site") == 1
    err = capsys.readouterr().err
    assert err.count("is also used by") == 4
    assert f"events/{nfd}.md" in err and f"events/{nfc}.md" in err and "events/Talks.md" in err and "events/talks.md" in err


def test_tags_that_only_share_an_address_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = {"a.md": _event("A", ["a/b", "Arms supply"]), "b.md": _event("B", ["a\\b"]), "c.md": _event("C", ["arms-supply"])}
    assert _build(_site(tmp_path, notes), tmp_path / "site") == 0
    err = capsys.readouterr().err
    assert 'warning: tag "a\\b" is the same tag as "a/b" (both are tags/a-b/)' in err
    assert '"arms-supply"' not in err  # another case, hyphens for spaces: the same words, one tag as meant


def test_long_tags_and_actors_make_addresses_every_file_system_takes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    long = "Very long name " * 30
    content = _site(tmp_path, {"a.md": _event("A", [long, long + "2"], [long, long + "x"])})
    assert _build(content, tmp_path / "site") == 0
    for folder in (tmp_path / "site").rglob("*"):
        assert len(folder.name.encode()) <= MAX_KEY_BYTES
    assert "2\" is the same tag as" in capsys.readouterr().err  # two tags cut to one address: said, not silent
    assert len(list((tmp_path / "site" / "actors").iterdir())) == 3  # the index and two actors, not one


def test_keys_made_from_text_are_always_fit() -> None:
    assert safe_key("con") == "con-" and safe_key("aux.x") == "aux.x-"
    assert key_problem(safe_key("é" * 300)) is None and len(safe_key("é" * 300).encode()) <= MAX_KEY_BYTES


NAMES = st.text(st.characters(codec="utf-8", exclude_characters="\x00/"), min_size=1, max_size=80)
WORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(NAMES, st.lists(WORDS, max_size=3), st.lists(WORDS, max_size=3)), min_size=1, max_size=6))
def test_any_names_stay_under_the_output_folder_and_never_share_a_page_unreported(notes: list[tuple[str, list[str], list[str]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        content = _site(root, {})
        written = 0
        for name, tags, actors in notes:
            try:
                (content / "events" / f"{name}.md").write_text(_event("E", tags, actors))
                written += 1
            except (OSError, ValueError):
                continue  # a name this file system refuses: no writer can make that note
        out = root / "out" / "site"
        code = _build(content, out)  # raises nothing: a traceback fails the test
        assert code in (0, 1)
        if code == 1:
            assert not out.exists()
            return
        for dirpath, _, files in os.walk(out):
            for file in files:
                assert Path(dirpath, file).resolve().is_relative_to(out.resolve())
        events = {p.parent.name for p in (out / "events").glob("*/index.html")}
        notes_written = list((content / "events").glob("*.md"))
        assert len(events) == len(notes_written) == written or len(events) == len(notes_written)
        assert all(len(p.name.encode()) <= MAX_KEY_BYTES for p in out.rglob("*"))
        assert tree(out)  # the site is there
