"""Files beside the notes: whether each file a note links to may be published, and where it lands in the site.

A note names an image or a file by its path relative to the note, as GitHub shows it
(``![Rostov](../images/rostov.jpg)``, ``[the filing](files/court.pdf)``); ``markup`` finds those links and
resolves each to a path under the content folder. Here that path is looked up on disk under the rules the notes
themselves follow (``scan``: nothing outside content/, through a symlink or not, and no pipe or device ever
opened) and the rules of the site's addresses (``routes.key_problem``: no hidden files, no name that Windows or a
URL cannot hold). A file that may be published is copied once, to ``media/`` and its path under content/
(``site_path``), however many notes link to it and however deep their pages are.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from .markup import Body
from .notes import what_it_is
from .routes import MEDIA, key_problem
from .scan import within

Found = Mapping[str, str | None]  # a linked file's path under the content folder -> why it cannot be published, or None

OUTSIDE = "leads outside the content folder; only files under it are published"


def site_path(path: str) -> str:
    """Where a file under the content folder is copied in the site: its path there, under ``media/``."""
    return MEDIA + path


def linked(bodies: Iterable[Body]) -> set[str]:
    """Every file the bodies link to, by its path under the content folder ("" for a path that climbs out of it)."""
    return {link.path for body in bodies for link in body.files}


def published(bodies: Iterable[Body]) -> list[str]:
    """The files a site shows, in order: those its bodies link to (each body checked, so every one may be published)."""
    return sorted(linked(bodies) - {""})


def survey(content: Path, paths: Iterable[str]) -> dict[str, str | None]:
    """Each path's problem (see ``problem``), looked up once however many notes link to it."""
    root = os.path.realpath(content)
    return {path: problem(content, path, root) for path in sorted(set(paths))}


def problem(content: Path, path: str, root: str | None = None) -> str | None:
    """Why the file at ``path`` under the content folder cannot be published (said after the link: 'image "x.png" …'),
    or None when it can. Nothing is opened: a pipe would block the build, a device feed it without end."""
    if not path:
        return OUTSIDE
    shown = f"{content.as_posix()}/{path}"
    if path == ".":
        return f"names the content folder itself ({content.as_posix()}), not a file"
    for part in path.split("/"):
        if part.startswith("."):
            return f'names {shown}, whose "{part}" is hidden (its name starts with a dot); hidden files are not published'
        why = key_problem(part)
        if why is not None:
            return f'names {shown}, which cannot have an address in the site: "{part}" is not fit for one ({why})'
    if path.lower().endswith(".md"):
        return f"names {shown}, a note: a note is shown as its page, never as a file"
    full = content / path
    try:
        mode = os.stat(full).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return f"names {shown}, which does not exist"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"names {shown}, a symlink that leads back to itself (a loop)"
        return f"names {shown}, which cannot be read ({(exc.strerror or str(exc)).lower()})"
    if not within(root or os.path.realpath(content), full):
        return f"names {shown}, a symlink that {OUTSIDE}"
    if stat.S_ISDIR(mode):
        return f"names {shown}, which is a folder, not a file"
    if not stat.S_ISREG(mode):
        return f"names {shown}, which is {what_it_is(mode)}, not a file; it is not opened"
    if not os.access(full, os.R_OK):
        return f"names {shown}, which cannot be read (permission denied)"
    return None

