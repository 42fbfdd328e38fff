"""Writer-facing warnings from checks.py, through the real command line: exact messages, lines and exit codes."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from builder.cli import main

from .conftest import FIXTURES, SEED_CONTENT

DRAFT_HINT = "which this build leaves out (build with --drafts to include it)"
SOURCED = "sources: [{title: A report, publisher: Wire, published: 2024-11}]"


def note(*front: str, body: str = "Body.\n") -> str:
    return "---\n" + "".join(line + "\n" for line in front) + "---\n" + body


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(here: Path, capsys: pytest.CaptureFixture[str], files: Mapping[str, str], *extra: str) -> tuple[int, list[str]]:
    """Write content/ and run `check` on it; the exit code and every diagnostic line."""
    for rel, text in {"site.toml": 'title = "T"\n', **files}.items():
        (here / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (here / "content" / rel).write_text(text, encoding="utf-8")
    (here / "content" / "actors").mkdir(exist_ok=True)
    code = main(["check", "--content", "content", *extra])
    err = capsys.readouterr().err
    return code, [line for line in err.splitlines() if not line.startswith("warning: PyYAML has no C loader")]


ACTORS = {
    "actors/yoon-suk-yeol.md": note("name: Yoon Suk Yeol", "aliases: [Yun Seok-yul]"),
    "actors/kim-a.md": note("name: Kim Jong-un", "role: Leader", "namesake: true"),
    "actors/kim-b.md": note("name: Kim Jong-un", "role: Professor", "namesake: true"),
}

CASES = [
    pytest.param(
        {"events/a.md": note("title: A", "date: 2024", SOURCED)},
        [],
        id="a-sourced-event-is-quiet",
    ),
    pytest.param(
        {"events/a.md": note("date: 2024", "place: Seoul", "title: A")},
        ["content/events/a.md:4: warning: event has no sources"],
        id="no-sources-at-the-title-line",
    ),
    pytest.param(
        {"events/a.md": note("title: A", "date: 2024", "sources: []")},
        ["content/events/a.md:2: warning: event has no sources"],
        id="empty-sources-list",
    ),
    pytest.param(
        {"events/a.md": note(
            "title: A", "date: 2024", "sources:",
            "  - title: Complete", "    publisher: Wire", "    published: 2024-11",
            "  - title: No publisher", "    published: 2024",
            "  - https://example.org/bare",
        )},  # fmt: skip
        [
            "content/events/a.md:8: warning: source 2 has no publisher",
            "content/events/a.md:10: warning: source 3 has no published date",
            "content/events/a.md:10: warning: source 3 has no publisher",
        ],
        id="source-without-publisher-or-date-at-its-line",
    ),
    pytest.param(
        {
            "events/2024/a.md": note("title: Talks  in Seoul", "date: 2024-11-06", SOURCED),
            "events/older/b.md": note("title: talks in seoul", 'date: "2024-11-06"', SOURCED),
            "events/c.md": note("title: Talks in Seoul", "date: 2024-11", SOURCED),
        },
        [
            "content/events/2024/a.md:2: warning: probable duplicate of content/events/older/b.md: same title and date",
            "content/events/older/b.md:2: warning: probable duplicate of content/events/2024/a.md: same title and date",
        ],
        id="same-title-and-date-names-both-files",
    ),
    pytest.param(
        {
            **ACTORS,
            "events/2024-11-06-talks.md": note("title: Talks", "date: 2024", SOURCED),
            "events/a.md": note(
                "title: A", "date: 2024", SOURCED,
                body="One [[2024-11-06-tlaks]], two [[Yoon Suk Yeoll]],\nthree [[nobody]]\n\nand [x](../2024/2024-11-06-talk.md#day).\n",
            ),
        },  # fmt: skip
        [
            'content/events/a.md:6: warning: link to "2024-11-06-tlaks" matches no event or actor; did you mean "2024-11-06-talks"?',
            'content/events/a.md:6: warning: link to "Yoon Suk Yeoll" matches no event or actor; did you mean "Yoon Suk Yeol"?',
            'content/events/a.md:7: warning: link to "nobody" matches no event or actor',
            'content/events/a.md:9: warning: link to "../2024/2024-11-06-talk.md" matches no event or actor; '
            'did you mean "../2024/2024-11-06-talks.md"?',
        ],
        id="broken-links-at-their-lines-with-did-you-mean",
    ),
    pytest.param(
        {**ACTORS, "actors/kyiv.md": note("name: Kyiv", body="Profile.\n\nSee [[Kyyv]] and [[Kim Jong-un]].\n")},
        [
            'content/actors/kyiv.md:6: warning: link to "Kim Jong-un" is ambiguous: it matches kim-a and kim-b; write the id instead',
            'content/actors/kyiv.md:6: warning: link to "Kyyv" matches no event or actor; did you mean "Kyiv"?',
        ],
        id="broken-links-in-a-profile-and-ambiguous-names",
    ),
    pytest.param(
        {
            "events/a.md": note("title: A", "date: 2024", SOURCED, body="Soon: [[wip]] and [wip](wip.md).\n"),
            "events/wip.md": note("title: Work in progress", "date: 2024", "draft: true"),
        },
        [f'content/events/a.md:6: warning: link to "{target}" points to a draft, {DRAFT_HINT}' for target in ("wip", "wip.md")],
        id="links-to-a-draft",
    ),
    pytest.param(
        {
            **ACTORS,
            "events/a.md": note("title: A", "date: 2024", "actors: [Yoon Suk Yeoll]", SOURCED, body="With [[Yoon Suk Yeoll]].\n"),
        },
        ['content/events/a.md:4: warning: actor "Yoon Suk Yeoll" matches no actor; did you mean "Yoon Suk Yeol"?'],
        id="actor-typo-reported-once",  # by the model; the body's link then goes to the typo's own actor page
    ),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_warning(here: Path, capsys: pytest.CaptureFixture[str], files: Mapping[str, str], expected: list[str]) -> None:
    code, err = check(here, capsys, files)
    assert err == expected
    assert code == 0


def test_strict_turns_check_warnings_into_exit_1(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {"events/a.md": note("title: A", "date: 2024", body="See [[nothing-here]].\n")}
    expected = [
        "content/events/a.md:2: warning: event has no sources",
        'content/events/a.md:5: warning: link to "nothing-here" matches no event or actor',
    ]
    assert check(here, capsys, files) == (0, expected)
    assert check(here, capsys, files, "--strict") == (1, expected)


def test_links_to_a_draft_resolve_when_drafts_are_built(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {
        "events/a.md": note("title: A", "date: 2024", SOURCED, body="Soon: [[wip]].\n"),
        "events/wip.md": note("title: Work in progress", "date: 2024", "draft: true", SOURCED),
    }
    assert check(here, capsys, files, "--drafts", "--strict") == (0, [])


@pytest.mark.parametrize("story", [SEED_CONTENT, FIXTURES / "wagner" / "content"], ids=["seed", "wagner"])
def test_the_fixture_stories_check_clean(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The seed story, which tests expect clean, and the story CI puts in content/ to show no test depends on it."""
    assert main(["check", "--content", str(story), "--strict"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[-1].endswith(": 0 errors, 0 warnings")
