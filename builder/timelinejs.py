"""TimelineJS3's JSON format, both ways: the site's events as TimelineJS slides, and TimelineJS slides read back as
plain values for ``importer`` to write notes from. Pure functions.

TimelineJS numbers years as this builder does (-753 is 753 BCE, no year 0), so a year crosses unchanged. What
TimelineJS has no place for (actors and their roles in the event, tags, place, circa, structured sources, a written
summary, the order within a day, a UTC offset, a picture's alt text) rides in one extra object per slide, ``"timeline_builder"``, which
TimelineJS ignores: notes to JSON to notes loses none of it. A slide's text is the event's summary and its sources,
not its body (see ``slide``).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from .dates import DateError, PartialDate, When, format_offset, parse_date
from .eras import Era
from .i18n import Language
from .records import Event, Source
from .routes import folder_of, page_path, quoted
from .site import Site

EXTRA = "timeline_builder"  # the key of the extra object each slide carries
SOURCES_CLASS = "timeline-builder-sources"  # the block of sources appended to a slide's text, cut off again on import
# What a slide shows of an event (``slide``): an edit to one of these changes the TimelineJS files and the spreadsheet.
FIELDS = frozenset({"title", "when", "actors", "tags", "place", "sources", "summary", "order", "media"}) | {"status", "claimed_by"}
FIELDS |= {"relative"}  # a relative date as written: ``timeline_builder.date_text``
DATE_PARTS = ("year", "month", "day", "hour", "minute", "second")
_CIRCA = re.compile(r"^\s*(?:c\.|ca\.|circa\b|about\b|approx(?:\.|imately\b))", re.IGNORECASE)


# ---- dates ------------------------------------------------------------------------------------------


def date_object(date: PartialDate) -> dict[str, int]:
    """A TimelineJS date with only the fields of the date's precision: a month-only date has no day."""
    parts = {"year": date.year, "month": date.month, "day": date.day, "hour": date.hour, "minute": date.minute, "second": date.second}
    return {k: v for k, v in parts.items() if v is not None}


def date_from_parts(parts: Mapping[str, Any], offset: str | None = None) -> PartialDate:
    """A TimelineJS date object (values as numbers or text, "" for none) as a date; ``DateError`` says what is wrong.

    An hour without minutes is on the hour; milliseconds are dropped (a note holds seconds at most)."""
    values: dict[str, int] = {}
    if _str(parts.get("time")).strip():  # a spreadsheet's time that is no time
        raise DateError(f'time "{_str(parts.get("time")).strip()}" is not a time such as 14:30 or 2:30 PM')
    for name in DATE_PARTS:
        raw = parts.get(name)
        if raw is None or isinstance(raw, str) and not raw.strip():
            continue
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise DateError(f"{name} {raw!r} is not a number")
        text = str(raw).strip()
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if not re.fullmatch(r"[+-]?\d+", text):
            raise DateError(f'{name} "{text}" is not a whole number')
        values[name] = int(text)
    if "year" not in values:
        raise DateError("no year")
    year = values["year"]
    if year == 0:
        raise DateError("year 0 does not exist: 1 BCE is -1, 1 CE is 1")
    for finer, coarser in (("day", "month"), ("month", "year"), ("hour", "day")):
        if finer in values and coarser not in values:
            raise DateError(f"a {finer} without a {coarser}")
    if "hour" not in values and ("minute" in values or "second" in values):
        raise DateError("minutes without an hour")
    text = f"{year:04d}" if year > 0 else str(year)
    for name, sep in (("month", "-"), ("day", "-"), ("hour", "T")):
        if name in values:
            text += f"{sep}{values[name]:02d}"
    if "hour" in values:
        text += f":{values.get('minute', 0):02d}"
        if values.get("second"):
            text += f":{values['second']:02d}"
        text += offset or ""
    if "month" in values and not 1 <= values["month"] <= 12:
        raise DateError(f"month {values['month']} does not exist")
    return parse_date(text)


def circa_in(display_date: str) -> bool:
    """Whether a display date says the date is approximate: "c. 1450", "circa 1450", "about 1450"."""
    return bool(_CIRCA.match(display_date))


def display_date(when: When, lang: Language) -> str | None:
    """The label TimelineJS shows instead of its own, where its own would be wrong or poorer: circa, BCE and deep
    time, a UTC offset. None where TimelineJS's own label says the same."""
    ends = [when.start, *([when.end] if when.end else [])]
    if when.circa or any(d.year < 1 or d.offset is not None for d in ends):
        return lang.when(when)
    return None


# ---- text --------------------------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p", "div", "li"):
            self.parts.append(" ")


def plain_text(markup: str) -> str:
    """The words of an HTML fragment, on one line: a headline or caption as a note holds it."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.parts).split())


def sources_html(sources: Sequence[Source], lang: Language) -> str:
    if not sources:
        return ""
    items = []
    for s in sources:
        title = html.escape(s.title, quote=False)
        item = f'<a href="{html.escape(s.url)}">{title}</a>' if s.url else title
        parts = (s.publisher, lang.date(s.published) if s.published else None)
        item += "".join(f", {html.escape(part, quote=False)}" for part in parts if part)
        items.append(f"<li>{item}</li>")
    return f'<div class="{SOURCES_CLASS}"><p>{html.escape(lang.gettext("Sources"))}</p><ul>{"".join(items)}</ul></div>'


def without_sources(text: str) -> str:
    """A slide's text without the block of sources an export appended (the extra object holds them as data)."""
    at = text.rfind(f'<div class="{SOURCES_CLASS}">')
    return text[:at] if at >= 0 else text


# ---- export ------------------------------------------------------------------------------------------

Dump = Callable[[object], str]


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def source_data(source: Source) -> dict[str, str]:
    values = {"title": source.title, "url": source.url, "publisher": source.publisher,
              "published": source.published.written() if source.published else None,
              "author": source.author, "archive_url": source.archive_url, "language": source.language}  # fmt: skip
    return {k: v for k, v in values.items() if v is not None}


def slide(site: Site, event: Event) -> dict[str, Any]:
    """One event as a TimelineJS slide. Its text is the summary and the sources, not the body, which its page (``url``)
    shows: so an edit to a body changes its own page alone, and the build patches just that page (``patch``)."""
    when = event.when
    data: dict[str, Any] = {"unique_id": event.slug, "start_date": date_object(when.start)}
    if when.end is not None:
        data["end_date"] = date_object(when.end)
    label = display_date(when, site.language)
    if label is not None:
        data["display_date"] = label
    summary = site.summary(event)
    text = (f"<p>{html.escape(summary, quote=False)}</p>" if summary else "") + sources_html(event.sources, site.language)
    data["text"] = {"headline": html.escape(event.title, quote=False), "text": text}
    if event.media is not None:
        m = event.media
        media = {"url": m.url, "caption": m.caption and html.escape(m.caption, quote=False),
                 "credit": m.credit and html.escape(m.credit, quote=False), "alt": m.alt}  # fmt: skip
        data["media"] = {k: v for k, v in media.items() if v is not None}
    if event.tags:
        data["group"] = event.tags[0]
    extra: dict[str, Any] = {
        "actors": [a.text for a in event.actors],
        "tags": list(event.tags),
        "place": event.place,
        "circa": when.circa,
        "sources": [source_data(s) for s in event.sources],
        "summary": summary,
        "url": site.config.base_url + quoted(folder_of(page_path("event", event.slug))),
    }
    if event.order:
        extra["order"] = event.order
    if any(a.role for a in event.actors):  # each actor's role in this event, item n being actor n's ("" for none)
        extra["actor_roles"] = [a.role or "" for a in event.actors]
    extra["status"] = event.status
    extra["claimed_by"] = [ref.text for ref in event.claimed_by]  # as the note names them, like "actors"
    offsets = {k: format_offset(d.offset) for k, d in (("start", when.start), ("end", when.end)) if d is not None and d.offset is not None}
    if offsets:
        extra["utc_offset"] = offsets
    if event.updated is not None:  # the corrections trail, in the order written, so that it survives an import
        extra["updated"] = event.updated.written()
    if event.corrections:
        extra["corrections"] = [{"date": c.date.written(), "text": site.correction_text(c)} for c in event.corrections]
    if event.relative is not None:  # the date as written relative to the first source, which an import writes again
        extra["date_text"] = event.relative.text
    data[EXTRA] = extra
    return data


def era_slide(era: Era) -> dict[str, Any]:
    text = {"headline": html.escape(era.name, quote=False), **({"text": html.escape(era.text, quote=False)} if era.text else {})}
    return {"start_date": date_object(era.start), "end_date": date_object(era.end), "text": text}


def timelinejs_json(site: Site, slides: Iterable[bytes], title: str, text: str = "") -> bytes:
    """A TimelineJS3 document: a title slide, the given slides (each already dumped by ``dump_slide``, in the
    timeline's order) and the site's eras. One slide a line, so the file diffs well and is written without the
    pure-Python indenting encoder."""
    title_slide = {"text": {"headline": html.escape(title, quote=False), "text": html.escape(text, quote=False)}}
    eras = ",\n".join(_dump(era_slide(era)) for era in site.config.eras)
    events = b",\n".join(slides)
    head = f'{{"title":{_dump(title_slide)},\n"events":[\n'.encode()
    return head + events + f'\n],\n"eras":[{eras and chr(10) + eras + chr(10)}]}}\n'.encode()


def dump_slide(site: Site, event: Event) -> str:
    return _dump(slide(site, event))


@dataclass(frozen=True, slots=True)
class Documents:
    """The TimelineJS files of a site: the whole timeline, and one per actor and per tag, each slide made once."""

    site: Site
    _slides: dict[str, bytes] = field(default_factory=dict)  # as UTF-8, which takes half the memory of most str

    def _slide(self, slug: str) -> bytes:
        found = self._slides.get(slug)
        if found is None:
            found = self._slides[slug] = dump_slide(self.site, self.site.timeline.event(slug)).encode()
        return found

    def timeline(self) -> bytes:
        config = self.site.config
        return timelinejs_json(self.site, (self._slide(e.slug) for e in self.site.timeline.events), config.title, config.description)

    def actor(self, actor_id: str) -> bytes:
        timeline = self.site.timeline
        slugs = timeline.actor_events[actor_id]
        return timelinejs_json(self.site, (self._slide(s) for s in slugs), timeline.actors[actor_id].name, self.site.config.title)

    def tag(self, tag: str) -> bytes:
        found = self.site.timeline.tags[tag]
        return timelinejs_json(self.site, (self._slide(s) for s in found.events), found.name, self.site.config.title)


# ---- import: TimelineJS slides as plain values ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One slide of a TimelineJS file (JSON or spreadsheet) as read, not yet checked: what ``importer`` makes a note of."""

    line: int  # where it starts in its file
    kind: str  # "event", "title" or "era"
    start: Mapping[str, Any]  # TimelineJS date fields
    end: Mapping[str, Any] | None
    display_date: str
    headline: str  # HTML
    text: str  # HTML
    media: Mapping[str, str]  # url, caption, credit, alt
    group: str
    unique_id: str
    extra: Mapping[str, Any] | None  # the extra object, when the file was made here


class NotTimelineJS(ValueError):
    """A file that is not a TimelineJS timeline at all; the message says what was expected."""


def _str(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return str(value) if isinstance(value, str | int | float) else ""


def _event_starts(text: str) -> Iterator[int]:
    """The offset at which each element of the top-level "events" list starts (for the line of each slide)."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")

    def skip(at: int) -> int:
        match = ws.match(text, at)
        return match.end() if match else at

    at = skip(0)
    if text[at : at + 1] != "{":
        return
    at = skip(at + 1)
    while at < len(text) and text[at] == '"':
        key, at = decoder.raw_decode(text, at)
        at = skip(skip(at) + 1)  # past the colon
        if key == "events" and text[at : at + 1] == "[":
            at = skip(at + 1)
            while at < len(text) and text[at] != "]":
                yield at
                _, at = decoder.raw_decode(text, at)
                at = skip(at)
                if text[at : at + 1] == ",":
                    at = skip(at + 1)
            return
        _, at = decoder.raw_decode(text, at)
        at = skip(at)
        if text[at : at + 1] == ",":
            at = skip(at + 1)


def read_json(text: str) -> list[Row]:
    """The slides of a TimelineJS3 JSON document, each with the line it starts on; ``NotTimelineJS`` for anything else."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotTimelineJS(f"not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise NotTimelineJS('not a TimelineJS timeline: a TimelineJS JSON file is an object with an "events" list')
    starts = [text.count("\n", 0, at) + 1 for at in _event_starts(text)]
    rows: list[Row] = []
    title = data.get("title")
    if isinstance(title, dict):
        rows.append(_row(title, 1 + text.count("\n", 0, max(text.find('"title"'), 0)), "title"))
    for i, item in enumerate(data["events"]):
        line = starts[i] if i < len(starts) else 1
        rows.append(_row(item if isinstance(item, dict) else {}, line, "event"))
    eras = data.get("eras")
    era_at = text.find('"eras"')
    for item in eras if isinstance(eras, list) else []:
        rows.append(_row(item if isinstance(item, dict) else {}, 1 + text.count("\n", 0, max(era_at, 0)), "era"))
    return rows


def _row(item: Mapping[str, Any], line: int, kind: str) -> Row:
    def mapping(value: Any) -> Mapping[str, Any]:
        return value if isinstance(value, dict) else {}

    text, media, start = mapping(item.get("text")), mapping(item.get("media")), mapping(item.get("start_date"))
    end = mapping(item.get("end_date")) if isinstance(item.get("end_date"), dict) else None
    display = _str(item.get("display_date")) or _str(start.get("display_date"))
    extra = item.get(EXTRA)
    return Row(
        line=line, kind=kind, start=start, end=end if end and any(_str(end.get(k)).strip() for k in DATE_PARTS) else None,
        display_date=display, headline=_str(text.get("headline")), text=_str(text.get("text")),
        media={k: _str(media.get(k)) for k in ("url", "caption", "credit", "alt") if _str(media.get(k)).strip()},
        group=_str(item.get("group")), unique_id=_str(item.get("unique_id")), extra=extra if isinstance(extra, dict) else None,
    )  # fmt: skip
