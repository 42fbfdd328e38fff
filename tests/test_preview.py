"""The live preview never serves a stale page: after every kind of edit, its site is byte-identical to a fresh
build of the same files, and a body edit re-renders only what shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.diagnostics import Report
from builder.pipeline import Settings
from builder.preview import LiveSite

from .conftest import EDITS, TALKS, TEMPLATES, edit_text


def _fresh(content: Path, templates: Path, report: Report | None = None) -> dict[str, bytes]:
    """A fresh build's files; with ``report``, also check the incremental diagnostics match it."""
    session = LiveSite(Settings(content, templates))
    assert session.update().ok
    if report is not None:
        assert report == session.report
    return session.files()


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_incremental_rebuild_equals_a_fresh_build(tree: tuple[Path, Path], name: str) -> None:
    content, templates = tree
    session = LiveSite(Settings(content, templates))
    assert session.update().ok
    changed = EDITS[name](content, templates)
    outcome = session.update(changed)
    assert outcome.ok, [str(d) for d in outcome.report.items]
    assert session.files() == _fresh(content, templates, outcome.report)


def test_a_body_edit_re_renders_only_the_pages_that_show_the_event(tree: tuple[Path, Path]) -> None:
    content, templates = tree
    session = LiveSite(Settings(content, templates))
    assert session.update().ok
    EDITS["body"](content, templates)
    outcome = session.update([content / TALKS])
    # its own page, the timeline, its two actors and one tag (whose cards show its summary, the first paragraph);
    # its neighbours show only its title, which did not change
    assert outcome.rendered == 5
    assert outcome.changed_files == {
        "events/2024-11-05-talks/index.html", "index.html", "actors/kyiv/index.html",
        "actors/yoon-suk-yeol/index.html", "tags/diplomacy/index.html",
    }  # fmt: skip
    assert session.files() == _fresh(content, templates)


def test_a_broken_edit_keeps_the_last_good_site_and_a_fix_recovers(tree: tuple[Path, Path]) -> None:
    content, templates = tree
    session = LiveSite(Settings(content, templates))
    assert session.update().ok
    good = session.files()
    edit_text(content / TALKS, 'date: "2024-11-05"', 'date: "2024-02-30"')
    outcome = session.update([content / TALKS])
    assert not outcome.ok and outcome.report.errors == 1
    assert session.files() == good
    edit_text(content / TALKS, 'date: "2024-02-30"', 'date: "2024-11-05"')
    edit_text(content / TALKS, "Talks run for three days.", "Fixed.")
    assert session.update([content / TALKS]).ok
    assert session.files() == _fresh(content, templates)


def test_a_first_build_shared_with_worker_processes_equals_one_made_alone(tmp_path: Path) -> None:
    from bench.corpus import write_corpus

    content = tmp_path / "content"
    write_corpus(content, 600)  # past the sizes from which notes are read and pages rendered in worker processes
    alone, shared = LiveSite(Settings(content, TEMPLATES)), LiveSite(Settings(content, TEMPLATES), workers=2)
    assert alone.update().ok and shared.update(fork=True).ok
    assert shared.files() == alone.files()

    note = sorted((content / "events").rglob("*.md"))[3]
    note.write_text(note.read_text() + "\nA later paragraph.\n")
    assert alone.update([note]).ok and shared.update([note]).ok
    assert shared.files() == alone.files()
