"""Live preview: build in memory, serve on loopback, rebuild on every change, reload the browser.

The watcher is thin: raw watchdog events go through ``classify`` (a pure function that drops
editor temp files and splits a rename into its two paths), then a short debounce so one save makes
one rebuild. Pages are served from the session's memory with a small reload script injected;
nothing served-only is ever written to disk.
"""

from __future__ import annotations

import gc
import html
import mimetypes
import sys
import threading
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .build import Options, collector_off, default_workers
from .diagnostics import Report, Severity, counted
from .preview import LiveSite, Outcome
from .scan import is_editor_temp

EVENTS_PATH = "/__timeline__/events"
DEBOUNCE_SECONDS = 0.1



def reload_script(generation: str) -> str:
    """Reloads the page when the preview's generation is no longer the one the page was served at, so a rebuild that
    finishes between serving the page and the script's connecting is not missed."""
    return (
        "<script>(function(){var s=new EventSource('" + EVENTS_PATH + "');"
        "s.addEventListener('build',function(e){if(e.data!=='" + generation + "'){s.close();location.reload();}});"
        "})();</script>"
    )


def classify(kind: str, src: str, dest: str | None = None, is_directory: bool = False) -> set[Path]:
    """The paths a raw file-system event touches that matter for the site (a rename touches two)."""
    if kind in ("opened", "closed", "closed_no_write"):
        return set()
    if is_directory and kind == "modified":
        return set()  # a folder's listing changed: the files in it report themselves
    touched = {Path(src)} | ({Path(dest)} if dest else set())
    return {path for path in touched if is_directory or not is_editor_temp(path)}


class _Debounced(FileSystemEventHandler):
    """Collects paths and rebuilds once the events of a save have stopped arriving."""

    def __init__(self, rebuild: Callable[[set[Path]], object]) -> None:
        self._rebuild = rebuild
        self._pending: set[Path] = set()
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def on_any_event(self, event: FileSystemEvent) -> None:
        dest = getattr(event, "dest_path", None) or None
        paths = classify(event.event_type, _text(event.src_path), _text(dest) if dest else None, event.is_directory)
        if not paths:
            return
        with self._lock:
            self._pending |= paths
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(DEBOUNCE_SECONDS, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            paths, self._pending, self._timer = self._pending, set(), None
        if paths:
            self._rebuild(paths)

    def cancel(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()


def _text(path: str | bytes) -> str:
    return path.decode() if isinstance(path, bytes) else path


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    content_type: str
    body: bytes
    location: str | None = None


def base_path_of(base_url: str) -> str:
    """The path the site is served under ("/" or "/repo/"), decoded, as a browser resolves it: the 404 page's links
    start from it. Empty and dot segments are folded away so that a redirect to it can never read as another host."""
    parts: list[str] = []
    for part in unquote(urlsplit(base_url).path).split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/" + "".join(part + "/" for part in parts)


def request_path(target: str) -> tuple[str, str] | None:
    """A request target's path, percent-decoded once, and its query; None when the path cannot name a file of a site.

    Refused rather than normalised: anything but an absolute path (``*``, ``http://host/...``), dot segments,
    empty segments (``//``, ``/%2F``), backslashes, control characters (NUL) and bytes that are not UTF-8. A
    second layer of escapes (``%252e``) is not decoded: it names a file called ``%2e``, which a site does not have.
    """
    path, _, query = target.partition("#")[0].partition("?")
    if not path.startswith("/"):
        return None
    decoded = unquote(path, errors="surrogateescape")
    if "\\" in decoded or any(unicodedata.category(c) in ("Cc", "Cs") for c in decoded):
        return None
    segments = decoded.split("/")[1:]
    if any(s in ("", ".", "..") for s in segments[:-1]) or segments[-1] in (".", ".."):
        return None
    return decoded, query


def location(path: str, query: str) -> str:
    """A redirect target on this host: ``path`` (decoded, with no empty segment) re-encoded, and the query kept."""
    return quote(path, safe="/") + ("?" + quote(query, safe="!$%&'()*+,/:;=?@~") if query else "")


def overlay(report: Report) -> str:
    """What the last rebuild reported, laid over the page: errors in a panel across the top (the last good pages stay
    until they are fixed); warnings in a collapsed list, so a slip that ``check --strict`` and publishing refuse
    shows in the browser too without hiding the page being read."""
    if not report.items:
        return ""

    def listed(severity: Severity) -> str:
        return "".join(f"<li><code>{html.escape(str(d))}</code></li>" for d in report.items if d.severity is severity)

    warnings = listed(Severity.WARNING)
    folded = (
        f'<details id="timeline-warnings"{_WARNINGS_BOTTOM if not report.errors else ""}>'
        f'<summary style="cursor:pointer">{counted(report.warnings, "warning")}: shown here, and publishing '
        "(<code>--strict</code>) refuses them</summary>"
        f'<ul style="margin:.5rem 0 0;padding-left:1.25rem">{warnings}</ul></details>'
        if warnings
        else ""
    )
    if not report.errors:
        return folded
    return (
        '<div id="timeline-errors" role="alert" style="position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;'
        "z-index:2147483647;background:#fff5f5;color:#5c0011;border-bottom:3px solid #c00;padding:1rem 1.5rem;"
        'font:14px/1.5 ui-monospace,monospace;box-shadow:0 4px 16px #0003">'
        f"<strong>Build failed: {report.summary()}.</strong> The last good pages are shown until the notes are fixed."
        f'<ul style="margin:.5rem 0 0;padding-left:1.25rem">{listed(Severity.ERROR)}</ul>{folded}</div>'
    )


_WARNINGS_BOTTOM = (
    ' style="position:fixed;right:1rem;bottom:1rem;max-width:min(60rem,calc(100vw - 2rem));max-height:60vh;overflow:auto;'
    "z-index:2147483647;background:#fffbe6;color:#3d2e00;border:2px solid #8a6d00;border-radius:6px;padding:.5rem 1rem;"
    'font:14px/1.5 ui-monospace,monospace;box-shadow:0 4px 16px #0003"'
)


class Preview:
    """A session, a watcher and an HTTP server; ``start`` returns once the site is being served."""

    def __init__(self, options: Options, host: str = "127.0.0.1", port: int = 8000, log: bool = True) -> None:
        self.options = options
        self.session = LiveSite(options.settings, workers=default_workers())
        self._log = log
        self._lock = threading.Lock()  # one rebuild at a time; readers see a consistent site
        self._changed = threading.Condition()
        self._stopping = False
        self._observer = Observer()
        self._handler = _Debounced(self.rebuild)
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The site's address, under its base path (which follows site.toml while serving)."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{quote(self.base_path)}"

    def start(self) -> Outcome:
        outcome = self.rebuild(None, fork=True)  # no other thread yet: the first build may fork worker processes
        for folder in (self.options.content, self.options.templates):
            self._observer.schedule(self._handler, str(folder), recursive=True)
        self._observer.start()
        self._thread = threading.Thread(target=self._server.serve_forever, name="preview-http", daemon=True)
        self._thread.start()
        return outcome

    def stop(self) -> None:
        """Stop watching and serving; every thread and socket is closed when this returns."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self._handler.cancel()
        self._observer.stop()
        self._observer.join(timeout=5)
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def rebuild(self, paths: set[Path] | None, fork: bool = False) -> Outcome:
        with self._lock:
            # The site stays in memory for the whole session: keep the cyclic collector from walking it
            # again and again, which would add pauses of a few hundred ms to edits of a large archive.
            # It is off while a rebuild allocates, then frees the cycles among what the rebuild made,
            # and everything left is frozen out of its sight.
            with collector_off(then_collect_new=True):
                outcome = self.session.update(paths, fork=fork)
            gc.freeze()
        if self._log:
            self._print(outcome, paths)
        with self._changed:
            self._changed.notify_all()
        return outcome

    def _print(self, outcome: Outcome, paths: set[Path] | None) -> None:
        for diagnostic in outcome.report.items:
            print(diagnostic, file=sys.stderr)
        what = "built" if paths is None else f"rebuilt after {len(paths)} change{'s' if len(paths) != 1 else ''}"
        if outcome.ok:
            print(f"{what}: {outcome.rendered} pages rendered in {outcome.seconds * 1000:.0f} ms", flush=True)
        else:
            print(f"{what}: failed ({outcome.report.summary()}); still serving the last good pages", flush=True)

    # ---- HTTP ----------------------------------------------------------------------------------

    def state(self) -> tuple[str, Report]:
        """The build generation (changes whenever what the browser shows would change: the pages, or the report laid
        over them) and the last report."""
        report = self.session.report
        return f"{self.session.generation}.{zlib.crc32(repr(report.items).encode()):08x}", report

    @property
    def base_path(self) -> str:
        """Where the site is served: the base URL's path in the last good build's settings (it follows site.toml)."""
        return base_path_of(self.session.base_url)

    def respond(self, target: str) -> Response:
        """What the server answers for a GET of ``target`` (a pure lookup in the session's memory).

        The site lives under its base path, as it will when published: ``/`` (and the base path without its
        slash) redirect there, anything else outside it is the site's 404 page, and so is any path that
        ``request_path`` refuses. Redirects are 302 when they follow the settings, which can change while serving.
        """
        found = request_path(target)
        with self._lock:
            base = self.base_path
            if found is None:
                return self._not_found()
            path, query = found
            if not path.startswith(base):
                if path == "/" or path + "/" == base:
                    return self._redirect(HTTPStatus.FOUND, location(base, query))
                return self._not_found()
            rel = path[len(base) :]
            name = rel + "index.html" if rel == "" or rel.endswith("/") else rel
            body = self.session.file(name)
            if body is None:
                if rel and "." not in rel.rsplit("/", 1)[-1] and self.session.file(rel + "/index.html") is not None:
                    return self._redirect(HTTPStatus.MOVED_PERMANENTLY, location(path + "/", query))
                return self._not_found()
            return self._file(HTTPStatus.OK, name, body)

    def _not_found(self) -> Response:
        """The site's own 404 page, whose links start from the base path, as a static host would serve it."""
        body = self.session.file("404.html") or b"<!doctype html><title>Not found</title><h1>Not found</h1>"
        return self._file(HTTPStatus.NOT_FOUND, "404.html", body)

    def _file(self, status: HTTPStatus, name: str, body: bytes) -> Response:
        """One file of the site, typed by its name; HTML gets the reload script (and the errors, if any)."""
        generation, report = self.state()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if content_type == "text/html":
            body = self._inject(body, generation, report)
        if content_type.startswith("text/") or content_type in ("application/json", "application/xml", "application/javascript"):
            content_type += "; charset=utf-8"
        return Response(status, content_type, body)

    def _redirect(self, status: HTTPStatus, to: str) -> Response:
        body = f'<!doctype html><title>Moved</title><p>Moved to <a href="{html.escape(to)}">{html.escape(to)}</a>.</p>\n'
        return Response(status, "text/html; charset=utf-8", body.encode(), location=to)

    def _inject(self, page: bytes, generation: str, report: Report) -> bytes:
        extra = reload_script(generation) + overlay(report)
        text = page.decode()
        at = text.rfind("</body>")
        return (text[:at] + extra + text[at:] if at >= 0 else text + extra).encode()

    def events(self) -> Iterator[bytes]:
        """Server-sent events: the current generation at once, then each new one, until stopped."""
        last = None
        while True:
            with self._changed:
                if self._stopping:
                    return
                current, _ = self.state()
                if current == last:
                    self._changed.wait(timeout=15)
                    current, _ = self.state()
                    if current == last:
                        yield b": keep-alive\n\n"
                        continue
            last = current
            yield f"event: build\ndata: {current}\n\n".encode()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        preview = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "TimelinePreview"

            def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
                self._answer(send_body=True)

            def do_HEAD(self) -> None:  # noqa: N802
                self._answer(send_body=False)

            def _answer(self, send_body: bool) -> None:
                # http.server reads the request line as Latin-1; browsers send UTF-8 (percent-encoded or not)
                target = self.path.encode("latin-1").decode("utf-8", "surrogateescape")
                if target.partition("?")[0] == EVENTS_PATH:
                    self._stream(send_body)
                    return
                response = preview.respond(target)
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                self.send_header("Cache-Control", "no-store")
                if response.location:
                    self.send_header("Location", response.location)
                self.end_headers()
                if send_body:
                    self.wfile.write(response.body)

            def _stream(self, send_body: bool) -> None:
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                if not send_body:
                    return
                try:
                    for chunk in preview.events():
                        self.wfile.write(chunk)
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
                pass

        return Handler


def serve(options: Options, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Run the preview until Ctrl-C; exit code 0 on a clean stop. Loopback by default: the preview is for its writer."""
    preview = Preview(options, host, port)
    preview.start()
    print(f"serving {options.content} at {preview.url} (Ctrl-C to stop)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
    print("stopped", flush=True)
    return 0
