"""Shared test helpers: the project's paths, the golden-file flag, the guard that keeps tests off content/, and a content tree
with every kind of edit to it."""

from __future__ import annotations

import os
import select
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from . import content_guard

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The story the project first shipped in content/, kept here so that the tests needing a rich story keep it when a
# newsroom replaces content/ by its own (only tests/test_content.py reads content/).
SEED_CONTENT = FIXTURES / "seed" / "content"


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(content_guard, "content_guard")  # fails any test that reads the repository's content/


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed story built once, with no problem to report: for tests that only read its pages and files."""
    from builder.build import Options, build

    out = tmp_path_factory.mktemp("seed") / "site"
    result = build(Options(content=SEED_CONTENT, templates=TEMPLATES, out=out, cache=None))
    assert [str(d) for d in result.report.items] == []
    return out


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below a folder, keyed by its POSIX path relative to it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def matches_golden(chosen: dict[str, bytes], golden: Path, update: bool) -> None:
    """Files (by path) are byte for byte the golden set in ``golden``, no more and no fewer; ``update`` rewrites it."""
    if update:
        shutil.rmtree(golden, ignore_errors=True)
        for path, data in chosen.items():
            (golden / path).parent.mkdir(parents=True, exist_ok=True)
            (golden / path).write_bytes(data)
    assert sorted(tree(golden)) == sorted(chosen), "the set of files differs; run pytest --update-golden if intended"
    for path, data in chosen.items():
        assert data.decode() == (golden / path).read_bytes().decode(), f"{path} differs from {golden}/{path}"


TALKS = Path("events/2024/2024-11-05-talks.md")


@pytest.fixture(name="tree")
def content_tree(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the fixture content (plus a note with links) and of the templates, to edit."""
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    shutil.copytree(TEMPLATES, templates)
    (content / "events" / "2024" / "2024-11-20-follow-up.md").write_text(
        "---\ntitle: Follow-up\ndate: 2024-11-20\nactors: [Kyiv]\n---\nAfter [[2024-11-05-talks|the talks]], see [[Kyiv]].\n"
    )
    return content, templates


def edit_text(path: Path, old: str, new: str) -> None:
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
    edit_text(content / TALKS, "Talks run for three days.", "Talks ran long; see [[Kiev]].")
    return [content / TALKS]


@edit("summary of a listed event")
def _summary(content: Path, templates: Path) -> list[Path]:
    path = content / "events/2024/2024-11-06-election.md"
    edit_text(path, "summary: The result is known.", "summary: The result is in.")
    return [path]


@edit("date")
def _date(content: Path, templates: Path) -> list[Path]:
    edit_text(content / TALKS, 'date: "2024-11-05"', 'date: "2024-11-07"')  # now after the 6 November events
    return [content / TALKS]


@edit("title of a neighbour")
def _title(content: Path, templates: Path) -> list[Path]:
    edit_text(content / TALKS, "title: Talks over three days", "title: Talks, renamed")
    return [content / TALKS]


@edit("actors of an event")
def _event_actors(content: Path, templates: Path) -> list[Path]:
    # who appears with whom, related events, actor strips and the filters' choices all follow an event's actors
    path = content / "events/2024/2024-11-06-election.md"
    edit_text(path, 'actors: [Yun Seok-yul, "Kim Jong-un (professor)"]', 'actors: [Yun Seok-yul, Kyiv]')
    return [path]


@edit("tags of an event")
def _event_tags(content: Path, templates: Path) -> list[Path]:
    edit_text(content / TALKS, "tags: [diplomacy]", "tags: [aid]")
    return [content / TALKS]


@edit("actor aliases")
def _aliases(content: Path, templates: Path) -> list[Path]:
    path = content / "actors/south-korea.md"
    edit_text(path, "aliases: [Seoul, ROK]", "aliases: [ROK]")
    return [path]


@edit("actor name")
def _actor_name(content: Path, templates: Path) -> list[Path]:
    path = content / "actors/kyiv.md"
    edit_text(path, "name: Kyiv", "name: Kyiv City")
    return [path]


@edit("template")
def _template(content: Path, templates: Path) -> list[Path]:
    edit_text(templates / "_macros.html", '<p class="card-meta">', '<p class="card-meta changed">')
    return [templates / "_macros.html"]


@edit("site.toml")
def _settings(content: Path, templates: Path) -> list[Path]:
    edit_text(content / "site.toml", 'title = "Fixture timeline"', 'title = "Renamed"')
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


SOURCE_NOTE = Path("sources/yonhap-2024-11-10.md")
REACTIONS = Path("events/2024/2024-11-10-reactions.md")


@edit("source note")
def _source_note(content: Path, templates: Path) -> list[Path]:
    # the citation on the event's page, the source's page and the publisher it moves to
    edit_text(content / SOURCE_NOTE, "publisher: Yonhap", "publisher: Wire")
    return [content / SOURCE_NOTE]


@edit("source cited")
def _source_cited(content: Path, templates: Path) -> list[Path]:
    # another event cites the declared source, and one cites inline a source another event already cites by its URL
    edit_text(content / TALKS, "tags: [diplomacy]", "tags: [diplomacy]\nsources: [yonhap-2024-11-10, 'https://example.com/article']")
    return [content / TALKS]


@edit("source note added")
def _source_added(content: Path, templates: Path) -> list[Path]:
    path = content / "sources/kcna-2024-06.md"
    path.write_text("---\ntitle: Pact text\npublisher: KCNA\npublished: 2024-06-20\n---\n")
    edit_text(content / REACTIONS, "  - yonhap-2024-11-10", "  - yonhap-2024-11-10\n  - kcna-2024-06")
    return [path, content / REACTIONS]


@edit("draft flag")
def _draft(content: Path, templates: Path) -> list[Path]:
    path = content / "events/2024/draft-note.md"
    edit_text(path, "draft: true", "draft: false")
    return [path]
def ended(pids: Iterable[int], timeout: float = 10.0) -> set[int]:
    """Wait (up to ``timeout`` seconds) for processes that are not this one's children to end; the ones still running.

    A process counts as ended once it has stopped running, reaped or not (pidfd_open, Linux 5.3+).
    """
    running: set[int] = set()
    deadline = time.monotonic() + timeout
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            waiting = select.poll()
            waiting.register(fd, select.POLLIN)
            if not waiting.poll(max(0.0, deadline - time.monotonic()) * 1000):
                running.add(pid)
        finally:
            os.close(fd)
    return running
