"""``new``: fresh event and actor notes that load back exactly, land where the tree expects them and never overwrite."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from builder.build import Options, build
from builder.cli import main
from builder.dates import parse_date
from builder.diagnostics import Diagnostic
from builder.markup import Markdown
from builder.notes import parse_note, read_note
from builder.records import Actor, Event, actor_from_note, event_from_note
from builder.scaffold import ACTOR_BODY, EVENT_BODY, new_actor, new_event

from .conftest import TEMPLATES, tree

TODAY = dt.date(2025, 3, 4)

ACTORS = {
    "yoon-suk-yeol": '---\nname: "Yoon Suk Yeol"\naliases: ["Yun Seok-yol", "Yoon Seok-yol"]\nkind: person\n---\nPresident.\n',
    "kyiv": '---\nname: "Kyiv"\naliases: ["Kiev"]\nkind: place\n---\nCapital.\n',
    "kim-jong-un": '---\nname: "Kim Jong-un"\nkind: person\nnamesake: true\n---\nLeader.\n',
    "kim-jong-un-professor": '---\nname: "Kim Jong-un"\nkind: person\nnamesake: true\n---\nProfessor.\n',
}
EXISTING_EVENT = '---\ntitle: "Trump wins"\ndate: "2024-11-06"\nactors: [Kiev]\n---\nBody.\n'


def _content(root: Path, year_folders: bool = True) -> Path:
    """A small content tree: four actors (two sharing a name) and one event, in a year folder or not."""
    content = root / "content"
    (content / "actors").mkdir(parents=True)
    for actor_id, text in ACTORS.items():
        (content / "actors" / f"{actor_id}.md").write_text(text, encoding="utf-8")
    events = content / "events" / "2024" if year_folders else content / "events"
    events.mkdir(parents=True)
    (events / "2024-11-06-trump-wins.md").write_text(EXISTING_EVENT, encoding="utf-8")
    (content / "site.toml").write_text('title = "Test"\nbase_url = "https://example.com/"\n', encoding="utf-8")
    return content


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return _content(tmp_path)


def _event(content: Path, title: str, date: str | None = "2024-11-07", actors: tuple[str, ...] = (), tags: tuple[str, ...] = (),
           source: str | None = None) -> tuple[Path | None, list[Diagnostic]]:  # fmt: skip
    return new_event(content, "content", title, date, actors, tags, source, TODAY)


def _load_event(path: Path) -> Event:
    note, problems = parse_note(path.read_bytes(), path.as_posix(), path.stem, "event")
    assert note is not None and problems == []
    event, problems = event_from_note(note, Markdown())
    assert event is not None and problems == []
    return event


def _load_actor(path: Path) -> Actor:
    note, problems = read_note(path, path.as_posix(), "actor")
    assert note is not None and problems == []
    actor, problems = actor_from_note(note, Markdown())
    assert actor is not None and problems == []
    return actor


def _messages(problems: list[Diagnostic]) -> list[str]:
    return [str(p) for p in problems]


# --- the command line -------------------------------------------------------------------------------


def test_cli_new_event_prints_the_path_and_writes_a_note_that_loads(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["new", "Yoon", "keeps", "options", "open", "--date", "2024-11-07", "--actor", "Yun Seok-yol", "--tag", "arms-supply"]
    assert main([*argv, "--content", str(content)]) == 0
    out, err = capsys.readouterr()
    path = content / "events" / "2024" / "2024-11-07-yoon-keeps-options-open.md"
    assert out == f"{path.as_posix()}\n"
    assert "error" not in err and "warning: actor" not in err
    event = _load_event(path)
    assert (event.title, event.when.iso(), [r.text for r in event.actors], event.tags) == (
        "Yoon keeps options open", "2024-11-07", ["Yun Seok-yol"], ("arms-supply",),
    )  # fmt: skip
    assert path.read_text(encoding="utf-8").endswith(f"---\n{EVENT_BODY}\n")


def test_cli_new_actor_prints_the_path(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["new", "actor", "Moon", "Jae-in", "--alias", "Moon", "--kind", "person", "--role", "Former president"]
    assert main([*argv, "--content", str(content)]) == 0
    path = content / "actors" / "moon-jae-in.md"
    assert capsys.readouterr().out == f"{path.as_posix()}\n"
    actor = _load_actor(path)
    expected = ("moon-jae-in", "Moon Jae-in", ("Moon",), "person", "Former president")
    assert (actor.id, actor.name, actor.aliases, actor.kind, actor.role) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["A title", "--date", "2024-13"], 'error: --date: impossible date "2024-13": month 13 does not exist'),
        (["A title", "--date", "2024-02-30"], 'error: --date: impossible date "2024-02-30": February 2024 has 29 days'),
        (["A title", "--date", "yesterday"], 'error: --date: cannot read date "yesterday": use YYYY'),
        (["A title", "--source", "ftp://example.com/x"], 'error: --source: URL "ftp://example.com/x" must start with http:// or https://'),
        (["A title", "--source", "example.com/x"], 'error: --source: URL "example.com/x" must start with http://'),
        (["A title", "--source", "https://"], 'error: --source: URL "https://" must start with http://'),
        (["!!! ???"], 'error: title "!!! ???" has no letters or digits to make a file name from'),
        (["A title", "--tag", "***"], 'error: --tag "***" has no letters or digits to make a URL from'),
        (["A title", "--tag", " "], "error: --tag is empty"),
        (["A title", "--actor", ""], "error: --actor is empty"),
        (["A title", "--actor", "Kim Jong-un"], 'actor "Kim Jong-un" is ambiguous: it matches kim-jong-un and kim-jong-un-professor'),
        (["Trump wins", "--date", "2024-11-06"], "error: the file already exists and is left as it is; choose another title or date"),
        (["actor", "Kyiv"], "error: the file already exists and is left as it is; choose another name"),
        (["actor", "Yun Seok-yol"], 'error: name "Yun Seok-yol" already belongs to actor "yoon-suk-yeol"'),
        (["actor", "!!!"], 'error: actor name "!!!" has no letters or digits to make an id from'),
    ],
)
def test_cli_errors_exit_1_and_write_nothing(content: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    before = tree(content)
    assert main(["new", *args, "--content", str(content)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err
    assert tree(content) == before


def test_errors_are_reported_together(content: Path) -> None:
    path, problems = _event(content, "???", date="2024-00", tags=("",), source="mailto:x@example.com")
    assert path is None
    assert _messages(problems) == [
        'content:1: error: title "???" has no letters or digits to make a file name from',
        'content:1: error: --date: impossible date "2024-00": month 0 does not exist',
        'content:1: error: --source: URL "mailto:x@example.com" must start with http:// or https:// and name a host',
        "content:1: error: --tag is empty",
    ]


# --- where an event goes -----------------------------------------------------------------------------


def test_the_date_defaults_to_today(content: Path) -> None:
    path, problems = _event(content, "Something happened", date=None)
    assert problems == []
    assert path == content / "events" / "2025" / "2025-03-04-something-happened.md"
    assert '\ndate: "2025-03-04"\n' in path.read_text(encoding="utf-8")
    assert _load_event(path).when.start == parse_date("2025-03-04")


@pytest.mark.parametrize(
    ("date", "name", "written"),
    [
        ("2024", "2024-summit.md", "2024"),
        ("2024-06", "2024-06-summit.md", "2024-06"),
        ("2024-6", "2024-06-summit.md", "2024-06"),  # the file name and front-matter use the canonical form
        ("2024-11-06", "2024-11-06-summit.md", "2024-11-06"),
        ("2024-11-06T14:30", "2024-11-06-summit.md", "2024-11-06T14:30"),
        ("2024-11-06T14:30+09:00", "2024-11-06-summit.md", "2024-11-06T14:30+09:00"),
        ("2024-11-06 23:30-05:00", "2024-11-06-summit.md", "2024-11-06T23:30-05:00"),  # the day as written, not in UTC
        ("2024-11-06T14:30:15Z", "2024-11-06-summit.md", "2024-11-06T14:30:15+00:00"),
    ],
)
def test_every_date_precision_names_the_file(content: Path, date: str, name: str, written: str) -> None:
    path, problems = _event(content, "Summit", date=date)
    assert problems == []
    assert path == content / "events" / "2024" / name
    assert f'\ndate: "{written}"\n' in path.read_text(encoding="utf-8")
    event = _load_event(path)
    assert event.when.start == parse_date(date)
    assert event.when.precision == parse_date(date).precision


def test_year_folders_are_followed_and_created(content: Path) -> None:
    path, problems = _event(content, "Older story", date="2019-05")
    assert problems == []
    assert path == content / "events" / "2019" / "2019-05-older-story.md"


def test_a_flat_events_folder_stays_flat(tmp_path: Path) -> None:
    content = _content(tmp_path, year_folders=False)
    path, problems = _event(content, "Summit", date="2023-01-02")
    assert problems == []
    assert path == content / "events" / "2023-01-02-summit.md"
    assert sorted(p.name for p in (content / "events").iterdir()) == ["2023-01-02-summit.md", "2024-11-06-trump-wins.md"]


def test_a_missing_events_folder_is_created(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    path, problems = new_event(content, "content", "First", "2024", (), (), None, TODAY)
    assert problems == []
    assert path == content / "events" / "2024-first.md"
    assert path.is_file()


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Élection présidentielle : Séoul hésite à armer l'Ukraine", "election-presidentielle-seoul-hesite-a-armer-l-ukraine"),
        ("Ça coûte cher, dit le Président", "ca-coute-cher-dit-le-president"),
        ("윤석열 대통령, 우크라이나 무기 지원 검토", "윤석열-대통령-우크라이나-무기-지원-검토"),
        ("Зеленский готовит посланника в Сеул", "зеленский-готовит-посланника-в-сеул"),
        ("Україна й Корея", "україна-й-корея"),  # й keeps its breve: it is a letter of its own, not an accent
    ],
)
def test_non_ascii_titles(content: Path, title: str, slug: str) -> None:
    path, problems = _event(content, title, date="2024-11-07")
    assert problems == []
    assert path is not None and path.name == f"2024-11-07-{slug}.md"
    assert _load_event(path).title == title


def test_a_very_long_title_is_cut_at_a_word_to_fit_a_file_name(content: Path) -> None:
    title = " ".join(["대통령"] * 60)  # 9 bytes a word in UTF-8
    path, problems = _event(content, title)
    assert problems == []
    assert path is not None and len(path.name.encode()) <= 200
    assert path.stem.endswith("-대통령")
    assert _load_event(path).title == title


# --- never overwriting ----------------------------------------------------------------------------------


def test_an_existing_note_is_never_overwritten(content: Path) -> None:
    first, problems = _event(content, "Summit")
    assert first is not None and problems == []
    first.write_text(first.read_text(encoding="utf-8") + "The writer's words.\n", encoding="utf-8")
    before = tree(content)
    second, problems = _event(content, "Summit")
    assert second is None
    assert _messages(problems) == [
        "content/events/2024/2024-11-07-summit.md:1: error: the file already exists and is left as it is; choose another title or date"
    ]
    assert tree(content) == before


def test_a_note_of_the_same_name_in_another_folder_is_a_collision(content: Path) -> None:
    (content / "events" / "misc").mkdir()
    (content / "events" / "misc" / "2024-11-07-Summit.md").write_text(EXISTING_EVENT, encoding="utf-8")
    path, problems = _event(content, "Summit")
    assert path is None
    assert _messages(problems) == [
        'content/events/2024/2024-11-07-summit.md:1: error: event slug "2024-11-07-summit" is already used by '
        "content/events/misc/2024-11-07-Summit.md; choose another title or date"
    ]


def test_no_temporary_file_is_left_behind(content: Path) -> None:
    _event(content, "Summit")
    new_actor(content, "content", "Moon Jae-in", (), None, None)
    assert [p.name for p in content.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"] == []


def test_a_write_that_fails_is_an_error(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "events").write_text("not a folder", encoding="utf-8")
    path, problems = new_event(content, "content", "Summit", "2024", (), (), None, TODAY)
    assert path is None
    assert len(problems) == 1 and problems[0].message.startswith("cannot write content/events/2024-summit.md: ")


# --- actors named by an event ---------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["Yun Seok-yol", "yoon seok-yol", "Yoon Suk Yeol", "yoon-suk-yeol", "KIEV", "kim-jong-un"])
def test_a_known_spelling_is_written_as_given_and_silently(content: Path, spelling: str) -> None:
    path, problems = _event(content, "Summit", actors=(spelling,))
    assert problems == []
    assert path is not None
    assert [r.text for r in _load_event(path).actors] == [spelling]


def test_an_unknown_actor_is_written_with_a_warning(content: Path) -> None:
    path, problems = new_event(content, "my notes", "Summit", "2024-11-07", ["Kyiv", "Yoon Suk Yoel", "Moon Jae-in"], [], None, TODAY)
    assert path is not None
    assert _messages(problems) == [
        'my notes/events/2024/2024-11-07-summit.md:6: warning: actor "Yoon Suk Yoel" matches no actor; did you mean "Yoon Suk Yeol"?',
        'my notes/events/2024/2024-11-07-summit.md:7: warning: actor "Moon Jae-in" matches no actor note; a page will be generated '
        "for it (create one with: python -m builder new actor \"Moon Jae-in\" --content 'my notes')",
    ]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[5] == '  - "Yoon Suk Yoel"' and lines[6] == '  - "Moon Jae-in"'
    assert [r.text for r in _load_event(path).actors] == ["Kyiv", "Yoon Suk Yoel", "Moon Jae-in"]


def test_cli_prints_warnings_and_still_succeeds(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "Summit", "--date", "2024-11-07", "--actor", "Kyivv", "--content", str(content)]) == 0
    out, err = capsys.readouterr()
    assert out.endswith("2024-11-07-summit.md\n")
    assert f'{content.as_posix()}/events/2024/2024-11-07-summit.md:5: warning: actor "Kyivv" matches no actor; did you mean "Kyiv"?' in err


def test_repeated_actors_and_tags_are_written_once(content: Path) -> None:
    path, problems = _event(content, "Summit", actors=("Kyiv", " Kyiv ", "Kiev"), tags=("arms", "arms"))
    assert problems == []
    assert path is not None
    event = _load_event(path)
    assert ([r.text for r in event.actors], event.tags) == (["Kyiv", "Kiev"], ("arms",))


# --- values that must survive YAML ----------------------------------------------------------------------


AWKWARD = [
    'Seoul: "no weapons" for now',
    "key: value # not a comment",
    "#1 story of the year",
    "- starts with a dash",
    "'single' and \"double\" quotes",
    "yes",
    "null",
    "~ tilde",
    "2024",
    "3.14",
    "[brackets] and {braces}",
    "* star & anchor ! bang @ at ` tick | pipe > fold % percent",
    "back\\slash \\n not a newline",
    "50% <b>bold</b> &amp;",
    "emoji 🎉 and 漢字",
    "delete\x7f and C1\x9b",  # controls XML allows; those it forbids are removed on reading (test_hostile_notes)
    "zero\u200bwidth and \ufeffBOM",
    "--- dashes",
    "... dots",
    "&anchor *alias !tag",
]


@pytest.mark.parametrize("title", AWKWARD)
def test_awkward_titles_round_trip_exactly(content: Path, title: str) -> None:
    path, problems = _event(content, title)
    assert [p for p in problems if p.severity == "error"] == []
    assert path is not None
    assert _load_event(path).title == title


@pytest.mark.parametrize("value", AWKWARD[:12])
def test_awkward_actors_and_tags_round_trip_exactly(content: Path, value: str) -> None:
    path, _ = _event(content, "Summit", actors=(value,), tags=(f"{value} x",))
    assert path is not None
    event = _load_event(path)
    assert ([r.text for r in event.actors], event.tags) == ([value], (f"{value} x",))


@pytest.mark.parametrize("name", AWKWARD[:12])
def test_awkward_actor_names_round_trip_exactly(content: Path, name: str) -> None:
    path, problems = new_actor(content, "content", f"{name} A", [f"{name} B"], None, f"{name} C")
    assert problems == [] and path is not None
    actor = _load_actor(path)
    assert (actor.name, actor.aliases, actor.role) == (f"{name} A", (f"{name} B",), f"{name} C")


def test_whitespace_in_values_collapses_to_one_line(content: Path) -> None:
    path, problems = _event(content, "  Seoul\n  weighs\tarms\u2028\x85 ")
    assert problems == [] and path is not None
    assert path.name == "2024-11-07-seoul-weighs-arms.md"
    assert _load_event(path).title == "Seoul weighs arms"


def test_a_source_url_becomes_a_source_named_by_its_host(content: Path) -> None:
    url = "https://www.Example.com:8443/news/2024/11/seoul?id=1#top"
    path, problems = _event(content, "Summit", source=url)
    assert problems == [] and path is not None
    text = path.read_text(encoding="utf-8")
    assert '    # publisher: "' in text and '    # published: "' in text  # hints for the writer, not empty keys
    assert "\n    publisher:" not in text and "\n    published:" not in text
    [source] = _load_event(path).sources
    assert (source.title, source.url, source.publisher, source.published) == ("www.example.com", url, None, None)


def test_the_note_starts_with_every_key_for_the_writer_to_fill(content: Path) -> None:
    path, _ = _event(content, "Summit")
    assert path is not None
    assert path.read_text(encoding="utf-8") == (
        '---\ntitle: "Summit"\ndate: "2024-11-07"\nactors: []\ntags: []\nsources: []\n'
        "draft: true  # left out of the site until this line is removed\n---\n"
        "What happened, in a paragraph or two. The first paragraph is the summary in lists and feeds.\n"
    )


# --- new actors -----------------------------------------------------------------------------------------


def test_a_new_actor_has_only_the_fields_given(content: Path) -> None:
    path, problems = new_actor(content, "content", "Moon Jae-in", (), None, None)
    assert problems == []
    assert path == content / "actors" / "moon-jae-in.md"
    assert path.read_text(encoding="utf-8") == (
        '---\nname: "Moon Jae-in"\ndraft: true  # left out of the site until this line is removed\n---\n'
        "Who this is, in a sentence or two. The first paragraph is the summary on the actors page.\n"
    )
    assert _load_actor(path).aliases == ()


def test_a_new_actor_with_every_field(content: Path) -> None:
    path, problems = new_actor(content, "content", "Ursula von der Leyen", ["von der Leyen", "VDL", "vdl", "Ursula von der Leyen"],
                               "person", "President of the European Commission")  # fmt: skip
    assert problems == [] and path is not None
    actor = _load_actor(path)
    assert (actor.id, actor.name, actor.aliases, actor.kind, actor.role) == (
        "ursula-von-der-leyen", "Ursula von der Leyen", ("von der Leyen", "VDL"), "person", "President of the European Commission",
    )  # fmt: skip


def test_a_non_ascii_actor_name_makes_a_readable_id(content: Path) -> None:
    path, problems = new_actor(content, "content", "Владимир Зеленский", ["Zelensky"], "person", None)
    assert problems == [] and path == content / "actors" / "владимир-зеленский.md"
    assert _load_actor(path).name == "Владимир Зеленский"


ADD_IT_THERE = "add it there as an alias, or choose another spelling"


@pytest.mark.parametrize(
    ("name", "aliases", "messages"),
    [
        ("Kyiv", [], ["content/actors/kyiv.md:1: error: the file already exists and is left as it is; choose another name"]),
        ("KIEV", [], [
            f'content/actors/kiev.md:1: error: name "KIEV" already belongs to actor "kyiv" (content/actors/kyiv.md); {ADD_IT_THERE}',
        ]),
        ("Kiev!", [], [  # the name is new, but its id would be a spelling of Kyiv's, making "Kiev" ambiguous
            f'content/actors/kiev.md:1: error: id "kiev" already belongs to actor "kyiv" (content/actors/kyiv.md); {ADD_IT_THERE}',
        ]),
        ("President Yoon", ["Yun Seok-yol"], [
            'content/actors/president-yoon.md:1: error: alias "Yun Seok-yol" already belongs to actor "yoon-suk-yeol" '
            f"(content/actors/yoon-suk-yeol.md); {ADD_IT_THERE}",
        ]),
        ("Kim Jong-un", [], ["content/actors/kim-jong-un.md:1: error: the file already exists and is left as it is; choose another name"]),
        ("Kim Jong-un the Third", ["Kim Jong-un"], [
            'content/actors/kim-jong-un-the-third.md:1: error: alias "Kim Jong-un" already belongs to actor "kim-jong-un" '
            f"(content/actors/kim-jong-un.md); {ADD_IT_THERE}",
            'content/actors/kim-jong-un-the-third.md:1: error: alias "Kim Jong-un" already belongs to actor "kim-jong-un-professor" '
            f"(content/actors/kim-jong-un-professor.md); {ADD_IT_THERE}",
        ]),
        ("Yoon", ["Kyiv"], [
            f'content/actors/yoon.md:1: error: alias "Kyiv" already belongs to actor "kyiv" (content/actors/kyiv.md); {ADD_IT_THERE}',
        ]),
    ],
)  # fmt: skip
def test_a_new_actor_may_not_take_another_actors_spelling(content: Path, name: str, aliases: list[str], messages: list[str]) -> None:
    before = tree(content)
    path, problems = new_actor(content, "content", name, aliases, None, None)
    assert path is None
    assert _messages(problems) == messages
    assert tree(content) == before


def test_a_case_variant_of_an_actor_file_is_a_collision(content: Path) -> None:
    (content / "actors" / "Moon-Jae-in.md").write_text('---\nname: "Moon"\n---\n', encoding="utf-8")
    path, problems = new_actor(content, "content", "Moon Jae-in", (), None, None)
    assert path is None
    assert _messages(problems) == [
        'content/actors/moon-jae-in.md:1: error: actor id "moon-jae-in" is already used by content/actors/Moon-Jae-in.md; '
        "choose another name"
    ]


def test_bad_actor_values_are_errors(content: Path) -> None:
    path, problems = new_actor(content, "content", "  ", ["", "X"], "planet", " ")
    assert path is None
    assert _messages(problems) == [
        'content:1: error: the name is empty: new actor "Name" [--alias NAME] [--kind KIND] [--role TEXT]',
        "content:1: error: --alias is empty",
        'content:1: error: --kind must be one of person, organization, country, place, group, not "planet"',
        "content:1: error: --role is empty",
    ]


def test_undecodable_command_line_bytes_are_errors(content: Path) -> None:
    path, problems = _event(content, "Summit \udcff")
    assert path is None
    assert _messages(problems) == ["content:1: error: the title is not valid text: it has bytes that are not UTF-8"]


# --- the whole round -------------------------------------------------------------------------------------


def test_new_notes_are_drafts_until_written_and_then_built(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The whole round: new notes stay out of the site; without the draft mark, the placeholder stops the build at its
    line; written, they are published."""
    assert main(["new", "actor", "Moon Jae-in", "--kind", "person", "--content", str(content)]) == 0
    argv = ["new", "Séoul : « pas d'armes » pour l'instant", "--date", "2024-11-08", "--actor", "Moon Jae-in", "--actor", "Kiev",
            "--tag", "arms", "--source", "https://example.com/a", "--content", str(content)]  # fmt: skip
    assert main(argv) == 0
    assert "warning" not in capsys.readouterr().err
    actor, event = content / "actors" / "moon-jae-in.md", content / "events" / "2024" / "2024-11-08-seoul-pas-d-armes-pour-l-instant.md"
    out = tmp_path / "site"
    page, actor_page = out / "events" / event.stem / "index.html", out / "actors" / "moon-jae-in" / "index.html"

    result = build(Options(content=content, templates=TEMPLATES, out=out))
    assert not result.report.failed() and result.files > 0
    assert not page.exists() and not actor_page.exists()
    assert "paragraph or two" not in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))

    for path in (actor, event):
        path.write_text(path.read_text(encoding="utf-8").replace("draft: true  # left out of the site until this line is removed\n", ""))
    result = build(Options(content=content, templates=TEMPLATES, out=out))
    assert [str(d) for d in result.report.items if d.severity == "error"] == [
        f'{content}/actors/moon-jae-in.md:5: error: still holds the placeholder "Who this is, in a sentence or two.": '
        "write the note's own text in its place (a note marked draft: true may keep it)",
        f"{content}/events/2024/{event.name}:15: error: still holds the placeholder "
        '"What happened, in a paragraph or two.": write the note\'s own text in its place (a note marked draft: true may keep it)',
    ]
    assert result.files == 0 and not page.exists()

    actor.write_text(actor.read_text(encoding="utf-8").replace(ACTOR_BODY, "President of South Korea, 2017-2022."))
    event.write_text(event.read_text(encoding="utf-8").replace(EVENT_BODY, "Seoul rules out arms for now."))
    result = build(Options(content=content, templates=TEMPLATES, out=out))
    assert [str(d) for d in result.report.items if d.severity == "error"] == []  # warnings may ask for the publisher
    html = page.read_text(encoding="utf-8")
    assert "Séoul : « pas d&#39;armes » pour l&#39;instant" in html or "Séoul : « pas d'armes » pour l'instant" in html
    assert "example.com" in html and "Seoul rules out arms for now." in html
    assert "President of South Korea" in actor_page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["actor", "Someone", "--date", "2024"], "error: --date cannot be used when creating an actor"),
        (["actor", "Someone", "--tag", "x", "--actor", "Kyiv"], "error: --actor, --tag cannot be used when creating an actor"),
        (["An event", "--role", "x"], "error: --role cannot be used when creating an event"),
        (["An event", "--alias", "y", "--kind", "person"], "error: --alias, --kind cannot be used when creating an event"),
    ],
)
def test_options_of_the_other_kind_of_note_are_bad_usage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    assert main(["new", *argv, "--content", str(content)]) == 2
    assert capsys.readouterr().err.strip() == message
    assert list(content.rglob("*.md")) == []
