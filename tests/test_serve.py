"""The live preview, driven for real: a server on a free loopback port, a watched content tree, edits on disk."""

from __future__ import annotations

import http.client
import inspect
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote, unquote, unquote_to_bytes, urljoin, urlsplit
from urllib.request import urlopen

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.build import Options, build
from builder.serve import EVENTS_PATH, Preview, base_path_of, classify, location, overlay, reload_script, request_path, serve

from .conftest import FIXTURES, ROOT, TEMPLATES, tree

TALKS = Path("events/2024/2024-11-05-talks.md")


def wait_for(condition: Callable[[], bool], timeout: float = 8.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def fetch(url: str) -> tuple[int, str]:
    try:
        with urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except HTTPError as exc:
        return exc.code, exc.read().decode()


class Counting(Preview):
    """A preview that counts its rebuilds, to tell one rebuild per save from several."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.rebuilds = 0

    def rebuild(self, paths: set[Path] | None, fork: bool = False):  # type: ignore[no-untyped-def]
        outcome = super().rebuild(paths, fork)
        self.rebuilds += 1
        return outcome


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Counting, Path, Path]]:
    content = tmp_path / "content"
    templates = tmp_path / "templates"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    shutil.copytree(TEMPLATES, templates)
    preview = Counting(Options(content=content, templates=templates), "127.0.0.1", 0, log=False)
    assert preview.start().ok
    try:
        yield preview, content, templates
    finally:
        preview.stop()


def port_of(preview: Preview) -> int:
    port = urlsplit(preview.url).port
    assert port is not None
    return port


def page(preview: Preview, path: str) -> str:
    return fetch(preview.url + path)[1]


def test_pages_are_served_from_memory_with_the_reload_script(site: tuple[Counting, Path, Path], tmp_path: Path) -> None:
    preview, content, _ = site
    status, body = fetch(preview.url)
    assert status == 200 and "Fixture timeline" in body
    assert EVENTS_PATH in body
    assert fetch(preview.url + "events/2024-11-05-talks/")[0] == 200
    assert fetch(preview.url + "feed.xml")[1].startswith("<?xml")
    assert fetch(preview.url + "static/style.css")[0] == 200
    status, body = fetch(preview.url + "no/such/page/")
    assert status == 404 and "Page not found" in body
    connection = http.client.HTTPConnection("127.0.0.1", port_of(preview), timeout=5)
    connection.request("GET", "/fixture/events/2024-11-05-talks")
    redirect = connection.getresponse()
    assert (redirect.status, redirect.getheader("Location")) == (301, "/fixture/events/2024-11-05-talks/")
    connection.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "templates"], "serve must not write a site"


def test_editing_adding_renaming_and_deleting_notes(site: tuple[Counting, Path, Path]) -> None:
    preview, content, _ = site
    note = content / TALKS
    note.write_text(note.read_text().replace("Talks run for three days.", "Talks ran late into the night."))
    wait_for(lambda: "late into the night" in page(preview, "events/2024-11-05-talks/"))

    added = content / "events" / "2024" / "2024-12-01-summit.md"
    added.write_text("---\ntitle: Winter summit\ndate: 2024-12-01\nactors: [Kyiv]\n---\nA summit.\n")
    wait_for(lambda: "Winter summit" in page(preview, ""))
    assert "Winter summit" in page(preview, "actors/kyiv/")

    renamed = added.with_name("2024-12-01-winter-summit.md")
    os.rename(added, renamed)
    wait_for(lambda: fetch(preview.url + "events/2024-12-01-summit/")[0] == 404)
    assert fetch(preview.url + "events/2024-12-01-winter-summit/")[0] == 200

    renamed.unlink()
    wait_for(lambda: "Winter summit" not in page(preview, ""))
    assert fetch(preview.url + "events/2024-12-01-winter-summit/")[0] == 404


def test_an_editor_save_by_temp_file_and_rename_is_one_rebuild(site: tuple[Counting, Path, Path]) -> None:
    preview, content, _ = site
    note = content / TALKS
    before = preview.rebuilds
    # vim's sequence: probe file, back up the original by renaming, write the new file, drop the backup
    probe = note.with_name("4913")
    probe.write_text("")
    probe.unlink()
    backup = note.with_name(note.name + "~")
    os.rename(note, backup)
    note.write_text(backup.read_text().replace("Talks run for three days.", "Saved the vim way."))
    backup.unlink()
    # JetBrains and VS Code style: write a temp file, then rename it over the note
    wait_for(lambda: "Saved the vim way" in page(preview, "events/2024-11-05-talks/"))
    time.sleep(0.3)
    assert preview.rebuilds == before + 1
    temp = note.with_name(note.name + "___jb_tmp___")
    temp.write_text(note.read_text().replace("Saved the vim way.", "Saved by rename."))
    os.replace(temp, note)
    wait_for(lambda: "Saved by rename" in page(preview, "events/2024-11-05-talks/"))
    time.sleep(0.3)
    assert preview.rebuilds == before + 2


def test_templates_and_settings_changes_rebuild_everything(site: tuple[Counting, Path, Path]) -> None:
    preview, content, templates = site
    base = templates / "base.html"
    base.write_text(base.read_text().replace("Skip to content", "Jump to the timeline"))
    wait_for(lambda: "Jump to the timeline" in page(preview, "actors/kyiv/"))
    settings = content / "site.toml"
    settings.write_text(settings.read_text().replace("Fixture timeline", "Renamed timeline"))
    wait_for(lambda: "Renamed timeline" in page(preview, "events/2024-11-05-talks/"))


def test_a_broken_note_shows_an_overlay_and_the_old_pages_stay(site: tuple[Counting, Path, Path]) -> None:
    preview, content, _ = site
    note = content / TALKS
    good = note.read_text()
    note.write_text(good.replace('date: "2024-11-05"', 'date: "2024-02-30"'))
    wait_for(lambda: "timeline-errors" in page(preview, ""))
    body = page(preview, "events/2024-11-05-talks/")
    assert "Talks run for three days." in body, "the last good page is still served"
    assert "February 2024 has 29 days" in body
    note.write_text(good.replace("Talks run for three days.", "Fixed and back."))
    wait_for(lambda: "Fixed and back." in page(preview, "events/2024-11-05-talks/"))
    assert "timeline-errors" not in page(preview, "")


def test_a_file_beside_the_notes_is_reported_until_a_note_links_to_it(site: tuple[Counting, Path, Path]) -> None:
    preview, content, _ = site
    extra = content / "events" / "2024" / "notes.txt"
    extra.write_text("Notes on the talks.\n")
    wait_for(lambda: "notes.txt:1: warning: is not a note" in page(preview, ""))
    note = content / TALKS
    good = note.read_text()
    note.write_text(good + "\nSee [the notes](notes.txt).\n")
    wait_for(lambda: "Talks run for three days." in page(preview, "events/2024-11-05-talks/") and "notes.txt:1" not in page(preview, ""))
    assert "media/events/2024/notes.txt" in page(preview, "events/2024-11-05-talks/")
    note.write_text(good)
    wait_for(lambda: "notes.txt:1: warning: is not a note" in page(preview, ""))
    extra.unlink()
    wait_for(lambda: "notes.txt" not in page(preview, ""))


def test_warnings_show_collapsed_and_go_when_fixed(site: tuple[Counting, Path, Path]) -> None:
    preview, content, _ = site
    note = content / TALKS
    good = note.read_text()
    body = page(preview, "")
    assert "timeline-errors" not in body
    warnings = re.search(r'<details id="timeline-warnings"[^>]*>(.*?)</details>', body, re.S)
    assert warnings is not None, "the fixture's warnings (notes without sources) are listed"
    assert "open" not in warnings.group(0).split(">")[0], "collapsed"
    assert "event has no sources" in warnings.group(1)
    note.write_text(good.replace("actors: [", "actors: [Yoon Suk Yeoll, "))
    wait_for(lambda: "Yoon Suk Yeoll" in page(preview, ""))
    assert 'did you mean &quot;Yoon Suk Yeol&quot;?' in page(preview, "events/2024-11-05-talks/")
    note.write_text(good)
    wait_for(lambda: "Yoon Suk Yeoll" not in page(preview, ""))


def test_the_reload_event_arrives_after_a_rebuild(site: tuple[Counting, Path, Path]) -> None:
    preview, content, _ = site
    connection = http.client.HTTPConnection("127.0.0.1", port_of(preview), timeout=10)
    connection.request("GET", EVENTS_PATH)
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"

    def next_event() -> str:
        lines = []
        while True:
            line = response.readline().decode().rstrip("\n")
            if line.startswith(":"):
                continue
            if not line and lines:
                return "\n".join(lines)
            if line:
                lines.append(line)

    first = next_event()
    assert first.startswith("event: build\ndata: ")
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(next_event()))
    reader.start()
    note = content / TALKS
    note.write_text(note.read_text() + "\nOne more line.\n")
    reader.join(timeout=8)
    assert received and received[0] != first and received[0].startswith("event: build")
    connection.close()


def test_stop_closes_the_server_and_its_threads(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    before = threading.active_count()
    preview = Preview(Options(content=content, templates=TEMPLATES), "127.0.0.1", 0, log=False)
    preview.start()
    url = preview.url
    assert fetch(url)[0] == 200
    preview.stop()
    wait_for(lambda: threading.active_count() <= before, timeout=5)
    with pytest.raises(OSError):
        urlopen(url, timeout=2)


@pytest.mark.parametrize(
    ("kind", "src", "dest", "expected"),
    [
        ("modified", "c/events/a.md", None, {"c/events/a.md"}),
        ("created", "c/events/.a.md.swp", None, set()),
        ("created", "c/events/4913", None, set()),
        ("modified", "c/events/a.md~", None, set()),
        ("created", "c/events/.#a.md", None, set()),
        ("moved", "c/events/a.md", "c/events/a.md~", {"c/events/a.md"}),
        ("moved", "c/events/a.md___jb_tmp___", "c/events/a.md", {"c/events/a.md"}),
        ("moved", "c/events/a.md", "c/events/b.md", {"c/events/a.md", "c/events/b.md"}),
        ("opened", "c/events/a.md", None, set()),
        ("closed", "c/events/a.md", None, set()),
    ],
)
def test_classify_keeps_real_notes_and_drops_editor_files(kind: str, src: str, dest: str | None, expected: set[str]) -> None:
    assert classify(kind, src, dest) == {Path(p) for p in expected}


def test_a_deleted_folder_counts_and_a_modified_folder_does_not() -> None:
    assert classify("deleted", "c/events/2024", None, is_directory=True) == {Path("c/events/2024")}
    assert classify("modified", "c/events", None, is_directory=True) == set()


def test_ctrl_c_stops_the_server_cleanly(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "--content", str(content), "--templates", str(TEMPLATES), "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        while line and "serving" not in line:
            line = process.stdout.readline()
        url = line.split(" at ", 1)[1].split()[0]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/fixture/"), "loopback by default, under the base path"
        assert fetch(url)[0] == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "Traceback" not in err
    assert out.strip().endswith("stopped")


# ---- HTTP: the base path, and nothing but the site's own files ------------------------------------


@dataclass(frozen=True)
class Raw:
    status: int
    headers: dict[str, str]
    body: bytes


def raw(preview: Preview, target: bytes | str, method: str = "GET") -> Raw:
    """One request with the target sent byte for byte (http.client and urllib would quote or refuse some of them)."""
    wire = target.encode() if isinstance(target, str) else target
    with socket.create_connection(("127.0.0.1", port_of(preview)), timeout=5) as connection:
        connection.sendall(method.encode() + b" " + wire + b" HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        received = b""
        while chunk := connection.recv(65536):  # HTTP/1.0: the server closes the connection after its answer
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return Raw(int(status_line.split()[1]), headers, body)


def set_base_url(content: Path, base_url: str | None) -> None:
    settings = content / "site.toml"
    lines = [line for line in settings.read_text().splitlines() if not line.startswith("base_url")]
    settings.write_text("\n".join(lines + ([f'base_url = "{base_url}"'] if base_url else [])) + "\n")


def test_the_site_is_served_under_its_base_path(site: tuple[Counting, Path, Path]) -> None:
    preview, _, _ = site
    assert preview.url == f"http://127.0.0.1:{port_of(preview)}/fixture/"
    home = raw(preview, "/fixture/")
    assert home.status == 200 and b"Fixture timeline" in home.body
    assert raw(preview, "/fixture/events/2024-11-05-talks/").status == 200
    assert raw(preview, "/fixture/static/style.css").headers["content-type"] == "text/css; charset=utf-8"

    missing = raw(preview, "/fixture/no/such/page/")
    assert missing.status == 404 and b"Page not found" in missing.body
    links = re.findall(r'href="([^"#]+)"', missing.body.decode())
    for wanted in ("/fixture/", "/fixture/actors/", "/fixture/tags/"):
        assert wanted in links, f"the 404 page links from the base path: {links}"
    for link in links:
        resolved = urljoin("/fixture/no/such/page/", link)
        if resolved.startswith("/"):  # an absolute URL (the source of the 404 page) is not this server's
            assert raw(preview, resolved).status == 200, f"{link} on the 404 page resolves to {resolved}, which is not served"

    for outside in ("/events/2024-11-05-talks/", "/index.html", "/fixturex/", "/static/style.css"):
        answer = raw(preview, outside)
        assert (answer.status, answer.body) == (404, missing.body), outside
    for target in ("/", "/fixture", "/?actor=kyiv"):
        answer = raw(preview, target)
        assert answer.status == 302, target
        assert answer.headers["location"] == "/fixture/" + target.partition("?")[1] + target.partition("?")[2]


def test_the_base_path_follows_site_toml_while_serving(site: tuple[Counting, Path, Path]) -> None:
    preview, content, _ = site
    set_base_url(content, "https://example.org/moved/here/")
    wait_for(lambda: raw(preview, "/moved/here/").status == 200)
    assert preview.url.endswith("/moved/here/")
    assert raw(preview, "/fixture/").status == 404
    assert raw(preview, "/").headers["location"] == "/moved/here/"
    assert b'href="/moved/here/actors/"' in raw(preview, "/moved/here/gone/").body

    settings = content / "site.toml"
    good = settings.read_text()
    settings.write_text(good.replace("https://example.org/moved/here/", "https://example.org/broken/") + "[[oops\n")
    wait_for(lambda: b"timeline-errors" in raw(preview, "/moved/here/").body)
    assert raw(preview, "/broken/").status == 404, "the base path is the last good build's, not a broken site.toml's"

    settings.write_text(good)
    set_base_url(content, None)  # no base_url: the site is served at the root
    wait_for(lambda: raw(preview, "/").status == 200)
    assert preview.url == f"http://127.0.0.1:{port_of(preview)}/"
    assert raw(preview, "/actors/kyiv/").status == 200
    assert raw(preview, "/moved/here/").status == 404


def test_a_base_url_given_to_the_preview_wins_over_site_toml(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    preview = Preview(Options(content=content, templates=TEMPLATES, base_url="https://example.net/other/path"), port=0, log=False)
    assert preview.start().ok
    try:
        assert preview.url.endswith("/other/path/")
        assert raw(preview, "/other/path/actors/kyiv/").status == 200
        assert raw(preview, "/fixture/").status == 404
        assert raw(preview, "/other/path").headers["location"] == "/other/path/"
    finally:
        preview.stop()


@dataclass(frozen=True)
class Guarded:
    preview: Preview
    secret: bytes
    secret_path: Path


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Guarded]:
    """A preview whose content sits beside a secret file, with copies in the content folder and among the notes.

    One for the module: the hostile requests only read, and each preview takes half a second to stop."""
    folder = tmp_path_factory.mktemp("guarded")
    secret = b"SECRET-7f3a: never to be served\n"
    content = folder / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    for place in (folder, content, content / "events"):
        (place / "secret.txt").write_bytes(secret)
    preview = Preview(Options(content=content, templates=TEMPLATES), port=0, log=False)
    assert preview.start().ok
    try:
        yield Guarded(preview, secret, folder / "secret.txt")
    finally:
        preview.stop()


HOSTILE = [
    "/../secret.txt",
    "/fixture/../secret.txt",
    "/fixture/../../secret.txt",
    "/fixture/..%2fsecret.txt",
    "/fixture/..%2Fsecret.txt",
    "/fixture/%2e%2e/secret.txt",
    "/fixture/%2E%2E/%2E%2E/secret.txt",
    "/fixture/.%2e/secret.txt",
    "/fixture/%2e./content/secret.txt",
    "/fixture/%2e%2e%2fsecret.txt",
    "/fixture/%252e%252e/secret.txt",
    "/fixture/%252e%252e%252fsecret.txt",
    "/fixture/..%255csecret.txt",
    "/fixture/..\\secret.txt",
    "/fixture/..%5csecret.txt",
    "/fixture/..%5Csecret.txt",
    "/fixture/events\\..\\..\\secret.txt",
    "/fixture/%c0%ae%c0%ae/secret.txt",
    "/fixture/%e0%80%ae%e0%80%ae/secret.txt",
    "/fixture/%00",
    "/fixture/index.html%00",
    "/fixture/secret.txt%00.html",
    "/fixture/%0a/secret.txt",
    "/fixture/./secret.txt",
    "/fixture/events/./../../secret.txt",
    "/fixture//secret.txt",
    "/fixture/%2fsecret.txt",
    "/fixture/%2F%2Fsecret.txt",
    "/fixture/secret.txt",
    "/fixture/site.toml",
    "/fixture/events/secret.txt",
    "/fixture/events/2024/2024-11-05-talks.md",
    "/fixture/content/site.toml",
    "/secret.txt",
    "/content/secret.txt",
    "/etc/passwd",
    "//etc/passwd",
    "///etc/passwd",
    "/%2Fetc/passwd",
    "/fixture/%2Fetc/passwd",
    "/fixture/C:%5Cwindows%5Cwin.ini",
    "/fixture/C:/secret.txt",
    "/fixture/....//secret.txt",
    "/fixture/..;/secret.txt",
    "/fixture/%ff%fe/secret.txt",
    "*",
    "secret.txt",
    "../secret.txt",
    "http://127.0.0.1/fixture/../secret.txt",
    "/fixture/?../../secret.txt",
]


@pytest.mark.parametrize("target", HOSTILE)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_hostile_paths_get_the_404_page_and_never_a_file_outside_the_site(guarded: Guarded, target: str, method: str) -> None:
    preview, secret = guarded.preview, guarded.secret
    not_found = raw(preview, "/fixture/no-such-page/")
    variants = {target, target.replace("secret.txt", guarded.secret_path.as_posix().lstrip("/"))}
    for variant in sorted(variants):
        answer = raw(preview, variant, method)
        if variant.startswith("/fixture/?"):  # the query is not part of the path: this is the home page
            assert answer.status == 200
        else:
            assert answer.status == 404, variant
            assert "location" not in answer.headers
            assert answer.headers["content-length"] == str(len(not_found.body))
            assert answer.body == (not_found.body if method == "GET" else b"")
        assert secret.strip() not in answer.body


def test_no_response_ever_holds_the_secret_or_a_note_source(guarded: Guarded) -> None:
    """Every hostile path, with and without the base path, and each of them percent-encoded once more."""
    preview, secret = guarded.preview, guarded.secret
    note = (preview.options.content / "events/2024/2024-11-05-talks.md").read_bytes()
    settings = (preview.options.content / "site.toml").read_bytes()
    for target in HOSTILE:
        for variant in (target, target.replace("/fixture/", "/"), target.replace("%", "%25")):
            body = raw(preview, variant).body
            assert secret.strip() not in body and body != note and body != settings, variant


def test_a_redirect_never_leaves_this_host(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    set_base_url(content, None)  # at the root, where /%2Factors would become //actors/ if the path were normalised
    preview = Preview(Options(content=content, templates=TEMPLATES), port=0, log=False)
    assert preview.start().ok
    try:
        assert raw(preview, "/actors").headers["location"] == "/actors/"
        for target in ("/%2Factors", "/%2F%2Factors", "/%2factors?x=1", "/%5Cactors", "/%5C%5Cevil.example/actors",
                       "/\\actors", "/%09/actors", "/.%2e/actors", "/%2e/actors"):  # fmt: skip
            answer = raw(preview, target)
            assert answer.status == 404 and "location" not in answer.headers, target
        for target in ("//actors", "///actors", "//evil.example/actors"):  # http.server folds leading slashes itself
            answer = raw(preview, target)
            assert answer.status in (301, 404), target
            assert answer.headers.get("location", "/x").startswith("/") and not answer.headers.get("location", "/x").startswith("//")
    finally:
        preview.stop()


def test_queries_and_fragments_are_not_part_of_the_lookup(site: tuple[Counting, Path, Path]) -> None:
    preview, _, _ = site
    home, feed = raw(preview, "/fixture/"), raw(preview, "/fixture/feed.xml")
    assert raw(preview, "/fixture/?actor=kyiv&tag=aid&from=2024").body == home.body
    assert raw(preview, "/fixture/#y2024").body == home.body
    assert raw(preview, "/fixture/feed.xml?v=2#top").body == feed.body
    moved = raw(preview, "/fixture/events/2024-11-05-talks?from=2024#x")
    assert (moved.status, moved.headers["location"]) == (301, "/fixture/events/2024-11-05-talks/?from=2024")


def test_head_answers_like_get_without_a_body(site: tuple[Counting, Path, Path]) -> None:
    preview, _, _ = site
    for target in ("/fixture/", "/fixture/feed.xml", "/fixture/static/site.js", "/fixture/nothing/", "/", "/fixture/actors/kyiv"):
        get, head = raw(preview, target), raw(preview, target, "HEAD")
        assert (head.status, head.body) == (get.status, b""), target
        assert {k: v for k, v in head.headers.items() if k != "date"} == {k: v for k, v in get.headers.items() if k != "date"}
        assert int(get.headers["content-length"]) == len(get.body) > 0
    events = raw(preview, EVENTS_PATH, "HEAD")
    assert (events.status, events.headers["content-type"], events.body) == (200, "text/event-stream", b"")


def test_pages_with_names_beyond_ascii_are_found_however_the_browser_spells_them(site: tuple[Counting, Path, Path]) -> None:
    preview, content, _ = site
    note = content / TALKS
    note.write_text(note.read_text().replace("tags: [diplomacy]", "tags: [diplomacy, переговори]"))
    encoded = "/fixture/tags/" + quote("переговори")
    wait_for(lambda: raw(preview, encoded + "/").status == 200)
    assert raw(preview, ("/fixture/tags/переговори/").encode()).status == 200, "raw UTF-8 in the request line"
    assert raw(preview, encoded).headers["location"] == encoded + "/"
    assert raw(preview, b"/fixture/tags/\xff/").status == 404, "not UTF-8"


def test_the_preview_listens_on_loopback_by_default(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic" / "content", content)
    preview = Preview(Options(content=content, templates=TEMPLATES), port=0, log=False)
    preview.start()
    try:
        assert preview.url.startswith("http://127.0.0.1:")
    finally:
        preview.stop()
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


PIECES = ["/", "/", "fixture", "fixture/", "..", ".", "%2e", "%2E", "%2f", "%2F", "%5c", "%5C", "\\", "%00", "\x00", "%25", "%",
          "?", "#", "&", "=", ":", "@", "~", ";", " ", "%c0%ae", "%ff", "é", "%C3%A9", "events", "actors", "kyiv", "index.html",
          "secret.txt", "feed.xml", "static", "style.css", "2024-11-05-talks", "http:", "evil.example"]  # fmt: skip
TARGETS = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=12).map("".join)


@given(TARGETS)
@settings(max_examples=500)
def test_a_path_taken_for_the_site_is_plain_and_its_redirect_stays_on_this_host(target: str) -> None:
    found = request_path(target)
    if found is None:
        return
    path, query = found
    assert path.startswith("/") and "\\" not in path and "\x00" not in path
    assert not {"", ".", ".."} & set(path.split("/")[1:-1]) and path.split("/")[-1] not in (".", "..")
    to = location(path, query)
    parts = urlsplit(to)
    assert to.startswith("/") and not to.startswith("//") and (parts.scheme, parts.netloc) == ("", "")
    assert to.isascii() and to.isprintable() and "\\" not in to and " " not in to
    assert unquote(parts.path) == path, "the redirect names the same file"
    assert unquote_to_bytes(parts.query) == unquote_to_bytes(query), "and keeps the query (the filters in the address)"


@given(st.one_of(st.sampled_from(["", "/", "/repo", "repo/", "//repo//", "/a/./b/../c/", "/..", "/%2e%2e/x/", "/my%20site/"]), st.text()))
def test_the_base_path_is_a_plain_folder_path(path: str) -> None:
    served = base_path_of("https://example.org" + (path if path.startswith("/") else "/" + path))
    assert served.startswith("/") and served.endswith("/") and "//" not in served
    assert not {".", ".."} & set(served.split("/"))


@pytest.fixture(scope="module")
def published(guarded: Guarded, tmp_path_factory: pytest.TempPathFactory) -> set[bytes]:
    """The bytes of every file of a one-shot build of the guarded content."""
    out = tmp_path_factory.mktemp("published") / "site"
    assert not build(Options(content=guarded.preview.options.content, templates=TEMPLATES, out=out)).report.errors
    return set(tree(out).values())


@given(TARGETS)
@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
def test_every_answer_is_a_file_of_the_site_a_local_redirect_or_the_404_page(guarded: Guarded, published: set[bytes], target: str) -> None:
    preview = guarded.preview
    answer = preview.respond(target)
    generation, report = preview.state()
    body = answer.body.replace(reload_script(generation).encode(), b"").replace(overlay(report).encode(), b"")
    if answer.status == 200:
        assert body in published, f"{target!r} answered with something the site does not have"
    elif answer.status in (301, 302):
        assert answer.location is not None and answer.location.startswith("/") and not answer.location.startswith("//")
        assert urlsplit(answer.location).netloc == "" and "\\" not in answer.location
    else:
        assert answer.status == 404 and answer.location is None
        assert body == preview.session.file("404.html")
    assert guarded.secret.strip() not in answer.body
