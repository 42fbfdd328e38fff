"""Finding the notes of a content folder: events/ and below, actors/, sources/. The only part that walks the folder.

Nothing here is opened but folders, and every file or folder left out is said, with why: see ``scan``.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .diagnostics import Diagnostic, error, warning
from .notes import Kind, what_it_is
from .text import NOTE_SUFFIXES


def note_files(content_dir: Path) -> list[tuple[Path, Kind]]:
    """Every note under content/, in a stable order."""
    return scan(content_dir)[0]


def scan(content_dir: Path) -> tuple[list[tuple[Path, Kind]], list[Diagnostic]]:
    """Every note under content/ (events/ and below, actors/, sources/), in a stable order, and what there is not read and why.

    Nothing here is opened but folders: a pipe named like a note would block the build forever, and a device
    could feed it without end. A symlink is followed only where it stays inside the content folder, and never
    into a folder that is read anyway, so no loop of links goes round. (Names that macOS takes for one are the
    model's to report, with every other pair of notes that would make one page.)

    An error means a note the writer wrote would be left out (an unreadable file or folder, a pipe, socket or
    device named like a note, a folder named like one in actors/ or sources/); a warning means
    something that holds no note of this tree is not followed (a link leading outside, nowhere or in a circle).
    """
    scanner = _Scanner(content_dir)
    events = scanner.top("events", recursive=True)
    actors = scanner.top("actors", recursive=False)
    sources = scanner.top("sources", recursive=False)
    found: list[tuple[Path, Kind]] = [(path, "event") for path in events] + [(path, "actor") for path in actors]
    found += [(path, "source") for path in sources]
    return found, scanner.problems


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


# Said of a file beside the notes that is not one; the model drops it for a file a note links to (an image, a PDF).
UNREAD = "is not a note (.md or .markdown) and no note links to it: it is left out of the site"


class _Scanner:
    """One walk of the content folder: the notes found and the problems met, each at the path it is about."""

    def __init__(self, content_dir: Path) -> None:
        self.content = content_dir
        self.root = os.path.realpath(content_dir)
        self.problems: list[Diagnostic] = []

    def shown(self, path: Path) -> str:
        shown = f"{self.content.as_posix()}/{path.relative_to(self.content).as_posix()}"
        return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")  # a name not in UTF-8 shows its bytes

    def error(self, path: Path, message: str) -> None:
        self.problems.append(error(self.shown(path), 1, message))

    def warning(self, path: Path, message: str) -> None:
        self.problems.append(warning(self.shown(path), 1, message))

    def top(self, name: str, recursive: bool) -> list[Path]:
        """The notes of events/, actors/ or sources/, sorted by path as note_files always has."""
        folder = self.content / name
        try:
            mode = os.lstat(folder).st_mode
        except FileNotFoundError:
            return []  # a site may have no actor notes, or no events yet
        except OSError as exc:
            self.error(folder, f"cannot be read ({_reason(exc)}); the notes in it are left out")
            return []
        real = os.path.realpath(folder)
        if stat.S_ISLNK(mode):
            target = self.follow(folder)
            if target is None:
                return []
            mode = target
        if not stat.S_ISDIR(mode):
            self.error(folder, f'is not a folder, so no note is read from it: notes go in a folder named "{name}"')
            return []
        found: list[Path] = []
        self.folder(folder, recursive, real, (real,), found)
        return sorted(found)

    def follow(self, link: Path) -> int | None:
        """The mode of what a symlink leads to, or None (and why, reported) where it is not to be followed."""
        try:
            mode = os.stat(link).st_mode
        except FileNotFoundError:
            if not link.name.startswith(".#"):  # Emacs marks a note it edits with such a link to nowhere
                self.warning(link, f"is a symlink to {os.readlink(link)}, which does not exist; skipped")
            return None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self.warning(link, "is a symlink that leads back to itself (a loop); skipped")
            else:
                self.error(link, f"cannot be read ({_reason(exc)}); skipped")
            return None
        if not within(self.root, link):
            self.warning(link, f"is a symlink to {os.readlink(link)}, outside the content folder; not followed")
            return None
        return mode

    def folder(self, folder: Path, recursive: bool, tree: str, ancestors: tuple[str, ...], found: list[Path]) -> None:
        """The notes (.md and .markdown files) of one folder (and, recursively, of the folders below it) into ``found``."""
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            self.error(folder, f"cannot be read ({_reason(exc)}); the notes in it are left out")
            return
        for entry in entries:
            self.entry(entry, folder, recursive, tree, ancestors, found)

    def entry(
        self, entry: os.DirEntry[str], folder: Path, recursive: bool, tree: str, ancestors: tuple[str, ...], found: list[Path]
    ) -> None:
        path = folder / entry.name
        note = entry.name.endswith(NOTE_SUFFIXES)
        if note and entry.is_file(follow_symlinks=False) and (entry.name.isascii() or _utf8(entry.name)):
            found.append(path)  # the usual case, told from the folder's listing alone
            return
        if not entry.name.isascii() and not _utf8(entry.name):
            if note or entry.is_dir():
                what = "file" if note else "folder"
                self.error(path, f"{what} name is not UTF-8, which a web address or page cannot hold; rename it")
            return
        try:
            link = entry.is_symlink()
            mode = self.follow(path) if link else _mode(entry)
        except OSError as exc:
            if note:
                self.error(path, f"cannot be read ({_reason(exc)}); skipped")
            return
        if mode is None:
            return
        if stat.S_ISREG(mode):
            if note:  # (one it cannot read is reported when it is read)
                found.append(path)
            elif not entry.name.startswith(".") and not is_editor_temp(path):
                self.warning(path, UNREAD)
        elif stat.S_ISDIR(mode):
            if note and recursive:
                self.warning(path, "is a folder named like a note; it is read as a folder, its notes included")
            elif note:
                self.error(path, f"is a folder named like a note; {folder.name}/ holds notes only, so nothing in it is read")
            if recursive:
                self.subfolder(path, link, tree, ancestors, found)
        elif note:
            self.error(path, f"is {what_it_is(mode)}, not a note; it is not opened")
        else:
            self.warning(path, f"is {what_it_is(mode)}; it is not opened")

    def subfolder(self, path: Path, link: bool, tree: str, ancestors: tuple[str, ...], found: list[Path]) -> None:
        real = os.path.realpath(path)
        if link and real in ancestors:
            self.warning(path, "is a symlink to a folder it is in (a loop); not followed")
        elif link and os.path.commonpath([tree, real]) == tree:
            where = self.shown(self.content / os.path.relpath(real, self.root))
            self.warning(path, f"is a symlink to {where}, whose notes are read there; not followed")
        else:
            self.folder(path, True, tree, (*ancestors, real), found)


def within(root: str, path: Path | str) -> bool:
    """Whether ``path``, its symlinks followed, is inside the folder ``root`` (itself resolved): what content/ holds."""
    return os.path.commonpath([root, os.path.realpath(path)]) == root


def _mode(entry: os.DirEntry[str]) -> int:
    """The type of a folder's entry, from the listing itself where it says (no call to the system per note)."""
    if entry.is_file(follow_symlinks=False):
        return stat.S_IFREG
    if entry.is_dir(follow_symlinks=False):
        return stat.S_IFDIR
    return entry.stat(follow_symlinks=False).st_mode


def _utf8(name: str) -> bool:
    """Whether a file name as os.scandir gives it was UTF-8 on disk (other bytes come back as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
