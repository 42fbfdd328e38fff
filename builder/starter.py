"""``init``: a fresh content folder to start a timeline from: its settings, an example event and an example actor.

The examples are drafts holding placeholder text (``placeholders``), so a timeline started here publishes nothing
of them by accident; each is read back through the validation a build uses before anything is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shlex
from pathlib import Path

from .notes import Kind
from .placeholders import EXAMPLE_BODY
from .scaffold import DRAFT, clean_text, note_text, read_back, yaml_quoted


def init_timeline(folder: Path, shown: str, title: str | None, today: dt.date) -> tuple[list[Path], str | None]:
    """Write site.toml, an example event and an example actor into a new or empty folder; never into one with
    anything in it. Returns the files written, or none and why (having left the folder as it was)."""
    try:
        if folder.is_symlink() or folder.exists() and not folder.is_dir():
            return [], f"{shown} exists and is not a folder; init starts a timeline in a new or empty folder"
        if folder.is_dir() and any(folder.iterdir()):
            return [], (f"{shown} is not empty, and init never writes over anything: start in a new folder, "
                        f"or add notes to this one with: python -m builder new \"Title\" --content {shlex.quote(shown)}")  # fmt: skip
    except OSError as exc:
        return [], f"cannot read {shown}: {exc.strerror or exc}"
    title = clean_text(title) if title is not None else _title_of(folder)
    if not title:
        return [], "--title is empty"
    day = today.isoformat()
    notes: dict[Path, tuple[str, Kind]] = {
        Path("events") / f"{day}-example-event.md": (_example_event(day), "event"),
        Path("actors") / "example-actor.md": (_example_actor(), "actor"),
    }
    for rel, (text, kind) in notes.items():
        problems = read_back(text, f"{shown.rstrip('/')}/{rel.as_posix()}", rel.stem, kind)
        assert not problems, problems  # the examples are fixed text: a problem here is a bug in this module
    files = {Path("site.toml"): _site_toml(title), **{rel: text for rel, (text, _) in notes.items()}}
    made: list[Path] = []  # files and folders, in the order made, to take back if a write fails
    try:
        for folder_part in (folder, folder / "events", folder / "actors"):
            if not folder_part.is_dir():
                folder_part.mkdir(parents=folder_part == folder)
                made.append(folder_part)
        for rel, text in files.items():
            with (folder / rel).open("x", encoding="utf-8", newline="\n") as handle:
                made.append(folder / rel)
                handle.write(text)
    except OSError as exc:
        for path in reversed(made):
            with contextlib.suppress(OSError):
                if path.is_dir():
                    path.rmdir()
                else:
                    path.unlink()
        return [], f"cannot write {shown}: {exc.strerror or exc}; nothing was left there"
    return [folder / rel for rel in files], None


def _title_of(folder: Path) -> str:
    """A site title from the folder's name: "wagner-mutiny" becomes "Wagner mutiny"."""
    words = " ".join(re.split(r"[-_\s]+", folder.absolute().name)).strip()
    return words[:1].upper() + words[1:] if words else "Timeline"


def _site_toml(title: str) -> str:
    return "\n".join([
        "# This timeline's settings (README: Settings).",
        f"title = {yaml_quoted(title)}",
        'description = ""',
        'language = "en"',
        "# The address the site is published at; the GitHub Pages workflow and make site BASE_URL=... override it.",
        '# base_url = "https://user.github.io/repo/"',
        "",
    ])  # fmt: skip


def _example_event(day: str) -> str:
    front = [
        f"title: {yaml_quoted('Example event: replace it with your first event')}",
        f"date: {yaml_quoted(day)}  # 2023, 2023-06, 2023-06-24 or 2023-06-24T09:00+03:00",
        "actors:",
        '  - "Example Actor"  # a name, id or alias from actors/, or any name (it gets a page of its own)',
        "tags:",
        '  - "example"',
        "sources:",
        '  - title: "The headline of the report this event rests on"',
        '    url: "https://example.com/report"',
        '    publisher: "The outlet"',
        f"    published: {yaml_quoted(day)}",
        DRAFT,
    ]
    body = (f"{EXAMPLE_BODY}\n\nWrite what happened in a paragraph or two: the first one is also the summary shown in lists "
            "and feeds. Markdown works here, and [[Example Actor]] links to an actor's page.")  # fmt: skip
    return note_text(front, body)


def _example_actor() -> str:
    front = [
        f"name: {yaml_quoted('Example Actor')}",
        "aliases:  # other spellings events may use for this actor",
        '  - "The Example"',
        "kind: person  # person, organization, country, place or group",
        f"role: {yaml_quoted('What this actor is, in a few words')}",
        DRAFT,
    ]
    body = f"{EXAMPLE_BODY}\n\nWho this is, in a sentence or two: the first paragraph is the summary on the actors page."
    return note_text(front, body)
