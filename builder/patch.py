"""The build after edits to event bodies alone, patched into the last build instead of laid out again.

An event's body shows on its own page and in the feed, nowhere else: not on its card, not in any list,
not in the JSON export. So when the notes that changed are events whose every field but the body is as
it was, the last build's layout still holds, and the build only needs that event's page frame (stored
by the last build), its new body, and the feed's entries. The full build leaves a ``Snapshot`` for this:
every event page's frame in pack files, each note's own diagnostics and the feed's parts. Anything
else (a new title, an error, a missing entry) returns None, and the caller makes the full build.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .cache import Stat, Where, read_pickle, write_pickle
from .checks import event_warnings
from .diagnostics import Diagnostic, Report
from .exports import feed_entry, join_feed
from .model import LinkIndex, with_hrefs
from .pages import event_path, page_print, read_frame, with_body
from .records import Event
from .render import Renderer
from .session import NoteState, Session

FOLDER = "snapshot"



@dataclass(slots=True)
class Snapshot:
    """What the last full build laid out, beyond the manifest: enough to patch in a new body."""

    token: str = ""  # names the folder of this snapshot's pack files; the manifest names the token it goes with
    frames: dict[str, Where] = field(default_factory=dict)  # event page path -> where its frame is stored
    local: dict[str, tuple[Diagnostic, ...]] = field(default_factory=dict)  # note path -> its own diagnostics
    shared: tuple[Diagnostic, ...] = ()  # every other diagnostic
    feed_head: str = ""
    feed_entries: dict[str, str] = field(default_factory=dict)  # slug -> Atom entry, newest first
    feed_tags: dict[str, tuple[str, ...]] = field(default_factory=dict)  # slug -> tag names, for a new entry
    has_index: bool = False  # whether the link index was stored (only when some note has links)

    @staticmethod
    def new_token() -> str:
        return uuid.uuid4().hex

    @staticmethod
    def pack(root: Path, token: str, number: int) -> Path:
        """A pack file of frames, written by one rendering process."""
        folder = root / FOLDER / token
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{number}.pack"

    @classmethod
    def load(cls, root: Path, token: str) -> Snapshot | None:
        loaded = read_pickle(root / FOLDER / token / "snapshot.pickle")
        return loaded if isinstance(loaded, cls) and loaded.token == token else None

    def save(self, root: Path, index: LinkIndex | None = None) -> None:
        folder = root / FOLDER / self.token
        folder.mkdir(parents=True, exist_ok=True)
        if index is not None:
            write_pickle(folder / "links.pickle", index)
        write_pickle(folder / "snapshot.pickle", self)

    @staticmethod
    def prune(root: Path, keep: str) -> None:
        """Remove the snapshots of earlier builds."""
        folder = root / FOLDER
        if folder.is_dir():
            for other in folder.iterdir():
                if other.name != keep:
                    shutil.rmtree(other, ignore_errors=True)

    def entry(self, root: Path, page: str) -> bytes | None:
        """An event page's stored frame entry (``pages.frame_entry``), or None."""
        where = self.frames.get(page)
        if where is None:
            return None
        number, offset, length = where
        try:
            with (root / FOLDER / self.token / f"{number}.pack").open("rb") as handle:
                handle.seek(offset)
                data = handle.read(length)
        except OSError:
            return None
        return data if len(data) == length else None

    def index(self, root: Path) -> LinkIndex | None:
        if not self.has_index:
            return None
        loaded = read_pickle(root / FOLDER / self.token / "links.pickle")
        return loaded if isinstance(loaded, LinkIndex) else None


@dataclass(frozen=True, slots=True)
class Patch:
    """The files a patched build writes, the report, and the records to keep for the next build."""

    report: Report
    files: dict[str, bytes]  # output path -> bytes
    prints: dict[str, str]  # page path -> its new fingerprint
    snapshot: Snapshot
    states: dict[Path, NoteState]  # the edited notes, for the note cache once the files are written


def body_only(old: Event, new: Event) -> bool:
    """Whether two versions of an event differ in their body at most."""
    return replace(new, body=old.body, body_html=old.body_html) == old


def patch(
    session: Session, snapshot: Snapshot, root: Path, templates: Path, changed: Iterable[Path], previous: Mapping[str, Stat]
) -> Patch | None:
    """The pages and feed after body edits to the ``changed`` event notes, or None when a full build is needed.

    ``previous`` gives each note's size and time at the last build, to find its cached state of then.
    """
    config = session.configure()
    local = dict(snapshot.local)
    entries = dict(snapshot.feed_entries)
    index: LinkIndex | None = None
    edited: list[tuple[bytes, Event]] = []
    states: dict[Path, NoteState] = {}
    for path in changed:
        kind = session.note_kind(path)
        stat = previous.get(str(path))
        old = session.cached(path, stat) if kind == "event" and stat is not None else None
        if old is None or not isinstance(old.record, Event):
            return None
        new = session.parse(path, "event")  # cached only once the patch is written: the old state may be needed again
        states[path] = new
        if not isinstance(new.record, Event) or not body_only(old.record, new.record):
            return None
        entry = snapshot.entry(root, event_path(new.record.slug))
        if entry is None:  # a draft this build leaves out, or a lost pack file
            return None
        event = new.record
        if event.body.links:
            index = index or snapshot.index(root)
            if index is None:  # no note had links before this one: there is no index to resolve them with
                return None
            event = with_hrefs(event, index)
        local[str(path)] = new.diagnostics + tuple(event_warnings(new.record, index))
        if event.slug in entries:
            entries[event.slug] = feed_entry(new.record, snapshot.feed_tags[event.slug], config.base_url, index)
        edited.append((entry, event))

    report = Report.of([*snapshot.shared, *(d for found in local.values() for d in found)])
    kept = replace(snapshot, local=local, feed_entries=entries)
    if report.errors:  # the build fails: nothing to render
        return Patch(report, {}, {}, kept, states)
    renderer = Renderer(templates, templates.as_posix())
    files: dict[str, bytes] = {}
    prints: dict[str, str] = {}
    for entry, event in edited:
        frame, cards = read_frame(entry)
        page = with_body(frame, event)
        files[page.path] = renderer.render(page, cards)
        prints[page.path] = page_print(entry, page)
    if entries != snapshot.feed_entries:
        files["feed.xml"] = join_feed(snapshot.feed_head, entries)
    return Patch(report, files, prints, kept, states)
