"""Writing the site: a build never leaves a half-written site, not even when it is killed.

The output folder is the build's alone. It holds a marker file that lists every file the build wrote
there; a build deletes only files that the marker lists, and refuses (before touching anything) a folder
that holds the notes, the templates or a project, a non-empty folder without the marker, a mount point
and a file. Files that other tools put there (Pagefind's ``pagefind/``) are carried into every new site.

How a new site replaces the old one (``Staging``): worker processes write the changed files into a
staging folder beside the site (``.site.new-XXXXXXXX``). When the whole build has succeeded, a second
full tree beside the site (``.site.spare``) is made to match the site, with hard links for every file
that stays as it was (copies where the file system has no hard links), the staged files are moved in
and the files the build no longer makes are removed; then the two folders are exchanged with one
``renameat2(RENAME_EXCHANGE)`` call (Linux; ext4, xfs, btrfs and tmpfs, among others, support it).
Whoever opens ``site/...`` sees, for every path, either the whole old site or the whole new
one: there is no moment of a mix, and none with no site at all. A reader already inside the old folder
(an open file, a shell's current folder) goes on seeing the old site. After the exchange the spare
holds the old site and is kept for the next build, which brings it up to date reading only the folders
that changed since (most entries are hard links to the very same files), so a build that changes one
page costs a look at each folder's state and a few renames rather than a copy of every file. The spare costs a second set
of folders (4 KiB each on ext4) and keeps the last build's version of each file it changed. A build into
a folder that does not exist yet renames its staging folder into place.

Where the exchange is not available (another system, an old kernel or libc, a file system that refuses
it), the switch is three renames: the site aside to ``.site.old-XXXXXXXX``, the new tree in, the old
one to the spare. Between the first two a reader finds no site for a moment, never a mix; if the build
is killed there, the next one puts the old site back first.

One build at a time writes a given output folder: a build holds an ``flock`` on ``.site.lock`` beside
it (released by the system when the process ends, however it ends) and says so on stderr while it
waits for another. Holding it, a build removes what killed builds of the same folder left beside it
(staging folders, the site set aside); names of other output folders never match.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path, PurePosixPath

try:
    import fcntl
except ImportError:  # not a POSIX system: builds of one folder are not kept apart
    fcntl = None  # type: ignore[assignment]

MARKER = ".timeline-builder"  # in the output folder: says the build made it, and lists what it wrote there
MARKER_HEAD = "# Written by Timeline Builder: the files it made in this folder, which the next build may replace or delete.\n"
# Beside the output folder, .<name>.<what>: the build's own names (the project's .gitignore has /.site.*)
STAGING = "new"  # .site.new-XXXXXXXX, a build's changed files until it commits
ASIDE = "old"  # .site.old-XXXXXXXX, the old site for a moment, where the exchange is not available
SPARE = "spare"  # .site.spare, the tree the next build makes into the new site
LOCK = "lock"  # .site.lock, held by the build that writes the site
SPARE_RECORD = ".timeline-builder-spare"  # in the spare: which of its folders match the site's (see _Mirror)


class Refused(Exception):
    """An output folder the build will not write to. Nothing has been touched."""


def refusal(out: Path, protected: Mapping[str, Path]) -> str | None:
    """Why the build must not write to ``out``, or None. ``protected`` names folders (the notes, the templates,
    the project) that the output may neither be nor hold; the notes and templates may not hold it either."""
    target = out.resolve()
    if target.exists() and not target.is_dir():
        return f"{out} is a file, not a folder"
    if ".git" in target.parts:
        return f"{out} is inside a git repository's own folder"
    for what, folder in protected.items():
        place = folder.resolve()
        if place == target or place.is_relative_to(target):
            return f"{out} would hold {what} ({folder}), and the build replaces what the output folder holds"
        if what in ("the content folder", "the templates folder") and target.is_relative_to(place):
            return f"{out} is inside {what} ({folder})"
    if (target / ".git").exists():
        return f"{out} is a git work tree"
    if target.is_dir() and os.path.ismount(target):
        return f"{out} is a mount point, and the build replaces the output folder as a whole; choose a folder inside it"
    if target.is_dir() and owned(target) is None and any(target.iterdir()):
        return (f"{out} is a folder that this tool did not make (it has files but no {MARKER} marker); "
                "empty or remove it, or choose another --out")  # fmt: skip
    return None


def work_tree(folder: Path) -> Path | None:
    """The root of the git work tree that holds ``folder``, if any."""
    for place in (folder.resolve(), *folder.resolve().parents):
        if (place / ".git").exists():
            return place
    return None


def owned(out: Path) -> set[str] | None:
    """The files the marker in ``out`` says the build wrote there (None: no marker), as it says them: ``deletable``
    drops the names that could lead outside the folder before anything is deleted."""
    try:
        text = (out / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith(MARKER_HEAD):
        return None
    return set(text[len(MARKER_HEAD):].splitlines())


def deletable(names: Iterable[str]) -> set[str]:
    """The names among ``names`` that stay inside the folder (not absolute, no ``..``): whatever a marker says, nothing
    outside is ever deleted."""
    return {name for name in names if _inside(name)}


def _inside(rel: str) -> bool:
    return rel != MARKER and "\\" not in rel and all(part not in ("", ".", "..") for part in rel.split("/"))  # "/x" starts with ""


def marker(outputs: Iterable[str]) -> bytes:
    return (MARKER_HEAD + "".join(f"{rel}\n" for rel in sorted(set(outputs) - {MARKER}))).encode()


def read_static(static_dir: Path, prefix: str = "static") -> dict[str, bytes]:
    """Static assets shipped with the templates, keyed by their path in the site."""
    if not static_dir.is_dir():
        return {}
    return {
        f"{prefix}/{path.relative_to(static_dir).as_posix()}": path.read_bytes()
        for path in sorted(static_dir.rglob("*"))
        if path.is_file()
    }




def beside(out: Path, what: str) -> Path:
    """The build's own name ``.<name>.<what>`` beside the output folder (``out`` as resolved)."""
    return out.parent / f".{out.name}.{what}"


class Staging:
    """The files a build writes, gathered beside the site until ``commit`` puts the whole new site in place at once.

    Only changed files are staged; ``write`` may be called from forked worker processes.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out = out_dir.resolve()  # through a symbolic link: the folder it leads to is replaced, the link stays
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.fresh = not self.out.is_dir()  # no site yet: the staging folder becomes the site
        self.dir = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.{STAGING}-", dir=self.out.parent))
        os.chmod(self.dir, 0o755)

    def write(self, rel: str, data: bytes) -> bool:
        """Stage a file unless the site already holds these exact bytes; True when staged."""
        if not self.fresh:
            try:
                if (self.out / rel).read_bytes() == data:
                    return False
            except OSError:
                pass
        target = self.dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return True

    def commit(self, outputs: Iterable[str]) -> int:
        """Put the new site in place in one step: the site as it was, with the staged files and without those
        that the last build wrote and this one did not (see the module's docstring).

        ``outputs`` is every file this build produced, staged or left as it was; the marker lists them.
        Returns 1 when the marker itself was (re)written, else 0.
        """
        outputs = set(outputs)
        wrote = int(self.write(MARKER, marker(outputs)))
        if self.fresh:
            os.replace(self.dir, self.out)
            return wrote
        removed = deletable((owned(self.out) or set()) - outputs)
        staged = _files(self.dir)
        spare = beside(self.out, SPARE)
        if os.path.lexists(spare) and (spare.is_symlink() or not spare.is_dir()):
            spare.unlink()
        if not spare.is_dir():
            spare.mkdir()
        shutil.copymode(self.out, spare)
        mirror = _Mirror(staged.keys() | removed, _last_record(spare))
        mirror.folder(str(self.out), str(spare))
        for rel, path in sorted(staged.items()):
            target = spare / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            mirror.changed(rel)
        for rel in sorted(removed):
            _remove(spare, rel)
            mirror.changed(rel)
        _switch(spare, self.out)
        _keep_record(spare, mirror.now)  # now the old site
        shutil.rmtree(self.dir, ignore_errors=True)
        return wrote

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def _files(folder: Path) -> dict[str, Path]:
    """Every file below ``folder``, by its path relative to it."""
    found: dict[str, Path] = {}
    for place, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(place, name)
            found[path.relative_to(folder).as_posix()] = path
    return found


class _Mirror:
    """Makes one tree hold what another holds, as hard links to the same files (copies where links fail), except
    the files named in ``skip`` (the caller's business). Entries already linked to the same file stay.

    What makes this cheap is a record, kept in the spare between builds, of the folders whose entries were the
    same on both sides, with a mark of both folders' state (inode, change and modification times, size, link
    count): a folder whose mark still matches is not read again, only the folders below it are looked at. Any
    change to a folder's entries (a file added, removed, renamed or replaced) changes its change time; a folder
    that changed less than ``RACY`` before the record was taken is never marked, as a later change could then
    leave the same time behind.
    """

    RACY = 2_000_000_000  # ns: more than any file system's timestamp granularity

    def __init__(self, skip: set[str], last: dict[str, int]) -> None:
        self.skip = skip
        self.last = last
        self.children: dict[str, list[str]] = {}
        for rel in last:
            parent, _, name = rel.rpartition("/")
            self.children.setdefault(parent, []).append(name)
        self.since = time.time_ns() - self.RACY
        self.now: dict[str, int] = {}  # the record for the next build: 0 for folders to read again

    def mark(self, a: os.stat_result, b: os.stat_result) -> int:
        if max(a.st_ctime_ns, b.st_ctime_ns) >= self.since:
            return 0
        sides = sorted((s.st_dev, s.st_ino, s.st_ctime_ns, s.st_mtime_ns, s.st_size, s.st_nlink) for s in (a, b))
        return hash(tuple(sides))  # hashes of ints are the same in every process

    def folder(self, src: str, dst: str, rel: str = "") -> None:
        if rel:  # the roots change places at every switch: always read
            mark = self.mark(os.stat(src, follow_symlinks=False), os.stat(dst, follow_symlinks=False))
            if mark and self.last.get(rel) == mark:
                self.now[rel] = mark
                for name in self.children.get(rel, ()):
                    self.folder(os.path.join(src, name), os.path.join(dst, name), f"{rel}/{name}")
                return
        self._read(src, dst, f"{rel}/" if rel else "")
        if rel:
            self.now[rel] = self.mark(os.stat(src, follow_symlinks=False), os.stat(dst, follow_symlinks=False))

    def _read(self, src: str, dst: str, prefix: str) -> None:
        with os.scandir(dst) as entries:
            have = {entry.name: entry for entry in entries}
        with os.scandir(src) as entries:
            for entry in entries:
                there = have.pop(entry.name, None)
                name = f"{prefix}{entry.name}"
                target = os.path.join(dst, entry.name)
                if entry.is_dir(follow_symlinks=False):
                    if there is not None and not there.is_dir(follow_symlinks=False):
                        os.unlink(target)
                        there = None
                    if there is None:
                        os.mkdir(target)
                        shutil.copymode(entry.path, target)
                    self.folder(entry.path, target, name)
                elif name in self.skip or (there is not None and there.inode() == entry.inode()):
                    continue
                else:
                    if there is not None:
                        _delete(there)
                    _carry(entry, target)
        for there in have.values():
            if f"{prefix}{there.name}" not in self.skip:
                _delete(there)

    def changed(self, rel: str) -> None:
        """The caller changed ``rel`` in one tree: its folders are to be read again."""
        for folder in PurePosixPath(rel).parents:
            if folder.name:
                self.now[folder.as_posix()] = 0


def _last_record(spare: Path) -> dict[str, int]:
    """The spare's record of matching folders (see ``_Mirror``), taken out of it; empty when there is none to trust."""
    path = spare / SPARE_RECORD
    try:
        found = json.loads(path.read_bytes())
        path.unlink()
    except (OSError, ValueError):
        return {}
    ok = isinstance(found, dict) and all(isinstance(k, str) and _inside(k) and type(v) is int for k, v in found.items())
    return found if ok else {}


def _keep_record(spare: Path, record: dict[str, int]) -> None:
    temporary = spare / f"{SPARE_RECORD}.new"
    temporary.write_text(json.dumps(record, separators=(",", ":")))
    os.replace(temporary, spare / SPARE_RECORD)


def _carry(entry: os.DirEntry[str], target: str) -> None:
    try:
        os.link(entry.path, target, follow_symlinks=False)
    except OSError:  # no hard links here (or too many to one file): a copy
        if not (entry.is_symlink() or entry.is_file(follow_symlinks=False)):
            raise
        shutil.copy2(entry.path, target, follow_symlinks=False)


def _delete(entry: os.DirEntry[str]) -> None:
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


def _remove(root: Path, rel: str) -> None:
    """Delete a file the last build wrote (never a folder), and the folders that it leaves empty."""
    gone = root / rel
    if gone.is_dir() and not gone.is_symlink():
        return
    gone.unlink(missing_ok=True)
    for folder in gone.parents:
        if folder == root or not folder.is_dir() or any(folder.iterdir()):
            break
        folder.rmdir()


def _switch(new: Path, out: Path) -> None:
    """``new`` becomes ``out`` and ``out`` becomes ``new``: in one step where the system can exchange folders."""
    if exchange(new, out):
        return
    aside = beside(out, f"{ASIDE}-{secrets.token_hex(4)}")
    os.rename(out, aside)
    os.rename(new, out)
    os.rename(aside, new)


AT_FDCWD = -100
RENAME_EXCHANGE = 2  # linux/fs.h


@cache
def _renameat2() -> Callable[..., int] | None:
    if sys.platform != "linux":
        return None
    try:
        call = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28+, musl 1.2.2+
    except (OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    call.restype = ctypes.c_int
    return call


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically; False, with nothing done, where the system or the file system cannot."""
    call = _renameat2()
    if call is None:
        return False
    if call(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the output folder's lock: builds of one folder (and of the cache beside it) run one after another.

    The lock file is removed on the way out, while still held; a build that was waiting on it then finds it
    gone and takes the lock anew on the current file, so two builds never both hold it.
    """
    if fcntl is None:
        yield
        return
    path = beside(out.resolve(), LOCK)
    path.parent.mkdir(parents=True, exist_ok=True)
    said = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not said:
                    print(f"waiting for another build of {out} to finish", file=sys.stderr, flush=True)
                    said = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            held, current = os.fstat(fd), os.stat(path)
        except FileNotFoundError:  # removed by the build that held it: take the next one
            os.close(fd)
            continue
        except BaseException:
            os.close(fd)
            raise
        if (held.st_dev, held.st_ino) == (current.st_dev, current.st_ino):
            break
        os.close(fd)
    try:
        yield
    finally:
        with suppress(FileNotFoundError):
            os.unlink(path)
        os.close(fd)


def clear_debris(out: Path) -> None:
    """Remove what killed builds of ``out`` left beside it. Call it holding ``locked(out)``: then no build of this
    folder is running. A site set aside by a switch that was cut short is put back, or kept as the spare."""
    out = out.resolve()
    ours = re.compile(rf"\.{re.escape(out.name)}\.({STAGING}|{ASIDE})-[a-z0-9_]{{8}}")
    try:
        names = sorted(os.listdir(out.parent))
    except OSError:
        return
    for name in names:
        found = ours.fullmatch(name)
        path = out.parent / name
        if found is None or path.is_symlink() or not path.is_dir():
            continue
        if found[1] == ASIDE and not os.path.lexists(out):
            os.rename(path, out)
        elif found[1] == ASIDE and not os.path.lexists(beside(out, SPARE)):
            os.rename(path, beside(out, SPARE))
        else:
            shutil.rmtree(path, ignore_errors=True)
