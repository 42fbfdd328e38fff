"""Claims: an event's ``status`` and ``claimed_by``. How they are read (every mistake at its line, in one run), how
claimants resolve (aliases, actor notes, a page made for an unknown name, ambiguity), and what readers and other
tools get: the words and links on cards, event and actor pages, the status filter's choices, JSON-LD and the data
exports. Built from tmp copies of tests/fixtures/basic, whose pact is disputed by two actors and whose reactions
are retracted."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.build import Options, build
from builder.cli import main
from builder.dates import parse_when
from builder.importer import import_files
from builder.model import build_timeline
from builder.records import DEFAULT_STATUS, STATUSES, Actor, Event, FieldError, Ref, _status

from .conftest import FIXTURES, TALKS, TEMPLATES

PACT = Path("events/2024/2024-06-pact.md")
REACTIONS = Path("events/2024/2024-11-10-reactions.md")


def _content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    return content


def _front(content: Path, note: Path, lines: str) -> None:
    """Adds front-matter lines to a note, before its closing ``---``."""
    path = content / note
    path.write_text(path.read_text().replace("\n---\n", f"\n{lines}\n---\n", 1))


def _site(content: Path, out: Path) -> Path:
    result = build(Options(content=content, templates=TEMPLATES, out=out, cache=None))
    assert not result.report.errors, [str(d) for d in result.report.items]
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with one more claim: by an actor with no note and named by nothing else (a page is made for it)."""
    root = tmp_path_factory.mktemp("claims")
    content = _content(root)
    _front(content, TALKS, "status: denied\nclaimed_by: [United States, ROK]")
    return _site(content, root / "site")


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text()


def _text(html: str) -> str:
    """What a reader sees of some HTML: the text without tags, its spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def _card(page: str, slug: str) -> str:
    found = re.search(rf'<article class="card[^"]*"[^>]*>\s*<h4 class="card-title"><a href="[^"]*{slug}/">.*?</article>', page, re.S)
    assert found, slug
    return found[0]


def _check(content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["check", "--content", str(content)])
    return code, capsys.readouterr().err.splitlines()


def _line(content: Path, note: Path, text: str) -> int:
    return (content / note).read_text().splitlines().index(text) + 1


# ---- reading -------------------------------------------------------------------------------------------------


def test_every_mistake_in_a_claim_is_an_error_at_its_line_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path)
    _front(content, TALKS, "status: confimred\nclaimed_by:\n  - Kyiv\n  - [a, b]")
    _front(content, PACT.with_name("2024-11-06-election.md"), "status: rumour")
    _front(content, Path("events/2024/2024-11-06t1430-briefing.md"), "status: [confirmed]\nclaimed_by: Kyiv")
    code, lines = _check(content, capsys)
    assert code == 1
    talks, election = content / TALKS, content / "events/2024/2024-11-06-election.md"
    briefing = content / "events/2024/2024-11-06t1430-briefing.md"
    expected = [
        f'{talks}:{_line(content, TALKS, "status: confimred")}: error: "status" must be one of reported, confirmed, disputed, '
        'denied, retracted, not "confimred"; did you mean "confirmed"?',
        f'{talks}:{_line(content, TALKS, "  - [a, b]")}: error: "claimed_by" item 2 must be text',
        f'{election}:{_line(content, election.relative_to(content), "status: rumour")}: error: "status" must be one of reported, '
        'confirmed, disputed, denied, retracted, not "rumour" (when left out: reported)',
        f'{briefing}:{_line(content, briefing.relative_to(content), "status: [confirmed]")}: error: "status" must be text '
        "(put it in quotes if it looks like a number or yes/no)",
        f'{briefing}:{_line(content, briefing.relative_to(content), "claimed_by: Kyiv")}: error: "claimed_by" must be a list: '
        'one "- item" per line, or [a, b]',
    ]
    for line in expected:
        assert line in lines, "\n".join(lines)
    assert not any("Traceback" in line for line in lines)


@given(st.text(max_size=12))
def test_a_status_is_one_of_the_five_words_exactly(text: str) -> None:
    """Every other word is refused, a capitalised one too: a misspelt status must never pass for another."""
    if text.strip() in STATUSES:
        assert _status(text, "status") == text.strip()
        return
    with pytest.raises(FieldError) as found:
        _status(text, "status")
    assert all(key == "status" for key, _ in found.value.problems)


def _event(slug: str, day: int, claimed: list[str], actors: tuple[str, ...] = ()) -> Event:
    return Event(slug, f"events/{slug}.md", slug.title(), parse_when(f"2024-01-{day:02d}"), actors=tuple(Ref(a, 3) for a in actors),
                 claimed_by=tuple(Ref(c, 4 + i) for i, c in enumerate(claimed)))  # fmt: skip


NAMES = ["South Korea", "Seoul", "ROK", "United States", "united states", "Kyiv", "Kiev", "NATO"]


@given(st.lists(st.lists(st.sampled_from(NAMES), max_size=4), min_size=1, max_size=6))
def test_an_actors_claims_are_exactly_the_events_that_name_it_in_claimed_by_in_order(claims: list[list[str]]) -> None:
    """Whatever events claim, and however they spell it: each claimant once per event, an alias as its actor, a name
    with no note as one made actor however it is capitalised, and the two maps each other's inverse, in the
    timeline's order."""
    actors = [Actor("south-korea", "South Korea", ("Seoul", "ROK"), path="actors/south-korea.md"),
              Actor("kyiv", "Kyiv", ("Kiev",), path="actors/kyiv.md")]  # fmt: skip
    events = [_event(f"e{i}", 28 - i, names) for i, names in enumerate(claims)]
    timeline, problems = build_timeline(events, actors)
    assert problems == []
    canonical = {"seoul": "south-korea", "rok": "south-korea", "south korea": "south-korea", "kiev": "kyiv", "kyiv": "kyiv",
                 "united states": "united-states", "nato": "nato"}  # fmt: skip
    for event in events:
        assert timeline.event_claimants[event.slug] == tuple(dict.fromkeys(canonical[n.text.casefold()] for n in event.claimed_by))
    for actor_id, slugs in timeline.actor_claims.items():
        assert list(slugs) == [e.slug for e in timeline.events if actor_id in timeline.event_claimants[e.slug]]
    assert all(a in timeline.actors for ids in timeline.event_claimants.values() for a in ids)


def test_an_ambiguous_claimant_is_an_error_and_a_near_miss_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path)
    _front(content, TALKS, "claimed_by:\n  - Kim Jong-un\n  - Kyivv")
    code, lines = _check(content, capsys)
    talks = content / TALKS
    assert code == 1
    assert (f'{talks}:{_line(content, TALKS, "  - Kim Jong-un")}: error: actor "Kim Jong-un" is ambiguous: it matches '
            "kim-jong-un and kim-jong-un-professor; write the id instead") in lines  # fmt: skip
    assert f'{talks}:{_line(content, TALKS, "  - Kyivv")}: warning: actor "Kyivv" matches no actor; did you mean "Kyiv"?' in lines


# ---- pages ------------------------------------------------------------------------------------------------------


def test_cards_say_the_status_in_words_and_name_who_claims_it(built: Path) -> None:
    home = (built / "index.html").read_text()
    pact = _card(home, "2024-06-pact")
    assert 'data-status="disputed"' in pact
    assert '<span class="status status-disputed"><span class="status-mark" aria-hidden="true"></span>Disputed</span>' in pact
    assert re.search(r'according to <a href="actors/south-korea/">South Korea</a> and <a href="actors/kyiv/">Kyiv</a>', pact)
    talks = _card(home, "2024-11-05-talks")
    assert "Denied, according to United States and South Korea" in _text(talks)
    assert 'href="actors/united-states/"' in talks
    # reported is what an event is unless said otherwise: its card says nothing of it, but is filtered by it
    election = _card(home, "2024-11-06-election")
    assert 'data-status="reported"' in election and "card-claim" not in election
    assert "Retracted, according to Kyiv" in _text(_card(home, "2024-11-10-reactions"))
    assert "status-retracted" in _card(home, "2024-11-10-reactions").split(">", 1)[0]


@pytest.mark.parametrize(
    ("slug", "said"),
    [
        ("2024-06-pact", "Status: Disputed, according to South Korea and Kyiv"),
        ("2024-11-06-election", "Status: Reported"),
        ("2024-11-06t0900-markets", "Status: Confirmed"),
        ("2024-11-10-reactions", "Status: Retracted, according to Kyiv"),
    ],
)
def test_an_event_page_always_says_its_status(built: Path, slug: str, said: str) -> None:
    page = _page(built, f"events/{slug}")
    claim = re.search(r'<p class="claim">.*?</p>', page)
    assert claim and _text(claim[0]) == said


def test_an_actor_page_counts_the_claims_it_made_and_links_each(built: Path) -> None:
    kyiv = _page(built, "actors/kyiv")
    assert '<a href="#claims-h">Claims made: 2</a>' in kyiv
    claims = re.search(r'<section class="claims".*?</section>', kyiv, re.S)
    assert claims
    assert re.findall(r'<a href="([^"]+)">', claims[0]) == ["../../events/2024-06-pact/", "../../events/2024-11-10-reactions/"]
    assert "c. June 2024 · Disputed" in _text(claims[0]) and "November 10, 2024 · Retracted" in _text(claims[0])
    # an actor named only as a claimant has a page that says so, and no events of its own
    us = _page(built, "actors/united-states")
    assert "Claims made: 1" in us and "../../events/2024-11-05-talks/" in us
    assert "Claims made" not in _page(built, "actors/yoon-suk-yeol")


def _offered(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="status" value="([a-z]+)" checked>', page)


def test_the_status_filter_offers_the_statuses_of_the_page_when_it_can_tell_them_apart(built: Path) -> None:
    assert _offered((built / "index.html").read_text()) == ["reported", "confirmed", "disputed", "denied", "retracted"]
    assert _offered(_page(built, "actors/kyiv")) == ["reported", "denied", "retracted"]
    assert _offered(_page(built, "tags/aid")) == ["reported", "disputed"]
    assert _offered(_page(built, "actors/vladimir-putin")) == []  # one event: nothing to tell apart
    assert "field-status" not in _page(built, "actors/vladimir-putin")


def _jsonld(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page)
    assert found
    data: dict[str, Any] = json.loads(found[1])
    return data


def test_json_ld_describes_the_claim_the_event_is_the_subject_of(built: Path) -> None:
    data = _jsonld(_page(built, "events/2024-06-pact"))
    claims = [item for item in data["subjectOf"] if item["@type"] == "Claim"]
    assert claims == [{
        "@type": "Claim", "name": "Pact revived", "creativeWorkStatus": "disputed",
        "author": [{"@type": "Country", "name": "South Korea", "url": "https://example.org/fixture/actors/south-korea/"},
                   {"@type": "Place", "name": "Kyiv", "url": "https://example.org/fixture/actors/kyiv/"}],
    }]  # fmt: skip
    assert data["subjectOf"][0]["@type"] == "CreativeWork"  # its sources stay first
    confirmed = _jsonld(_page(built, "events/2024-11-06t0900-markets"))
    assert [i for i in confirmed["subjectOf"] if i["@type"] == "Claim"] == [{"@type": "Claim", "name": "Markets open lower in Seoul",
                                                                            "creativeWorkStatus": "confirmed"}]  # fmt: skip
    assert "ClaimReview" not in json.dumps(data)
    plain = _jsonld(_page(built, "events/2024-11-06-election"))
    assert all(item["@type"] != "Claim" for item in plain.get("subjectOf", []))


# ---- data ----------------------------------------------------------------------------------------------------


def test_timeline_json_carries_status_and_claimants_and_each_actors_claims(built: Path) -> None:
    data = json.loads((built / "timeline.json").read_text())
    events = {e["slug"]: e for e in data["events"]}
    assert events["2024-06-pact"]["status"] == "disputed"
    assert events["2024-06-pact"]["claimed_by"] == [{"id": "south-korea", "name": "South Korea"}, {"id": "kyiv", "name": "Kyiv"}]
    assert events["2024-11-06-election"]["status"] == DEFAULT_STATUS and events["2024-11-06-election"]["claimed_by"] == []
    actors = {a["id"]: a for a in data["actors"]}
    assert actors["kyiv"]["claims"] == ["2024-06-pact", "2024-11-10-reactions"]
    assert actors["united-states"] == {**actors["united-states"], "claims": ["2024-11-05-talks"], "events": []}


def test_the_spreadsheet_and_timelinejs_carry_them_as_written(built: Path) -> None:
    rows = {r["Slug"]: r for r in csv.DictReader(io.StringIO((built / "timeline.csv").read_text())) if r["Slug"]}
    assert (rows["2024-11-05-talks"]["Status"], rows["2024-11-05-talks"]["Claimed by"]) == ("denied", "United States; ROK")
    assert (rows["2024-11-06-election"]["Status"], rows["2024-11-06-election"]["Claimed by"]) == ("reported", "")
    slides = {s["unique_id"]: s for s in json.loads((built / "timelinejs.json").read_text())["events"]}
    extra = slides["2024-06-pact"]["timeline_builder"]
    assert (extra["status"], extra["claimed_by"]) == ("disputed", ["Seoul", "Kiev"])


@pytest.mark.parametrize("export", ["timelinejs.json", "timeline.csv"])
def test_claims_survive_an_export_and_an_import(built: Path, tmp_path: Path, export: str) -> None:
    again = tmp_path / "content"
    outcome = import_files([(built / export, export)], again, again.as_posix())
    assert not outcome.report.errors
    notes = {p.stem: p.read_text() for p in again.rglob("*.md")}
    talks = next(text for stem, text in notes.items() if stem.endswith("talks"))
    assert 'status: "denied"' in talks and 'claimed_by:\n  - "United States"\n  - "ROK"' in talks
    election = next(text for stem, text in notes.items() if stem.endswith("election"))
    assert "status:" not in election and "claimed_by" not in election
