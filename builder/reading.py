"""Reading notes into records: one note at a time, or many in forked processes, with bodies parked on disk.

A one-shot build reads every note in worker processes and keeps the event bodies out of memory (in a
``Bodies`` spill file per process) until the page that shows them is made: bodies are over half of the
records' memory, and only their own page and the feed show them. What was parsed afresh goes back to the
caller with its file state, for the store.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .diagnostics import Diagnostic
from .markup import Body, Markdown
from .notes import Kind, parse_note, read_file
from .pickling import fast_pickle
from .placeholders import placeholder_problems
from .records import Actor, Event, SourceNote, actor_from_note, event_from_note, source_from_note
from .text import NOTE_SUFFIXES
from .workers import fork_map

PARALLEL_NOTES = 500  # below this many notes, forking reading processes costs more than it saves

Where = tuple[int, int, int]  # (part, offset, length) of something stored in one of several files


def digest(data: bytes) -> str:
    """A note file's content, as a short digest."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@fast_pickle
@dataclass(frozen=True, slots=True)
class NoteState:
    """A note as read: its kind, its record (None when it has an error) and its own diagnostics."""

    kind: Kind
    record: Event | Actor | SourceNote | None
    diagnostics: tuple[Diagnostic, ...]
    digest: str = ""  # of the file's content as read: tells an unchanged note whose file times changed


def note_kind(path: Path, content: Path) -> Kind | None:
    """What a file under the content folder is: an event note, an actor note, a source note, or none of them."""
    if path.suffix not in NOTE_SUFFIXES:
        return None
    if path.is_relative_to(content / "events"):
        return "event"
    if path.parent == content / "actors":
        return "actor"
    if path.parent == content / "sources":
        return "source"
    return None


def read_state(path: Path, content: Path, kind: Kind, markdown: Markdown) -> NoteState:
    """Read and validate one note (a module function, so worker processes can run it too)."""
    shown = f"{content.as_posix()}/{path.relative_to(content).as_posix()}"
    raw, unread = read_file(path, shown)
    if raw is None:
        return NoteState(kind, None, tuple(unread))
    note, problems = parse_note(raw, shown, unicodedata.normalize("NFC", path.stem), kind)  # the same name from macOS or not
    record: Event | Actor | SourceNote | None = None
    if note is not None:
        folder = path.parent.relative_to(content).as_posix()  # where paths to files beside the note start from
        if kind == "event":
            record, found = event_from_note(note, markdown, folder)
        elif kind == "source":
            record, found = source_from_note(note, markdown, folder)
        else:
            record, found = actor_from_note(note, markdown, folder)
        problems += found + placeholder_problems(note)
    return NoteState(kind, record, tuple(problems), digest(raw))


class Bodies:
    """Event bodies parked in unnamed temporary files and read back by slug.

    There is one file per process, so forked readers each fill their own and send back only where they put
    things (``index``, ``adopt``). Reads use ``pread``: processes sharing a file never race on its offset.
    """

    def __init__(self, folder: Path | None = None, parts: int = 1) -> None:
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        self._files = [tempfile.TemporaryFile(dir=folder) for _ in range(parts)]
        self._ends = [0] * parts
        self._where: dict[str, Where] = {}

    def park(self, state: NoteState, part: int = 0) -> NoteState:
        """The state with its event's body parked here (``whole`` brings it back). A body with links to other notes
        or to files stays: the model resolves and checks those links, and such bodies are few."""
        record = state.record
        if not isinstance(record, Event) or record.body.links or record.body.files or not record.body.html:
            return state
        data = record.body.html.encode()
        self._files[part].write(data)
        self._where[record.slug] = (part, self._ends[part], len(data))
        self._ends[part] += len(data)
        return replace(state, record=replace(record, body=Body()))

    def whole(self, event: Event) -> Event:
        """An event with its parked body back."""
        where = self._where.get(event.slug)
        if where is None:
            return event
        part, offset, length = where
        file = self._files[part]
        file.flush()
        if hasattr(os, "pread"):
            data = os.pread(file.fileno(), length, offset)
        else:  # no pread (Windows), where no process is forked either
            file.seek(offset)
            data = file.read(length)
            file.seek(0, os.SEEK_END)
        return replace(event, body=Body(data.decode()))

    def index(self) -> dict[str, Where]:
        """Where everything parked in this process is (flushed): for the process that forked it to ``adopt``."""
        self.flush()
        return dict(self._where)

    def adopt(self, index: dict[str, Where]) -> None:
        self._where.update(index)

    def flush(self) -> None:
        """Write out what is buffered: before forking, so no process inherits a buffer to write twice."""
        for file in self._files:
            file.flush()

    def close(self) -> None:
        for file in self._files:
            file.close()


Read = Callable[[Path, Kind], tuple[NoteState, bool]]  # a note's state, and whether it was parsed afresh


def read_all(
    files: Sequence[tuple[Path, Kind]], read: Read, workers: int = 1, bodies: Bodies | None = None
) -> tuple[dict[Path, NoteState], list[Path]]:
    """Every note's state, in the files' order, and which were parsed afresh. With more than one worker and enough
    notes, shares are read in forked processes; with ``bodies``, event bodies are parked there as they are read."""
    n = workers if len(files) >= PARALLEL_NOTES else 1

    def share(part: int, chunk: Sequence[tuple[Path, Kind]]) -> tuple[list[tuple[Path, NoteState]], list[Path], dict[str, Where]]:
        states, fresh = [], []
        for path, kind in chunk:
            state, parsed = read(path, kind)
            states.append((path, bodies.park(state, part) if bodies is not None else state))
            if parsed:
                fresh.append(path)
        return states, fresh, bodies.index() if bodies is not None else {}

    found: dict[Path, NoteState] = {}
    fresh: list[Path] = []
    for states, parsed, index in fork_map(share, [files[i::n] for i in range(n)]):
        found.update(states)
        fresh += parsed
        if bodies is not None:
            bodies.adopt(index)
    return {path: found[path] for path, _ in files}, fresh
