"""TimelineJS3 itself, from npm, reading timeline files in Chromium: the proof that a file in its JSON format loads
in the client it is made for, and the check that this proof can fail.

The `timelinejs` fixture (tests/browser/conftest.py) opens a file as an embed does and reports what TimelineJS made
of it: the story slides (the title slide first, when the file has a title), the markers on the time navigator, and the
errors. What counts as an error, precisely: the error TimelineJS shows instead of a timeline (it refuses a whole file
for one bad date); an uncaught exception; a console error or warning; a file on the loopback server that is missing.
Everything off loopback (the web fonts TimelineJS's CSS names, images on other sites in a slide's text) is aborted
before it leaves the machine and its "Failed to load resource" is not an error, so the outcome never depends on a
network. A slide's media (YouTube, Twitter, an image...) is never fetched: TimelineJS does that on a timer, 1.2 s
after showing a slide, so it could not be part of an outcome that must not depend on the machine's speed; the
Houston sample's own images, at paths of Knight Lab's site, are missing here and never asked for.

A file can also load with events missing: TimelineJS skips an event with no start_date without a word, so every
test compares the slides with the events it expects.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from ..conftest import ROOT
from .conftest import TimelineLoad

pytestmark = pytest.mark.browser

Load = Callable[..., TimelineLoad]
SAMPLES = ROOT / "tests" / "data" / "timelinejs"
HOUSTON = SAMPLES / "houston-timeline3.json"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text(html: str) -> str:
    """A headline as a reader sees it (TimelineJS shows headlines as HTML)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def _headline(slide: dict[str, Any]) -> str:
    return _text(slide.get("text", {}).get("headline", ""))


def _expected(data: dict[str, Any]) -> list[str]:
    """Every headline the file should make a slide for, title first (TimelineJS orders events by date)."""
    title = [_headline(data["title"])] if data.get("title") else []
    return title + sorted(_headline(event) for event in data["events"])


def _shown(loaded: TimelineLoad) -> list[str]:
    return list(loaded.headlines[:1]) + sorted(loaded.headlines[1:]) if loaded.title else sorted(loaded.headlines)


def _houston_with(tmp_path: Path, change: Callable[[dict[str, Any]], object]) -> tuple[Path, dict[str, Any]]:
    data = json.loads(HOUSTON.read_text())
    changed = copy.deepcopy(data)
    change(changed)
    path = tmp_path / "timeline.json"
    path.write_text(json.dumps(changed))
    return path, data


# ---- the samples load, one slide per event ----------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_each_sample_loads_with_one_slide_per_event_and_no_error(timelinejs: Load, name: str) -> None:
    data = json.loads((SAMPLES / name).read_text())
    loaded = timelinejs(SAMPLES / name)
    assert loaded.errors == ()
    assert loaded.title == bool(data.get("title"))
    assert loaded.slides == len(data["events"]) + loaded.title
    assert loaded.markers == len(data["events"])
    assert _shown(loaded) == _expected(data)


def test_the_spreadsheet_export_of_a_sample_makes_the_same_slides_as_its_json(timelinejs: Load) -> None:
    from_json = timelinejs(SAMPLES / "women_in_computing.json")
    from_csv = timelinejs(SAMPLES / "women_in_computing.csv")
    assert from_csv.errors == from_json.errors == ()
    assert _shown(from_csv) == _shown(from_json)
    assert from_csv.slides == 11 and from_csv.markers == 10


# ---- the check fails on a broken file ---------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (
            lambda d: d["events"][3]["start_date"].update(year="1980s"),
            "Invalid date: month, day and year must be numbers. [year = '1980s']",
        ),
        (lambda d: d["events"][3]["start_date"].update(month="May"), "Invalid date"),
        (lambda d: d.update(events=[]), "Timeline configuration has no events"),
        (
            lambda d: d["eras"].append({"start_date": {"year": "1990"}, "text": {"headline": "Open"}}),
            "All eras must have start and end dates",
        ),
    ],
    ids=["year-not-a-number", "month-not-a-number", "no-events", "era-without-end"],
)
def test_a_file_timelinejs_refuses_is_reported_with_what_it_shows(
    timelinejs: Load, tmp_path: Path, change: Callable[[dict[str, Any]], object], shown: str
) -> None:
    path, _ = _houston_with(tmp_path, lambda d: (d.setdefault("eras", []), change(d)))
    loaded = timelinejs(path)
    assert loaded.slides == 0
    assert len(loaded.errors) == 1 and loaded.errors[0].startswith("TimelineJS shows: Error: ")
    assert shown in loaded.errors[0]


def test_an_event_without_a_start_date_is_skipped_silently_so_the_count_catches_it(timelinejs: Load, tmp_path: Path) -> None:
    path, data = _houston_with(tmp_path, lambda d: d["events"][3].pop("start_date"))
    loaded = timelinejs(path)
    assert loaded.errors == ()
    assert loaded.slides == len(data["events"])  # one short: the title slide plus every event would be one more
    assert _headline(data["events"][3]) not in loaded.headlines


def test_an_event_without_a_year_is_put_at_year_0_so_timelinejs_cannot_be_the_check_for_it(timelinejs: Load, tmp_path: Path) -> None:
    """TimelineJS fills a missing year with 0 and shows the event, dated 1 BCE in its proleptic calendar, first: a file
    must never have such an event, and only the file's own checks can say so."""
    path, data = _houston_with(tmp_path, lambda d: d["events"][-1]["start_date"].pop("year"))
    loaded = timelinejs(path)
    assert loaded.errors == ()
    assert loaded.slides == len(data["events"]) + 1
    assert loaded.headlines[1] == _headline(data["events"][-1])


def test_a_file_that_is_not_json_or_is_missing_is_reported(timelinejs: Load, tmp_path: Path) -> None:
    (tmp_path / "timeline.json").write_text('{"events": [')
    unreadable = timelinejs(tmp_path / "timeline.json")
    assert unreadable.slides == 0
    assert unreadable.errors == (
        "TimelineJS shows: Error: Unable to read Timeline data. Make sure your URL is for a Google Spreadsheet or a Timeline JSON file.",
    )

    missing = timelinejs(tmp_path / "absent.json")
    assert missing.slides == 0
    assert "404 /absent.json" in missing.errors and missing.errors[0].startswith("TimelineJS shows: Error: ")


# ---- what the network does not decide ---------------------------------------------------------


def test_an_image_on_another_host_is_blocked_and_is_not_an_error_but_a_missing_one_on_the_site_is(timelinejs: Load, tmp_path: Path) -> None:
    elsewhere = "https://example.org/archive/photo.jpg"
    path, data = _houston_with(
        tmp_path, lambda d: d["events"][3]["text"].update(text=f'<p>Then <img src="{elsewhere}" alt="a photo">.</p>')
    )
    loaded = timelinejs(path)
    assert elsewhere in loaded.blocked  # asked for, and stopped here
    assert loaded.errors == ()
    assert loaded.slides == len(data["events"]) + 1

    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "there.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    text = '<p><img src="/media/there.svg" alt="here"> and <img src="/media/gone.png" alt="gone"></p>'
    path, _ = _houston_with(tmp_path, lambda d: d["events"][3]["text"].update(text=text))
    assert timelinejs(path).errors == ("404 /media/gone.png",)


# ---- the files a build writes load too ----------------------------------------------------------


def _built(content: Path, out: Path) -> Path:
    from builder.build import Options, build

    from ..conftest import TEMPLATES

    assert not build(Options(content=content, templates=TEMPLATES, out=out, cache=None)).report.failed()
    return out


def _loads_as_written(timelinejs: Load, path: Path, root: Path) -> TimelineLoad:
    """A TimelineJS file of the site, opened as an embed on the site would open it: one slide per event and no error."""
    data = json.loads(path.read_text(encoding="utf-8"))
    loaded = timelinejs(path, root)
    assert loaded.errors == (), path
    assert loaded.title and loaded.slides == len(data["events"]) + 1
    assert loaded.markers == len(data["events"])
    assert _shown(loaded) == _expected(data)
    return loaded


def _busiest(folder: Path) -> Path:
    """Of the TimelineJS files of each actor (or each tag), the one with the most events."""
    return max(sorted(folder.glob("*/timelinejs.json")), key=lambda path: len(json.loads(path.read_text(encoding="utf-8"))["events"]))


def test_the_seed_site_its_actors_and_its_tags_load_in_timelinejs(timelinejs: Load, tmp_path: Path) -> None:
    from ..conftest import SEED_CONTENT

    site = _built(SEED_CONTENT, tmp_path / "site")
    events = json.loads((site / "timeline.json").read_text(encoding="utf-8"))["events"]
    whole = _loads_as_written(timelinejs, site / "timelinejs.json", site)
    assert sorted(whole.headlines[1:]) == sorted(_text(e["title"]) for e in events)
    for folder in (site / "actors", site / "tags"):
        some = _loads_as_written(timelinejs, _busiest(folder), site)
        assert 1 < some.markers < len(events)


def test_the_seed_sites_spreadsheet_makes_the_same_slides_as_its_json(timelinejs: Load, tmp_path: Path) -> None:
    from ..conftest import SEED_CONTENT

    site = _built(SEED_CONTENT, tmp_path / "site")
    from_json = timelinejs(site / "timelinejs.json", site)
    from_csv = timelinejs(site / "timeline.csv", site)
    assert from_csv.errors == from_json.errors == ()
    assert _shown(from_csv) == _shown(from_json)
    assert from_csv.markers == from_json.markers


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_each_sample_imported_built_and_exported_again_loads_with_the_same_slides(timelinejs: Load, tmp_path: Path, name: str) -> None:
    from builder.importer import import_files

    content = tmp_path / "content"
    outcome = import_files([(SAMPLES / name, name)], content, "content")
    assert not outcome.report.errors and not outcome.skipped
    site = _built(content, tmp_path / "site")
    original = json.loads((SAMPLES / name).read_text())
    exported = json.loads((site / "timelinejs.json").read_text(encoding="utf-8"))
    loaded = timelinejs(site / "timelinejs.json", site)
    assert loaded.errors == ()
    assert loaded.slides == len(original["events"]) + 1 and loaded.markers == len(original["events"])
    assert _shown(loaded) == _expected(exported)
