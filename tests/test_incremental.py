"""An edit of any field of any note, or of a file beside the notes that they link to, leaves the live preview and a
build from the store byte-identical to a fresh build: property tests over every field the records declare, found from
the declarations themselves.

Values are drawn by the parser a field is declared with, so a new field of a known kind is covered as soon as it
is declared, and a field with a new kind of parser fails here until it has a strategy. Lists are cut into pages of
three events, so pagination, year pages and the links between them move with every edit, and feeds hold four
events, so events move in and out of the site's feed and of the feeds of actors and tags.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder import changes, exports, pages, records, routes, site
from builder.build import Options, build
from builder.output import MARKER
from builder.pipeline import Settings, build_site
from builder.placeholders import ACTOR_BODY, EVENT_BODY
from builder.preview import LiveSite
from builder.site import Page, Site

from .conftest import TEMPLATES, tree

PAGE_SIZE = 3
FEED_ENTRIES = 4
ACTORS = ["Yoon Suk Yeol", "Kyiv", "Kiev", "Seoul", "Olaf", "Nobody New", "Kim Jong-un", "NATO"]
TAGS = ["diplomacy", "aid", "Arms supply", "arms-supply", "new tag", "talks"]
PUBLISHERS = ["Wire", "Daily", "Herald", "Gazette"]
ROLES = ["speaker", "target", "press secretary"]
SOURCE_IDS = ["wire-2024-10", "agency-2024-10"]
SHARED_URL = "https://example.org/shared"
DATES = ["2022", "2023-04", "2023-04-02", "2024", "2024-06", "2024-06-20", "2024-11-05", "2024-11-06T14:30+09:00", "2025-01"]


def _note(front: Mapping[str, Any], body: str) -> str:
    return "---\n" + yaml.safe_dump(dict(front), sort_keys=False, allow_unicode=True) + "---\n" + body


def _content(root: Path) -> Path:
    """A small timeline over four years, with two eras: actors with and without notes, shared tags, publishers, places,
    links, and files beside the notes (a photo two events and an actor show, a list no note links to yet)."""
    content = root / "content"
    (content / "events").mkdir(parents=True)
    (content / "actors").mkdir()
    (content / "sources").mkdir()
    (content / "files").mkdir()
    (content / "files" / "photo.svg").write_bytes(FILE_DATA[0])
    (content / "files" / "list.txt").write_bytes(FILE_DATA[1])
    (content / "site.toml").write_text('title = "Edits"\nbase_url = "https://example.org/e/"\n')
    # overlapping eras that a date edit moves events into and out of (their cards and the bands of every list)
    (content / "eras.toml").write_text('[[era]]\nname = "A"\nstart = 2023-04-02\nend = 2024-06-20\n'
                                       '[[era]]\nname = "B"\nstart = "2024-06"\nend = 2024-11-05\n')
    for i in range(14):
        front: dict[str, Any] = {
            "title": f"Event {i % 9}",  # some titles repeat, so order within a day turns on the slug
            "date": DATES[i % len(DATES)],
            "actors": [ACTORS[i % 5], ACTORS[(i * 3) % 8] if i % 3 else {"actor": ACTORS[(i * 3) % 8], "role": ROLES[i % 2]}],
            "tags": [TAGS[i % 4]],
            "place": ["Seoul", "Kyiv", None][i % 3],
            "sources": [{"title": f"Report {i}", "publisher": PUBLISHERS[i % 3], "published": ["2024-11", "2024-11-08"][i % 2]}],
            # claims: by actors with and without notes (one named by nothing else), in every status
            "status": records.STATUSES[i % 5] if i % 3 else None,
            "claimed_by": [ACTORS[(i * 5) % 8], *(["Somebody Else"] if i == 5 else [])] if i % 4 == 1 else None,
        }
        if i in (2, 7):  # a corrections trail, which the corrections page and feed list, and which dates feed entries
            front |= {"updated": "2024-11-20", "corrections": [{"date": "2024-11-12", "text": f"Correction {i} of [[event-03]]."}]}
        if i % 3 == 0:  # a source declared in a note of its own, cited by id, and one that events quote by its URL
            front["sources"] = [SOURCE_IDS[i % 2], *front["sources"], {"url": SHARED_URL, "title": "Shared", "publisher": "Wire"}]
        # summaries (first paragraphs) that show the title of event-03 and an actor's name, and one with a label
        links = " See [[event-03]] and [[Kiev]]." if i % 4 == 0 else " After [[event-03|it]]." if i == 5 else ""
        body = f"Paragraph {i}.{links}" + (f"\n\n{PHOTO}" if i % 6 == 1 else "") + "\n"
        (content / "events" / f"event-{i:02d}.md").write_text(_note({k: v for k, v in front.items() if v is not None}, body))
    for n, source_id in enumerate(SOURCE_IDS):  # publishers that inline sources share, and one of their own
        front = {"title": f"Declared {n}", "publisher": ["Wire", "Agency"][n], "url": f"https://example.org/s/{n}", "published": "2024-10"}
        about = "A wire story." + (" Quoted in [[event-03]]." if n == 0 else "")  # a source page shows a title too
        (content / "sources" / f"{source_id}.md").write_text(_note(front, about + "\n"))
    noted = (("Kyiv", ["Kiev"]), ("Yoon Suk Yeol", ["Yun Seok-yol"]), ("NATO", []), ("Seoul", []), ("Olaf", []), ("Kim Jong-un", []))
    for name, aliases in noted:  # "Nobody New" has no note: its page is made for it
        slug = name.lower().replace(" ", "-")
        about = f"About {name}." + (" Since [[event-03]]." if name == "NATO" else "")  # an actor page's description shows a title too
        about += (f"\n\n{PHOTO}" if name == "Seoul" else "") + "\n"
        (content / "actors" / f"{slug}.md").write_text(_note({"name": name, "aliases": aliases, "kind": "place"}, about))
    # dated a minute back: a file written moments before a build may change again unseen within its clock's resolution,
    # so the build would take the photo for changed, and never patch a body edit in
    for path in content.rglob("*"):
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 60 * 10**9))
    return content


# Links to files beside the notes (every note is one folder below the content folder), and what those files may hold.
PHOTO = "![A photo](../files/photo.svg)"
LIST = "See [the list](../files/list.txt)."
FILE_DATA = [b"<svg xmlns='http://www.w3.org/2000/svg'/>\n", b"one\n", b"two\n"]
FILES = ["files/photo.svg", "files/list.txt"]

# Values by the parser a field is declared with; an edit may move an event thousands or billions of years back, which
# redraws every strip on another scale and keys a year page "-753".
DEEP_DATES = ["-44-03-15", "753 BCE", "13.8 billion years ago"]
_DATE = st.sampled_from(DATES + DEEP_DATES)
# dates relative to the first source's published date: some need its day, which half the notes' sources give
RELATIVE = ["last week", "yesterday", "in June", "earlier this year", "last month", "지난주", "вчора", "в июне", "two days ago"]
STRATEGIES: dict[Callable[..., Any], st.SearchStrategy[Any]] = {
    records._text: st.sampled_from(["Event 1", "A new title", "Zebra", "Seoul", "Kyiv", "aaa"]),
    records._date: _DATE,
    records._date_or_phrase: st.one_of(_DATE, st.sampled_from(RELATIVE)),
    records._flag: st.booleans(),
    records._order: st.integers(-2, 2),
    records._text_list: st.lists(st.sampled_from(ACTORS + ["Yun Seok-yol", "Somebody Else"]), max_size=3),
    records._actors: st.lists(  # a name, or a name with its role in the event: role edits, two roles, names and aliases
        st.one_of(st.sampled_from(ACTORS + ["Yun Seok-yol"]),
                  st.fixed_dictionaries({"actor": st.sampled_from(ACTORS + ["Yun Seok-yol"]), "role": st.sampled_from(ROLES)})),
        max_size=3,
    ),
    records._tags: st.lists(st.sampled_from(TAGS), max_size=3),
    records._aliases: st.lists(  # other spellings, some marked with the language a site writes the actor in
        st.one_of(st.sampled_from(["Kiev", "Yun Seok-yol", "Somebody Else"]),
                  st.fixed_dictionaries({"name": st.sampled_from(["키이우", "Київ", "윤석열"]),
                                         "lang": st.sampled_from(["ko", "uk", "en"])})),  # fmt: skip
        max_size=2,
    ),
    records._kind: st.sampled_from(records.ACTOR_KINDS),
    records._status: st.sampled_from(records.STATUSES),
    records._sources: st.lists(
        st.one_of(
            st.fixed_dictionaries({"title": st.sampled_from(["R1", "R2"]), "publisher": st.sampled_from(PUBLISHERS), "published": _DATE},
                                  optional={"author": st.sampled_from(["A. Writer"]), "language": st.sampled_from(["en", "ko"]),
                                            "archive_url": st.sampled_from(["https://web.archive.org/x"])}),
            st.fixed_dictionaries({"url": st.sampled_from([SHARED_URL, "https://example.org/s/1"]),
                                   "title": st.sampled_from(["Shared", "Other"])}),
            st.sampled_from([*SOURCE_IDS, "wire-2024-01"]),  # by id: declared, and one no note declares (an error)
        ),
        max_size=3,
    ),
    records._corrections: st.lists(  # their texts show the title of event-03 and an actor's name, like summaries
        st.fixed_dictionaries({"date": _DATE, "text": st.sampled_from(["Wrong date.", "It named [[event-03]] wrongly.", "[[Kiev]]."])}),
        max_size=2,
    ),
    records._url: st.sampled_from(["https://example.org/s/0", "https://example.org/s/9", SHARED_URL]),
    records._language: st.sampled_from(["en", "uk", "pt-BR"]),
    records._media: st.one_of(
        st.sampled_from(["https://example.org/a.jpg", "https://www.youtube.com/watch?v=x"]),
        st.fixed_dictionaries({"url": st.sampled_from(["https://example.org/b.png"]), "alt": st.sampled_from(["A map", "Smoke"])},
                              optional={"caption": st.sampled_from(["A caption"]), "credit": st.sampled_from(["AP"])}),  # fmt: skip
    ),
}


def test_every_declared_field_has_a_strategy() -> None:
    parsers = {f.parse for f in (*records.EVENT_FIELDS.values(), *records.ACTOR_FIELDS.values(), *records.SOURCE_FIELDS.values())}
    assert parsers <= STRATEGIES.keys(), f"no strategy for {parsers - STRATEGIES.keys()}: add one above"


@dataclass(frozen=True)
class Edit:
    note: int  # index into the sorted notes (or into FILES, for "file")
    field: str  # a declared field, or "body", or "" to remove the note's first optional field, or "file"
    value: Any  # for "file": the file's new bytes, or None to delete it
    folder: str = ""  # the notes' folder, when not told by ``note`` (events from 0, actors from -1)


@st.composite
def edits(draw: st.DrawFn) -> Edit:
    kind = draw(st.sampled_from(["event", "actor", "source", "file"]))
    if kind == "file":  # a file beside the notes changed, deleted or made again
        return Edit(draw(st.integers(0, len(FILES) - 1)), "file", draw(st.sampled_from([None, *FILE_DATA])))
    declared = {"event": records.EVENT_FIELDS, "actor": records.ACTOR_FIELDS, "source": records.SOURCE_FIELDS}[kind]
    field = draw(st.sampled_from([*declared, "body", ""]))
    # a body may take up the placeholder text new writes: an error while the note is published, nothing in a draft
    # ("\nA later paragraph." leaves the summary as it was: an edit a build patches into the last one)
    bodies = ["More.", "\nA later paragraph.", "See [[event-05]].", "", PHOTO, LIST, EVENT_BODY if kind == "event" else ACTOR_BODY]
    value = draw(STRATEGIES[declared[field].parse]) if field in declared else draw(st.sampled_from(bodies))
    if kind == "source":
        return Edit(draw(st.integers(0, len(SOURCE_IDS) - 1)), field, value, "sources")
    note = draw(st.integers(0, 13)) if kind == "event" else -1 - draw(st.integers(0, 5))  # actor notes count from -1
    return Edit(note, field, value)


def _apply(content: Path, edit: Edit) -> Path:
    if edit.field == "file":
        path = content / FILES[edit.note]
        if edit.value is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(edit.value)
        return path
    folder = edit.folder or ("events" if edit.note >= 0 else "actors")
    notes = sorted((content / folder).glob("*.md"))
    path = notes[edit.note if edit.note >= 0 else -1 - edit.note]
    text = path.read_text()
    front_text, body = text[4:].split("\n---\n", 1)
    front = yaml.safe_load(front_text)
    if edit.field == "body":
        body += edit.value + "\n"
    elif edit.field == "":
        optional = [k for k in front if k not in ("title", "date", "name")]  # a source note's title is required too
        if optional:
            del front[optional[0]]
    else:
        front[edit.field] = edit.value
    path.write_text(_note(front, body))
    return path


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (site, pages, changes):
        monkeypatch.setattr(module, "PAGE_SIZE", PAGE_SIZE)
    monkeypatch.setattr(exports, "FEED_ENTRIES", FEED_ENTRIES)  # the feeds, the site's, actors' and tags', hold some events


def _check(content: Path, templates: Path, out: Path, live: LiveSite, changed: list[Path]) -> bool:
    """Whether the build from the store patched the last one (the preview and the build are checked either way)."""
    report, expected = build_site(Settings(content, templates))
    outcome = live.update(changed)
    assert outcome.report == report
    if not report.failed():
        assert outcome.ok
        assert live.files() == expected
    built = build(Options(content=content, templates=templates, out=out, cache=out.parent / ".cache"))
    assert built.report == report
    if not report.failed():
        assert {k: v for k, v in tree(out).items() if k != MARKER} == expected
    return built.patched


def _run(steps: list[Edit], templates: Path = TEMPLATES, then: Callable[[Path], Path] | None = None) -> list[bool]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        content = _content(root)
        out = root / "site"
        live = LiveSite(Settings(content, templates))
        assert live.update().ok
        assert not build(Options(content=content, templates=templates, out=out, cache=root / ".cache")).report.failed()
        patched = [_check(content, templates, out, live, [_apply(content, step)]) for step in steps]
        if then is not None:
            patched.append(_check(content, templates, out, live, [then(content)]))
        return patched


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(edits(), min_size=1, max_size=3))
def test_any_edit_of_any_field_leaves_preview_and_stored_build_equal_to_a_fresh_build(small_pages: None, steps: list[Edit]) -> None:
    _run(steps)


def test_a_relative_date_follows_its_first_source_through_every_edit(small_pages: None) -> None:
    """A phrase resolved, moved by its source's published date and publisher, refused for want of a day, resolved
    again as a month, its body edited (a patch), its source gone; and one that waits for its source's day."""
    day, month = {"title": "R1", "publisher": "Herald", "published": "2024-06-20"}, {"title": "R1", "published": "2024-06"}
    steps = [Edit(3, "date", "last week"), Edit(3, "sources", [day]), Edit(3, "sources", [month]), Edit(3, "date", "в июне"),
             Edit(3, "body", "\nA later paragraph."), Edit(3, "sources", []),
             Edit(2, "date", "yesterday"), Edit(2, "sources", [day])]  # fmt: skip
    assert _run(steps) == [False, False, False, False, True, False, False, False]  # the body edit alone is patched in


@pytest.mark.parametrize("step", [Edit(3, "title", "A new title"), Edit(3, "draft", True), Edit(-2, "name", "Kyiv city")],
                         ids=["title", "draft", "actor-name"])  # fmt: skip
def test_an_edit_to_a_note_that_summaries_link_to_reaches_every_summary(small_pages: None, step: Edit) -> None:
    """Event-03's title shows in the summaries that link to it: on cards, event and actor pages, the feed and the data."""
    _run([step])


def test_a_role_edit_alone_reaches_cards_actor_pages_and_the_data(small_pages: None) -> None:
    """Only a role changes (the same actors, in the same order): the cards, the event's page, its actors' pages (their
    roles and filters), the JSON and the spreadsheet all show it, and nothing is patched as if it were local."""
    steps = [Edit(1, "actors", [{"actor": "Kyiv", "role": "target"}, "Kyiv"]), Edit(1, "actors", [{"actor": "Kyiv", "role": "speaker"}]),
             Edit(1, "actors", ["Kyiv"]), Edit(0, "actors", ["Yoon Suk Yeol", {"actor": "Yun Seok-yol", "role": "press secretary"}])]
    assert _run(steps) == [False, False, False, False]


@pytest.mark.parametrize("steps", [
    [Edit(0, "publisher", "Daily", "sources"), Edit(1, "title", "Renamed", "sources"), Edit(0, "", None, "sources")],
    [Edit(3, "title", "Zebra"), Edit(3, "date", "2022"), Edit(0, "body", "\nMore.")],  # events that cite a declared source move
    [Edit(3, "sources", ["agency-2024-10", SHARED_URL]), Edit(4, "sources", [{"url": SHARED_URL, "title": "Other"}]),
     Edit(3, "sources", ["wire-2024-01"])],
], ids=["source-note", "citing-event", "event-sources"])  # fmt: skip
def test_edits_to_sources_and_to_events_that_cite_them_leave_nothing_stale(small_pages: None, steps: list[Edit]) -> None:
    """A source note's publisher and title (the source moves between publisher pages), events citing a declared source
    moving in time (its page's order), and an event's sources cited, merged by URL with another event's, and unknown."""
    _run(steps)


def test_claims_moved_between_actors_never_leave_an_actor_page_stale(small_pages: None) -> None:
    """Claims moved from one actor to another (with and without notes), a status changed, the only claim of an actor
    that nothing else names taken away (its page goes) and given back (it comes again), and a claimed event moved in
    time: each actor page's claims, the cards and the data stay as a fresh build's."""
    _run([
        Edit(1, "claimed_by", ["Kiev", "Nobody New"]), Edit(9, "status", "retracted"), Edit(5, "claimed_by", []),
        Edit(5, "claimed_by", ["Somebody Else", "Yun Seok-yol"]), Edit(13, "title", "Zebra"), Edit(2, "claimed_by", ["Kyiv"]),
    ])  # fmt: skip


def test_body_edits_patched_into_the_last_build_reach_every_feed_that_holds_the_event(small_pages: None) -> None:
    """A later paragraph shows on the event's page and in the feeds that hold the event (the site's, its actors' and
    tags'), nowhere else: the build patches it in, and that equals a fresh build, whichever feeds hold the event."""
    later = "\nA later paragraph."
    steps = [Edit(2, "body", later), Edit(11, "body", later), Edit(2, "title", "Zebra"), Edit(2, "body", "\nMore.")]
    assert _run(steps) == [True, True, False, True]  # a title shows in every list: the site is laid out again


def test_files_beside_the_notes_changed_deleted_and_made_again_never_leave_anything_stale(small_pages: None) -> None:
    """The photo changed, deleted (an error where the notes show it) and made again; the list linked, deleted and made
    again; an actor's profile that links to the photo."""
    photo, listing = 0, 1
    _run([
        Edit(photo, "file", FILE_DATA[2]), Edit(photo, "file", None), Edit(photo, "file", FILE_DATA[0]),
        Edit(2, "body", LIST), Edit(listing, "file", None), Edit(listing, "file", FILE_DATA[2]), Edit(-3, "body", PHOTO),
    ])  # fmt: skip


# ---- page kinds that exist only here: a page per outlet (a publisher as written) and per place -----------------


def _publishers(event: Any) -> list[str]:
    return sorted({site.quoted(s.publisher.lower()) for s in event.sources if s.publisher})


def _places(event: Any) -> list[str]:
    return [site.quoted(event.place.lower())] if event.place else []


def _kind(name: str, of: Callable[[Any], list[str]], field: str) -> pages.PageKind:
    def keys(s: Site) -> list[str]:
        return sorted({k for e in s.timeline.events for k in of(e)})

    def make(s: Site, kind: pages.PageKind, key: str) -> Iterator[Page]:
        slugs = [e.slug for e in s.timeline.events if key in of(e)]
        yield from pages._paginated(s, kind, key, slugs, f"{name} {key}", publisher=key)

    return pages.PageKind(name, name, f"{name}.html", make, keys, pages.ORDER_FIELDS | {field}, lambda s, e: of(e))  # type: ignore[arg-type]


@pytest.fixture
def more_kinds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    page = (TEMPLATES / "tag.html").read_text().replace("tag.name", "publisher").replace("tag.key", "publisher")
    for name in ("outlet", "place"):
        monkeypatch.setitem(routes.ROUTES, name, f"{name}s/{{key}}/index.html")
        (templates / f"{name}.html").write_text(page)
    kinds = (*pages.PAGE_KINDS, _kind("outlet", _publishers, "sources"), _kind("place", _places, "place"))
    monkeypatch.setattr(pages, "PAGE_KINDS", kinds)
    return templates


def _new_publisher(content: Path) -> Path:
    return _apply(content, Edit(4, "sources", [{"title": "R9", "publisher": "Courier", "published": "2024"}]))


def _new_place(content: Path) -> Path:
    return _apply(content, Edit(4, "place", "Busan"))


@pytest.mark.parametrize("edit", [_new_publisher, _new_place], ids=["publisher", "place"])
def test_a_page_kind_declared_once_is_never_left_stale(small_pages: None, more_kinds: Path, edit: Callable[[Path], Path]) -> None:
    """A page per outlet and per place, each one declaration and one template: an event that changes publisher or
    place moves from one such page to another, in the preview and in a build from the store alike."""
    _run([], more_kinds, then=edit)
    with tempfile.TemporaryDirectory() as folder:
        paths = build_site(Settings(_content(Path(folder)), more_kinds))[1]
        assert "outlets/wire/index.html" in paths and "places/seoul/index.html" in paths
        assert "<loc>https://example.org/e/outlets/wire/</loc>" in paths[routes.SITEMAP].decode()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(edits(), min_size=1, max_size=2))
def test_with_more_page_kinds_any_edit_leaves_them_fresh(small_pages: None, more_kinds: Path, steps: list[Edit]) -> None:
    _run(steps, more_kinds)
