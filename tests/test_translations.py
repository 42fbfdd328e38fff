"""A site in several languages: the seed in English and Korean page for page against golden files; every page in
every language, linked to its translations both ways; translations laid over their notes' facts, and what ``check``
says of them; the one-shot build, the incremental build and the live preview agreeing after edits to translations."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from builder.build import Options, build, check
from builder.pipeline import Settings, build_site
from builder.preview import LiveSite

from .conftest import SEED_CONTENT, TEMPLATES, matches_golden, tree

GOLDEN = Path(__file__).resolve().parent / "golden" / "bilingual"
YOON = "events/2024-11-yoon-does-not-rule-out-weapons-for-ukraine/index.html"  # translated
BUDANOV = "events/2024-09-budanov-flags-north-korean-munitions/index.html"  # not translated
ENVOY = Path("events/2024/2024-11-zelensky-prepares-envoy-to-seoul.ko.md")
# The two-language seed's golden set: the home page in each language, a translated and an untranslated event, a
# translated actor and one shown as written, the sitemap with its alternates, and the Korean part's feed.
PAGES = ("index.html", "ko/index.html", YOON, f"ko/{YOON}", f"ko/{BUDANOV}", "ko/actors/yoon-suk-yeol/index.html",
         "ko/actors/north-korea/index.html", "ko/tags/diplomacy/index.html", "sitemap.xml", "ko/feed.xml",
         "static/messages.ko.js")  # fmt: skip
HREFLANG = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
BASE = "https://example.github.io/timeline/"


def test_the_seed_in_two_languages_matches_golden_files(seed_site: Path, update_golden: bool) -> None:
    files = tree(seed_site)
    matches_golden({path: files[path] for path in PAGES}, GOLDEN, update_golden)


def test_every_page_is_in_every_language_and_names_its_translations_both_ways(seed_site: Path) -> None:
    files = tree(seed_site)
    english = {p for p in files if p.endswith(".html") and not p.startswith("ko/")}
    korean = {p.removeprefix("ko/") for p in files if p.endswith(".html") and p.startswith("ko/")}
    assert english - korean == {"404.html"} and korean <= english  # one 404 page, at the top, for the host to serve
    assert not [p for p in files if p.startswith("ko/") and p.startswith(("ko/static/", "ko/media/", "ko/sitemap", "ko/CNAME"))]
    for path in sorted(korean):
        for lang, at in (("en", path), ("ko", f"ko/{path}")):
            page = files[at].decode()
            assert re.search(rf'<html lang="{lang}"', page), at
            found = dict(HREFLANG.findall(page))
            url = BASE + path.removesuffix("index.html")
            assert found == {"en": url, "ko": BASE + "ko/" + path.removesuffix("index.html"), "x-default": url}, at
            switcher = re.search(r'<nav class="languages"[^>]*>(.*?)</nav>', page, re.S)
            assert switcher, at
            current = re.findall(r'lang="(\w+)" hreflang="\w+" aria-current="page"', switcher[1])
            assert current == [lang], at


def test_the_sitemap_lists_each_page_in_each_language_with_its_alternates(seed_site: Path) -> None:
    sitemap = (seed_site / "sitemap.xml").read_text()
    pages = [p for p in tree(seed_site) if p.endswith("index.html") and not p.startswith("ko/")]
    entries = re.findall(r"<url><loc>([^<]+)</loc>(.*?)</url>", sitemap)
    assert len(entries) == 2 * len(pages)
    for loc, links in entries:
        alternates = dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', links))
        assert loc in (alternates["en"], alternates["ko"]) and alternates["x-default"] == alternates["en"]
        assert alternates["ko"] == alternates["en"].replace(BASE, BASE + "ko/", 1)


def test_a_translation_gives_its_words_and_an_untranslated_note_says_so(seed_site: Path) -> None:
    yoon = (seed_site / "ko" / YOON).read_text()
    assert "<h1>윤석열 대통령, 무기 지원 가능성 열어 둬</h1>" in yoon and 'class="untranslated"' not in yoon
    assert "서울" in yoon and "“last week”" in yoon  # its words, the original's date as the original wrote it
    budanov = (seed_site / "ko" / BUDANOV).read_text()
    assert '<h1 lang="en">' in budanov and "아직 번역되지 않아 영어 원문 그대로 보여 드립니다." in budanov
    home = (seed_site / "ko" / "index.html").read_text()
    assert '<a href="events/2024-11-06-trump-wins-us-election/">트럼프, 미국 대통령 선거에서 승리</a>' in home
    assert re.search(r'class="card-title" lang="en"><a href="events/2024-09-budanov-flags-north-korean-munitions/">', home)
    assert ">윤석열</a>" in home and ">Yoon Suk Yeol</a>" not in home  # actors by their Korean spelling
    assert (seed_site / "index.html").read_text().count("윤석열") == 0
    # the writers' own words no translation gives (tags, era names, names without a Korean spelling) say they are English
    assert 'lang="en">#diplomacy</a>' in home and 'lang="en">Kyrylo Budanov</a>' in home and 'lang="en">US election campaign<' in home
    assert 'lang="en">#' not in (seed_site / "index.html").read_text()


def _seed(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(SEED_CONTENT, content)
    return content


def _messages(content: Path) -> list[str]:
    return [str(d) for d in check(Options(content=content, templates=TEMPLATES)).report.items]


def test_check_warns_where_a_translation_disagrees_with_its_original_and_shows_the_originals(tmp_path: Path) -> None:
    content = _seed(tmp_path)
    note = content / ENVOY
    text = note.read_text().replace('date: "2024-11"', 'date: "2024-12"').replace("나토]", "]").replace("arms-supply]", "arms]")
    note.write_text(text)
    original = f"{content.as_posix()}/events/2024/2024-11-zelensky-prepares-envoy-to-seoul.md"
    then = "; the original's are shown in every language"
    assert _messages(content) == [
        f"{content.as_posix()}/{ENVOY.as_posix()}:2: warning: this translation is dated c. December 2024 and its original c. "
        f"November 2024 ({original}){then}",
        f"{content.as_posix()}/{ENVOY.as_posix()}:2: warning: this translation's actors are not its original's ({original}){then}",
        f"{content.as_posix()}/{ENVOY.as_posix()}:2: warning: this translation's tags are not its original's ({original}){then}",
    ]
    result = build(Options(content=content, templates=TEMPLATES, out=tmp_path / "site", cache=None))
    page = (tmp_path / "site" / "ko" / "events" / "2024-11-zelensky-prepares-envoy-to-seoul" / "index.html").read_text()
    assert result.report.errors == 0 and "2024년 11월경" in page and ">나토</a>" in page and "#arms-supply" in page


def test_a_translation_of_no_note_is_an_error_and_one_into_a_language_not_listed_is_left_out(tmp_path: Path) -> None:
    content = _seed(tmp_path)
    (content / "events" / "2024" / "2024-11-gone.ko.md").write_text("---\ntitle: 없음\ndate: 2024-11\n---\n")
    shown = f"{content.as_posix()}/events/2024/2024-11-gone.ko.md"
    assert f'{shown}:1: error: a translation into "ko" of 2024-11-gone.md, which is not a note beside it' in _messages(content)
    (content / "events" / "2024" / "2024-11-gone.ko.md").unlink()
    settings = content / "site.toml"
    settings.write_text(settings.read_text().replace('languages = ["en", "ko"]', 'language = "en"'))
    found = [m for m in _messages(content) if "a translation into" in m]
    assert len(found) == 8 and all(m.endswith('warning: a translation into "ko", which is not among the languages of '
                                              "site.toml: left out") for m in found)  # fmt: skip
    assert build(Options(content=content, templates=TEMPLATES, out=tmp_path / "site", cache=None)).report.errors == 0
    assert not (tmp_path / "site" / "ko").exists() and not list((tmp_path / "site" / "events").glob("*.ko"))


@pytest.mark.parametrize(("setting", "message"), [
    ('languages = "ko"', 'languages must be a list of language tags, the first the default: languages = ["en", "ko"]'),
    ('languages = ["en", "EN"]', "languages names a language twice"),
    ('language = "en"\nlanguages = ["ko", "en"]',
     'language "en" is not the first of languages ("ko"): leave language out, or make them agree'),
    ('languages = ["en", "xx-nowhere"]',
     'languages: "xx-nowhere" is not a language CLDR knows (a BCP 47 tag such as "en", "en-GB", "ko", "uk")'),
])  # fmt: skip
def test_languages_that_cannot_be_used_are_errors_at_their_line(tmp_path: Path, setting: str, message: str) -> None:
    (tmp_path / "site.toml").write_text(f'title = "T"\n{setting}\n')
    line = 2 + setting.count("\n")
    assert f"{tmp_path.as_posix()}/site.toml:{line}: error: {message}" in _messages(tmp_path)


def test_edits_to_translations_build_as_a_fresh_build_does_and_the_preview_agrees(tmp_path: Path) -> None:
    content, out = _seed(tmp_path), tmp_path / "site"
    options = Options(content=content, templates=TEMPLATES, out=out, cache=tmp_path / "cache")
    live = LiveSite(Settings(content, TEMPLATES))
    assert live.update().ok and build(options).report.errors == 0
    edits = [
        (content / ENVOY, lambda t: t.replace("특사 준비", "특별 대표 준비")),  # a translation's title: its cards in Korean
        (content / "events/2024/2024-11-zelensky-prepares-envoy-to-seoul.md", lambda t: t.replace("readies", "prepares")),
        (content / "actors/yoon-suk-yeol.ko.md", lambda t: t.replace('name: "윤석열"', 'name: "윤석열 대통령"')),
        (content / "events/2024/2024-09-budanov-flags-north-korean-munitions.md", lambda t: t + "\nShown as written in Korean.\n"),
        (content / ENVOY, lambda t: t + "\n번역 본문에 더한 문장.\n"),  # a translation's body: its own language's page alone
        (content / "events/2024/2024-11-06-trump-wins-us-election.md", lambda t: t.replace('date: "2024-11-06"', 'date: "2024-11-07"')),
    ]
    for path, change in edits:
        path.write_text(change(path.read_text()))
        result = build(options)
        assert result.report.errors == 0 and live.update([path]).ok
        assert [str(d) for d in result.report.items] == [str(d) for d in live.report.items]
        assert tree(out) == {**build_site(Settings(content, TEMPLATES))[1], ".timeline-builder": (out / ".timeline-builder").read_bytes()}
        assert {p: d for p, d in live.files().items()} == {p: d for p, d in tree(out).items() if p != ".timeline-builder"}
    added = content / "events/2024/2024-09-budanov-flags-north-korean-munitions.ko.md"
    added.write_text("---\ntitle: 부다노프, 북한 탄약 경고\ndate: 2024-09\nactors: [Kirill Budanov, Kiev, Pyongyang, Moscow, Iran]\n"
                     "tags: [arms-supply, north-korea-russia]\n---\n본문.\n")
    assert build(options).report.errors == 0 and live.update([added]).ok
    assert "<h1>부다노프, 북한 탄약 경고</h1>" in (out / "ko" / BUDANOV).read_text()
    assert live.file(f"ko/{BUDANOV}") == (out / "ko" / BUDANOV).read_bytes()
    added.unlink()
    assert build(options).report.errors == 0 and live.update([added]).ok
    assert 'class="untranslated"' in (out / "ko" / BUDANOV).read_text()
    assert live.file(f"ko/{BUDANOV}") == (out / "ko" / BUDANOV).read_bytes()


def test_body_edits_in_either_language_are_patched_into_what_a_fresh_build_makes(tmp_path: Path) -> None:
    content, out = _seed(tmp_path), tmp_path / "site"
    options = Options(content=content, templates=TEMPLATES, out=out, cache=tmp_path / "cache")
    assert build(options).report.errors == 0
    budanov = content / "events/2024/2024-09-budanov-flags-north-korean-munitions.md"  # shown as written in Korean too
    envoy = content / "events/2024/2024-11-zelensky-prepares-envoy-to-seoul.md"  # translated: its Korean page keeps its words
    edits = [(budanov, "A sentence the English note alone has.", True), (content / ENVOY, "번역에만 있는 문장.", True),
             (envoy, "Only the original says this.", True),
             (content / ENVOY, "[[2024-09-budanov-flags-north-korean-munitions]]", False)]  # a link: its title is the language's
    for path, sentence, patched in edits:
        path.write_text(f"{path.read_text()}\n{sentence}\n")
        result = build(options)
        assert result.report.errors == 0 and result.patched == patched, path
        fresh = build_site(Settings(content, TEMPLATES))[1]
        assert tree(out) == {**fresh, ".timeline-builder": (out / ".timeline-builder").read_bytes()}, path
    assert "A sentence the English note alone has." in (out / "ko" / BUDANOV).read_text()
    assert "번역에만 있는 문장." in (out / "ko/events/2024-11-zelensky-prepares-envoy-to-seoul/index.html").read_text()
    assert "Only the original says this." not in (out / "ko/events/2024-11-zelensky-prepares-envoy-to-seoul/index.html").read_text()
