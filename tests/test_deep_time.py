"""Deep time across the whole site: dates before 1 CE and billions of years ago read, sort, label and publish right,
from the front-matter a writer types to the pages, the strip, the feed and the data export of a real build."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder import changes, pages, site
from builder.build import Options, build
from builder.dates import PartialDate, days_in_month, parse_date, year_label
from builder.i18n import language, script_messages
from builder.markup import Markdown
from builder.notes import parse_note
from builder.overview import MAX_BARS, Scale, overview
from builder.records import event_from_note
from builder.scaffold import new_event

from .conftest import ROOT, TEMPLATES

# ---- front-matter as writers type it -------------------------------------------------------------


def _front_matter_date(value: str) -> PartialDate:
    """The date of an event note whose front-matter says ``date: <value>`` (unquoted, as YAML reads it)."""
    raw = f"---\ntitle: T\ndate: {value}\n---\nBody.\n".encode()
    note, problems = parse_note(raw, "content/events/t.md", "t", "event")
    assert note is not None, [str(p) for p in problems]
    event, problems = event_from_note(note, Markdown())
    assert event is not None, [str(p) for p in problems]
    return event.when.start


def _front_matter_error(value: str) -> str:
    raw = f"---\ntitle: T\ndate: {value}\n---\nBody.\n".encode()
    note, problems = parse_note(raw, "content/events/t.md", "t", "event")
    assert note is not None
    event, problems = event_from_note(note, Markdown())
    assert event is None
    return "\n".join(str(p) for p in problems if p.severity == "error")


@pytest.mark.parametrize(
    ("written", "year", "label"),
    [
        ("-753", -753, "753 BCE"),
        ('"-753"', -753, "753 BCE"),
        ("753 BCE", -753, "753 BCE"),
        ("753 BC", -753, "753 BCE"),
        ("AD 79", 79, "79"),
        ("79", 79, "79"),
        ("0752", 752, "752"),  # YAML 1.1 would read 0752 as octal 490: it stays text, a four-digit year
        ("12,000 BCE", -12000, "12,000 BCE"),
        ("-12000", -12000, "12,000 BCE"),
        ("66 million years ago", -66_000_000, "66 million years ago"),
        ('"-13800000000"', -13_800_000_000, "13.8 billion years ago"),
        ("-13800000000", -13_800_000_000, "13.8 billion years ago"),
        ("13.8 billion years ago", -13_800_000_000, "13.8 billion years ago"),
    ],
)
def test_every_deep_form_reads_from_front_matter(written: str, year: int, label: str) -> None:
    date = _front_matter_date(written)
    assert date == PartialDate(year)
    assert date.label() == label


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("-0752", 'content/events/t.md:3: error: "date": ambiguous date "-0752": ISO 8601 reads it as 753 BCE, this tool as 752 BCE '
                  "(here -1 is 1 BCE and there is no year 0); write 752 BCE or 753 BCE"),
        ("0", 'content/events/t.md:3: error: "date": impossible date "0": there is no year 0 (1 BCE is -1, 1 CE is 1)'),
        ("0 BCE", 'content/events/t.md:3: error: "date": impossible date "0 BCE": there is no year 0 (1 BCE is -1, 1 CE is 1)'),
        ('"-44-03-15T12:00+01:00"',
         'content/events/t.md:3: error: "date": impossible date "-44-03-15T12:00+01:00": a UTC offset needs a year from 1 to 9999'),
    ],
)  # fmt: skip
def test_deep_refusals_from_front_matter_name_the_line(written: str, message: str) -> None:
    assert _front_matter_error(written) == message


# ---- every year, by hypothesis ---------------------------------------------------------------------

YEARS = st.one_of(
    st.integers(-3000, 3000), st.integers(-10**12, 10**12), st.sampled_from([-13_800_000_000, -66_000_000, -1, 1, 9999, 10_000])
).filter(lambda year: year != 0)


@st.composite
def dates(draw: st.DrawFn) -> PartialDate:
    """Any date of any non-zero year, to the year, month or day (days as many as the month has in that year)."""
    year = draw(YEARS)
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return PartialDate(year)
    month = draw(st.integers(1, 12))
    if precision == "month":
        return PartialDate(year, month)
    return PartialDate(year, month, draw(st.integers(1, days_in_month(year, month))))


def _written(date: PartialDate) -> str:
    """The date as front-matter holds it: ISO 8601, with a year outside 1 to 9999 numbered as here (no year 0)."""
    return date.iso() if date.datable else f"{date.year}" + date.iso()[len(PartialDate(date.year).iso()) :]


@given(dates())
def test_any_date_reads_back_from_front_matter_as_written(date: PartialDate) -> None:
    assert parse_date(_written(date)) == date
    assert _front_matter_date(f'"{_written(date)}"') == date


@given(st.one_of(st.integers(-10**12, -1), st.integers(1000, 9999)))  # a year of 1 to 999 CE is written with four digits
def test_a_year_reads_back_from_its_label(year: int) -> None:
    assert parse_date(year_label(year)) == PartialDate(year)


@given(dates(), dates())
def test_sort_order_is_day_order(a: PartialDate, b: PartialDate) -> None:
    if a.day_number() < b.day_number():
        assert a.sort_key < b.sort_key
    if a.sort_key[:3] < b.sort_key[:3]:
        assert a.day_number() <= b.day_number()
    assert a.day_number() <= a.last_day_number()


@given(dates())
def test_no_label_names_a_year_0(date: PartialDate) -> None:
    label = date.label()
    assert not re.search(r"(?<![\d,.])0 BCE", label) and not re.search(r"\b0 years ago", label)
    assert not re.fullmatch(r"0|.* 0", label)
    iso = date.iso()
    assert parse_date(iso) == date if date.datable else True  # within years 1 to 9999 ISO reads back as itself
    if date.year < 0:
        assert iso.startswith("-") or iso.startswith("0000"), "ISO years are astronomical: 1 BCE is 0000"


@given(st.integers(-10**12, 10**4).filter(lambda y: y != 0), st.integers(0, 10**12))
def test_a_strip_of_any_span_has_at_most_max_bars_and_no_year_0(first: int, length: int) -> None:
    last = first + length
    if last == 0:
        last = 1
    scale = Scale(first, last)
    strip = overview(Counter([(first, None), (last, None), (last, None)]), scale, {})
    labels = [bar["label"] for bar in strip["bars"]]
    assert len(labels) <= MAX_BARS
    assert sum(bar["count"] for bar in strip["bars"]) == 3, "every event falls in a bar"
    assert not any(re.search(r"(?<![\d,.–])0(?: BCE| CE)?$|^0\b|–0\b", label) for label in labels), labels
    assert len(set(labels)) == len(labels), "no two bars name the same period"


# ---- a site over 13.8 billion years, built for real -----------------------------------------------

EVENTS = [  # (file, front-matter lines, the date as the page shows it)
    ("big-bang", ["date: 13.8 billion years ago", "tags: [cosmos]"], "13.8 billion years ago"),
    ("dinosaurs-end", ['date: "-66000000"', "tags: [cosmos, earth]"], "66 million years ago"),
    ("first-farms", ["date: 12,000 BCE", "tags: [earth]"], "12,000 BCE"),
    ("rome-founded", ["date: -753", "tags: [rome]", "actors: [Rome]"], "753 BCE"),
    ("caesar", ['date: "-44-03-15"', "tags: [rome]", "actors: [Rome]",
                "sources:", "  - title: Philippics", "    publisher: Cicero", "    published: 44 BCE"], "March 15, 44 BCE"),
    ("augustus", ["date: 27 BCE", "end: AD 14", "tags: [rome]", "actors: [Rome]"], "27 BCE\u2009–\u200914 CE"),
    ("rome-falls", ["date: 476", "tags: [rome]", "actors: [Rome]"], "476"),
    ("moon-landing", ["date: 1969-07-20", "tags: [cosmos]"], "July 20, 1969"),
    ("today", ["date: 2024", "tags: [earth]"], "2024"),
]  # fmt: skip


def _deep_content(root: Path) -> Path:
    content = root / "content"
    (content / "events").mkdir(parents=True)
    (content / "site.toml").write_text('title = "Everything"\nbase_url = "https://example.org/all/"\n')
    for name, lines, _ in EVENTS:
        front = "\n".join([f"title: {name.replace('-', ' ').capitalize()}", *lines])
        (content / "events" / f"{name}.md").write_text(f"---\n{front}\n---\nWhat happened.\n")
    return content


class _Page(HTMLParser):
    """What a page says about dates: its <time> elements, its ids, its year headings and its cards' dates."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[dict[str, str | None]] = []
        self.ids: list[str] = []
        self.when: list[str] = []  # the text of every .when element, in order
        self.headings: list[str] = []
        self.titles: list[str] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
        if tag == "time":
            self.times.append(attributes)
        classes = (attributes.get("class") or "").split()
        if "when" in classes:
            self._text, self._into = [], self.when
        elif "year-label" in classes:
            self._text, self._into = [], self.headings
        elif "card-title" in classes:
            self._text, self._into = [], self.titles

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._text is not None and tag in ("time", "span", "h2", "h4"):
            self._into.append("".join(self._text).strip())
            self._text = None


def _read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text())
    return page


# An HTML datetime value: a year of four digits or more (never 0 or negative), to the month, day or minute
_DATETIME = re.compile(r"(?!0000)\d{4,}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d)?([+-]\d\d:\d\d)?)?)?)?")


@pytest.fixture(name="deep_site")
def built_deep_site(tmp_path: Path) -> Path:
    content = _deep_content(tmp_path)
    result = build(Options(content=content, templates=TEMPLATES, out=tmp_path / "site"))
    assert not result.report.failed(), [str(d) for d in result.report.items]
    return tmp_path / "site"


def test_the_home_page_orders_and_labels_13_8_billion_years(deep_site: Path) -> None:
    home = _read(deep_site / "index.html")
    assert home.titles == [name.replace("-", " ").capitalize() for name, _, _ in EVENTS]
    assert home.when == [shown for _, _, shown in EVENTS]
    assert home.headings == ["13.8 billion years ago", "66 million years ago", "12,000 BCE", "753 BCE", "44 BCE", "27 BCE",
                             "476", "1969", "2024"]  # fmt: skip
    text = (deep_site / "index.html").read_text()
    assert '<span class="when when-range" data-end="0014">27 BCE\u2009–\u200914 CE</span>' in text
    assert "41 years" in text, "27 BCE to 14 CE: 27 years and 14, no year 0 between"
    assert '<a href="#y-753">753 BCE <span class="n">1</span></a>' in text
    assert re.search(r'<section class="year" id="y-13800000000" aria-labelledby="y-13800000000-h">', text)


def test_no_page_has_a_time_without_a_valid_datetime_or_a_repeated_id(deep_site: Path) -> None:
    pages_read = 0
    for path in sorted(deep_site.rglob("*.html")):
        page = _read(path)
        pages_read += 1
        for time in page.times:
            assert time.get("datetime") and _DATETIME.fullmatch(time["datetime"] or ""), f"{path}: {time}"
        assert len(page.ids) == len(set(page.ids)), f"{path} repeats an id"
        assert all(not re.search(r"\s", i) for i in page.ids)
    assert pages_read > len(EVENTS)


def test_event_pages_show_bce_dates_without_time_elements(deep_site: Path) -> None:
    caesar = (deep_site / "events" / "caesar" / "index.html").read_text()
    assert '<span class="when when-day">March 15, 44 BCE</span>' in caesar
    assert "<cite>Philippics</cite></a>”, <span>44 BCE</span>." in caesar, "a source published BCE has no <time> either"
    assert 'See it in the timeline: March 44 BCE</a>' in caesar
    assert 'href="../../index.html#y-44-03"' in caesar
    fall = (deep_site / "events" / "rome-falls" / "index.html").read_text()
    related = fall[fall.index('id="related-h"') :]
    assert "<span>March 15, 44 BCE</span> · shares" in related and 'datetime="0476"' in fall


def test_the_strip_spans_13_8_billion_years_in_at_most_max_bars(deep_site: Path) -> None:
    home = (deep_site / "index.html").read_text()
    caption = re.search(r'<figcaption id="strip-caption">([^<]*)', home)
    assert caption and caption[1] == ("9 events by billion years, 13.8 billion years ago\u2009–\u20092024 CE. "
                                      "Busiest billion years: 1 billion years ago – 1 BCE, 5 events.")  # fmt: skip
    bars = re.findall(r'aria-label="([^"]*)"><title>', home)
    assert bars == ["14 billion–13 billion years ago: 1 event", "1 billion years ago – 1 BCE: 5 events", "1–2024 CE: 3 events"]
    ticks = re.findall(r'<span style="inset-inline-start: [\d.]+%">([^<]*)</span>', home[home.index("strip-ticks") :])
    assert ticks == ["10 billion years ago", "5 billion years ago", "1 CE"]
    drawn = re.findall(r'<rect class="bar"', home)
    assert len(drawn) == 3 and home.count('--bars: 15"') == 1 and 15 <= MAX_BARS


def test_timeline_json_and_the_feed_hold_deep_dates(deep_site: Path) -> None:
    data = json.loads((deep_site / "timeline.json").read_text())
    assert [(e["date"], e["end"], e["display_date"]) for e in data["events"][:6]] == [
        ("-13799999999", None, "13.8 billion years ago"),
        ("-65999999", None, "66 million years ago"),
        ("-11999", None, "12,000 BCE"),
        ("-0752", None, "753 BCE"),
        ("-0043-03-15", None, "March 15, 44 BCE"),
        ("-0026", "0014", "27 BCE\u2009–\u200914 CE"),
    ]
    assert data["events"][4]["sources"][0]["published"] == "-0043"
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(deep_site / "feed.xml").getroot()
    stamps = {entry.findtext(f"{atom}title"): entry.findtext(f"{atom}updated") for entry in feed.iter(f"{atom}entry")}
    assert stamps["Big bang"] == stamps["Caesar"] == "0001-01-01T00:00:00Z", "RFC 3339 holds no year before 1"
    assert stamps["Augustus"] == "0014-01-01T00:00:00Z" and stamps["Rome falls"] == "0476-01-01T00:00:00Z"
    assert feed.findtext(f"{atom}updated") == "2024-01-01T00:00:00Z"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s or "") for s in stamps.values())


def test_year_pages_of_a_split_archive_are_keyed_and_titled_by_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (site, pages, changes):
        monkeypatch.setattr(module, "PAGE_SIZE", 3)
    content = _deep_content(tmp_path)
    result = build(Options(content=content, templates=TEMPLATES, out=tmp_path / "site"))
    assert not result.report.failed(), [str(d) for d in result.report.items]
    year = (tmp_path / "site" / "years" / "-753" / "index.html").read_text()
    assert "<title>753 BCE — Everything · Everything</title>" in year and "<h1>753 BCE</h1>" in year
    assert "1 event by month, 753 BCE." in year
    home = (tmp_path / "site" / "index.html").read_text()
    assert '<a href="years/-13800000000/">13.8 billion years ago <span class="n">1</span></a>' in home
    search = (tmp_path / "site" / "search" / "index.html").read_text()
    assert '<a href="../years/-44/">44 BCE</a>' in search
    caesar = (tmp_path / "site" / "events" / "caesar" / "index.html").read_text()
    assert 'href="../../years/-44/index.html#y-44-03">See it in the timeline: March 44 BCE</a>' in caesar


def test_a_strip_reaching_back_before_1_ce_says_ce(tmp_path: Path) -> None:
    strip = overview(Counter({(-753, None): 1, (-44, 3): 1, (476, None): 1}), Scale(-753, 476), {})
    assert strip["caption"] == "3 events by century, 753 BCE\u2009–\u2009476 CE"
    labels = [bar["label"] for bar in strip["bars"]]
    assert labels[0] == "800–701 BCE" and labels[7] == "100–1 BCE" and labels[8] == "1–99 CE" and labels[-1] == "400–499 CE"
    assert [bar["tick"] for bar in strip["bars"] if bar["tick"]] == ["800 BCE", "600 BCE", "400 BCE", "200 BCE", "1 CE", "200 CE", "400 CE"]


# ---- new: a deep date is written as it reads back ------------------------------------------------


@pytest.mark.parametrize(
    ("given_date", "name", "written"),
    [
        ("-753", "753-bce-rome.md", 'date: "753 BCE"'),
        ("-44-03-15", "44-bce-03-15-rome.md", 'date: "-44-03-15"'),
        ("13.8 billion years ago", "13-8-billion-years-ago-rome.md", 'date: "13.8 billion years ago"'),
        ("12345", "12345-rome.md", 'date: "12345"'),
    ],
)
def test_new_writes_a_deep_date_that_reads_back(tmp_path: Path, given_date: str, name: str, written: str) -> None:
    import datetime as dt

    (tmp_path / "events").mkdir()
    path, problems = new_event(tmp_path, "content", "Rome", given_date, [], [], None, dt.date(2024, 1, 1))
    assert path is not None and path.name == name, [str(p) for p in problems]
    text = path.read_text()
    assert written in text
    assert _front_matter_date(text.split("date: ", 1)[1].split("\n", 1)[0]) == parse_date(given_date)


# ---- the year filter's labels in the browser match the pages' ----------------------------------


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run site.js's year labels")
@pytest.mark.parametrize("tag", ["en", "ko", "uk", "ar"])
def test_the_filter_labels_years_as_the_pages_do(tag: str) -> None:
    script = (ROOT / "templates" / "static" / "site.js").read_text()
    helpers = script[script.index("  var lang = ") : script.index("  var script = document.currentScript;")]
    function = re.search(r"  function yearLabel\(year\) \{\n.*?\n  \}\n", script, re.S)
    assert function, "site.js labels years with yearLabel"
    years = [2024, 1, 9999, 10_000, 123_456, -1, -753, -9999, -10_000, -999_999, -1_000_000, -66_000_000, -13_800_000_000,
             -12_345_678_901, -1_500_000]  # fmt: skip
    messages = script_messages(language(tag), [script.encode()]).decode()  # what the built site's messages file says
    page = f"var window = {{}}; var document = {{documentElement: {{lang: {json.dumps(tag)}}}}};\n{messages}"
    program = page + helpers + function[0] + f"console.log(JSON.stringify({years}.map(yearLabel)));"
    shown = json.loads(subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True).stdout)
    assert shown == [language(tag).year(year) for year in years]
