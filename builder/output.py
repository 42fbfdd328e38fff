"""Writing the site: changed files are staged in a folder beside it and moved in only when the whole
build has succeeded, so a failed build leaves the previous site exactly as it was.

The output folder is the build's alone. It holds a marker file that lists every file the build wrote
there; a build deletes only files that the marker lists, and refuses (before touching anything) a folder
that holds the notes, the templates or a project, a non-empty folder without the marker, and a file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

MARKER = ".timeline-builder"  # in the output folder: says the build made it, and lists what it wrote there
MARKER_HEAD = "# Written by Timeline Builder: the files it made in this folder, which the next build may replace or delete.\n"


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
    """The files the marker in ``out`` says the build wrote there (None: no marker). Names that could lead outside
    the folder (absolute, with ``..``) are dropped: whatever the marker says, nothing outside is ever deleted."""
    try:
        text = (out / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith(MARKER_HEAD):
        return None
    return {line for line in text[len(MARKER_HEAD):].splitlines() if _inside(line)}


def _inside(rel: str) -> bool:
    path = PurePosixPath(rel)
    parts = rel.split("/")
    return rel != MARKER and not path.is_absolute() and "\\" not in rel and all(p not in ("", ".", "..") for p in parts)


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


class Staging:
    """The files a build writes, gathered beside the site until ``commit``; only changed files are staged."""

    def __init__(self, out_dir: Path) -> None:
        self.out = out_dir.absolute()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.fresh = not self.out.is_dir()  # no site yet: the staging folder becomes the site
        self.dir = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
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
        """Move the staged files into the site and delete those that the last build wrote and this one did not.

        ``outputs`` is every file this build produced, staged or left as it was; the marker lists them.
        Returns 1 when the marker itself was (re)written, else 0.
        """
        outputs = set(outputs)
        removed = sorted((owned(self.out) or set()) - outputs) if not self.fresh else []
        wrote = int(self.write(MARKER, marker(outputs)))
        if self.fresh:
            os.replace(self.dir, self.out)
            return wrote
        for staged in sorted(p for p in self.dir.rglob("*") if p.is_file()):
            target = self.out / staged.relative_to(self.dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
        for rel in removed:
            gone = self.out / rel
            if gone.is_dir() and not gone.is_symlink():
                continue
            gone.unlink(missing_ok=True)
            for folder in gone.parents:
                if folder == self.out or not folder.is_dir() or any(folder.iterdir()):
                    break
                folder.rmdir()
        shutil.rmtree(self.dir, ignore_errors=True)
        return wrote

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
