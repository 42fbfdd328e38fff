"""What every browser test shares: the system's Chromium driven by Playwright, axe-core, a loopback server for a
built site, and TimelineJS3 loading a timeline file as its users' pages do."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright's own browser download does not work here: launch the system's Chromium with these flags.
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
# TimelineJS3's built files (js/timeline.js, css/timeline.css and the icon fonts it names), from npm like axe-core
TIMELINEJS = Path(__file__).resolve().parent / "node_modules" / "@knight-lab" / "timelinejs" / "dist"


class _Quiet(SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, mounts: Mapping[str, Path], refused: list[str] | None, **kwargs: Any) -> None:
        self.mounts, self.refused = mounts, refused  # set first: the base class handles the request in its __init__
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        for prefix, folder in self.mounts.items():
            if path.startswith(prefix):
                self.directory = str(folder)
                return super().translate_path(path[len(prefix) - 1 :])
        return super().translate_path(path)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.refused is not None and str(code).isdigit() and int(code) >= 400:
            self.refused.append(f"{code} {self.path}")

    def log_message(self, format: str, *args: Any) -> None:
        pass


def visible_slugs(page: Page) -> list[str]:
    """The slugs of the cards a list page shows now (its filters hide the others)."""
    slugs: list[str] = page.eval_on_selector_all(
        ".timeline .card:not([hidden]) .card-title a", "els => els.map(e => e.getAttribute('href').split('/').slice(-2)[0])"
    )
    return slugs


def query_of(page: Page) -> dict[str, list[str]]:
    """The page's address's query, as the filters keep their state there."""
    return parse_qs(urlsplit(page.url).query)


def axe_violations(page: Page) -> list[str]:
    """axe-core's violations on the page as it is now, one line each: the rule, its impact and where."""
    assert AXE.is_file(), f"{AXE} is missing: npm ci --prefix tests/browser"
    page.add_script_tag(path=str(AXE))
    found: list[str] = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
        }"""
    )
    return found


@contextmanager
def served_folder(folder: Path, mounts: Mapping[str, Path] | None = None, refused: list[str] | None = None) -> Iterator[str]:
    """A folder served on loopback, as a static host would; yields its URL, ending in a slash. `mounts` serves other
    folders at URL paths of their own ("/lib/": a folder), so test tools never have to be copied into a site;
    `refused` gets "404 /path" for each request answered with an error, as the server answers it."""
    handler = functools.partial(_Quiet, directory=str(folder), mounts=dict(mounts or {}), refused=refused)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh context, for test modules that define none of their own; any console error or uncaught
    exception fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    opened.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    yield opened
    context.close()
    assert errors == [], "the pages logged errors"


# The page a newsroom embeds a timeline with, plus a hook that settles `window.timelinejs` once TimelineJS has either
# shown the timeline ("loaded": its story slider and time navigator are both built) or given up: it refused the data
# (setConfig with an invalid config shows the errors instead of a timeline), failed while laying it out (setConfig
# returns without `ready`), or threw. TimelineJS fires no event for failure, so the hook wraps setConfig, the one
# place where it decides, on this instance only.
# Media is never fetched: TimelineJS asks for a slide's media on a timer, 1.2 s after the slide is shown, so whether
# it had by the time of the count would depend on the machine's speed. The media classes all share one loadMedia,
# reached through the media type TL.lookupMediaType gives for an image, and made to do nothing.
_HARNESS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/__timelinejs/css/timeline.css">
<script src="/__timelinejs/js/timeline.js"></script>
</head><body>
<div id="timeline-embed" style="width: 100%; height: 640px"></div>
<script>
// Made once the document is parsed, so that TimelineJS lays the timeline out inside setConfig, never later
document.addEventListener('DOMContentLoaded', () => {
  Object.getPrototypeOf(TL.lookupMediaType({url: 'a.jpg'}).cls.prototype).loadMedia = function () {};
  const finish = (loaded, problem) => { if (window.timelinejs === undefined) window.timelinejs = {loaded, problem}; };
  const shown = () => (document.querySelector('#timeline-embed .tl-message-content') || {}).textContent || '';
  window.addEventListener('error', (e) => finish(false, 'uncaught: ' + e.message));
  window.addEventListener('unhandledrejection', (e) => finish(false, 'unhandled rejection: ' + e.reason));
  // script_path: where TimelineJS finds its fonts' CSS and languages (a CDN unless told), as a self-hosted embed says
  const options = {script_path: new URL('/__timelinejs/js/', location.href).href};
  const timeline = new TL.Timeline('timeline-embed', new URLSearchParams(location.search).get('data'), options);
  timeline.on('loaded', () => finish(true, ''));
  const setConfig = timeline.setConfig;
  timeline.setConfig = function (config) {
    setConfig.call(this, config);
    if (!config.isValid() || !this.ready) finish(false, 'TimelineJS shows: ' + shown().trim());
  };
});
</script>
</body></html>
"""
_SETTLED = "window.timelinejs !== undefined"
# images in the slides' text are fetched as soon as the slides are made: wait until each has loaded or failed
_IMAGES_DONE = "[...document.querySelectorAll('#timeline-embed img:not([loading=lazy])')].every((img) => img.complete)"
_COUNT = """() => {
  const slides = [...document.querySelectorAll('#timeline-embed .tl-slide')];
  return {headlines: slides.map((s) => ((s.querySelector('.tl-headline') || {}).textContent || '').trim()),
          title: document.querySelectorAll('#timeline-embed .tl-slide-titleslide').length === 1,
          markers: document.querySelectorAll('#timeline-embed .tl-timemarker').length};
}"""


@dataclass(frozen=True)
class TimelineLoad:
    """What TimelineJS made of one file."""

    headlines: tuple[str, ...]  # of its story slides in order, the title slide first when there is one
    title: bool
    markers: int  # events on the time navigator
    errors: tuple[str, ...]
    blocked: tuple[str, ...]  # requests off loopback that were aborted

    @property
    def slides(self) -> int:
        return len(self.headlines)


def _loopback(url: str) -> bool:
    return urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:", "about:"))


@pytest.fixture(scope="session")
def timelinejs(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., TimelineLoad]:
    """`load(json_file, root=json_file.parent)`: the file opened by TimelineJS3 in Chromium, by URL as an embed does,
    with `root` served on loopback (so that its links to the site's own files resolve) and TimelineJS from npm.

    Every request off loopback is aborted, so hosts elsewhere (YouTube, Twitter, images on other sites) never decide
    an outcome. The slides are counted once TimelineJS has settled and every image in their text has loaded or failed.
    `errors` holds, until then: the error TimelineJS shows instead of a timeline, or why it never said "loaded";
    every uncaught exception; every console error and warning except Chromium's "Failed to load resource" (for a
    request aborted here, or one to loopback, which the server reports instead as "404 /path", the moment it answers).
    A slide's media (its `media` object: an image, a video, a tweet) is read and its type recognised, but never
    fetched: TimelineJS does that on a timer, so it could not be part of a count that must not depend on speed."""
    assert (TIMELINEJS / "js" / "timeline.js").is_file(), f"no TimelineJS at {TIMELINEJS} (npm ci --prefix tests/browser)"
    harness = tmp_path_factory.mktemp("timelinejs-harness")
    (harness / "index.html").write_text(_HARNESS)

    def load(json_file: Path, root: Path | None = None) -> TimelineLoad:
        root = root or json_file.parent
        data = "/" + quote(json_file.resolve().relative_to(root.resolve()).as_posix())
        blocked: list[str] = []
        errors: list[str] = []
        refused: list[str] = []

        def route(request_route: Any) -> None:
            if _loopback(request_route.request.url):
                request_route.continue_()
            else:
                blocked.append(request_route.request.url)
                request_route.abort()

        def console(message: Any) -> None:
            if message.type in ("error", "warning") and not message.text.startswith("Failed to load resource"):
                errors.append(f"console {message.type}: {message.text}")

        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            context.route("**/*", route)
            page = context.new_page()
            page.on("console", console)
            page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
            with served_folder(root, {"/__timelinejs/": TIMELINEJS, "/__harness/": harness}, refused) as host:
                page.goto(f"{host}__harness/index.html?data={quote(data)}")
                page.wait_for_function(_SETTLED, timeout=30_000)
                page.wait_for_function(_IMAGES_DONE, timeout=30_000)
                outcome: dict[str, Any] = page.evaluate("window.timelinejs")
                counted: dict[str, Any] = page.evaluate(_COUNT)
                found = ([] if outcome["loaded"] else [outcome["problem"]]) + refused + errors
                return TimelineLoad(tuple(counted["headlines"]), counted["title"], counted["markers"], tuple(found), tuple(blocked))
        finally:
            context.close()

    return load
