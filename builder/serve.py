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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .build import Options, collector_off, default_workers
from .diagnostics import Report, Severity
from .preview import LiveSite, Outcome

EVENTS_PATH = "/__timeline__/events"
DEBOUNCE_SECONDS = 0.1

RELOAD_SCRIPT = (
    "<script>(function(){var s=new EventSource('" + EVENTS_PATH + "'),g=null;"
    "s.addEventListener('build',function(e){if(g!==null&&e.data!==g){location.reload();}g=e.data;});"
    "})();</script>"
)

_TEMP_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".swpx", ".tmp", ".bak", ".part", ".crswap", "___jb_tmp___", "___jb_old___")


def is_editor_temp(path: Path) -> bool:
    """Files editors write beside the real one while saving (vim, Emacs, JetBrains, VS Code, Kate...)."""
    name = path.name
    return (
        name.startswith((".#", "#", ".~"))
        or name.endswith(_TEMP_SUFFIXES)
        or name in ("4913", ".DS_Store")
        or (name.startswith(".") and name.endswith(".swp"))
        or ".sb-" in name  # Kate/Qt atomic save
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


def overlay(report: Report) -> str:
    """The errors of a failed rebuild, as a panel laid over the last good page."""
    items = "".join(
        f"<li><code>{html.escape(str(d))}</code></li>" for d in report.items if d.severity is Severity.ERROR
    )
    return (
        '<div id="timeline-errors" role="alert" style="position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;'
        "z-index:2147483647;background:#fff5f5;color:#5c0011;border-bottom:3px solid #c00;padding:1rem 1.5rem;"
        'font:14px/1.5 ui-monospace,monospace;box-shadow:0 4px 16px #0003">'
        f"<strong>Build failed: {report.summary()}.</strong> The last good pages are shown until the notes are fixed."
        f'<ul style="margin:.5rem 0 0;padding-left:1.25rem">{items}</ul></div>'
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
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

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

    def state(self) -> tuple[int, Report]:
        """The build generation (changes whenever what the browser shows would change) and the last report."""
        report = self.session.report
        return self.session.generation * 2 + (1 if report.errors else 0), report

    def respond(self, target: str) -> Response:
        """What the server answers for a GET of ``target`` (a pure lookup in the session's memory)."""
        path = unquote(urlsplit(target).path)
        parts = PurePosixPath(path).parts[1:]
        if ".." in parts:
            return Response(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"bad path\n")
        rel = "/".join(parts)
        with self._lock:
            body = self.session.file(rel + "/index.html" if rel and path.endswith("/") else rel or "index.html")
            if body is None and rel and "." not in parts[-1] and self.session.file(rel + "/index.html") is not None:
                return Response(HTTPStatus.MOVED_PERMANENTLY, "text/plain; charset=utf-8", b"", location=path + "/")
            status = HTTPStatus.OK
            if body is None:
                status, body = HTTPStatus.NOT_FOUND, self.session.file("404.html") or b"<!doctype html><title>Not found</title>"
                rel = "404.html"
            _, report = self.state()
        content_type = mimetypes.guess_type(rel if "." in rel.rsplit("/", 1)[-1] else "index.html")[0] or "application/octet-stream"
        if content_type == "text/html":
            body = self._inject(body, report)
        if content_type.startswith("text/") or content_type in ("application/json", "application/xml", "application/javascript"):
            content_type += "; charset=utf-8"
        return Response(status, content_type, body)

    def _inject(self, page: bytes, report: Report) -> bytes:
        extra = RELOAD_SCRIPT + (overlay(report) if report.errors else "")
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
                if urlsplit(self.path).path == EVENTS_PATH:
                    self._stream()
                    return
                self._answer(send_body=True)

            def do_HEAD(self) -> None:  # noqa: N802
                self._answer(send_body=False)

            def _answer(self, send_body: bool) -> None:
                response = preview.respond(self.path)
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                self.send_header("Cache-Control", "no-store")
                if response.location:
                    self.send_header("Location", response.location)
                self.end_headers()
                if send_body:
                    self.wfile.write(response.body)

            def _stream(self) -> None:
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                try:
                    for chunk in preview.events():
                        self.wfile.write(chunk)
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
                pass

        return Handler


def serve(options: Options, host: str, port: int) -> int:
    """Run the preview until Ctrl-C; exit code 0 on a clean stop."""
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
