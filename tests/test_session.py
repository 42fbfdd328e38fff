"""Incremental rebuilds never serve a stale page: after every kind of edit, the session's output
is byte-identical to a fresh build of the same files, and a body edit re-renders only what shows it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from builder.diagnostics import Report
from builder.session import Session, Settings

from .conftest import FIXTURES, TEMPLATES

TALKS = Path("events/2024/2024-11-05-talks.md")


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    shutil.copytree(TEMPLATES, templates)
    (content / "events" / "2024" / "2024-11-20-follow-up.md").write_text(
        "---\ntitle: Follow-up\ndate: 2024-11-20\nactors: [Kyiv]\n---\nAfter [[2024-11-05-talks|the talks]], see [[Kyiv]].\n"
    )
    return content, templates


def _fresh(content: Path, templates: Path, report: Report | None = None) -> dict[str, bytes]:
    """A fresh build's files; with ``report``, also check the incremental diagnostics match it."""
    session = Session(Settings(content, templates))
    assert session.update().ok
    if report is not None:
        assert report == session.report
    return session.files()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


EDITS: dict[str, Callable[[Path, Path], list[Path]]] = {}


def edit(name: str) -> Callable[[Callable[[Path, Path], list[Path]]], Callable[[Path, Path], list[Path]]]:
    def register(function: Callable[[Path, Path], list[Path]]) -> Callable[[Path, Path], list[Path]]:
        EDITS[name] = function
        return function

    return register


@edit("body")
def _body(content: Path, templates: Path) -> list[Path]:
    _edit(content / TALKS, "Talks run for three days.", "Talks ran long; see [[Kiev]].")
    return [content / TALKS]


@edit("summary of a listed event")
def _summary(content: Path, templates: Path) -> list[Path]:
    path = content / "events/2024/2024-11-06-election.md"
    _edit(path, "summary: The result is known.", "summary: The result is in.")
    return [path]


@edit("date")
def _date(content: Path, templates: Path) -> list[Path]:
    _edit(content / TALKS, 'date: "2024-11-05"', 'date: "2024-11-07"')  # now after the 6 November events
    return [content / TALKS]


@edit("title of a neighbour")
def _title(content: Path, templates: Path) -> list[Path]:
    _edit(content / TALKS, "title: Talks over three days", "title: Talks, renamed")
    return [content / TALKS]


@edit("actors of an event")
def _event_actors(content: Path, templates: Path) -> list[Path]:
    # who appears with whom, related events, actor strips and the filters' choices all follow an event's actors
    path = content / "events/2024/2024-11-06-election.md"
    _edit(path, 'actors: [Yun Seok-yul, "Kim Jong-un (professor)"]', 'actors: [Yun Seok-yul, Kyiv]')
    return [path]


@edit("tags of an event")
def _event_tags(content: Path, templates: Path) -> list[Path]:
    _edit(content / TALKS, "tags: [diplomacy]", "tags: [aid]")
    return [content / TALKS]


@edit("actor aliases")
def _aliases(content: Path, templates: Path) -> list[Path]:
    path = content / "actors/south-korea.md"
    _edit(path, "aliases: [Seoul, ROK]", "aliases: [ROK]")
    return [path]


@edit("actor name")
def _actor_name(content: Path, templates: Path) -> list[Path]:
    path = content / "actors/kyiv.md"
    _edit(path, "name: Kyiv", "name: Kyiv City")
    return [path]


@edit("template")
def _template(content: Path, templates: Path) -> list[Path]:
    _edit(templates / "_macros.html", '<p class="card-meta">', '<p class="card-meta changed">')
    return [templates / "_macros.html"]


@edit("site.toml")
def _settings(content: Path, templates: Path) -> list[Path]:
    _edit(content / "site.toml", 'title = "Fixture timeline"', 'title = "Renamed"')
    return [content / "site.toml"]


@edit("allow_html")
def _allow_html(content: Path, templates: Path) -> list[Path]:
    with (content / "site.toml").open("a") as f:
        f.write("allow_html = true\n")
    return [content / "site.toml"]


@edit("delete")
def _delete(content: Path, templates: Path) -> list[Path]:
    (content / TALKS).unlink()
    return [content / TALKS]


@edit("rename")
def _rename(content: Path, templates: Path) -> list[Path]:
    new = content / TALKS.with_name("2024-11-05-three-day-talks.md")
    os.rename(content / TALKS, new)
    return [content / TALKS, new]


@edit("add")
def _add(content: Path, templates: Path) -> list[Path]:
    path = content / "events/2025/2025-01-01-new-year.md"
    path.parent.mkdir()
    path.write_text("---\ntitle: New year\ndate: 2025\ntags: [Aid]\n---\nA new year.\n")
    return [path.parent, path]


@edit("delete a folder")
def _delete_folder(content: Path, templates: Path) -> list[Path]:
    shutil.rmtree(content / "events/older")
    return [content / "events/older"]


@edit("draft flag")
def _draft(content: Path, templates: Path) -> list[Path]:
    path = content / "events/2024/draft-note.md"
    _edit(path, "draft: true", "draft: false")
    return [path]


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_incremental_rebuild_equals_a_fresh_build(tree: tuple[Path, Path], name: str) -> None:
    content, templates = tree
    session = Session(Settings(content, templates))
    assert session.update().ok
    changed = EDITS[name](content, templates)
    outcome = session.update(changed)
    assert outcome.ok, [str(d) for d in outcome.report.items]
    assert session.files() == _fresh(content, templates, outcome.report)


def test_a_body_edit_re_renders_only_the_pages_that_show_the_event(tree: tuple[Path, Path]) -> None:
    content, templates = tree
    session = Session(Settings(content, templates))
    assert session.update().ok
    _body(content, templates)
    outcome = session.update([content / TALKS])
    # its own page, its two neighbours, the timeline, its two actors and one tag; the neighbours
    # show only its title, so their bytes do not change
    assert outcome.rendered == 7
    assert outcome.changed_files == {
        "events/2024-11-05-talks/index.html", "index.html", "actors/kyiv/index.html",
        "actors/yoon-suk-yeol/index.html", "tags/diplomacy/index.html",
    }  # fmt: skip
    assert session.files() == _fresh(content, templates)


def test_a_broken_edit_keeps_the_last_good_site_and_a_fix_recovers(tree: tuple[Path, Path]) -> None:
    content, templates = tree
    session = Session(Settings(content, templates))
    assert session.update().ok
    good = session.files()
    _edit(content / TALKS, 'date: "2024-11-05"', 'date: "2024-02-30"')
    outcome = session.update([content / TALKS])
    assert not outcome.ok and outcome.report.errors == 1
    assert session.files() == good
    _edit(content / TALKS, 'date: "2024-02-30"', 'date: "2024-11-05"')
    _edit(content / TALKS, "Talks run for three days.", "Fixed.")
    assert session.update([content / TALKS]).ok
    assert session.files() == _fresh(content, templates)


def test_a_first_build_shared_with_worker_processes_equals_one_made_alone(tmp_path: Path) -> None:
    from bench.corpus import write_corpus

    content = tmp_path / "content"
    write_corpus(content, 600)  # past the sizes from which notes are read and pages rendered in worker processes
    alone, shared = Session(Settings(content, TEMPLATES)), Session(Settings(content, TEMPLATES), workers=2)
    assert alone.update().ok and shared.update(fork=True).ok
    assert shared.files() == alone.files()

    note = sorted((content / "events").rglob("*.md"))[3]
    note.write_text(note.read_text() + "\nA later paragraph.\n")
    assert alone.update([note]).ok and shared.update([note]).ok
    assert shared.files() == alone.files()
