"""Every file in content/ is read or reported: .markdown notes, file names with spaces or capitals, an actor noted
twice under two names."""

from __future__ import annotations

from pathlib import Path

from builder.build import Options, build, check
from builder.cli import main

from .conftest import FIXTURES, TEMPLATES

SOURCE = "sources: [{title: Wire, publisher: Wire, published: 2023-06-24}]"


def _event(title: str, date: str, body: str = "Text.", actors: str = "[]") -> str:
    return f"---\ntitle: {title}\ndate: {date}\nactors: {actors}\n{SOURCE}\n---\n{body}\n"


def _tree(tmp_path: Path, events: dict[str, str], actors: dict[str, str] | None = None) -> Path:
    content = tmp_path / "content"
    (content / "events").mkdir(parents=True)
    (content / "actors").mkdir()
    (content / "site.toml").write_text('title = "T"\nbase_url = "/"\n')
    for name, text in events.items():
        (content / "events" / name).write_text(text)
    for name, text in (actors or {}).items():
        (content / "actors" / name).write_text(text)
    return content


def _messages(content: Path) -> list[str]:
    return [str(d).removeprefix(content.as_posix() + "/") for d in check(Options(content=content)).report.items]


def test_a_markdown_file_is_a_note_and_links_by_its_name(tmp_path: Path) -> None:
    content = _tree(tmp_path, {
        "2023-06-23-statement.markdown": _event("Accusation", "2023-06-23", "Then [the march](2023-06-24-march.markdown)."),
        "2023-06-24-march.md": _event("March", "2023-06-24", "After [[2023-06-23-statement]]."),
    }, {"prigozhin.markdown": "---\nname: Yevgeny Prigozhin\n---\nFounder.\n"})  # fmt: skip
    out = tmp_path / "site"
    result = build(Options(content=content, templates=TEMPLATES, out=out))
    assert result.report.items == ()
    statement = (out / "events" / "2023-06-23-statement" / "index.html").read_text()
    assert 'href="../../events/2023-06-24-march/"' in statement
    assert (out / "actors" / "prigozhin" / "index.html").is_file()
    assert 'href="../../events/2023-06-23-statement/"' in (out / "events" / "2023-06-24-march" / "index.html").read_text()


def test_a_note_and_a_markdown_twin_are_one_page_and_an_error(tmp_path: Path) -> None:
    content = _tree(tmp_path, {"a.md": _event("A", "2023-06-23"), "a.markdown": _event("A again", "2023-06-24")})
    assert sorted(m for m in _messages(content) if ": error:" in m) == [
        'events/a.markdown:1: error: event slug "a" is also used by ' + f"{content.as_posix()}/events/a.md; rename one of the files",
        'events/a.md:1: error: event slug "a" is also used by ' + f"{content.as_posix()}/events/a.markdown; rename one of the files",
    ]


def test_spaces_and_capitals_in_a_file_name_make_a_clean_address_and_a_warning(tmp_path: Path) -> None:
    content = _tree(tmp_path, {
        "2023-06 Surovikin disappears.md": _event("Surovikin disappears", "2023-06-28"),
        "2023-06-29-Kremlin-Meeting.markdown": _event("Kremlin meeting", "2023-06-29", "After [[2023-06 Surovikin disappears]]."),
        "2023-06-30-later.md": _event("Later", "2023-06-30", "See [the meeting](2023-06-29-Kremlin-Meeting.markdown)."),
    }, {"Wagner Group.md": "---\nname: Wagner Group\n---\nA private military company.\n"})  # fmt: skip
    assert _messages(content) == [
        'actors/Wagner Group.md:1: warning: the file name "Wagner Group.md" has spaces and capitals: its page is at wagner-group/ '
        "(name the file wagner-group.md to match)",
        'events/2023-06 Surovikin disappears.md:1: warning: the file name "2023-06 Surovikin disappears.md" has spaces and '
        "capitals: its page is at 2023-06-surovikin-disappears/ (name the file 2023-06-surovikin-disappears.md to match)",
        'events/2023-06-29-Kremlin-Meeting.markdown:1: warning: the file name "2023-06-29-Kremlin-Meeting.markdown" has capitals: '
        "its page is at 2023-06-29-kremlin-meeting/ (name the file 2023-06-29-kremlin-meeting.markdown to match)",
    ]
    out = tmp_path / "site"
    assert main(["build", "--content", str(content), "--templates", str(TEMPLATES), "--out", str(out), "--quiet"]) == 0
    events = sorted(p.name for p in (out / "events").iterdir() if p.is_dir())
    assert events == ["2023-06-29-kremlin-meeting", "2023-06-30-later", "2023-06-surovikin-disappears"]
    assert (out / "actors" / "wagner-group" / "index.html").is_file()
    assert 'href="../../events/2023-06-surovikin-disappears/"' in (out / "events" / "2023-06-29-kremlin-meeting" / "index.html").read_text()
    assert 'href="../../events/2023-06-29-kremlin-meeting/"' in (out / "events" / "2023-06-30-later" / "index.html").read_text()
    assert "%20" not in "".join(p.read_text() for p in out.rglob("*.html"))
    assert main(["check", "--content", str(content), "--strict"]) == 1  # a warning: a strict build refuses to publish it


def test_a_trailing_space_in_a_file_name_is_dropped_from_the_address(tmp_path: Path) -> None:
    content = _tree(tmp_path, {"trailing .md": _event("Trailing", "2023-06-23")})
    warning = 'the file name "trailing .md" has spaces: its page is at trailing/ (name the file trailing.md to match)'
    assert _messages(content) == [f"events/trailing .md:1: warning: {warning}"]


def test_file_names_that_differ_by_case_or_spaces_only_are_one_page_and_an_error(tmp_path: Path) -> None:
    content = _tree(tmp_path, {"Talks in Seoul.md": _event("One", "2023-06-23"), "talks-in-seoul.md": _event("Two", "2023-06-24")})
    errors = [m for m in _messages(content) if ": error:" in m]
    assert len(errors) == 2 and all('event slug "talks-in-seoul" is also used by' in m for m in errors)


def test_an_actor_noted_again_under_an_alias_is_an_error_naming_both_files(tmp_path: Path) -> None:
    content = _tree(tmp_path, {"e.md": _event("E", "2023-06-24", actors="[Putin]")}, {
        "vladimir-putin.md": "---\nname: Vladimir Putin\naliases:\n  - Vladimir Vladimirovich Putin\n  - Putin\n---\nPresident.\n",
        "putin.md": "---\nname: Putin\nkind: person\n---\nA second note.\n",
    })  # fmt: skip
    hint = 'merge the two notes, or, if they are two who share the name, put "namesake: true" in both'
    root = content.as_posix()
    assert [m for m in _messages(content) if "spelling" in m] == [
        f'actors/putin.md:2: error: name "Putin" is also a spelling of Vladimir Putin ({root}/actors/vladimir-putin.md:5); {hint}',
        f'actors/vladimir-putin.md:5: error: alias "Putin" is also a spelling of Putin ({root}/actors/putin.md:2); {hint}',
    ]


def test_namesakes_say_so_in_both_notes(tmp_path: Path) -> None:
    leader = "---\nname: Kim Jong-un\nkind: person\nrole: Leader\n{extra}---\nLeader.\n"
    professor = "---\nname: Kim Jong-un\naliases: [Kim Jong-un (professor)]\nrole: Professor\n{extra}---\nProfessor.\n"
    for extra, errors in (("", 2), ("namesake: true\n", 0)):
        content = _tree(tmp_path / str(errors), {"e.md": _event("E", "2023-06-24", actors="[kim-jong-un]")}, {
            "kim-jong-un.md": leader.format(extra=extra), "kim-jong-un-professor.md": professor.format(extra=extra),
        })  # fmt: skip
        assert sum(": error:" in m for m in _messages(content)) == errors
    only_one = _tree(tmp_path / "one", {"e.md": _event("E", "2023-06-24")}, {
        "kim-jong-un.md": leader.format(extra="namesake: true\n"), "kim-jong-un-professor.md": professor.format(extra=""),
    })  # fmt: skip
    assert sum(": error:" in m for m in _messages(only_one)) == 2


def test_the_fixture_namesakes_are_declared() -> None:
    assert all("namesake: true" in p.read_text() for p in (FIXTURES / "basic" / "content" / "actors").glob("kim-jong-un*.md"))


def test_a_file_beside_the_notes_is_reported_unless_a_note_links_to_it(tmp_path: Path) -> None:
    content = _tree(tmp_path, {"a.md": _event("A", "2023-06-23", "See [the list](files/list.txt).")})
    for name in ("files/list.txt", "notes.txt", "photo.jpg", ".DS_Store", ".hidden.txt", "a.md~", "a.md.swp"):
        (content / "events" / name).parent.mkdir(exist_ok=True)
        (content / "events" / name).write_text("x")
    (content / "actors" / "portrait.png").write_bytes(b"x")
    unread = "is not a note (.md or .markdown) and no note links to it: it is left out of the site"
    assert _messages(content) == [
        f"actors/portrait.png:1: warning: {unread}",
        f"events/notes.txt:1: warning: {unread}",
        f"events/photo.jpg:1: warning: {unread}",
    ]
    out = tmp_path / "site"
    result = build(Options(content=content, templates=TEMPLATES, out=out))
    assert [str(d).removeprefix(content.as_posix() + "/") for d in result.report.items] == _messages(content)
    assert (out / "media" / "events" / "files" / "list.txt").is_file() and not (out / "media" / "events" / "notes.txt").exists()
