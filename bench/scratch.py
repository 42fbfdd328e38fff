"""Where a run writes its corpora and output, and which file system that is (tmpfs hides the cost of many small files)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

MEMORY = ("tmpfs", "ramfs")  # file systems with no disk under them
DISK_PARENTS = ("/var/tmp", "/tmp")  # where --disk makes its folder by default, after $TMPDIR


@dataclass(frozen=True, slots=True)
class FileSystem:
    kind: str  # as the kernel names it: tmpfs, ext4, xfs, overlay...; "unknown" when nothing says
    source: str  # what is mounted: a device such as /dev/vda, or the file system's own name
    mount: str  # where it is mounted

    @property
    def in_memory(self) -> bool:
        return self.kind in MEMORY

    def __str__(self) -> str:
        return f"{self.kind} ({self.source} mounted at {self.mount})" if self.mount else self.kind


UNKNOWN = FileSystem("unknown", "", "")


def _unescape(field: str) -> str:
    """Mount table fields write space, tab, newline and backslash as octal escapes (\\040...)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def find_mount(mountinfo: str, device: tuple[int, int], path: str) -> FileSystem:
    """The file system holding ``path`` (on device major:minor ``device``) in the text of /proc/self/mountinfo.

    The device picks the mount (a folder mounted over another at the same point has its own); the
    longest mount point above ``path`` decides between mounts of the same device, and alone when no
    line has the device (as for a btrfs subvolume's files).
    """
    by_device: list[FileSystem] = []
    by_path: list[FileSystem] = []
    for line in mountinfo.splitlines():
        fields = line.split()
        if "-" not in fields[6:]:
            continue
        dash = fields.index("-", 6)
        if len(fields) < dash + 3:
            continue
        found = FileSystem(fields[dash + 1], _unescape(fields[dash + 2]), _unescape(fields[4]))
        if not (path + "/").startswith(found.mount.rstrip("/") + "/"):
            continue
        by_path.append(found)
        if fields[2] == f"{device[0]}:{device[1]}":
            by_device.append(found)
    # the last of the longest: of two mounts at one point, the later one is on top
    candidates = by_device or by_path
    return max(reversed(candidates), key=lambda fs: len(fs.mount)) if candidates else UNKNOWN


def filesystem(path: Path) -> FileSystem:
    """The file system ``path`` (which exists) is on, from the kernel's mount table; UNKNOWN where there is none."""
    try:
        mountinfo = Path("/proc/self/mountinfo").read_text()
    except OSError:
        return UNKNOWN
    real = path.resolve()
    st_dev = real.stat().st_dev
    return find_mount(mountinfo, (os.major(st_dev), os.minor(st_dev)), str(real))


@dataclass(frozen=True, slots=True)
class Scratch:
    """One scratch folder the whole benchmark runs in, and the name its rows carry in the report."""

    folder: Path
    fs: FileSystem
    label: str


def _parent(option: str, given: str | None) -> Path:
    """The folder ``--tmpfs``/``--disk`` make their scratch folder in; refused, before anything is made, on the wrong file system."""
    want_memory = option == "--tmpfs"
    if given:
        parent = Path(given).absolute()
    elif want_memory:
        parent = Path("/dev/shm")
        if not parent.is_dir():
            raise SystemExit("--tmpfs: there is no /dev/shm here: pass --tmpfs DIR, a folder on a tmpfs")
    else:
        tried = [p for p in (os.environ.get("TMPDIR"), *DISK_PARENTS) if p]
        on_disk = [Path(p) for p in tried if Path(p).is_dir() and not filesystem(Path(p)).in_memory]
        if not on_disk:
            raise SystemExit(f"--disk: none of {', '.join(tried)} is on a disk: pass --disk DIR, a folder on one")
        parent = on_disk[0]
    existing = next(p for p in (parent, *parent.parents) if p.exists())  # DIR itself may be made below
    fs = filesystem(existing)
    if fs.kind != "unknown" and fs.in_memory != want_memory:
        raise SystemExit(f"{option} {parent}: that folder is on {fs}, not on {'a tmpfs' if want_memory else 'a disk'}")
    parent.mkdir(parents=True, exist_ok=True)
    return parent.resolve()


@contextmanager
def scratch_folders(tmpfs: str | None, disk: str | None, given: Path | None, keep: bool) -> Iterator[list[Scratch]]:
    """The scratch folders asked for, in the order tmpfs, disk, --scratch; a new folder in /dev/shm when none is.

    ``tmpfs`` and ``disk`` are None when not asked for, "" for the default place, else the folder to
    make a new one in; the new ones are deleted at the end unless ``keep``. ``given`` is used as it is.
    """
    with ExitStack() as stack:
        folders: list[Path] = []
        for option, value in (("--tmpfs", tmpfs), ("--disk", disk)):
            if value is not None:
                folders.append(stack.enter_context(_new_folder(_parent(option, value), keep)))
        if given is not None:
            given.mkdir(parents=True, exist_ok=True)
            folders.append(given.resolve())
        if not folders:
            shm = Path("/dev/shm")
            folders.append(stack.enter_context(_new_folder(shm if shm.is_dir() else None, keep)))
        systems = [filesystem(folder) for folder in folders]
        kinds = [fs.kind for fs in systems]
        yield [Scratch(folder, fs, fs.kind if kinds.count(fs.kind) == 1 else f"{fs.kind} ({folder})")
               for folder, fs in zip(folders, systems, strict=True)]  # fmt: skip


@contextmanager
def _new_folder(parent: Path | None, keep: bool) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="timeline-bench-", dir=parent)).resolve()
    try:
        yield folder
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
