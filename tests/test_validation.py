"""Every invalid input a writer can make, through the real command line: exact messages, lines and exit codes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from builder.cli import main
from builder.notes import HAS_C_LOADER

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
SITE = 'title = "Test timeline"\n'
SOURCED = "sources: [{title: A report, publisher: Wire, published: 2024-01-01}]"  # so no "event has no sources" warning
GOOD = f"---\ntitle: A good event\ndate: 2024-01-01\n{SOURCED}\n---\nBody.\n"
NO_C_LOADER = "warning: PyYAML has no C loader"  # printed before anything else when PyYAML lacks libyaml

# PyYAML's C and pure-Python loaders word this problem differently; everything else below is the same for both.
COLON = "mapping values are not allowed in this context" if HAS_C_LOADER else "mapping values are not allowed here"

EMPTY = "file is empty; a note starts with front-matter between two '---' lines (title and date at least)"
NEEDS_DATE = "every event needs a date: 2024, 2024-06, 2024-11-06 or 2024-11-06T14:30+09:00"

Files = Mapping[str, str | bytes | None]  # path inside content/ -> text; None leaves the file out


def write_tree(root: Path, files: Files) -> Path:
    """A content tree under ``root``: site.toml (unless given as None), events/ and actors/."""
    content = root / "content"
    (content / "events").mkdir(parents=True)
    (content / "actors").mkdir()
    for rel, text in {"site.toml": SITE, **files}.items():
        if text is None:
            continue
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return content


def stderr_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if not line.startswith(NO_C_LOADER)]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], list[str]]:
    """Run the CLI in-process; return the exit code, stdout lines and stderr lines."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), stderr_lines(err)


def build_args(*extra: str, content: str = "content", out: str = "out") -> list[str]:
    return ["build", "--content", content, "--templates", str(TEMPLATES), "--out", out, *extra]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work inside tmp_path, so messages read content/... as a writer would see them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def event(*lines: str, body: str = "Body.\n") -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body


CASES = [
    # ---- reading the file ----
    pytest.param(
        {"events/a.md": "Just some text, no front-matter.\n"},
        [
            "content/events/a.md:1: error: no front-matter: a note must start with a '---' line, "
            "then keys such as 'title:' and 'date:', then another '---' line"
        ],
        id="no-front-matter",
    ),
    pytest.param(
        {"events/a.md": "---\ntitle: A\ndate: 2024\n"},
        ["content/events/a.md:1: error: front-matter is not closed: add a '---' line after the last key"],
        id="front-matter-not-closed",
    ),
    pytest.param(
        {"events/a.md": event('title: "Hello', "date: 2024")},
        [
            "content/events/a.md:4: error: YAML syntax error: found unexpected end of stream "
            "(while scanning a quoted scalar that starts on line 2)"
        ],
        id="yaml-unclosed-quote",
    ),
    pytest.param(
        {"events/a.md": event("date: 2024", "title: Talks: day one")},
        [f"content/events/a.md:3: error: YAML syntax error: {COLON}; put the value in quotes if it contains ': '"],
        id="yaml-colon-in-value",
    ),
    pytest.param(
        {"events/a.md": event("- title", "- date")},
        ["content/events/a.md:2: error: front-matter must be a set of 'key: value' lines (title, date, ...)"],
        id="front-matter-not-a-mapping",
    ),
    pytest.param(
        {"events/a.md": b"---\ntitle: Caf\xe9\ndate: 2024\n---\n"},
        ["content/events/a.md:2: error: file is not UTF-8 (byte 0xe9 cannot be decoded); save it as UTF-8"],
        id="not-utf8",
    ),
    pytest.param(
        {"events/a.md": b"\xef\xbb\xbf---\ntitle: A\ndate: 2024\n---\n\xff\n"},
        ["content/events/a.md:5: error: file is not UTF-8 (byte 0xff cannot be decoded); save it as UTF-8"],
        id="not-utf8-after-bom",
    ),
    pytest.param(
        {"events/a.md": ""},
        [f"content/events/a.md:1: error: {EMPTY}"],
        id="empty-file",
    ),
    pytest.param(
        {"events/a.md": "  \n\n"},
        [f"content/events/a.md:1: error: {EMPTY}"],
        id="blank-file",
    ),
    pytest.param(
        {"events/a.md": event("title: A", "date: 2024", "title: B", SOURCED)},
        ['content/events/a.md:4: error: key "title" is given twice (first on line 2)'],
        id="key-twice",
    ),
    pytest.param(
        {"events/a.md": "---\n\n\ntitle: A\ndate: 2024-02-30\n---\n"},
        ['content/events/a.md:5: error: "date": impossible date "2024-02-30": February 2024 has 29 days'],
        id="blank-lines-after-opening-dashes-keep-lines",
    ),
    pytest.param(
        {"events/a.md": "---\r\ntitle: A\r\ndate: 2024-13\r\n---\r\nBody.\r\n"},
        ['content/events/a.md:3: error: "date": impossible date "2024-13": month 13 does not exist'],
        id="crlf-line-endings",
    ),
    # ---- event fields ----
    pytest.param(
        {"events/a.md": event("date: 2024")},
        ['content/events/a.md:1: error: missing "title": every event needs a title'],
        id="missing-title",
    ),
    pytest.param(
        {"events/a.md": event("title: A")},
        [f'content/events/a.md:1: error: missing "date": {NEEDS_DATE}'],
        id="missing-date",
    ),
    pytest.param(
        {"events/a.md": event("date: 2024", "title:")},
        ['content/events/a.md:3: error: "title" is empty: every event needs a title'],
        id="empty-title",
    ),
    pytest.param(
        {"events/a.md": event("title: '  '", "date: 2024")},
        ['content/events/a.md:2: error: "title" is empty'],
        id="blank-quoted-title",
    ),
    pytest.param(
        {"events/a.md": event("title: yes", "date: 2024")},
        ['content/events/a.md:2: error: "title" must be text (put it in quotes if it looks like a number or yes/no)'],
        id="title-is-boolean",
    ),
    pytest.param(
        {"events/a.md": event("title: A", "date: last spring")},
        [
            'content/events/a.md:3: error: "date": cannot read "last spring" as a date or a date relative to the first source: '
            "use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM (optionally with :SS and a UTC offset such as +09:00), "
            'or a year such as -753, 753 BCE or 13.8 billion years ago, or a phrase such as "last week", "in June" or "yesterday"'
        ],
        id="unparseable-date",
    ),
    pytest.param(
        {"events/a.md": event("title: A", "summary: Leap years only.", "date: 2024-02-30")},
        ['content/events/a.md:4: error: "date": impossible date "2024-02-30": February 2024 has 29 days'],
        id="impossible-date",
    ),
    pytest.param(
        {"events/a.md": event("title: A", "date: 2024-05-01", "circa: true", "end: 2024-04-01")},
        ['content/events/a.md:5: error: end "2024-04-01" is before date "2024-05-01"'],
        id="end-before-date",
    ),
    pytest.param(
        {"events/a.md": event("title: A", "date: 2024", "actors: Kim Jong Un")},
        ['content/events/a.md:4: error: "actors" must be a list: one "- name" or "- {actor: name, role: speaker}" per line'],
        id="actors-not-a-list",
    ),
    pytest.param(
        {"events/a.md": event("title: A", "date: 2024", "actors:", "  - Kim", "  - {name: Putin}")},
        ['content/events/a.md:6: error: "actors" item 2 needs an actor: {actor: name, role: speaker}',
         'content/events/a.md:6: error: "actors" item 2: unknown key "name" (known: actor, role)'],
        id="actor-item-not-text",
    ),
    pytest.param(
        {"events/a.md": event("title: A", "date: 2024", "tags: diplomacy")},
        ['content/events/a.md:4: error: "tags" must be a list: one "- item" per line, or [a, b]'],
        id="tags-not-a-list",
    ),
    pytest.param(
        {"events/a.md": event("title: A", "date: 2024", "circa: maybe")},
        ['content/events/a.md:4: error: "circa" must be true or false'],
        id="circa-not-boolean",
    ),
    pytest.param(
        {
            "events/a.md": event(
                "title: A",
                "date: 2024",
                "sources:",
                "  - title: An FTP archive",
                "    url: ftp://example.org/file",
                "  - title: Fine",
                "    url: https://example.org/",
                "  - title: A script",
                "    url: 'javascript:alert(1)'",
            )
        },
        [
            'content/events/a.md:6: error: source 1: URL "ftp://example.org/file" must start with http:// or https://',
            'content/events/a.md:10: error: source 3: URL "javascript:alert(1)" must start with http:// or https://',
        ],
        id="source-url-not-http",
    ),
    pytest.param(
        {"events/a.md": event("title: A", "date: 2024", "sources:", "  - title: S", "    link: https://example.org/")},
        ['content/events/a.md:6: error: source 1: unknown key "link" '
         '(known: title, url, publisher, published, author, archive_url, language)'],
        id="source-unknown-key",
    ),
    pytest.param(
        {"events/a.md": event("title: A", "date: 2024", "sources:", "  - publisher: Reuters", "    published: 2024-13")},
        [
            "content/events/a.md:5: error: source 1 needs a title or a url",
            'content/events/a.md:6: error: source 1: "published": impossible date "2024-13": month 13 does not exist',
        ],
        id="source-without-title-and-bad-date",
    ),
    pytest.param(
        {"events/a.md": event("title: A", "date: 2024", "sources:", "  - title: ''", "    url: 'http://[oops'", "  - 2024")},
        [
            'content/events/a.md:5: error: source 1: "title" is empty',
            'content/events/a.md:6: error: source 1: URL "http://[oops" must start with http:// or https://',
            "content/events/a.md:7: error: source 2 must be a mapping with title, url, publisher, published",
        ],
        id="source-every-problem-reported",
    ),
    pytest.param(
        {"events/2024/same.md": GOOD, "events/2025/same.md": GOOD},
        [
            'content/events/2024/same.md:1: error: event slug "same" is also used by content/events/2025/same.md; rename one of the files',
            'content/events/2025/same.md:1: error: event slug "same" is also used by content/events/2024/same.md; rename one of the files',
        ],
        id="same-slug-in-two-folders",
    ),
    # ---- unknown keys: warnings ----
    pytest.param(
        {"events/a.md": event("tittle: A", "date: 2024", SOURCED)},
        [
            'content/events/a.md:1: error: missing "title": every event needs a title',
            'content/events/a.md:2: warning: unknown key "tittle" is ignored; did you mean "title"?',
        ],
        id="unknown-key-did-you-mean",
    ),
    pytest.param(
        {"events/a.md": event("title: A", "date: 2024", "colour: red", SOURCED)},
        [
            'content/events/a.md:4: warning: unknown key "colour" is ignored '
            "(known: title, date, end, circa, actors, tags, place, sources, summary, draft, order, media, updated, corrections, "
            "status, claimed_by, lang)"
        ],
        id="unknown-key-no-near-match",
    ),
    # ---- actors ----
    pytest.param(
        {"actors/kim.md": "---\nkind: person\n---\nLeader.\n"},
        ['content/actors/kim.md:1: error: missing "name": every actor needs a name'],
        id="actor-without-name",
    ),
    pytest.param(
        {"actors/kim.md": "---\nname: Kim\nkind: dictator\n---\n"},
        ['content/actors/kim.md:3: error: "kind" must be one of person, organization, country, place, group, not "dictator"'],
        id="unknown-actor-kind",
    ),
    pytest.param(
        {"actors/kim.md": "---\nname: Kim\naliases: Kim Jong Un\n---\n"},
        ['content/actors/kim.md:3: error: "aliases" must be a list: one "- item" per line, or [a, b]'],
        id="aliases-not-a-list",
    ),
    # ---- site.toml ----
    pytest.param(
        {"site.toml": 'title = "T"\nauthor = \n', "events/a.md": GOOD},
        ["content/site.toml:2: error: TOML syntax error: Invalid value"],
        id="toml-syntax-error",
    ),
    pytest.param(
        {"site.toml": 'title = "T"\nallow_html = "yes"\n', "events/a.md": GOOD},
        ["content/site.toml:2: error: allow_html must be true or false"],
        id="toml-allow-html-not-boolean",
    ),
    pytest.param(
        {"site.toml": "title = 2024\n", "events/a.md": GOOD},
        ["content/site.toml:1: error: title must be a string"],
        id="toml-title-not-text",
    ),
    pytest.param(
        {"site.toml": 'title = "T"\nbase_url = "example.org/timeline"\n', "events/a.md": GOOD},
        ['content/site.toml:2: error: base_url "example.org/timeline" must be an http(s) URL such as https://user.github.io/repo/'],
        id="toml-base-url-not-absolute",
    ),
    pytest.param(
        {"site.toml": 'title = "T"\nbase_url = "https://[oops/"\n', "events/a.md": GOOD},
        ['content/site.toml:2: error: base_url "https://[oops/" must be an http(s) URL such as https://user.github.io/repo/'],
        id="toml-base-url-unparseable",
    ),
    pytest.param(
        {"site.toml": 'titel = "T"\n\n[extra]\nx = 1\n', "events/a.md": GOOD},
        [
            'content/site.toml:1: warning: unknown setting "titel" is ignored; did you mean "title"?',
            'content/site.toml:3: warning: unknown setting "extra" is ignored '
            "(known: allow_html, author, base_url, cname, description, language, languages, links, title)",
        ],
        id="toml-unknown-settings",
    ),
    pytest.param(
        {"site.toml": b'title = "Caf\xe9"\n', "events/a.md": GOOD},
        ["content/site.toml:1: error: file is not UTF-8 (byte 0xe9 cannot be decoded); save it as UTF-8"],
        id="toml-not-utf8",
    ),
    pytest.param(
        {"site.toml": b"\xef\xbb\xbfa = 1\n\xff = 2\n", "events/a.md": GOOD},
        ["content/site.toml:2: error: file is not UTF-8 (byte 0xff cannot be decoded); save it as UTF-8"],
        id="toml-not-utf8-after-bom",
    ),
    pytest.param(
        {"site.toml": None, "events/a.md": GOOD},
        ['content/site.toml:1: warning: no site.toml: using a default title and base_url "/"'],
        id="no-site-toml",
    ),
]


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize(("files", "expected"), CASES)
def test_message(here: Path, capsys: pytest.CaptureFixture[str], command: str, files: Files, expected: list[str]) -> None:
    write_tree(here, files)
    argv = ["check", "--content", "content"] if command == "check" else build_args()
    code, out, err = run(capsys, *argv)
    assert err == expected
    failed = any(": error: " in line for line in expected)
    assert code == (1 if failed else 0)
    assert (here / "out").exists() == (command == "build" and not failed)
    assert not (here / "site").exists()


def test_every_problem_is_reported_in_one_run(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(
        here,
        {
            "site.toml": 'title = "T"\nallow_htm = true\n',
            "events/b.md": event("title: B", "date: 2024-02-30", "tags: war"),
            "events/a.md": event("title: A", "tittle: A", "date: 2024", "sources:", "  - url: ftp://example.org/"),
            "events/ok.md": GOOD,
            "events/sub/c.md": "",
            "actors/x.md": "---\nname: X\nkind: alien\n---\n",
        },
    )
    code, out, err = run(capsys, *build_args())
    assert err == [
        'content/actors/x.md:3: error: "kind" must be one of person, organization, country, place, group, not "alien"',
        'content/events/a.md:3: warning: unknown key "tittle" is ignored; did you mean "title"?',
        'content/events/a.md:6: error: source 1: URL "ftp://example.org/" must start with http:// or https://',
        'content/events/b.md:3: error: "date": impossible date "2024-02-30": February 2024 has 29 days',
        'content/events/b.md:4: error: "tags" must be a list: one "- item" per line, or [a, b]',
        f"content/events/sub/c.md:1: error: {EMPTY}",
        'content/site.toml:2: warning: unknown setting "allow_htm" is ignored; did you mean "allow_html"?',
    ]
    assert code == 1
    assert out[-1] == "build failed: 5 errors, 2 warnings; out left as it was"
    assert not (here / "out").exists()


def test_failed_build_leaves_the_previous_site_as_it_was(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = write_tree(here, {"events/a.md": GOOD})
    assert run(capsys, *build_args())[0] == 0
    before = snapshot(here / "out")
    (content / "events" / "b.md").write_text(event("title: B"))
    code, out, err = run(capsys, *build_args())
    assert code == 1
    assert err == [f'content/events/b.md:1: error: missing "date": {NEEDS_DATE}']
    assert out[-1] == "build failed: 1 error, 0 warnings; out left as it was"
    assert snapshot(here / "out") == before
    assert sorted(p.name for p in here.iterdir()) == [".cache", "content", "out"]  # no staging folder left behind


# ---- exit codes ----


def test_build_succeeds_with_exit_0(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(here, {"events/a.md": GOOD, "actors/kim.md": "---\nname: Kim Jong Un\nkind: person\n---\n"})
    code, out, err = run(capsys, *build_args())
    assert (code, err) == (0, [])
    assert out[-1].startswith("read 2 notes, wrote ")
    assert " files to out in " in out[-1]
    assert (here / "out" / "events" / "a" / "index.html").is_file()


def test_check_succeeds_with_exit_0_and_writes_nothing(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(here, {"events/a.md": GOOD})
    code, out, err = run(capsys, "check", "--content", "content")
    assert (code, out, err) == (0, ["checked 1 note: 0 errors, 0 warnings"], [])
    assert sorted(p.name for p in here.iterdir()) == ["content"]


def test_warnings_alone_do_not_fail_a_build(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(here, {"events/a.md": event("title: A", "date: 2024", "colour: red", SOURCED)})
    code, out, err = run(capsys, *build_args())
    assert code == 0
    assert len(err) == 1
    assert out[-1].startswith("read 1 note, wrote ")
    assert out[-1].endswith(", 1 warning")


@pytest.mark.parametrize("command", ["check", "build"])
def test_strict_turns_a_warning_into_exit_1(here: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    write_tree(here, {"events/a.md": event("title: A", "tittle: A", "date: 2024", SOURCED)})
    argv = ["check", "--content", "content"] if command == "check" else build_args()
    warning = 'content/events/a.md:3: warning: unknown key "tittle" is ignored; did you mean "title"?'
    assert run(capsys, *argv)[::2] == (0, [warning])
    code, out, err = run(capsys, *argv, "--strict")
    assert (code, err) == (1, [warning])
    if command == "build":
        assert out[-1] == "build failed: 0 errors, 1 warning; out left as it was"
    else:
        assert out == ["checked 1 note: 0 errors, 1 warning"]


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["build", "--content", "content", "--colour"], id="unknown-option"),
        pytest.param(["publish", "--content", "content"], id="unknown-command"),
        pytest.param([], id="no-command"),
        pytest.param(["check", "--out", "out"], id="option-of-the-other-command"),
    ],
)
def test_bad_usage_exits_2(here: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    write_tree(here, {"events/a.md": GOOD})
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: python -m builder" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["check", "build"])
def test_missing_content_folder_exits_2(here: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    argv = ["check", "--content", "nowhere"] if command == "check" else build_args(content="nowhere")
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (2, [], ["error: content folder nowhere not found"])
    assert sorted(p.name for p in here.iterdir()) == []


def test_missing_templates_folder_is_bad_usage(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(here, {"events/a.md": GOOD})
    code, out, err = run(capsys, "build", "--content", "content", "--templates", "no-templates", "--out", "out")
    assert (code, err) == (2, ["error: templates folder no-templates not found"])
    assert not (here / "out").exists()


@pytest.mark.parametrize("url", ["example.org", "http://[oops/", "ftp://example.org/"])
def test_a_bad_base_url_option_is_bad_usage(here: Path, capsys: pytest.CaptureFixture[str], url: str) -> None:
    write_tree(here, {"events/a.md": GOOD})
    code, out, err = run(capsys, *build_args("--base-url", url))
    assert (code, err) == (2, [f'error: --base-url: base_url "{url}" must be an http(s) URL such as https://user.github.io/repo/'])
    assert not (here / "out").exists()


# ---- drafts ----


@pytest.mark.parametrize("drafts", [False, True])
def test_draft_is_left_out_unless_asked_for(here: Path, capsys: pytest.CaptureFixture[str], drafts: bool) -> None:
    write_tree(
        here,
        {
            "events/a.md": GOOD,
            "events/wip.md": event("title: Work in progress", "date: 2024-02-01", "draft: true", "tags: [secret-tag]", SOURCED),
        },
    )
    code, _, err = run(capsys, *build_args(*(["--drafts"] if drafts else [])))
    assert (code, err) == (0, [])
    site = here / "out"
    assert (site / "events" / "wip" / "index.html").exists() == drafts
    assert (site / "tags" / "secret-tag" / "index.html").exists() == drafts
    for name in ("index.html", "timeline.json", "feed.xml", "sitemap.xml"):
        text = (site / name).read_text(encoding="utf-8")
        assert ("Work in progress" in text or "events/wip/" in text) == drafts, name
    assert (site / "events" / "a" / "index.html").is_file()


# ---- escaping ----

HOSTILE_TITLE = "<script>alert(1)</script> & co"
HOSTILE_BODY = "Hello <b>x</b> there.\n\n<script>\nevil()\n</script>\n"


def hostile_tree(root: Path, allow_html: bool | None) -> None:
    site = SITE + ("" if allow_html is None else f"allow_html = {str(allow_html).lower()}\n")
    note = event(f'title: "{HOSTILE_TITLE}"', "date: 2024-03-01", body=HOSTILE_BODY)
    write_tree(root, {"site.toml": site, "events/x.md": note})


def test_title_is_escaped_everywhere(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile_tree(here, None)
    assert run(capsys, *build_args())[:1] == (0,)
    for page in ("events/x/index.html", "index.html"):
        html = (here / "out" / page).read_text(encoding="utf-8")
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html, page
        assert "<script>alert(1)" not in html, page
    assert "<script>alert(1)" not in (here / "out" / "feed.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("allow_html", [None, False])
def test_raw_html_in_body_is_escaped_by_default(here: Path, capsys: pytest.CaptureFixture[str], allow_html: bool | None) -> None:
    hostile_tree(here, allow_html)
    assert run(capsys, *build_args())[:1] == (0,)
    html = (here / "out" / "events" / "x" / "index.html").read_text(encoding="utf-8")
    assert "Hello &lt;b&gt;x&lt;/b&gt; there." in html
    assert "&lt;script&gt;\nevil()\n&lt;/script&gt;" in html
    assert "<b>x</b>" not in html
    assert "<script>" not in html


def test_raw_html_in_body_is_kept_when_allowed(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile_tree(here, True)
    assert run(capsys, *build_args())[:1] == (0,)
    html = (here / "out" / "events" / "x" / "index.html").read_text(encoding="utf-8")
    assert "Hello <b>x</b> there." in html
    assert "<script>\nevil()\n</script>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html  # the title is still text, not markup


# ---- end to end, as a writer runs it ----


def run_module(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "builder", *argv], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_end_to_end_broken_tree(tmp_path: Path) -> None:
    content = write_tree(
        tmp_path,
        {
            "events/a.md": event("title: A", "date: 2024-02-30"),
            "events/b.md": b"---\ntitle: \xff\n---\n",
            "events/c.md": event("title: C", "date: 2024", "sources:", "  - url: 'javascript:alert(1)'"),
            "events/d.md": event('title: "Unclosed', "date: 2024"),
        },
    )
    out = tmp_path / "out"
    shown = content.as_posix()
    result = run_module("build", "--content", str(content), "--templates", str(TEMPLATES), "--out", str(out))
    assert "Traceback" not in result.stderr
    assert stderr_lines(result.stderr) == [
        f'{shown}/events/a.md:3: error: "date": impossible date "2024-02-30": February 2024 has 29 days',
        f"{shown}/events/b.md:2: error: file is not UTF-8 (byte 0xff cannot be decoded); save it as UTF-8",
        f'{shown}/events/c.md:5: error: source 1: URL "javascript:alert(1)" must start with http:// or https://',
        f"{shown}/events/d.md:4: error: YAML syntax error: found unexpected end of stream "
        "(while scanning a quoted scalar that starts on line 2)",
    ]
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == f"build failed: 4 errors, 0 warnings; {out} left as it was"
    assert not out.exists()

    check = run_module("check", "--content", str(content))
    assert (check.returncode, check.stderr) == (1, result.stderr)
    assert check.stdout.splitlines() == ["checked 4 notes: 4 errors, 0 warnings"]


def test_end_to_end_good_tree(tmp_path: Path) -> None:
    content = write_tree(tmp_path, {"events/a.md": GOOD, "actors/kim.md": "---\nname: Kim\n---\n"})
    out = tmp_path / "site"
    result = run_module("build", "--content", str(content), "--templates", str(TEMPLATES), "--out", str(out))
    assert (result.returncode, stderr_lines(result.stderr)) == (0, [])
    last = result.stdout.splitlines()[-1]
    assert last.startswith("read 2 notes, wrote ") and f" files to {out} in " in last
    assert (out / "index.html").is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["build", "--colour"], "unrecognized arguments: --colour", id="unknown-option"),
        pytest.param(["publish"], "invalid choice: 'publish'", id="unknown-command"),
        pytest.param(["check", "--content", "/no/content"], "error: content folder /no/content not found", id="no-content"),
    ],
)
def test_end_to_end_bad_usage(argv: list[str], message: str) -> None:
    result = run_module(*argv)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_pyyaml_without_its_c_loader_is_reported_in_one_line_and_the_build_still_works(tmp_path: Path) -> None:
    content = write_tree(tmp_path, {"events/a.md": GOOD})
    # PyYAML as built without libyaml: no CSafeLoader, so the builder falls back to the pure-Python loader
    script = "import sys, runpy, yaml; del yaml.CSafeLoader; sys.argv[0] = 'builder'; runpy.run_module('builder', run_name='__main__')"
    result = subprocess.run([sys.executable, "-c", script, "check", "--content", str(content)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    warning, *rest = result.stderr.splitlines()
    assert warning.startswith(NO_C_LOADER) and "pip install" in warning
    assert rest == []
    assert result.stdout.splitlines() == ["checked 1 note: 0 errors, 0 warnings"]
    with_c = run_module("check", "--content", str(content))
    assert NO_C_LOADER not in with_c.stderr or not HAS_C_LOADER
