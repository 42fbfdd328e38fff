"""Placeholder text never reaches readers: a published note holding what ``new`` or ``init`` wrote for the writer to
replace is an error at its line, in check and build alike; a draft may hold it. And actor notes may be drafts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.build import Options, build, check
from builder.markup import Markdown
from builder.notes import parse_note
from builder.placeholders import ACTOR_BODY, EVENT_BODY, EXAMPLE_BODY, placeholder_problems
from builder.records import actor_from_note

from .conftest import TALKS

FIX = "write the note's own text in its place (a note marked draft: true may keep it)"


def _errors(content: Path, drafts: bool = False) -> list[str]:
    return [str(d) for d in check(Options(content=content, drafts=drafts)).report.items if d.severity == "error"]


def _body_problems(body: str, draft: bool = False) -> list[str]:
    front = "title: T\ndate: 2024\n" + ("draft: true\n" if draft else "")
    note, problems = parse_note(f"---\n{front}---\n{body}".encode(), "n.md", "n", "event")
    assert note is not None and problems == []
    return [f"{d.line}: {d.message}" for d in placeholder_problems(note)]


def test_a_published_event_holding_the_placeholder_is_an_error_at_its_line(tree: tuple[Path, Path]) -> None:
    content, _ = tree
    talks = content / TALKS
    talks.write_text(talks.read_text() + f"\n\nMore about the talks.\n\n{EVENT_BODY}\n")
    shown = f"{content.as_posix()}/{TALKS.as_posix()}"
    assert talks.read_text().splitlines()[12] == EVENT_BODY
    assert _errors(content) == [f'{shown}:13: error: still holds the placeholder "What happened, in a paragraph or two.": {FIX}']


def test_the_placeholder_stops_the_build_and_leaves_the_site_as_it_was(tree: tuple[Path, Path], tmp_path: Path) -> None:
    content, templates = tree
    out = tmp_path / "site"
    assert not build(Options(content=content, templates=templates, out=out)).report.failed()
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    actor = content / "actors" / "kyiv.md"
    actor.write_text(actor.read_text().replace("Capital of Ukraine.", ACTOR_BODY))
    result = build(Options(content=content, templates=templates, out=out))
    assert [d.line for d in result.report.items if d.severity == "error" and d.path.endswith("kyiv.md")] == [6]
    assert result.files == 0 and {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_draft_may_hold_it_until_its_draft_mark_is_removed(tree: tuple[Path, Path]) -> None:
    content, _ = tree
    draft = content / "events" / "2024" / "draft-note.md"
    assert "draft: true" in draft.read_text()
    draft.write_text(draft.read_text() + f"\n{EVENT_BODY}\n")
    assert _errors(content) == [] and _errors(content, drafts=True) == []
    draft.write_text(draft.read_text().replace("draft: true", "draft: false"))
    assert len(_errors(content)) == 1


@pytest.mark.parametrize(
    "body",
    [
        EVENT_BODY,
        ACTOR_BODY,
        EXAMPLE_BODY,
        "WHAT HAPPENED -- in a paragraph, or two",  # case and punctuation
        "What happened,\nin a paragraph or two.",  # wrapped over two lines: reported where it starts
        "*What happened*, in a paragraph or two.",  # Markdown around it
        "What happened, in one paragraph or two.",  # a word added
        "What happened in a paragraph or three.",  # a word changed
        "What happened, in paragraph or two.",  # a word left out
        "Who this is: in a sentence or two.",
        "The first paragraph is the summary in the lists and feeds.",
    ],
)
def test_the_placeholder_is_recognised_touched_up(body: str) -> None:
    problems = _body_problems(f"Something real.\n\n{body}\n")
    assert problems and problems[0].startswith("7: ")


@pytest.mark.parametrize(
    "body",
    [
        "What happened in a day or two is still unclear.",  # the key word changed: prose
        "The court passed sentence in a week or two.",
        "A paragraph or two of background follows.",  # the key word alone
        "The summary judgment came first.",
        "Wagner forces began to withdraw within a day.",
    ],
)
def test_prose_that_resembles_it_is_left_alone(body: str) -> None:
    assert _body_problems(body) == []


def test_each_line_is_reported_once() -> None:
    assert [p.split(":")[0] for p in _body_problems(f"{EVENT_BODY}\n\n{EXAMPLE_BODY}\n")] == ["5", "7"]


_WORDS = st.lists(st.sampled_from(["Wagner", "forces", "a", "two", "or", "in", "the", "paragraph", "day", "summary", "moved"]), max_size=12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS.map(" ".join), max_size=6), st.integers(0, 6), st.sampled_from([EVENT_BODY, ACTOR_BODY, EXAMPLE_BODY]))
def test_a_placeholder_put_on_any_line_of_any_text_is_found_on_that_line(lines: list[str], at: int, placeholder: str) -> None:
    at = min(at, len(lines))
    body = "\n".join([*lines[:at], placeholder, *lines[at:]])
    found = [int(p.split(":")[0]) for p in _body_problems(body)]
    assert 5 + at in found  # the body starts on line 5
    assert _body_problems(body, draft=True) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS.map(" ".join), max_size=8))
def test_text_without_the_prompts_key_sentences_is_never_flagged(lines: list[str]) -> None:
    """No word of the drawn vocabulary is "happened", "sentence" or "init", and "the first paragraph is the summary"
    needs "is": so no drawn text is within one word of a placeholder sentence."""
    assert _body_problems("\n".join(lines)) == []


# ---- draft actors --------------------------------------------------------------------------------------------


def _draft(path: Path) -> None:
    path.write_text(re.sub(r"^---\n", "---\ndraft: true\n", path.read_text(), count=1))


def test_an_actor_note_may_be_marked_draft() -> None:
    note, _ = parse_note(b"---\nname: X\ndraft: true\n---\nAbout X.\n", "x.md", "x", "actor")
    assert note is not None
    actor, problems = actor_from_note(note, Markdown())
    assert actor is not None and actor.draft and problems == []


def test_a_draft_actor_is_built_as_if_its_note_did_not_exist(tree: tuple[Path, Path], tmp_path: Path) -> None:
    """Events naming it still link to a page of that name, made from the events alone: no profile, role or spellings
    from the draft. A link to the draft note says it is a draft; with --drafts, the note is built as usual."""
    content, templates = tree
    _draft(content / "actors" / "kyiv.md")
    (content / "events" / "2024" / "2024-11-21-more.md").write_text(
        "---\ntitle: More\ndate: 2024-11-21\nactors: [Kiev]\nsources: [{title: R, publisher: P, published: 2024}]\n---\n"
        "See [Kyiv](../../actors/kyiv.md).\n"
    )
    out = tmp_path / "site"
    result = build(Options(content=content, templates=templates, out=out))
    assert [d.severity for d in result.report.items if d.severity == "error"] == []
    assert [d.message for d in result.report.items if d.path.endswith("more.md") and "link" in d.message] == [
        'link to "../../actors/kyiv.md" points to a draft, which this build leaves out (build with --drafts to include it)'
    ]
    kyiv = (out / "actors" / "kyiv" / "index.html").read_text()
    assert "Kyiv" in kyiv and "Capital of Ukraine" not in kyiv and "Also spelled" not in kyiv
    assert "Capital of Ukraine" not in "".join(p.read_text() for p in out.rglob("*.html"))
    assert (out / "actors" / "kiev" / "index.html").is_file()  # the alias lived only in the draft: a page of its own, as before

    drafted = tmp_path / "drafted"
    build(Options(content=content, templates=templates, out=drafted, drafts=True))
    assert "Capital of Ukraine" in (drafted / "actors" / "kyiv" / "index.html").read_text()
    assert not (drafted / "actors" / "kiev").exists()


def test_a_draft_actor_no_event_names_has_no_page(tree: tuple[Path, Path], tmp_path: Path) -> None:
    content, templates = tree
    (content / "actors" / "nobody.md").write_text("---\nname: Nobody Yet\nrole: Unnamed source\ndraft: true\n---\nNot ready.\n")
    out = tmp_path / "site"
    assert not build(Options(content=content, templates=templates, out=out)).report.failed()
    assert not (out / "actors" / "nobody").exists()
    assert "Nobody Yet" not in "".join(p.read_text() for p in out.rglob("*") if p.suffix in (".html", ".json", ".xml"))
    build(Options(content=content, templates=templates, out=tmp_path / "drafted", drafts=True))
    assert "Not ready." in (tmp_path / "drafted" / "actors" / "nobody" / "index.html").read_text()
