"""The build cache in ``.cache/``: one entry per note, and a manifest of the last build.

A note's entry is keyed by its path and found valid by its size and modification time; the whole
cache is namespaced by a key of everything else a parsed note depends on (this code's version, the
settings), so a change to any of those starts a fresh namespace instead of serving stale records.
The manifest records, for the last successful build, what went in (every note's stat, the build key)
and what came out (each page's fingerprint, each output file's size and time), so that a build with
nothing changed can stop after a few thousand ``stat`` calls.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent
_LIBRARIES = ("jinja2", "markdown_it", "markdown_it_pyrs", "yaml", "frontmatter")  # modules whose output we keep

Stat = tuple[int, int]  # (size, mtime_ns)
Where = tuple[int, int, int]  # (file number, offset, length) of something stored in one of several files


def stat_of(path: Path) -> Stat | None:
    try:
        result = path.stat()
    except OSError:
        return None
    return (result.st_size, result.st_mtime_ns)


def digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


@functools.cache
def code_version() -> str:
    """Changes whenever this package's code or a library that shapes its output changes.

    Computed once per process: the code running is the code that was loaded, whatever happens on disk later.
    """
    parts: list[bytes | str] = [p.read_bytes() for p in sorted(_PACKAGE.glob("*.py"))]
    for name in _LIBRARIES:
        try:
            module = importlib.import_module(name)  # already imported by the modules that use it: this only looks it up
        except ImportError:
            parts.append(f"{name} missing")
            continue
        version = getattr(module, "__version__", None)  # read here rather than with importlib.metadata, slow to import
        parts.append(f"{name}=={version}" if version else digest(Path(module.__file__ or name).read_bytes()))
    return digest(*parts)


def tree_digest(folder: Path) -> str:
    """Every file below a folder, by path and content: templates and static assets."""
    if not folder.is_dir():
        return digest("missing")
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return digest(*(x for p in files for x in (p.relative_to(folder).as_posix(), p.read_bytes())))


class NoteCache:
    """Parsed notes on disk, one small file each, under a namespace for one key."""

    def __init__(self, root: Path, key: str) -> None:
        self._dir = root / "notes" / key
        self._root = root / "notes"
        self._ready = False
        self._entries: dict[Path, str] = {}  # (computed once per note: a build asks for each note's entry twice)

    def _entry(self, path: Path) -> str:
        entry = self._entries.get(path)
        if entry is None:
            entry = self._entries[path] = os.path.join(self._dir, f"{digest(os.path.abspath(path))}.pickle")
        return entry

    def get(self, path: Path, stat: Stat) -> Any | None:
        """The value stored for this note if the file is still the one it was made from."""
        stored = read_pickle(self._entry(path))
        if not isinstance(stored, tuple) or len(stored) != 2:
            return None
        stored_stat, value = stored
        return value if stored_stat == stat else None

    def put(self, path: Path, stat: Stat, value: Any) -> None:
        if not self._ready:
            self._dir.mkdir(parents=True, exist_ok=True)
            for other in self._root.iterdir():  # namespaces of older keys can never be read again
                if other != self._dir:
                    shutil.rmtree(other, ignore_errors=True)
            self._ready = True
        write_pickle(self._entry(path), (stat, value))

    def prune(self, keep: Iterable[Path]) -> None:
        """Drop the entries of notes that no longer exist (and any temporary file a stopped build left)."""
        wanted = {os.path.basename(self._entry(p)) for p in keep}
        if self._dir.is_dir():
            for name in os.listdir(self._dir):
                if name not in wanted:
                    (self._dir / name).unlink(missing_ok=True)


@dataclass(slots=True)
class Manifest:
    """What the last successful build read and wrote."""

    key: str = ""
    notes: dict[str, Stat] = field(default_factory=dict)  # note path -> stat when read
    pages: dict[str, str] = field(default_factory=dict)  # output path -> fingerprint of what it was rendered from
    outputs: dict[str, Stat] = field(default_factory=dict)  # output path -> stat when written
    diagnostics: tuple[Any, ...] = ()  # the warnings it printed, printed again when nothing changed
    snapshot: str = ""  # the token of the layout it left for patching (see patch.Snapshot), if any

    @classmethod
    def load(cls, root: Path) -> Manifest:
        loaded = read_pickle(root / "manifest.pickle")
        return loaded if isinstance(loaded, cls) else cls()

    def save(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        write_pickle(root / "manifest.pickle", self)

    def outputs_intact(self, out: Path) -> bool:
        """Whether every file the last build wrote is still there as it was written."""
        return bool(self.outputs) and all(stat_of(out / rel) == stat for rel, stat in self.outputs.items())


class Spill:
    """Strings parked in unnamed temporary files and read back by key: what a build needs once, late, and
    would otherwise hold in memory all along (and copy into every worker process it forks).

    There is one file per part, so forked processes can each fill their own and send back only where
    they put things (``index``, ``adopt``). Reads use ``pread``: processes sharing a file never race on its offset.
    """

    def __init__(self, folder: Path | None = None, parts: int = 1) -> None:
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        self._files = [tempfile.TemporaryFile(dir=folder) for _ in range(parts)]
        self._ends = [0] * parts
        self._where: dict[str, Where] = {}  # key -> (part, offset, length)
        self._unflushed = False

    def put(self, key: str, text: str, part: int = 0) -> None:
        data = text.encode()
        self._files[part].write(data)
        self._where[key] = (part, self._ends[part], len(data))
        self._ends[part] += len(data)
        self._unflushed = True

    def flush(self) -> None:
        """Write out what is buffered: before forking, so no process inherits a buffer to write twice, and
        before another process reads what this one put."""
        for file in self._files:
            file.flush()
        self._unflushed = False

    def index(self) -> dict[str, Where]:
        """Where everything put in this process is (flushed): for the process that forked it to ``adopt``."""
        self.flush()
        return dict(self._where)

    def adopt(self, index: dict[str, Where]) -> None:
        self._where.update(index)

    def get(self, key: str) -> str | None:
        where = self._where.get(key)
        if where is None:
            return None
        if self._unflushed:
            self.flush()
        part, offset, length = where
        file = self._files[part]
        if hasattr(os, "pread"):
            return os.pread(file.fileno(), length, offset).decode()
        file.seek(offset)  # no pread (Windows), where no process is forked either
        data = file.read(length)
        file.seek(0, os.SEEK_END)
        return data.decode()

    def close(self) -> None:
        for file in self._files:
            file.close()


def notes_stats(paths: Iterable[Path]) -> dict[str, Stat]:
    return {str(p): s for p in paths if (s := stat_of(p)) is not None}


def read_pickle(path: Path | str) -> Any | None:
    """What a cache file holds, or None when it is missing or unreadable (left by another version, cut short)."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return None


def write_pickle(path: Path | str, value: Any) -> None:
    atomic_write(Path(path), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def atomic_write(target: Path, data: bytes) -> None:
    """Write a file whole or not at all: readers see the old bytes or the new, never part of them.

    The temporary file is named after the process (cheaper than ``mkstemp``, which a build would call for
    every note), so processes writing side by side never share one.
    """
    temp = f"{target}.{os.getpid()}.tmp"
    try:
        with open(temp, "wb") as out:
            out.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
