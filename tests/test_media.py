"""Images and files beside the notes: copied once into media/, found from every page that shows them, refused with
the note's line when they are missing or not the content folder's to publish, and kept up to date by a build from
the store and by the live preview."""

from __future__ import annotations

import os
import queue
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import urlopen

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder import changes, pages, site
from builder.build import Options, build
from builder.cli import main
from builder.diagnostics import Report
from builder.markup import Markdown
from builder.output import MARKER, owned
from builder.pipeline import Settings, build_site
from builder.preview import LiveSite, Outcome
from builder.serve import Preview

from .conftest import FIXTURES, TEMPLATES, tree

PHOTO = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>\n'
FILING = b"%PDF-1.4 the filing\n"
TALKS = "events/2024/2024-11-05-talks.md"
AID = "events/older/2022-aid-begins.md"


def _note(front: str, body: str) -> str:
    return f"---\n{front}\n---\n{body}"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """The fixture tree, with one photo linked from an event (two folders deep), a note one folder deep and an actor,
    a PDF beside the event, and a second page of Kyiv's events (pages of two)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    (content / "images" / "rostov.svg").write_bytes(PHOTO)
    (content / "events/2024/files").mkdir()
    (content / "events/2024/files/court filing.pdf").write_bytes(FILING)
    with (content / TALKS).open("a") as note:  # the body starts on line 8: these are lines 9 to 11
        note.write("\n![Rostov at the talks](../../images/rostov.svg)\nSee [the filing](<files/court filing.pdf#page=2>).\n")
    (content / "events/2024-12-01-visit.md").write_text(
        _note("title: A visit\ndate: 2024-12-01\nactors: [Kyiv]", "![Rostov again](../images/rostov.svg)\n")
    )
    (content / "events/2024-12-03-return.md").write_text(_note("title: A return\ndate: 2024-12-03\nactors: [Kyiv]", "Back.\n"))
    with (content / "actors/kyiv.md").open("a") as note:
        note.write("\n![Rostov in Kyiv](../images/rostov.svg)\n")
    return content


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (site, pages, changes):
        monkeypatch.setattr(module, "PAGE_SIZE", 2)


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.refs += [value for name, value in attrs if name in ("src", "href") and value]


def _media_refs(out: Path, page: str) -> list[str]:
    """The site paths that a page's links and images into media/ lead to, resolved from where the page lies."""
    parser = _Refs()
    parser.feed((out / page).read_text())
    found = []
    for ref in parser.refs:
        resolved = urlsplit(urljoin(f"http://site/{page}", ref))
        if resolved.netloc == "site" and resolved.path.startswith("/media/"):
            found.append(unquote(resolved.path)[1:])
    return found


def _errors(report: Report) -> list[str]:
    return [str(d) for d in report.items if d.severity.value == "error"]


def test_a_file_linked_from_notes_at_every_depth_is_copied_once_and_found_from_every_page(
    content: Path, tmp_path: Path, small_pages: None
) -> None:
    out = tmp_path / "site"
    result = build(Options(content=content, templates=TEMPLATES, out=out))
    assert _errors(result.report) == []
    media = sorted(p for p in tree(out) if p.startswith("media/"))
    assert media == [
        "media/events/2024/files/court filing.pdf", "media/events/older/files/shipping-list.txt",
        "media/images/aid-crates.svg", "media/images/rostov.svg", "media/images/yoon-portrait.svg",
    ]  # fmt: skip
    assert (out / "media/images/rostov.svg").read_bytes() == PHOTO
    assert (out / "media/events/2024/files/court filing.pdf").read_bytes() == FILING
    assert _media_refs(out, "events/2024-11-05-talks/index.html") == ["media/images/rostov.svg", "media/events/2024/files/court filing.pdf"]
    assert 'href="../../media/events/2024/files/court%20filing.pdf#page=2"' in (out / "events/2024-11-05-talks/index.html").read_text()
    assert _media_refs(out, "events/2024-12-01-visit/index.html") == ["media/images/rostov.svg"]
    assert _media_refs(out, "actors/kyiv/index.html") == ["media/images/rostov.svg"]
    assert (out / "actors/kyiv/page/2/index.html").is_file()
    assert _media_refs(out, "actors/kyiv/page/2/index.html") == ["media/images/rostov.svg"]  # a page two folders deeper
    feed = (out / "feed.xml").read_text()
    assert 'src="https://example.org/fixture/media/images/rostov.svg"' in feed.replace("&quot;", '"')
    for page in out.rglob("*.html"):  # nothing on any page leads into media/ but to a file there
        assert all((out / ref).is_file() for ref in _media_refs(out, page.relative_to(out).as_posix()))
    # Cards show summaries, never bodies: the timeline and lists hold no image
    assert _media_refs(out, "index.html") == [] and _media_refs(out, "actors/index.html") == []
    assert {p for p in owned(out) or set() if p.startswith("media/")} == set(media)


def test_with_links_naming_files_the_media_urls_are_the_same(content: Path, tmp_path: Path) -> None:
    with (content / "site.toml").open("a") as settings_file:
        settings_file.write('links = "index.html"\n')
    out = tmp_path / "site"
    assert _errors(build(Options(content=content, templates=TEMPLATES, out=out)).report) == []
    assert _media_refs(out, "events/2024-11-05-talks/index.html") == ["media/images/rostov.svg", "media/events/2024/files/court filing.pdf"]


def test_links_to_notes_keep_their_meaning_and_urls_are_left_alone(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    with (content / TALKS).open("a") as note:
        note.write("\nSee [the pact](2024-06-pact.md), [a site](https://example.com/a.png), [top](/about/) and [here](#top).\n")
    out = tmp_path / "site"
    assert _errors(build(Options(content=content, templates=TEMPLATES, out=out)).report) == []
    html = (out / "events/2024-11-05-talks/index.html").read_text()
    assert '<a href="../../events/2024-06-pact/">the pact</a>' in html
    assert '<a href="https://example.com/a.png">a site</a>, <a href="/about/">top</a> and <a href="#top">here</a>' in html


@pytest.mark.parametrize(
    ("link", "make", "message"),
    [
        ("![A map](../../images/map.png)", None, 'image "../../images/map.png" names {content}/images/map.png, which does not exist'),
        ("[the list](../../../outside.txt)", None,
         'link to "../../../outside.txt" leads outside the content folder; only files under it are published'),
        ("![A map](../../images/linked.png)", "symlink out",
         'image "../../images/linked.png" names {content}/images/linked.png, a symlink that leads outside the content folder; '
         "only files under it are published"),
        ("![A map](../../.private/map.png)", "hidden",
         'image "../../.private/map.png" names {content}/.private/map.png, whose ".private" is hidden (its name starts with a dot); '
         "hidden files are not published"),
        ("[the images](../../images/)", None, 'link to "../../images/" names {content}/images, which is a folder, not a file'),
        ("![A map](../../images/pipe.png)", "pipe",
         'image "../../images/pipe.png" names {content}/images/pipe.png, which is a named pipe, not a file; it is not opened'),
        ("![A note](2024-06-pact.md)", None,
         'image "2024-06-pact.md" names {content}/events/2024/2024-06-pact.md, a note: a note is shown as its page, never as a file'),
    ],
    ids=["missing", "climbs out", "symlink out", "hidden", "folder", "pipe", "note"],
)
def test_a_file_that_cannot_be_published_is_an_error_at_the_line_of_its_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], link: str, make: str | None, message: str
) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    (tmp_path / "outside.txt").write_text("the secret\n")
    (content / "images").mkdir(exist_ok=True)
    if make == "symlink out":
        (content / "images/linked.png").symlink_to(tmp_path / "outside.txt")
    elif make == "hidden":
        (content / ".private").mkdir()
        (content / ".private/map.png").write_bytes(PHOTO)
    elif make == "pipe":
        os.mkfifo(content / "images/pipe.png")  # opened, it would block the build for ever
    out = tmp_path / "site"
    assert main(["build", "--content", str(content), "--templates", str(TEMPLATES), "--out", str(out)]) == 0
    before = tree(out)
    with (content / TALKS).open("a") as note:
        note.write(f"\nMore.\n\nAs shown in {link}.\n")  # line 12
    expected = f"{content.as_posix()}/{TALKS}:12: error: " + message.format(content=content.as_posix())
    for command in (["check"], ["build", "--templates", str(TEMPLATES), "--out", str(out)]):
        capsys.readouterr()
        assert main([command[0], "--content", str(content), *command[1:]]) == 1
        err = capsys.readouterr().err
        assert expected in err.splitlines(), err
        assert "Traceback" not in err
    assert tree(out) == before
    assert not any(b"the secret" in data for data in tree(out).values())


def test_an_image_without_alt_text_is_a_warning_and_the_site_is_built(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    with (content / "site.toml").open("a") as settings_file:
        settings_file.write("allow_html = true\n")
    (content / "images/rostov.svg").write_bytes(PHOTO)
    with (content / TALKS).open("a") as note:  # lines 10 to 12
        note.write('\n![](../../images/rostov.svg)\n<img src="../../images/rostov.svg">\n<img src="../../images/rostov.svg" alt="">\n')
        note.write('\n<p>Also <img\n  src="../../images/rostov.svg"> here.</p>\n')  # lines 14 and 15
    out = tmp_path / "site"
    result = build(Options(content=content, templates=TEMPLATES, out=out))
    shown = f"{content.as_posix()}/{TALKS}"
    missing = "has no alt text: say what it shows, for readers who cannot see it"
    assert [str(d) for d in result.report.items if "alt text" in d.message] == [
        f'{shown}:10: warning: image "../../images/rostov.svg" {missing}',
        f'{shown}:11: warning: image "../../images/rostov.svg" {missing}',
        f'{shown}:15: warning: image "../../images/rostov.svg" {missing}',
    ]
    assert not result.report.failed()
    html = (out / "events/2024-11-05-talks/index.html").read_text()
    assert html.count('src="../../media/images/rostov.svg"') == 4  # in raw HTML too, as the settings allow it
    assert '<p>Also <img\n  src="../../media/images/rostov.svg"> here.</p>' in html


def test_raw_html_that_the_settings_escape_names_no_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    with (content / TALKS).open("a") as note:
        note.write('\n<img src="../../images/nothing-here.png">\n')
    out = tmp_path / "site"
    result = build(Options(content=content, templates=TEMPLATES, out=out))
    assert _errors(result.report) == []
    assert "&lt;img src=&quot;../../images/nothing-here.png&quot;&gt;" in (out / "events/2024-11-05-talks/index.html").read_text()


# ---- builds from the store ------------------------------------------------------------------------------------------


def _fresh(content: Path) -> dict[str, bytes]:
    report, files = build_site(Settings(content, TEMPLATES))
    assert not report.failed()
    return files


def test_a_build_from_the_store_copies_a_changed_file_and_renders_no_page(content: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / ".cache"
    options = Options(content=content, templates=TEMPLATES, out=out, cache=cache)
    assert not build(options).report.failed()
    pages_before = {p: (out / p).stat().st_ino for p in tree(out) if p.endswith(".html")}

    (content / "images/rostov.svg").write_bytes(PHOTO.replace(b"4", b"8"))
    again = build(options)
    assert not again.report.failed() and again.files == 1  # the photo; every page is as it was
    assert (out / "media/images/rostov.svg").read_bytes() == PHOTO.replace(b"4", b"8")
    assert {p: (out / p).stat().st_ino for p in tree(out) if p.endswith(".html")} == pages_before
    assert {k: v for k, v in tree(out).items() if k != MARKER} == _fresh(content)

    assert build(options).files == 0  # and then nothing changed


def test_a_build_from_the_store_reports_a_deleted_file_and_picks_it_up_again(content: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / ".cache"
    options = Options(content=content, templates=TEMPLATES, out=out, cache=cache)
    assert not build(options).report.failed()
    before = tree(out)

    (content / "images/rostov.svg").unlink()
    failed = build(options)
    lines = [d.split(": error: ")[0].removeprefix(content.as_posix() + "/") for d in _errors(failed.report)]
    assert lines == ["actors/kyiv.md:8", "events/2024-12-01-visit.md:6", f"{TALKS}:10"]
    assert tree(out) == before

    (content / "images/rostov.svg").write_bytes(PHOTO + b"<!-- again -->\n")
    assert not build(options).report.failed()
    assert {k: v for k, v in tree(out).items() if k != MARKER} == _fresh(content)


def test_a_file_no_note_links_to_any_more_leaves_the_site_and_its_marker(content: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / ".cache"
    options = Options(content=content, templates=TEMPLATES, out=out, cache=cache)
    assert not build(options).report.failed()
    assert "media/events/2024/files/court filing.pdf" in (owned(out) or set())
    talks = content / TALKS
    talks.write_text(talks.read_text().replace("See [the filing](<files/court filing.pdf#page=2>).\n", ""))
    assert not build(options).report.failed()
    assert not (out / "media/events/2024/files").exists()
    assert "media/events/2024/files/court filing.pdf" not in (owned(out) or set())
    assert (out / "media/images/rostov.svg").is_file()  # still linked from the other notes
    assert {k: v for k, v in tree(out).items() if k != MARKER} == _fresh(content)


def test_a_body_edit_that_adds_a_file_is_built_from_the_store_like_a_fresh_build(content: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / ".cache"
    options = Options(content=content, templates=TEMPLATES, out=out, cache=cache)
    assert not build(options).report.failed()
    (content / "events/2024/files/notes.txt").write_text("minutes\n")
    aid = content / "events/2024/2024-11-06-election.md"
    aid.write_text(aid.read_text() + "\nThe [minutes](files/notes.txt).\n")
    done = build(options)
    assert not done.report.failed() and not done.patched  # which files the site holds is the full build's to decide
    assert (out / "media/events/2024/files/notes.txt").read_text() == "minutes\n"
    assert {k: v for k, v in tree(out).items() if k != MARKER} == _fresh(content)


# ---- the live preview --------------------------------------------------------------------------------------------


def test_the_preview_serves_a_changed_file_without_rendering_a_page(content: Path) -> None:
    live = LiveSite(Settings(content, TEMPLATES))
    assert live.update().ok
    assert live.file("media/images/rostov.svg") == PHOTO
    generation = live.generation

    photo = content / "images/rostov.svg"
    photo.write_bytes(PHOTO + b"<!-- changed -->\n")
    outcome = live.update([photo])
    assert outcome.ok and outcome.rendered == 0 and outcome.changed_files == {"media/images/rostov.svg"}
    assert live.generation == generation + 1  # the browser reloads
    assert live.file("media/images/rostov.svg") == PHOTO + b"<!-- changed -->\n"
    assert live.files() == build_site(Settings(content, TEMPLATES))[1]

    unlinked = content / "images/unused.png"
    unlinked.write_bytes(b"x")
    assert live.update([unlinked]).changed_files == frozenset() and live.generation == generation + 1
    assert live.file("media/images/unused.png") is None


def test_the_preview_reports_a_deleted_file_and_recovers_when_it_is_back(content: Path) -> None:
    live = LiveSite(Settings(content, TEMPLATES))
    assert live.update().ok
    photo = content / "images/rostov.svg"
    photo.unlink()
    outcome = live.update([photo])
    assert not outcome.ok
    report, _ = build_site(Settings(content, TEMPLATES))
    assert outcome.report == report and len(_errors(report)) == 3
    assert live.file("media/images/rostov.svg") is None  # never served once gone, even from the last good site

    photo.write_bytes(PHOTO)
    assert live.update([photo]).ok
    assert live.files() == build_site(Settings(content, TEMPLATES))[1]


def test_the_preview_never_serves_a_file_that_became_a_symlink_out_of_the_content_folder(content: Path, tmp_path: Path) -> None:
    live = LiveSite(Settings(content, TEMPLATES))
    assert live.update().ok
    (tmp_path / "secret.txt").write_text("the secret\n")
    photo = content / "images/rostov.svg"
    photo.unlink()
    photo.symlink_to(tmp_path / "secret.txt")
    assert live.file("media/images/rostov.svg") is None  # checked when asked for, before the watcher says anything
    assert not live.update([photo]).ok


class _Watched(Preview):
    """A preview that hands each rebuild's paths and outcome to the test, which waits for them (no sleeping)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.done: queue.Queue[tuple[set[Path] | None, Outcome]] = queue.Queue()

    def rebuild(self, paths: set[Path] | None, fork: bool = False) -> Outcome:
        outcome = super().rebuild(paths, fork)
        self.done.put((paths, outcome))
        return outcome

    def after(self, path: Path) -> Outcome:
        """The outcome of the first rebuild that took ``path`` in (failing after 10 s: the watcher never saw it)."""
        while True:
            paths, outcome = self.done.get(timeout=10)
            if paths is not None and path in paths:
                return outcome


@pytest.fixture
def preview(content: Path, tmp_path: Path) -> Iterator[_Watched]:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    watched = _Watched(Options(content=content, templates=templates), "127.0.0.1", 0, log=False)
    assert watched.start().ok
    try:
        yield watched
    finally:
        watched.stop()


def _get(preview: Preview, path: str) -> tuple[int, str, bytes]:
    try:
        with urlopen(preview.url + path, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except OSError as exc:  # HTTPError: a 404 page
        return getattr(exc, "code", 0), "", b""


def test_the_preview_serves_an_image_and_picks_up_a_new_one_as_it_is_saved(preview: _Watched, content: Path) -> None:
    assert _get(preview, "media/images/rostov.svg") == (200, "image/svg+xml", PHOTO)
    assert _get(preview, "media/images/new.svg")[0] == 404

    note = content / "events/2024-12-02-new.md"
    note.write_text(_note("title: New\ndate: 2024-12-02", "![A new picture](../images/new.svg)\n"))
    outcome = preview.after(note)
    assert not outcome.ok and 'image "../images/new.svg"' in _errors(outcome.report)[0]

    picture = content / "images/new.svg"
    picture.write_bytes(PHOTO.replace(b"rect", b"circle"))
    assert preview.after(picture).ok
    assert _get(preview, "media/images/new.svg") == (200, "image/svg+xml", PHOTO.replace(b"rect", b"circle"))
    assert b'src="../../media/images/new.svg"' in _get(preview, "events/2024-12-02-new/")[2]


# ---- every path a writer may write ---------------------------------------------------------------------------------

_SEGMENTS = st.sampled_from(
    ["..", ".", "images", "rostov.svg", "a b.svg", ".hidden", "", "%2e%2e", "con.svg", "events", "x\\y.svg", "nowhere"]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(_SEGMENTS, min_size=1, max_size=6).map("/".join), st.booleans())
@example("../images/rostov.svg", True)
@example("../events/../images/a b.svg", False)
@example("../../rostov.svg", True)
@example("../%2e%2e/rostov.svg", False)
def test_whatever_path_a_note_writes_only_files_under_the_content_folder_are_published(content: Path, path: str, image: bool) -> None:
    """Every path either fails the build with an error at the link's line or publishes a file of the content folder,
    byte for byte, at media/ and its path there; nothing is ever written outside media/ for it, nor raised."""
    (content.parent / "rostov.svg").write_bytes(b"outside the content folder\n")
    (content / "images/a b.svg").write_bytes(PHOTO)
    visit = content / "events/2024-12-01-visit.md"
    written = f"<{path}>" if " " in path else path
    visit.write_text(_note("title: A visit\ndate: 2024-12-01", f"{'!' if image else ''}[A path]({written})\n"))
    report, files = build_site(Settings(content, TEMPLATES))
    if report.failed():
        assert [d.line for d in report.items if d.path == visit.as_posix() and d.severity.value == "error"] == [5]
        return
    real = os.path.realpath(content)
    for name, data in files.items():
        if name.startswith("media/"):
            source = content / name.removeprefix("media/")
            assert os.path.realpath(source).startswith(real + os.sep) and source.read_bytes() == data
    assert b"outside the content folder" not in b"".join(files.values())
    if os.path.normpath(f"events/{unquote(path)}") in ("images/rostov.svg", "images/a b.svg"):
        assert files[f"media/{os.path.normpath(f'events/{unquote(path)}')}"] == PHOTO


def test_bodies_that_link_to_no_file_stay_with_the_fast_engine_and_hold_no_file() -> None:
    markdown = Markdown()
    rendered = markdown.render("A [link](https://example.com/a.pdf), an [anchor](#x) and [the top](/).\n", folder="events")
    assert rendered.body.files == ()
    assert [f.path for f in markdown.render("[a](a.pdf) and [b](../b.pdf)", folder="events/2024").body.files] == [
        "events/2024/a.pdf", "events/b.pdf",
    ]  # fmt: skip
