"""Validated records: what is true about an event or an actor, built from a raw Note.

Each front-matter field is declared once, beside its validation, in EVENT_FIELDS or ACTOR_FIELDS.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlparse

from .corrections import Correction, last_modified
from .dates import DateError, PartialDate, When, parse_date, parse_when
from .diagnostics import Diagnostic, error, warning
from .markup import Body, Markdown, Summary, summary_of
from .media import Media
from .notes import Note
from .pickling import fast_pickle
from .relative import PENDING, Relative, read, resolve
from .routes import clean_key
from .text import edit_distance, slugify

ACTOR_KINDS = ("person", "organization", "country", "place", "group")
# How sure the timeline is of an event, as a newsroom says it: first what was reported, then what later came of it.
STATUSES = ("reported", "confirmed", "disputed", "denied", "retracted")
DEFAULT_STATUS = "reported"


@fast_pickle
@dataclass(frozen=True, slots=True)
class Ref:
    """An actor as an event names it, with the line it is named on, and its role in this event (``speaker``), if
    the event gives one: not ``Actor.role``, which says who the actor is anywhere."""

    text: str
    line: int
    role: str | None = None


@fast_pickle
@dataclass(frozen=True, slots=True)
class Source:
    title: str
    url: str | None = None
    publisher: str | None = None
    published: PartialDate | None = None
    line: int = 1  # where the source starts in its note
    author: str | None = None
    archive_url: str | None = None
    language: str | None = None  # BCP 47
    cite: str | None = None  # the id of the source note an event cites (``sources: [id]``); the model fills in the rest


@fast_pickle
@dataclass(frozen=True, slots=True)
class Event:
    slug: str
    path: str
    title: str
    when: When
    actors: tuple[Ref, ...] = ()
    tags: tuple[str, ...] = ()
    place: str | None = None
    sources: tuple[Source, ...] = ()
    summary: Summary = Summary()  # its links to other notes read as words on a page: ``site.Site.summary``
    draft: bool = False
    order: int = 0  # where the writer places it among events of the same date: lowest first
    media: Media | None = None
    line: int = 1  # the title's line: where messages about the event as a whole point
    body: Body = Body()  # the body as HTML, with its links to other notes still unresolved, and their lines
    updated: PartialDate | None = None  # when the writer last changed what the event says
    corrections: tuple[Correction, ...] = ()  # as written; pages show them newest first (``newest_first``)
    updated_line: int = 1  # where ``updated`` is, for messages
    relative: Relative | None = None  # a date written relative to the first source ("last week"), as written
    status: str = DEFAULT_STATUS  # one of STATUSES
    claimed_by: tuple[Ref, ...] = ()  # the actors who say so, as the event names them (resolved like ``actors``)
    lang: str | None = None  # the language the note is written in (BCP 47), when it is not the site's

    @property
    def body_html(self) -> str:
        """The body with links to other notes as plain text (a page resolves them: ``site.Site.body_html``)."""
        return self.body.html_with(())

    @property
    def modified(self) -> PartialDate | None:
        """When the event last changed as readers see it (``corrections.last_modified``)."""
        return last_modified(self.updated, self.corrections)

    @property
    def sort_key(self) -> tuple[tuple[int, ...], int, tuple[int, ...], str, str, str]:
        """The date to the day, then the writer's ``order``, then the time (an event with none before the timed
        events of its day), then the title. The slug comes last only so that the order is total: two events that
        tie up to there have one date and one title, which the duplicate check reports."""
        day = self.when.sort_key
        return (day[:3], self.order, day[3:], self.title.casefold(), self.title, self.slug)


# The fields ``Event.sort_key`` reads: a change to one of them moves the event in every list that holds it.
ORDER_FIELDS = frozenset({"when", "order", "title"})


@fast_pickle
@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    role: str | None = None
    summary: Summary = Summary()
    path: str | None = None  # None for an actor that has no note of its own
    profile: Body = Body()  # like Event.body
    namesake: bool = False  # the note says another actor shares one of its spellings, knowingly
    lines: tuple[int, ...] = ()  # the lines of the name and of each alias, for messages
    draft: bool = False  # left out unless drafts are built: the site is then as if the note did not exist
    names: tuple[tuple[str, str], ...] = ()  # (language, alias) for each alias marked with a language: how it is written there

    @property
    def profile_html(self) -> str:
        return self.profile.html_with(())


@fast_pickle
@dataclass(frozen=True, slots=True)
class SourceNote:
    """A source declared once in ``sources/<id>.md``, which events cite by its id."""

    id: str
    title: str
    path: str
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    published: PartialDate | None = None
    archive_url: str | None = None
    language: str | None = None
    summary: Summary = Summary()
    profile: Body = Body()  # the optional note about the source, like Actor.profile
    line: int = 1  # the title's line
    url_line: int = 1

    @property
    def source(self) -> Source:
        """The source as an event that cites it holds it once resolved (``line`` then the citing line)."""
        return Source(self.title, self.url, self.publisher, self.published, self.line, self.author, self.archive_url,
                      self.language, self.id)  # fmt: skip


class FieldError(ValueError):
    """One or more problems in a field, each at a key path such as ``sources.1.url``."""

    def __init__(self, *problems: tuple[str, str]) -> None:
        super().__init__(problems)
        self.problems = problems


Parse = Callable[[Any, str], Any]


@dataclass(frozen=True, slots=True)
class Field:
    parse: Parse
    required: str | None = None  # the message when missing; None when optional


def _text(value: Any, key: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError((key, f'"{key}" must be text (put it in quotes if it looks like a number or yes/no)'))
    text = str(value).strip()
    if not text:
        raise FieldError((key, f'"{key}" is empty'))
    return text


def _flag(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise FieldError((key, f'"{key}" must be true or false'))
    return value


ORDER_LIMIT = 1_000_000


def _order(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > ORDER_LIMIT:
        raise FieldError((key, f'"{key}" must be a whole number such as 1, 2 or -1 (events of one date sort by it, lowest first)'))
    return value


def _date(value: Any, key: str) -> PartialDate:
    try:
        return parse_date(value)
    except DateError as exc:
        raise FieldError((key, f'"{key}": {exc}')) from None


def _date_or_phrase(value: Any, key: str) -> PartialDate | str:
    """A date, or a phrase such as "last week" that the first source's published date resolves (``relative``)."""
    try:
        return read(value)
    except DateError as exc:
        raise FieldError((key, f'"{key}": {exc}')) from None


def _text_list(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise FieldError((key, f'"{key}" must be a list: one "- item" per line, or [a, b]'))
    problems = [(f"{key}.{i}", f'"{key}" item {i + 1} must be text') for i, item in enumerate(value)
                if isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item).strip()]  # fmt: skip
    if problems:
        raise FieldError(*problems)
    return tuple(dict.fromkeys(str(item).strip() for item in value))


def _aliases(value: Any, key: str) -> tuple[tuple[str, str | None], ...]:
    """Other spellings of an actor's name, each text or ``{name: 윤석열, lang: ko}``: a spelling marked with a language
    is how a site in that language names the actor."""
    if not isinstance(value, list):
        raise FieldError((key, f'"{key}" must be a list: one "- item" per line, or [a, b]'))
    found: dict[str, str | None] = {}
    problems: list[tuple[str, str]] = []
    for i, item in enumerate(value):
        where = f"{key}.{i}"
        if isinstance(item, dict):
            unknown = sorted(set(map(str, item)) - {"name", "lang"})
            if unknown or "name" not in item:
                example = "{name: 윤석열, lang: ko}"
                problems.append((where, f'"{key}" item {i + 1} must be text or a mapping of name and lang, such as {example}'))
                continue
            try:
                name, lang = _text(item["name"], f"{where}.name"), _language(item["lang"], f"{where}.lang") if "lang" in item else None
            except FieldError as exc:
                problems += exc.problems
                continue
        elif isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item).strip():
            problems.append((where, f'"{key}" item {i + 1} must be text'))
            continue
        else:
            name, lang = str(item).strip(), None
        found.setdefault(name, lang)
    if problems:
        raise FieldError(*problems)
    return tuple(found.items())


def _tags(value: Any, key: str) -> tuple[str, ...]:
    tags = _text_list(value, key)
    problems = [(f"{key}.{i}", f'tag "{tag}" has no letters or digits to make a URL from')
                for i, tag in enumerate(tags) if not slugify(tag)]  # fmt: skip
    if problems:
        raise FieldError(*problems)
    return tags


def _kind(value: Any, key: str) -> str:
    text = _text(value, key)
    if text not in ACTOR_KINDS:
        raise FieldError((key, f'"{key}" must be one of {", ".join(ACTOR_KINDS)}, not "{text}"'))
    return text


# Roles in an event that most timelines need; any other word is taken as written, only a near miss of one of these
# ("speeker") is worth a warning.
COMMON_ROLES = ("participant", "speaker", "target", "source", "mentioned")
_ACTOR_KEYS = ("actor", "role")


def _actors(value: Any, key: str) -> tuple[tuple[int, str, str | None], ...]:
    """``actors:`` items, each a name or ``{actor: name, role: speaker}``, as (item index, name, role in this event).

    The same name twice with different roles is kept twice (the model joins the roles); the same name and role twice once.
    """
    if not isinstance(value, list):
        raise FieldError((key, f'"{key}" must be a list: one "- name" or "- {{actor: name, role: speaker}}" per line'))
    found: dict[tuple[str, str | None], int] = {}
    problems: list[tuple[str, str]] = []
    for i, item in enumerate(value):
        at = f"{key}.{i}"
        if isinstance(item, dict):
            problems += [(f"{at}.{k}", f'"{key}" item {i + 1}: unknown key "{k}" (known: {", ".join(_ACTOR_KEYS)})')
                         for k in item if k not in _ACTOR_KEYS]  # fmt: skip
            name: str | None = None
            role: str | None = None
            for part in _ACTOR_KEYS:
                if part not in item:
                    continue
                if item[part] is None:
                    problems.append((f"{at}.{part}", f'"{key}" item {i + 1}: "{part}" is empty'))
                    continue
                try:
                    text = _text(item[part], part)
                except FieldError as exc:
                    problems += [(f"{at}.{part}", f'"{key}" item {i + 1}: {message}') for _, message in exc.problems]
                    continue
                name, role = (text, role) if part == "actor" else (name, text)
            if "actor" not in item:
                problems.append((at, f'"{key}" item {i + 1} needs an actor: {{actor: name, role: speaker}}'))
            if name is not None and ("role" not in item or role is not None):
                found.setdefault((name, role), i)
            continue
        if isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item).strip():
            problems.append((at, f'"{key}" item {i + 1} must be a name, or a mapping such as {{actor: name, role: speaker}}'))
            continue
        found.setdefault((str(item).strip(), None), i)
    if problems:
        raise FieldError(*problems)
    return tuple((i, name, role) for (name, role), i in found.items())


def role_warnings(event: Event) -> list[Diagnostic]:
    """A role one letter or two away from a common one is most likely a slip; any other word is the writer's own."""
    problems = []
    for ref in event.actors:
        if ref.role is None or ref.role.casefold() in COMMON_ROLES:
            continue
        near = [r for r in COMMON_ROLES if edit_distance(ref.role.casefold(), r, 2) <= (1 if len(r) <= 6 else 2)]
        if near:
            message = f'role "{ref.role}" of {ref.text} is not a common role; did you mean "{near[0]}"? (any other word is kept as written)'
            problems.append(warning(event.path, ref.line, message))
    return problems


def _status(value: Any, key: str) -> str:
    """One of STATUSES, with the nearest one suggested: a misspelt status must not read as "reported"."""
    text = _text(value, key)
    if text in STATUSES:
        return text
    distance, near = min((edit_distance(text.casefold(), s, 3), s) for s in STATUSES)
    hint = f'; did you mean "{near}"?' if distance <= 3 else f" (when left out: {DEFAULT_STATUS})"
    raise FieldError((key, f'"{key}" must be one of {", ".join(STATUSES)}, not "{text}"{hint}'))



def _url(value: Any, key: str) -> str:
    url = _text(value, key)
    try:
        parsed = urlparse(url)
    except ValueError:  # such as "http://[oops": urlparse rejects it outright
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise FieldError((key, f'URL "{url}" must start with http:// or https://'))
    return url


_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def _language(value: Any, key: str) -> str:
    """A BCP 47 language tag such as "en", "ko" or "pt-BR": what ``lang`` and ``inLanguage`` take."""
    text = _text(value, key)
    if not _LANGUAGE.fullmatch(text):
        raise FieldError((key, f'"{key}" must be a language tag such as en, ko, uk or pt-BR, not "{text}"'))
    return text


_SOURCE_PARTS: Mapping[str, Parse] = {"title": _text, "url": _url, "publisher": _text, "published": _date, "author": _text,
                                      "archive_url": _url, "language": _language}  # fmt: skip


def cites(item: str) -> bool:
    """Whether a bare ``sources`` item names a source note by its id (no whitespace, no capitals) rather than a title."""
    return bool(item) and not item.startswith(("http://", "https://")) and item == item.lower() and not any(c.isspace() for c in item)


def _parts(item: Mapping[Any, Any], parts: Mapping[str, Parse], at: str, named: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The parts of one item of a list of mappings (a source, a correction) that it gives, each read by its parser, and
    every problem: an unknown key, a part that does not read, each at its own key and prefixed with ``named``
    ("source 2")."""
    problems = [(f"{at}.{k}", f'{named}: unknown key "{k}" (known: {", ".join(parts)})') for k in item if k not in parts]
    values: dict[str, Any] = {}
    for name, parse in parts.items():
        if item.get(name) is None:
            continue
        try:
            values[name] = parse(item[name], name)
        except FieldError as exc:
            problems += [(f"{at}.{name}", f"{named}: {message}") for _, message in exc.problems]
    return values, problems


def _source(item: Mapping[Any, Any], at: str, number: int) -> tuple[Source | None, list[tuple[str, str]]]:
    """One source, with every problem in it, each at its own key and named as the writer wrote it."""
    values, problems = _parts(item, _SOURCE_PARTS, at, f"source {number}")
    if item.get("title") is None and item.get("url") is None:
        problems.append((at, f"source {number} needs a title or a url"))
    if problems:
        return None, problems
    title: str = values["title"] if "title" in values else values["url"]
    more = {name: values[name] for name in ("author", "archive_url", "language") if name in values}
    return Source(title, values.get("url"), values.get("publisher"), values.get("published"), **more), []


def _sources(value: Any, key: str) -> tuple[Source, ...]:
    if not isinstance(value, list):
        raise FieldError((key, f'"{key}" must be a list of sources, each with title, url, publisher, published'))
    sources: list[Source] = []
    problems: list[tuple[str, str]] = []
    for i, item in enumerate(value):
        at = f"{key}.{i}"
        if isinstance(item, str) and cites(item.strip()):
            sources.append(Source(item.strip(), cite=item.strip()))
            continue
        if isinstance(item, str):
            item = {"url": item} if item.startswith(("http://", "https://")) else {"title": item}
        if not isinstance(item, dict):
            problems.append((at, f"source {i + 1} must be a mapping with title, url, publisher, published"))
            continue
        source, found = _source(item, at, i + 1)
        problems += found
        if source is not None:
            sources.append(source)
    if problems:
        raise FieldError(*problems)
    return tuple(sources)


_MEDIA_KEYS = ("url", "caption", "credit", "alt")


def _media(value: Any, key: str) -> Media:
    """``media: URL`` or a mapping of url, caption, credit and alt."""
    if isinstance(value, str):
        value = {"url": value}
    if not isinstance(value, dict):
        raise FieldError((key, f'"{key}" must be a URL or a mapping with {", ".join(_MEDIA_KEYS)}'))
    problems = [(f"{key}.{k}", f'"{key}": unknown key "{k}" (known: {", ".join(_MEDIA_KEYS)})') for k in value if k not in _MEDIA_KEYS]
    values: dict[str, str] = {}
    for name in _MEDIA_KEYS:
        if value.get(name) is None:
            continue
        try:
            values[name] = (_url if name == "url" else _text)(value[name], f"{key}.{name}")
        except FieldError as exc:
            problems += exc.problems
    if "url" not in value:
        problems.append((key, f'"{key}" needs a url'))
    if problems:
        raise FieldError(*problems)
    return Media(values["url"], values.get("caption"), values.get("credit"), values.get("alt"))


_CORRECTION_PARTS: Mapping[str, Parse] = {"date": _date, "text": _text}


def _corrections(value: Any, key: str) -> tuple[Correction, ...]:
    """``corrections: [{date: 2024-11-12, text: "..."}]``: every problem in every item, each at its own key. Lines are
    filled in by ``event_from_note``."""
    if not isinstance(value, list):
        raise FieldError((key, f'"{key}" must be a list of corrections, each with a date and a text'))
    found: list[Correction] = []
    problems: list[tuple[str, str]] = []
    for i, item in enumerate(value):
        at, number = f"{key}.{i}", i + 1
        if not isinstance(item, dict):
            problems.append((at, f"correction {number} must be a mapping with a date and a text"))
            continue
        parts, found_problems = _parts(item, _CORRECTION_PARTS, at, f"correction {number}")
        problems += found_problems
        problems += [(at if name not in item else f"{at}.{name}", f"correction {number} needs a {name}")
                     for name in _CORRECTION_PARTS if item.get(name) is None]  # fmt: skip
        if len(parts) == 2:
            found.append(Correction(parts["date"], summary_of(parts["text"], 1)))
    if problems:
        raise FieldError(*problems)
    return tuple(found)


def _placed(correction: Correction, line: int, text_line: int) -> Correction:
    """A correction with the lines it and its text are on (for messages about it and about its links)."""
    text = correction.text
    return replace(correction, line=line, text=replace(text, links=tuple(replace(link, line=text_line) for link in text.links)))


EVENT_FIELDS: Mapping[str, Field] = {
    "title": Field(_text, required="every event needs a title"),
    "date": Field(_date_or_phrase, required="every event needs a date: 2024, 2024-06, 2024-11-06 or 2024-11-06T14:30+09:00"),
    "end": Field(_date),
    "circa": Field(_flag),
    "actors": Field(_actors),
    "tags": Field(_tags),
    "place": Field(_text),
    "sources": Field(_sources),
    "summary": Field(_text),
    "draft": Field(_flag),
    "order": Field(_order),
    "media": Field(_media),
    "updated": Field(_date),
    "corrections": Field(_corrections),
    "status": Field(_status),
    "claimed_by": Field(_text_list),
    "lang": Field(_language),
}

ACTOR_FIELDS: Mapping[str, Field] = {
    "name": Field(_text, required="every actor needs a name"),
    "aliases": Field(_aliases),
    "kind": Field(_kind),
    "role": Field(_text),
    "namesake": Field(_flag),
    "draft": Field(_flag),
}

SOURCE_FIELDS: Mapping[str, Field] = {  # a source note's front-matter: the parts of a source written out in an event
    name: Field(parse, required="every source needs a title" if name == "title" else None) for name, parse in _SOURCE_PARTS.items()
}


def _read_fields(note: Note, fields: Mapping[str, Field]) -> tuple[dict[str, Any], list[Diagnostic]]:
    values: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    for key in note.meta:
        if key not in fields:
            near = [k for k in fields if edit_distance(key.casefold(), k, 2) <= 2]
            hint = f'; did you mean "{near[0]}"?' if near else f" (known: {', '.join(fields)})"
            problems.append(warning(note.path, note.line(key), f'unknown key "{key}" is ignored{hint}'))
    for key, field in fields.items():
        raw = note.meta.get(key)
        if raw is None:
            if field.required:
                where = note.line(key)
                what = f'"{key}" is empty' if key in note.lines else f'missing "{key}"'
                problems.append(error(note.path, where, f"{what}: {field.required}"))
            continue
        try:
            values[key] = field.parse(raw, key)
        except FieldError as exc:
            problems += [error(note.path, note.line(at), message) for at, message in exc.problems]
    return values, problems


def _key(note: Note) -> tuple[str, list[Diagnostic]]:
    """The page's key from the note's file name, and a warning when it had to be cleaned to make one."""
    key = clean_key(note.stem)
    if key == note.stem:
        return key, []
    suffix = note.path[note.path.rfind(".") :]
    found = (("spaces", any(c.isspace() for c in note.stem)), ("capitals", note.stem != note.stem.lower()))
    why = " and ".join(what for what, present in found if present)
    message = f'the file name "{note.stem}{suffix}" has {why}: its page is at {key}/ (name the file {key}{suffix} to match)'
    return key, [warning(note.path, 1, message)]


def event_from_note(note: Note, markdown: Markdown, folder: str = "") -> tuple[Event | None, list[Diagnostic]]:
    """Validate an event note; None when it has any error. ``folder``: the note's folder under the content folder."""
    values, problems = _read_fields(note, EVENT_FIELDS)
    slug, named = _key(note)
    problems += named
    when = None
    if isinstance(values.get("date"), str):  # a phrase: resolved below if the first source says when it was published
        when = PENDING
        if "end" in values:
            problems.append(error(note.path, note.line("end"), f'"end" needs "date" to be a date itself, not "{values["date"]}"'))
    elif "date" in values:
        try:
            when = parse_when(values["date"], values.get("end"), values.get("circa", False))
        except DateError as exc:
            problems.append(error(note.path, note.line("end"), str(exc)))  # already names "end" and "date"
    if when is None or any(p.severity == "error" for p in problems):
        return None, problems
    rendered = markdown.render(note.body, first_line=note.body_line, summary="summary" not in values, folder=folder)
    actors = tuple(Ref(text, note.line(f"actors.{i}"), role) for i, text, role in values.get("actors", ()))
    sources = tuple(replace(s, line=note.line(f"sources.{i}")) for i, s in enumerate(values.get("sources", ())))
    event = Event(
        slug=slug,
        path=note.path,
        title=values["title"],
        when=when,
        actors=actors,
        tags=values.get("tags", ()),
        place=values.get("place"),
        sources=sources,
        summary=summary_of(values["summary"], note.line("summary")) if "summary" in values else rendered.first_paragraph,
        draft=values.get("draft", False),
        order=values.get("order", 0),
        media=replace(values["media"], line=note.line("media")) if "media" in values else None,
        line=note.line("title"),
        body=rendered.body,
        updated=values.get("updated"),
        updated_line=note.line("updated"),
        corrections=tuple(_placed(c, note.line(f"corrections.{i}"), note.line(f"corrections.{i}.text"))
                          for i, c in enumerate(values.get("corrections", ()))),  # fmt: skip
        status=values.get("status", DEFAULT_STATUS),
        claimed_by=tuple(Ref(text, note.line(f"claimed_by.{i}")) for i, text in enumerate(values.get("claimed_by", ()))),
        lang=values.get("lang"),
    )
    if isinstance(values["date"], str):
        event = replace(event, relative=Relative(values["date"], note.line("date"), circa=values.get("circa", False)))
        anchor = anchor_of(event)
        if anchor is not None:
            try:
                event = with_anchor(event, anchor)
            except DateError as exc:
                return None, [*problems, error(note.path, note.line("date"), f'"date": {exc}')]
    return event, problems + role_warnings(event)


def anchor_of(event: Event) -> tuple[PartialDate, str] | None:
    """What an event's relative date counts from, and when it was first reported: its first source's published date,
    and its publisher (or title) to credit. A source cited by id has one only once the model has resolved it
    (``sources.cited``)."""
    first = event.sources[0] if event.sources else None
    if first is None or first.published is None:
        return None
    return first.published, first.publisher or first.title


def with_anchor(event: Event, anchor: tuple[PartialDate, str] | None) -> Event:
    """The event with its relative date resolved against ``anchor`` (see ``anchor_of``); DateError when it
    cannot be, with the fix in the message."""
    relative = event.relative
    assert relative is not None
    if anchor is None:
        why = "the first source has no published date" if event.sources else "the event has no source"
        raise DateError(f'"{relative.text}" counts from the first source\'s published date, but {why}: '
                        "add `published:` to the first source, or write the date itself")  # fmt: skip
    when = resolve(relative.text, anchor[0])
    when = replace(when, circa=True) if relative.circa else when
    return replace(event, when=when, relative=replace(relative, anchor=anchor[0], by=anchor[1]))


def actor_from_note(note: Note, markdown: Markdown, folder: str = "actors") -> tuple[Actor | None, list[Diagnostic]]:
    """Validate an actor note; None when it has any error."""
    values, problems = _read_fields(note, ACTOR_FIELDS)
    actor_id, named = _key(note)
    problems += named
    if any(p.severity == "error" for p in problems):
        return None, problems
    rendered = markdown.render(note.body, first_line=note.body_line, folder=folder)
    name = values["name"]
    written = values.get("aliases", ())
    kept = [(a, note.line(f"aliases.{i}")) for i, (a, _) in enumerate(written) if a != name]
    aliases = tuple(a for a, _ in kept)
    actor = Actor(
        id=actor_id,
        name=name,
        aliases=aliases,
        kind=values.get("kind"),
        role=values.get("role"),
        summary=rendered.first_paragraph,
        path=note.path,
        profile=rendered.body,
        namesake=values.get("namesake", False),
        lines=(note.line("name"), *(line for _, line in kept)),
        draft=values.get("draft", False),
        names=tuple((lang, alias) for alias, lang in written if lang is not None),
    )
    return actor, problems


def source_from_note(note: Note, markdown: Markdown, folder: str = "sources") -> tuple[SourceNote | None, list[Diagnostic]]:
    """Validate a source note; None when it has any error."""
    values, problems = _read_fields(note, SOURCE_FIELDS)
    source_id, named = _key(note)
    problems += named
    if any(p.severity == "error" for p in problems):
        return None, problems
    rendered = markdown.render(note.body, first_line=note.body_line, folder=folder)
    source = SourceNote(
        id=source_id, title=values["title"], path=note.path, publisher=values.get("publisher"), author=values.get("author"),
        url=values.get("url"), published=values.get("published"), archive_url=values.get("archive_url"),
        language=values.get("language"), summary=rendered.first_paragraph, profile=rendered.body, line=note.line("title"),
        url_line=note.line("url"),
    )  # fmt: skip
    return source, problems
