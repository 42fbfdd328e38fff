"""An event's ``media`` field: how it is read, what kind of thing each URL is, how the event page shows it (a picture
in place, anything else a link card, never an embed), the data exports, and the alt-text warning of ``check``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from builder.cli import main
from builder.media import Media, media_kind

from .conftest import FIXTURES

TALKS = Path("events/2024/2024-11-05-talks.md")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://example.org/photos/a.JPG", "Image"),
        ("https://example.org/a.svg?w=400#top", "Image"),
        ("https://www.youtube.com/watch?v=abc", "Video on YouTube"),
        ("https://youtu.be/abc", "Video on YouTube"),
        ("https://m.youtube.com/watch?v=abc", "Video on YouTube"),
        ("https://vimeo.com/1234", "Video on Vimeo"),
        ("https://x.com/someone/status/1", "Post on X"),
        ("https://twitter.com/someone/status/1", "Post on X"),
        ("https://www.google.com/maps/place/Seoul", "Map"),
        ("https://www.openstreetmap.org/#map=12/37.5/127", "Map"),
        ("https://example.org/speech.mp3", "Audio"),
        ("https://soundcloud.com/a/b", "Audio on SoundCloud"),
        ("https://en.wikipedia.org/wiki/Seoul", "Article on Wikipedia"),
        ("https://www.google.com/search?q=maps", "Web page"),
        ("https://notyoutube.com/watch", "Web page"),
        ("https://example.org/report", "Web page"),
    ],
)
def test_each_url_is_named_by_its_kind(url: str, kind: str) -> None:
    assert media_kind(Media(url)) == kind


def _content(tmp_path: Path, media: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    note = content / TALKS
    note.write_text(note.read_text().replace("\n---\n", f"\n{media}\n---\n", 1))
    return content


def _check(content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["check", "--content", str(content)])
    return code, [line for line in capsys.readouterr().err.splitlines() if "media" in line]


def _line(content: Path, text: str) -> int:
    return (content / TALKS).read_text().splitlines().index(text) + 1


@pytest.mark.parametrize(
    ("media", "message"),
    [
        ("media: 42", '"media" must be a URL or a mapping with url, caption, credit, alt'),
        ("media: ftp://example.org/a.png", 'URL "ftp://example.org/a.png" must start with http:// or https://'),
        ("media: {caption: A caption}", '"media" needs a url'),
        ("media: {url: 'https://example.org/a.png', size: 3}", '"media": unknown key "size" (known: url, caption, credit, alt)'),
    ],
)
def test_a_bad_media_field_is_an_error_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], media: str, message: str) -> None:
    content = _content(tmp_path, media)
    code, lines = _check(content, capsys)
    assert code == 1
    assert f"{content / TALKS}:{_line(content, media)}: error: {message}" in lines


def test_check_warns_about_an_image_without_alt_at_the_media_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path, "media:\n  url: https://example.org/smoke.webp\n  caption: Smoke over the city")
    code, lines = _check(content, capsys)
    assert code == 0
    assert lines == [f'{content / TALKS}:{_line(content, "media:")}: warning: media image has no "alt": https://example.org/smoke.webp '
                     "(say what it shows, for readers who cannot see it)"]  # fmt: skip


@pytest.mark.parametrize("media", ["media: https://www.youtube.com/watch?v=abc", "media: {url: 'https://example.org/a.png', alt: Smoke}"])
def test_no_alt_warning_for_a_described_image_or_other_media(tmp_path: Path, capsys: pytest.CaptureFixture[str], media: str) -> None:
    assert _check(_content(tmp_path, media), capsys) == (0, [])


def _page(site: Path, slug: str) -> str:
    return (site / "events" / slug / "index.html").read_text()


def test_an_image_is_a_figure_with_alt_lazy_loading_caption_and_credit(seed_site: Path) -> None:
    page = _page(seed_site, "2024-11-06-trump-wins-us-election")
    figure = page[page.index('<figure class="media media-image">') : page.index("</figure>")]
    assert '<img src="https://upload.wikimedia.org/wikipedia/commons/5/56/Donald_Trump_official_portrait.jpg" ' in figure
    assert 'alt="Donald Trump in a dark suit and red tie, in front of an American flag" loading="lazy"' in figure
    assert '<span class="caption">Donald Trump&#39;s official portrait</span>' in figure
    assert '<span class="credit">Credit: Official White House photograph, public domain</span>' in figure
    jsonld = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert jsonld["image"] == "https://upload.wikimedia.org/wikipedia/commons/5/56/Donald_Trump_official_portrait.jpg"


def test_other_media_is_a_link_card_with_no_embed(seed_site: Path) -> None:
    page = _page(seed_site, "2024-11-05-us-presidential-election")
    card = page[page.index('<figure class="media media-link">') : page.index("</figure>")]
    assert '<span class="media-kind">Video on YouTube</span> <span class="media-title">Election night coverage</span></a>' in card
    assert '<span class="credit">Credit: Broadcast archive</span> · <span class="host">youtube.com</span>' in card
    assert "<iframe" not in page and "youtube.com/embed" not in page
    assert '"image"' not in page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    scripts = [chunk.split(">")[0] for chunk in page.split("<script")[1:]]
    assert all("src=" not in s or "http" not in s for s in scripts), scripts  # nothing loaded from elsewhere


def test_an_event_without_media_shows_none(seed_site: Path) -> None:
    assert 'class="media' not in _page(seed_site, "2024-06-kim-putin-revive-defence-pact")


def test_timeline_json_carries_each_events_media(seed_site: Path) -> None:
    events = {e["slug"]: e for e in json.loads((seed_site / "timeline.json").read_text())["events"]}
    assert events["2024-11-05-us-presidential-election"]["media"] == {
        "url": "https://www.youtube.com/watch?v=election-night-2024", "caption": "Election night coverage",
        "credit": "Broadcast archive", "alt": None,
    }  # fmt: skip
    assert events["2024-06-kim-putin-revive-defence-pact"]["media"] is None
