"""Sites in other languages: the seed built in Korean, Ukrainian and Arabic, page for page against golden files; dates,
plurals and numbers as CLDR writes them in every catalog language, at every precision and in any year; and the
settings' checks of ``language``.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.build import Options, build
from builder.config import load_config
from builder.dates import DEEP, PartialDate, When, days_in_month, parse_when
from builder.i18n import catalogs, language, script_messages

from .conftest import SEED_CONTENT, TEMPLATES, matches_golden, tree

GOLDEN = Path(__file__).resolve().parent / "golden"
YOON = "events/2024-11-yoon-does-not-rule-out-weapons-for-ukraine/index.html"
# The pages and files of each language's golden set: one of each kind of page that has words of its own, and
# the data files whose labels are the site's.
PAGES = ("index.html", YOON, "actors/yoon-suk-yeol/index.html", "actors/index.html", "tags/diplomacy/index.html",
         "tags/index.html", "sources/index.html", "sources/bloomberg-2024-11-11/index.html", "publishers/bloomberg/index.html",
         "corrections/index.html", "search/index.html", "404.html", "feed.xml", "timelinejs.json", "timeline.ics")  # fmt: skip


def _seed_in(tmp_path: Path, tag: str) -> Path:
    """The seed's notes in its first language (its translations left out) as a site in ``tag`` alone."""
    content = tmp_path / "content"
    shutil.copytree(SEED_CONTENT, content, ignore=shutil.ignore_patterns("*.ko.md"))
    settings = content / "site.toml"
    settings.write_text(re.sub(r'(?m)^languages = .*$', f'language = "{tag}"', settings.read_text()))
    return content


LANGUAGES = ("ko", "uk", "ar")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """The seed's files built in each of LANGUAGES, by language."""
    sites = {}
    for tag in LANGUAGES:
        tmp = tmp_path_factory.mktemp(tag)
        result = build(Options(content=_seed_in(tmp, tag), templates=TEMPLATES, out=tmp / "site", cache=None))
        assert not result.report.errors
        sites[tag] = tree(tmp / "site")
    return sites


@pytest.mark.parametrize("tag", LANGUAGES)
def test_the_seed_in_another_language_matches_golden_files(built: dict[str, dict[str, bytes]], tag: str, update_golden: bool) -> None:
    files = built[tag]
    matches_golden({path: files[path] for path in (*PAGES, f"static/messages.{tag}.js")}, GOLDEN / tag, update_golden)


@pytest.mark.parametrize("tag", LANGUAGES)
def test_every_page_says_its_language_and_direction(built: dict[str, dict[str, bytes]], tag: str) -> None:
    files = built[tag]
    direction = "rtl" if tag == "ar" else "ltr"
    pages = [path for path in files if path.endswith(".html")]
    assert pages and all(f'<html lang="{tag}" dir="{direction}">' in files[path].decode() for path in pages)
    assert f'xml:lang="{tag}"' in files["feed.xml"].decode()


@pytest.mark.parametrize("tag", ["ko", "uk"])  # not ar: the seed's English notes are its content
def test_no_english_interface_word_is_left_on_a_korean_or_ukrainian_page(built: dict[str, dict[str, bytes]], tag: str) -> None:
    files = built[tag]
    english = ["Skip to content", "Atom feed", "Sections", "Filter events", "All actors", "Clear filters", "Related events",
               "Previous and next event", "Status:", "according to", "Search events and actors", "Claims made",
               "Appears most often with", "Sometime in", " events</", "Busiest", "by month", "Corrections</",
               "Page not found", "archived copy", "Updated "]  # fmt: skip
    for path in PAGES:
        if path.endswith(".html"):
            text = files[path].decode()
            assert [word for word in english if word in text] == [], path
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    dates = re.findall(r"<time[^>]*>([^<]*)</time>", files[YOON].decode())
    assert dates and not [d for d in dates if re.search(months, d)]


def test_the_korean_site_counts_and_dates_as_korean_does(built: dict[str, dict[str, bytes]]) -> None:
    files = built["ko"]
    home = files["index.html"].decode()
    assert "2024년 11월" in home and "사건 17건" in home
    assert ">2024년 11월 11일</time>" in files[YOON].decode()  # the Bloomberg report's day, as a citation gives it


def test_ukrainian_plurals_take_one_few_and_many_forms() -> None:
    uk = language("uk")
    forms = [uk.ngettext("%(num)s event", "%(num)s events", n) for n in (1, 2, 5, 11, 21, 22, 25, 1234)]
    assert forms == ["1 подія", "2 події", "5 подій", "11 подій", "21 подія", "22 події", "25 подій", "1\xa0234 події"]


def test_the_pages_script_gets_each_plural_category_of_the_language() -> None:
    script = (TEMPLATES / "static" / "site.js").read_bytes()
    showing = "Showing %(num)s event of %(total)s."
    uk = json.loads(script_messages(language("uk"), [script]).decode().removeprefix("window.timelineMessages = ").rstrip(";\n"))
    assert sorted(uk[showing]) == ["few", "many", "one", "other"]
    assert uk[showing]["one"] != uk[showing]["few"] != uk[showing]["many"]
    ko = json.loads(script_messages(language("ko"), [script]).decode().removeprefix("window.timelineMessages = ").rstrip(";\n"))
    assert sorted(ko[showing]) == ["other"] and "%(num)s" in ko[showing]["other"]


CASES = [  # (start, end, circa) -> en, ko, uk
    (("2024-11-06", None, False), ("November 6, 2024", "2024년 11월 6일", "6 листопада 2024\u202fр.")),
    (("2024-11", None, False), ("November 2024", "2024년 11월", "листопад 2024\u202fр.")),
    (("2024", None, True), ("c. 2024", "2024년경", "прибл. 2024")),
    (("2024-11-05", "2024-11-07", False), ("November 5\u2009–\u20097, 2024", "2024년 11월 5일~7일", "5–7 листопада 2024\u202fр.")),
    (("-753", None, False), ("753 BCE", "기원전 753년", "753 до н. е.")),
    (("-753", "0476", False), ("753 BCE\u2009–\u2009476 CE", "기원전 753년 ~ 서기 476년", "753 до н. е. – 476 н. е.")),
    (("13.8 billion years ago", None, False), ("13.8 billion years ago", "138억 년 전", "13,8 мільярда років тому")),
    (("12000", None, False), ("12,000", "12,000년", "12\xa0000")),
]


@pytest.mark.parametrize(("given", "shown"), CASES)
def test_dates_read_right_in_every_complete_catalog_language(given: tuple[str, str | None, bool], shown: tuple[str, ...]) -> None:
    when = parse_when(*given)
    assert tuple(language(tag).when(when) for tag in ("en", "ko", "uk")) == shown


@st.composite
def _dates(draw: st.DrawFn) -> PartialDate:
    year = draw(st.one_of(st.integers(-9999, 9999), st.integers(-(10**10), -DEEP), st.integers(10_000, 99_999)).filter(bool))
    if year < -9999 or year > 9999 or draw(st.booleans()):
        return PartialDate(year)
    month = draw(st.integers(1, 12))
    day = draw(st.none() | st.integers(1, days_in_month(year, month)))
    return PartialDate(year, month, day)


@given(a=_dates(), b=_dates())
def test_two_dates_never_read_the_same_in_any_language(a: PartialDate, b: PartialDate) -> None:
    """A label names one date: different dates at one precision never share it, in every catalog language."""
    if a == b or a.precision != b.precision:
        return
    for tag in catalogs():
        lang = language(tag)
        assert lang.date(a) != lang.date(b), (tag, a, b)
        assert lang.when(When(a, b, circa=True)).strip()


def test_an_unknown_language_is_an_error_and_one_without_a_catalog_a_warning(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text('title = "T"\nlanguage = "xx-nowhere"\n')
    config, problems = load_config(tmp_path, "content")
    assert [str(p) for p in problems] == [
        'content/site.toml:2: error: language "xx-nowhere" is not a language CLDR knows (a BCP 47 tag such as "en", "en-GB", "ko", "uk")'
    ]
    (tmp_path / "site.toml").write_text('title = "T"\nlanguage = "fr"\n')
    config, problems = load_config(tmp_path, "content")
    assert config.language == "fr" and [p.severity.value for p in problems] == ["warning"]
    assert 'no interface catalog for "fr"' in str(problems[0])
    assert language("fr").when(parse_when("2024-11-06")) == "6 novembre 2024"
    (tmp_path / "site.toml").write_text('title = "T"\nlanguage = "en-GB"\n')
    assert load_config(tmp_path, "content")[1] == []  # English's catalog serves British English
    assert language("en-GB").when(parse_when("2024-11-06")) == "6 November 2024"


KOREAN_NOTE = """---
title: 윤석열 대통령, 우크라이나 무기 지원 가능성 언급
date: 2024-11-07
lang: ko
actors: [Yoon Suk Yeol]
tags: [arms-supply]
sources:
  - title: Seoul Forced to Revise Plans
    publisher: Bloomberg
    published: 2024-11-11
---
대통령은 기자회견에서 방어용 무기부터 검토하겠다고 말했다.
"""


def _with_korean_note_and_name(tmp_path: Path, tag: str) -> Path:
    content = _seed_in(tmp_path, tag)
    (content / "events" / "2024" / "2024-11-07-yoon-korean.md").write_text(KOREAN_NOTE)
    actor = content / "actors" / "yoon-suk-yeol.md"
    actor.write_text(actor.read_text().replace('aliases: ["Yoon Seok-yol",', 'aliases: [{name: 윤석열, lang: ko}, "Yoon Seok-yol",'))
    return content


def test_a_note_in_another_language_is_marked_with_it_wherever_its_words_appear(tmp_path: Path) -> None:
    content = _with_korean_note_and_name(tmp_path, "en")
    result = build(Options(content=content, templates=TEMPLATES, out=tmp_path / "site", cache=None))
    assert not result.report.errors
    files = tree(tmp_path / "site")
    card = files["index.html"].decode()
    assert '<h4 class="card-title" lang="ko"><a href="events/2024-11-07-yoon-korean/">윤석열 대통령' in card
    assert '<p class="summary" lang="ko">대통령은' in card
    page = files["events/2024-11-07-yoon-korean/index.html"].decode()
    assert '<h1 lang="ko">윤석열 대통령' in page and '<div class="body" lang="ko">' in page
    neighbour = files["events/2024-11-06-trump-wins-us-election/index.html"].decode()
    assert '<span lang="ko">윤석열 대통령, 우크라이나 무기 지원 가능성 언급</span></a>' in neighbour  # its next event
    feed = files["feed.xml"].decode()
    assert '<entry xml:lang="ko">\n    <title>윤석열 대통령' in feed and '&lt;p lang="en"&gt;&lt;strong&gt;November 7, 2024' in feed
    data = json.loads(files["timeline.json"])
    assert {e["slug"]: e["lang"] for e in data["events"]}["2024-11-07-yoon-korean"] == "ko"
    # the notes in the site's language say nothing: only a note in another language is marked
    assert card.count(' lang="ko"') == 2 and ' lang="en"' not in card.replace('<html lang="en"', "")
    # an English site names the actor as its note does; the Korean spelling is one of its aliases
    actor = files["actors/yoon-suk-yeol/index.html"].decode()
    assert "<h1>Yoon Suk Yeol</h1>" in actor and "윤석열" in actor


def test_a_site_names_an_actor_by_the_alias_marked_with_its_language(tmp_path: Path) -> None:
    content = _with_korean_note_and_name(tmp_path, "ko")
    result = build(Options(content=content, templates=TEMPLATES, out=tmp_path / "site", cache=None))
    assert not result.report.errors
    files = tree(tmp_path / "site")
    actor = files["actors/yoon-suk-yeol/index.html"].decode()
    assert "<h1>윤석열</h1>" in actor and "Yoon Suk Yeol" in actor  # the note's name is now among the other spellings
    data = json.loads(actor.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])
    assert data["about"]["name"] == "윤석열"  # and its JSON-LD
    assert ">윤석열</a>" in files["index.html"].decode()  # every card names it so
    # the Korean note on a Korean site is in the site's language: nothing to mark
    assert ' lang="ko"' not in files["events/2024-11-07-yoon-korean/index.html"].decode().replace('<html lang="ko"', "")


def test_an_alias_with_a_language_is_checked(tmp_path: Path) -> None:
    content = _seed_in(tmp_path, "en")
    actor = content / "actors" / "yoon-suk-yeol.md"
    wrong = 'aliases: [{name: 윤석열, lang: "Korean!"}, {nom: x}, "Yoon Seok-yol",'
    actor.write_text(actor.read_text().replace('aliases: ["Yoon Seok-yol",', wrong))
    (content / "events" / "2024" / "2024-11-07-yoon-korean.md").write_text(KOREAN_NOTE.replace("lang: ko", "lang: 12"))
    result = build(Options(content=content, templates=TEMPLATES, out=tmp_path / "site", cache=None))
    messages = [str(d) for d in result.report.items if d.severity.value == "error"]
    assert sorted(m.split(": error: ")[1] for m in messages) == [
        '"aliases" item 2 must be text or a mapping of name and lang, such as {name: 윤석열, lang: ko}',
        '"aliases.0.lang" must be a language tag such as en, ko, uk or pt-BR, not "Korean!"',
        '"lang" must be a language tag such as en, ko, uk or pt-BR, not "12"',
    ]
