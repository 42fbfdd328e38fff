"""The build store: what one build keeps for the next, in one SQLite file (``.cache/timeline.db``).

It holds parsed notes (each with the state of its file when read) and a record of the last build: what it
read (the notes, and the files beside them that it copied), the fingerprint of every page, the state of every
file it wrote, its diagnostics, and each event page's
frame (the page without its body) for patching a body edit in. Everything is plain data, encoded with
msgspec's MessagePack into typed records: loading it runs no code, whoever wrote the file. The store is
never trusted: an entry that does not decode is a miss, and a file that SQLite cannot read, a store of
another format, or a folder or file where the other belongs is replaced, with one line saying so. It is a
cache: losing it costs time, never correctness.

A note counts as unchanged only when git would agree: same size, modification and change times and inode.
Where those cannot tell (they all differ after a checkout, or the note changed within ``RACY_NS`` of the
build that read it, when a second edit may leave them as they were), its content's digest decides.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from .diagnostics import Diagnostic
from .notes import Kind
from .reading import NoteState
from .reading import digest as content_digest
from .records import Actor, Event, Source, SourceNote

FORMAT = 1  # of the file's tables and records: another value means a store to start afresh
FILENAME = "timeline.db"
ROWS_PER_WRITE = 500  # rows a transaction writes: held this long, the store's one write lock never stalls another process
RACY_NS = 3_000_000_000  # file systems with 2 s timestamps (FAT) leave a second edit this close looking unchanged

# A note file's state: size, mtime_ns, ctime_ns, inode; whether it changed so close to the build that read it that a
# second edit could leave all four as they were; and the digest of its content as read ("" before it is read).
Stat = tuple[int, int, int, int, bool, str]
OutputStat = tuple[int, int]  # size, mtime_ns of a file the build wrote

def file_state(path: Path | str, since: int) -> Stat | None:
    """A note file's state, taken before it is read (``since``: when the build started, in ns)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mtime_ns > since - RACY_NS, "")


def unchanged(stored: Stat | None, path: Path | str, current: Stat | None = None) -> bool:
    """Whether a note file is as it was when ``stored`` was taken: as git would say, by its size, times and inode,
    and where those cannot tell (they changed, as a checkout changes them, or the file changed late), by its content."""
    if stored is None:
        return False
    now = current or file_state(path, 0)
    if now is not None and now[:4] == stored[:4] and not stored[4]:
        return True
    if not stored[5]:
        return False
    try:
        return content_digest(Path(path).read_bytes()) == stored[5]
    except OSError:
        return False


def output_state(path: Path) -> OutputStat | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


@dataclass(slots=True)
class LastBuild:
    """What the last successful build read and wrote."""

    key: str = ""  # everything besides the notes that its output depends on
    notes: dict[str, Stat] = field(default_factory=dict)  # note path -> its file's state when read
    pages: dict[str, str] = field(default_factory=dict)  # output path -> fingerprint of what it was rendered from
    outputs: dict[str, OutputStat] = field(default_factory=dict)  # output path -> its state when written
    diagnostics: tuple[Diagnostic, ...] = ()  # what it printed, printed again when nothing changed
    token: str = ""  # names the event page frames it stored; empty when it stored none
    local: dict[str, tuple[Diagnostic, ...]] = field(default_factory=dict)  # note path -> its own diagnostics
    shared: tuple[Diagnostic, ...] = ()  # every other diagnostic
    feeds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # slug -> the feeds that hold its entry (their paths)
    feed_tags: dict[str, tuple[str, ...]] = field(default_factory=dict)  # slug -> tag names, for a new entry
    # what links between notes can name, for a patched body's links: every actor, every event's slug, the drafts left out
    link_actors: tuple[Actor, ...] = ()
    link_slugs: tuple[str, ...] = ()
    link_drafts: tuple[str, ...] = ()
    media: dict[str, Stat] = field(default_factory=dict)  # file under the content folder -> its state when copied into the site
    link_titles: tuple[str, ...] = ()  # each of link_slugs' events by its title, which a [[slug]] with no text shows
    remarks: tuple[str, ...] = ()  # what it said of the site besides diagnostics (events the calendar leaves out)
    declared: dict[str, Source] = field(default_factory=dict)  # the sources of source notes, by id: a patched event's citations

    def outputs_intact(self, out: Path) -> bool:
        """Whether every file it wrote is still there as it was written."""
        folder = f"{out}{os.sep}"
        for rel, stat in self.outputs.items():
            try:
                found = os.stat(folder + rel)
            except OSError:
                return False
            if (found.st_size, found.st_mtime_ns) != stat:
                return False
        return bool(self.outputs)


_ENCODE = msgspec.msgpack.Encoder()
_EVENT = msgspec.msgpack.Decoder(tuple[Event | None, tuple[Diagnostic, ...], str])
_ACTOR = msgspec.msgpack.Decoder(tuple[Actor | None, tuple[Diagnostic, ...], str])
_SOURCE = msgspec.msgpack.Decoder(tuple[SourceNote | None, tuple[Diagnostic, ...], str])
_DECODERS: dict[str, tuple[Kind, msgspec.msgpack.Decoder[Any]]] = {
    "event": ("event", _EVENT), "actor": ("actor", _ACTOR), "source": ("source", _SOURCE),
}  # fmt: skip
_STAT = msgspec.msgpack.Decoder(Stat)
_LAST = msgspec.msgpack.Decoder(LastBuild)
_FRAME = msgspec.msgpack.Decoder(tuple[str, str, dict[str, Any], dict[str, dict[str, Any]]])

_SCHEMA = """
create table if not exists meta (name text primary key, value blob not null);
create table if not exists notes (path text primary key, stat blob not null, kind text not null, state blob not null);
create table if not exists frames (path text primary key, token text not null, frame blob not null);
"""
_LEGACY = ("notes", "snapshot", "manifest.pickle")  # what an earlier version kept in the folder, one file per note


def encode(value: Any) -> bytes:
    return _ENCODE.encode(value)


def decode_frame(entry: bytes) -> tuple[str, str, dict[str, Any], dict[str, dict[str, Any]]] | None:
    """An event page's frame as stored: its path, template, data and the cards it shows (None if it does not decode)."""
    try:
        return _FRAME.decode(entry)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


class Store:
    """One build's connection to the store. ``notice`` says, in one line, if the store had to be started afresh.

    Worker processes forked from a build use the store through the same object: each process opens its own
    connection when it first needs one.
    """

    def __init__(self, folder: Path, notes_key: str) -> None:
        self.folder = folder
        self.path = folder / FILENAME
        self.notes_key = notes_key
        self.notice: str | None = None
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._usable = True
        self._open()

    # ---- opening, healing ------------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self._prepare_folder()
            connection = self._connect()
            version = connection.execute("pragma user_version").fetchone()[0]
            if version not in (0, FORMAT):
                self._start_afresh(f"it was written by another version (format {version})")
                return
            connection.executescript(_SCHEMA)
            connection.execute(f"pragma user_version = {FORMAT}")
            if self._meta("notes_key") != self.notes_key.encode():
                with self.transaction() as db:
                    db.execute("delete from notes")
                    db.execute("insert or replace into meta values ('notes_key', ?)", (self.notes_key.encode(),))
        except sqlite3.DatabaseError as exc:
            self._start_afresh(f"it could not be read ({exc})")
        except OSError as exc:
            self._give_up(f"{self.folder} cannot be used ({exc.strerror or exc}), so nothing is kept for the next build")

    def _prepare_folder(self) -> None:
        """The store's folder, made, with anything where it belongs that is not the store cleared away."""
        if self.folder.is_symlink() or (self.folder.exists() and not self.folder.is_dir()):
            self.folder.unlink()
            self.notice = f"build store: {self.folder} was not a folder; it was replaced"
        self.folder.mkdir(parents=True, exist_ok=True)
        for name in _LEGACY:
            legacy = self.folder / name
            if legacy.is_dir() and not legacy.is_symlink():
                shutil.rmtree(legacy, ignore_errors=True)
            elif legacy.exists() or legacy.is_symlink():
                legacy.unlink()
        for name in (FILENAME, f"{FILENAME}-wal", f"{FILENAME}-shm"):
            place = self.folder / name
            if place.is_dir() and not place.is_symlink():
                shutil.rmtree(place)
                self.notice = f"build store: {place} was a folder; the store was started afresh"

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():
            self._connection = sqlite3.connect(self.path, timeout=60, isolation_level=None)  # transactions are explicit
            # Entries are a few KB each: on large pages most share one, so a build writes a tenth as many pages (this
            # takes effect when the file is made, before the journal mode is set).
            self._connection.execute("pragma page_size = 65536")
            self._connection.execute("pragma journal_mode = wal")
            self._connection.execute("pragma synchronous = normal")  # a cache: a power cut may lose it, never corrupt it
            self._pid = os.getpid()
        return self._connection

    def _start_afresh(self, why: str) -> None:
        self.notice = f"build store: {self.path} was started afresh: {why}"
        self.close()
        try:
            for name in (FILENAME, f"{FILENAME}-wal", f"{FILENAME}-shm"):
                (self.folder / name).unlink(missing_ok=True)
            connection = self._connect()
            connection.executescript(_SCHEMA)
            connection.execute(f"pragma user_version = {FORMAT}")
            connection.execute("insert or replace into meta values ('notes_key', ?)", (self.notes_key.encode(),))
        except (OSError, sqlite3.DatabaseError) as exc:
            self._give_up(f"{self.path} cannot be used ({exc}), so nothing is kept for the next build")

    def _give_up(self, why: str) -> None:
        self.notice = f"build store: {why}"
        self._usable = False
        self.close()

    def _broken(self, exc: Exception) -> None:
        """SQLite found the file damaged while in use: start afresh (what was read so far is not used again)."""
        self._start_afresh(f"it could not be read ({exc})")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        connection = self._connect()
        connection.execute("begin immediate")
        try:
            yield connection
        except BaseException:
            connection.execute("rollback")
            raise
        connection.execute("commit")

    def close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            try:
                self._connection.close()
            except sqlite3.Error:
                pass
        self._connection = None

    def _meta(self, name: str) -> bytes | None:
        row = self._connect().execute("select value from meta where name = ?", (name,)).fetchone()
        return bytes(row[0]) if row is not None else None

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if not self._usable:
            return []
        try:
            return self._connect().execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            self._broken(exc)
            return []

    def _write(self, sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
        """Write rows in transactions of ``ROWS_PER_WRITE``: processes writing side by side (the background store, the
        rendering workers) take turns between them rather than wait for one long transaction to end."""
        if not self._usable:
            return
        try:
            batch: list[tuple[Any, ...]] = []
            for row in rows:  # made (encoded) outside the transaction
                batch.append(row)
                if len(batch) == ROWS_PER_WRITE:
                    self._commit(sql, batch)
                    batch = []
            if batch:
                self._commit(sql, batch)
        except sqlite3.DatabaseError as exc:
            self._broken(exc)

    def _commit(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        with self.transaction() as db:
            db.executemany(sql, rows)

    # ---- parsed notes ----------------------------------------------------------------------------

    def notes(self) -> dict[str, tuple[Stat, NoteState]]:
        """Every parsed note kept, by path, with its file's state when parsed (entries that do not decode are left out)."""
        found = {}
        for path, stat, kind, state in self._query("select path, stat, kind, state from notes"):
            decoded = _decode_note(kind, stat, state)
            if decoded is None:
                self.notice = self.notice or f"build store: an entry of {self.path} could not be read; it is made again"
                continue
            found[path] = decoded
        return found

    def note(self, path: str) -> tuple[Stat, NoteState] | None:
        rows = self._query("select stat, kind, state from notes where path = ?", (path,))
        return _decode_note(rows[0][1], rows[0][0], rows[0][2]) if rows else None

    def put_notes(self, items: Iterable[tuple[str, Stat, NoteState]]) -> None:
        self._write(
            "insert or replace into notes values (?, ?, ?, ?)",
            ((path, encode(stat), state.kind, encode((state.record, state.diagnostics, state.digest))) for path, stat, state in items),
        )

    def keep_notes(self, paths: Iterable[str]) -> None:
        """Forget the notes not among ``paths`` (deleted or renamed since)."""
        keep = set(paths)
        gone = [(path,) for (path,) in self._query("select path from notes") if path not in keep]
        if gone:
            self._write("delete from notes where path = ?", gone)

    # ---- the last build --------------------------------------------------------------------------

    def last_build(self) -> LastBuild:
        rows = self._query("select value from meta where name = 'last_build'")
        if not rows:
            return LastBuild()
        try:
            return _LAST.decode(rows[0][0])
        except (msgspec.DecodeError, msgspec.ValidationError):
            self.notice = self.notice or f"build store: the record of the last build in {self.path} could not be read; building afresh"
            return LastBuild()

    def save_build(self, last: LastBuild) -> None:
        """Record the build, and drop the frames of earlier ones."""
        if not self._usable:
            return
        try:
            with self.transaction() as db:
                db.execute("insert or replace into meta values ('last_build', ?)", (encode(last),))
                db.execute("delete from frames where token != ?", (last.token,))
        except sqlite3.DatabaseError as exc:
            self._broken(exc)

    def forget_build(self) -> None:
        self._write("delete from meta where name = ?", [("last_build",)])

    def put_frames(self, token: str, frames: Mapping[str, bytes]) -> None:
        self._write("insert or replace into frames values (?, ?, ?)", ((path, token, frame) for path, frame in frames.items()))

    def frame(self, token: str, path: str) -> bytes | None:
        rows = self._query("select frame from frames where path = ? and token = ?", (path, token))
        return bytes(rows[0][0]) if rows else None


def _decode_note(kind: str, stat: bytes, state: bytes) -> tuple[Stat, NoteState] | None:
    try:
        known, decoder = _DECODERS.get(kind, _DECODERS["actor"])
        record, diagnostics, content = decoder.decode(state)
        return _STAT.decode(stat), NoteState(known, record, diagnostics, content)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


def now_ns() -> int:
    return time.time_ns()
