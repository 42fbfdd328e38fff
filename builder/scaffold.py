"""``new``: writing a fresh note with filled-in front-matter.

Every value is checked before anything is written, the finished note is read back through the same
validation a build uses, and only then is it written, atomically and never over an existing file.
A new note is a draft holding placeholder text, so nothing half-written is published by accident.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import secrets
import shlex
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlparse

from .aliases import ActorIndex
from .dates import DateError, PartialDate, parse_date, year_label
from .diagnostics import Diagnostic, Severity, error, warning
from .markup import Markdown
from .notes import Kind, parse_note, read_note
from .placeholders import ACTOR_BODY, EVENT_BODY
from .records import ACTOR_KINDS, Actor, actor_from_note, event_from_note
from .text import name_key, slugify

__all__ = ["ACTOR_BODY", "EVENT_BODY", "new_actor", "new_event"]
DRAFT = "draft: true  # left out of the site until this line is removed"
_NAME_BYTES = 200  # longest file name written: under the usual 255-byte limit, with room for the temp file's prefix
_YEAR_FOLDER = re.compile(r"[0-9]{4}")


def new_event(
    content: Path, shown: str, title: str, date: str | None, actors: Sequence[str], tags: Sequence[str],
    source: str | None, today: dt.date,
) -> tuple[Path | None, list[Diagnostic]]:  # fmt: skip
    """Create content/events/<date>-<slug>.md; never overwrites. Returns the new path, or None and why."""
    problems: list[Diagnostic] = []
    title = clean_text(title)
    slug = slugify(title)
    if not title:
        problems.append(error(shown, 1, 'the title is empty: new "What happened" [--date 2024-11-06] ...'))
    elif not slug:
        problems.append(error(shown, 1, f'title "{title}" has no letters or digits to make a file name from'))
    when = _parse_date(shown, date, today, problems)
    url = _check_url(shown, source, problems)
    actor_names = _text_list(shown, "--actor", actors, problems)
    tag_names = _text_list(shown, "--tag", tags, problems)
    for tag in tag_names:
        if not slugify(tag):
            problems.append(error(shown, 1, f'--tag "{tag}" has no letters or digits to make a URL from'))
    _check_encodable(shown, "the title", title, problems)
    if problems or when is None:
        return None, problems

    day = date_part(when)
    folder = content / "events"
    if _groups_by_year(folder):
        folder = folder / _year_part(when.year)
    path = folder / f"{day}-{_shorten(slug, _NAME_BYTES - len(day) - len('-.md'))}.md"
    where = _shown_path(content, shown, path)
    if taken := _taken(content, shown, path, sorted((content / "events").rglob("*.md")), "event slug"):
        return None, [error(where, 1, f"{taken}; choose another title or date")]

    text, actor_lines = _event_text(title, when.written(), actor_names, tag_names, url)
    index = ActorIndex(_known_actors(content, shown))
    for name in actor_names:
        problems += _actor_reference(where, actor_lines[name], name, index, shown)
    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    problems += read_back(text, where, path.stem, "event")
    return _write(path, where, text, problems)


def new_actor(
    content: Path, shown: str, name: str, aliases: Sequence[str], kind: str | None, role: str | None
) -> tuple[Path | None, list[Diagnostic]]:
    """Create content/actors/<id>.md; never overwrites, nor takes a spelling another actor already has."""
    problems: list[Diagnostic] = []
    name = clean_text(name)
    actor_id = slugify(name)
    if not name:
        problems.append(error(shown, 1, 'the name is empty: new actor "Name" [--alias NAME] [--kind KIND] [--role TEXT]'))
    elif not actor_id:
        problems.append(error(shown, 1, f'actor name "{name}" has no letters or digits to make an id from'))
    alias_list: list[str] = []
    keys = {name_key(name)}  # an alias differing only in case or spacing adds nothing: resolution ignores both
    for alias in _text_list(shown, "--alias", aliases, problems):
        if name_key(alias) not in keys:
            keys.add(name_key(alias))
            alias_list.append(alias)
    if kind is not None and kind not in ACTOR_KINDS:
        problems.append(error(shown, 1, f'--kind must be one of {", ".join(ACTOR_KINDS)}, not "{kind}"'))
    if role is not None:
        role = clean_text(role)
        if not role:
            problems.append(error(shown, 1, "--role is empty"))
    _check_encodable(shown, "the name", name, problems)
    _check_encodable(shown, "--role", role or "", problems)
    if problems:
        return None, problems

    path = content / "actors" / f"{_shorten(actor_id, _NAME_BYTES - len('.md'))}.md"
    where = _shown_path(content, shown, path)
    if taken := _taken(content, shown, path, sorted((content / "actors").glob("*.md")), "actor id"):
        return None, [error(where, 1, f"{taken}; choose another name")]
    known = _known_actors(content, shown)
    index = ActorIndex(known)
    paths = {a.id: a.path for a in known}
    owners: set[str] = set()
    checks = [(f'name "{name}"', name), *((f'alias "{a}"', a) for a in alias_list), (f'id "{path.stem}"', path.stem)]
    for what, spelling in checks:
        for owner in index.resolve(spelling).ids:
            if what.startswith("id ") and owner in owners:
                continue  # the id comes from the name: once is enough
            owners.add(owner)
            problems.append(error(where, 1, f'{what} already belongs to actor "{owner}" ({paths[owner]}); '
                                            "add it there as an alias, or choose another spelling"))  # fmt: skip
    if problems:
        return None, problems

    text = _actor_text(name, alias_list, kind, role)
    problems += read_back(text, where, path.stem, "actor")
    return _write(path, where, text, problems)


# --- checking what the writer typed ---------------------------------------------------------------


def clean_text(text: str) -> str:
    """One line: a note's values are single lines, so runs of whitespace (newlines too) become one space."""
    return " ".join(text.split())


def _check_encodable(shown: str, what: str, value: str, problems: list[Diagnostic]) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes on the command line arrive as lone surrogates
        problems.append(error(shown, 1, f"{what} is not valid text: it has bytes that are not UTF-8"))


def _text_list(shown: str, option: str, values: Sequence[str], problems: list[Diagnostic]) -> list[str]:
    """Cleaned, without repeats, in the order given; empty items and undecodable text are errors."""
    kept: list[str] = []
    for raw in values:
        value = clean_text(raw)
        if not value:
            problems.append(error(shown, 1, f"{option} is empty"))
            continue
        _check_encodable(shown, option, value, problems)
        if value not in kept:
            kept.append(value)
    return kept


def _parse_date(shown: str, date: str | None, today: dt.date, problems: list[Diagnostic]) -> PartialDate | None:
    try:
        return parse_date(today if date is None else date)
    except DateError as exc:
        problems.append(error(shown, 1, f"--date: {exc}"))
        return None


def _check_url(shown: str, source: str | None, problems: list[Diagnostic]) -> str | None:
    if source is None:
        return None
    url = source.strip()
    try:
        parsed = urlparse(url)
        host = parsed.hostname
    except ValueError:  # such as "http://[oops"
        host = None
    if host is None or parsed.scheme not in ("http", "https") or any(c.isspace() for c in url):
        problems.append(error(shown, 1, f'--source: URL "{url}" must start with http:// or https:// and name a host'))
        return None
    return url


def _actor_reference(where: str, line: int, name: str, index: ActorIndex, shown: str) -> list[Diagnostic]:
    """Nothing for a known spelling; a warning for an unknown one; an error for one that a build would reject."""
    found = index.resolve(name)
    if len(found.ids) > 1:
        matches = " and ".join(found.ids)
        return [error(where, line, f'actor "{name}" is ambiguous: it matches {matches}; write the id instead')]
    if found.ids:
        return []
    if found.suggestion:
        return [warning(where, line, f'actor "{name}" matches no actor; did you mean "{found.suggestion}"?')]
    elsewhere = "" if shown.rstrip("/") == "content" else f" --content {shlex.quote(shown)}"  # the command as the writer would run it
    hint = f"create one with: python -m builder new actor {_shell_word(name)}{elsewhere}"
    return [warning(where, line, f'actor "{name}" matches no actor note; a page will be generated for it ({hint})')]


def _shell_word(text: str) -> str:
    """``text`` as one word of a shell command, in double quotes where those suffice (as the README writes names)."""
    return f'"{text}"' if not any(c in text for c in '"$`\\!') else shlex.quote(text)


# --- where the note goes ----------------------------------------------------------------------------


def date_part(date: PartialDate) -> str:
    """The date part of a file name, at the date's precision but never finer than a day ("753-bce" for 753 BCE:
    a name starting with "-" reads as an option to most commands)."""
    return _year_part(date.year) + _after_year(date)[:6]


def _year_part(year: int) -> str:
    """A year in a file or folder name: "2024", "0079", "753-bce", "13-8-billion-years-ago"."""
    return slugify(year_label(year)) if year < 1 else f"{year:04d}"


def _after_year(date: PartialDate) -> str:
    """What ISO 8601 writes after the year: "-03-15T12:00"."""
    return date.iso()[len(PartialDate(date.year).iso()) :]


def _groups_by_year(events: Path) -> bool:
    """Whether the writer keeps events in year folders (events/2024/...), so a new one should follow."""
    try:
        return any(p.is_dir() and _YEAR_FOLDER.fullmatch(p.name) for p in events.iterdir())
    except OSError:
        return False


def _shorten(slug: str, room: int) -> str:
    """The slug, cut at a hyphen if its UTF-8 form does not fit in ``room`` bytes."""
    if len(slug.encode()) <= room:
        return slug
    kept = ""
    for word in slug.split("-"):
        longer = f"{kept}-{word}" if kept else word
        if len(longer.encode()) > room:
            break
        kept = longer
    return kept or slug.encode()[:room].decode("utf-8", "ignore")


def _shown_path(content: Path, shown: str, path: Path) -> str:
    return f"{shown.rstrip('/')}/{path.relative_to(content).as_posix()}"


def _taken(content: Path, shown: str, path: Path, existing: Sequence[Path], what: str) -> str | None:
    """Why ``path`` cannot be used: it exists, or another note already has its name (which is its URL)."""
    if path.exists() or path.is_symlink():
        return "the file already exists and is left as it is"
    for other in existing:
        if other.stem.casefold() == path.stem.casefold():  # names become URL folders: case must not tell them apart
            return f'{what} "{path.stem}" is already used by {_shown_path(content, shown, other)}'
    return None


def _known_actors(content: Path, shown: str) -> list[Actor]:
    """The actors with notes; a note with errors is left out (check and build report it, not new)."""
    markdown = Markdown()
    actors: list[Actor] = []
    for path in sorted((content / "actors").glob("*.md")):
        if not path.is_file():
            continue
        note, _ = read_note(path, _shown_path(content, shown, path), "actor")
        actor, _ = actor_from_note(note, markdown) if note is not None else (None, [])
        if actor is not None:
            actors.append(actor)
    return actors


# --- writing ----------------------------------------------------------------------------------------


_NAMED = {"\\": "\\\\", '"': '\\"', "\0": "\\0", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
# what a YAML reader would not take as it is inside double quotes: quotes, backslashes, controls, line breaks, a BOM
_ESCAPED = re.compile(r'[\\"]|[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]')


def _escape(match: re.Match[str]) -> str:
    c = match.group()
    code = ord(c)
    return _NAMED.get(c) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")


def yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly ``text``, whatever colons, quotes or #s it has."""
    return '"' + _ESCAPED.sub(_escape, text) + '"'


def _block_list(key: str, items: Sequence[str], lines: list[str]) -> dict[str, int]:
    """Append ``key:`` with one item a line (so each has its own line number); returns item -> line."""
    if not items:
        lines.append(f"{key}: []")
        return {}
    lines.append(f"{key}:")
    at: dict[str, int] = {}
    for item in items:
        lines.append(f"  - {yaml_quoted(item)}")
        at[item] = len(lines) + 1  # + 1 for the opening '---' added in front
    return at


def _event_text(title: str, date: str, actors: Sequence[str], tags: Sequence[str], url: str | None) -> tuple[str, dict[str, int]]:
    lines = [f"title: {yaml_quoted(title)}", f"date: {yaml_quoted(date)}"]
    actor_lines = _block_list("actors", actors, lines)
    _block_list("tags", tags, lines)
    if url is None:
        lines.append("sources: []")
    else:
        host = urlparse(url).hostname or url
        lines += [
            "sources:",
            f"  - title: {yaml_quoted(host)}  # replace with the article's headline",
            f"    url: {yaml_quoted(url)}",
            '    # publisher: "Name of the outlet"',
            '    # published: "YYYY-MM-DD"  (or YYYY-MM, or YYYY)',
        ]
    lines.append(DRAFT)
    return note_text(lines, EVENT_BODY), actor_lines


def _actor_text(name: str, aliases: Sequence[str], kind: str | None, role: str | None) -> str:
    lines = [f"name: {yaml_quoted(name)}"]
    if aliases:
        _block_list("aliases", aliases, lines)
    if kind is not None:
        lines.append(f"kind: {kind}")
    if role is not None:
        lines.append(f"role: {yaml_quoted(role)}")
    lines.append(DRAFT)
    return note_text(lines, ACTOR_BODY)


def note_text(front: list[str], body: str) -> str:
    return "\n".join(["---", *front, "---", body, ""])


def read_back(text: str, where: str, stem: str, kind: Kind) -> list[Diagnostic]:
    """The note as a build will read it; any error here is a bug in this module, reported rather than written."""
    note, problems = parse_note(text.encode("utf-8"), where, stem, kind)
    if note is not None and kind == "event":
        problems += event_from_note(note, Markdown())[1]
    elif note is not None:
        problems += actor_from_note(note, Markdown())[1]
    return [p for p in problems if p.severity is Severity.ERROR]


def _write(path: Path, where: str, text: str, problems: list[Diagnostic]) -> tuple[Path | None, list[Diagnostic]]:
    """Write the note whole, never over a file that appeared meanwhile, so a reader never sees half a note."""
    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    try:
        put(path, text)
    except FileExistsError:  # appeared while we were writing
        return None, [*problems, error(where, 1, "the file already exists and is left as it is")]
    except OSError as exc:
        return None, [*problems, error(where, 1, f"cannot write {where}: {exc.strerror or exc}")]
    return path, problems


def put(path: Path, text: str, place: Callable[[Path, Path], object] = os.link) -> None:
    """Write a file whole: beside it first, then put in its place, linked (which fails if the file appeared
    meanwhile) or, with ``place=os.replace``, renamed over what was there."""
    temp = path.with_name(f".new-{secrets.token_hex(6)}.tmp")  # not *.md: a build running meanwhile ignores it
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder belongs: not "the file already exists"
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path.parent)) from None
    try:
        with temp.open("x", encoding="utf-8", newline="\n") as handle:  # "x", not mkstemp: permissions follow the umask
            handle.write(text)
        place(temp, path)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
