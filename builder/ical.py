"""The timeline as an iCalendar file (RFC 5545), for calendar applications; the only icalendar user.

Dates keep their precision: a day is an all-day event, a range of days one event spanning them, a month or a
year an all-day event spanning the whole period (its description says the date is known only to the month or
year), a time a date-time: in UTC when the note gives an offset, floating (the reader's own clock) when not.
Calendars hold years 1 to 9999 only, so events outside them are left out, and the build says how many.

Every value comes from the notes, never from the clock, so the same notes make the same file: an event's UID is
its slug at the site's host, and its DTSTAMP is the latest published date of its sources (midnight UTC), or
1970-01-01T00:00:00Z for an event without a dated source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlparse

from .dates import PartialDate, Precision, When, days_in_month
from .i18n import Language
from .records import Event
from .routes import CALENDAR, folder_of, page_path, quoted
from .site import Site

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
PRODID = "-//Timeline Builder//timeline.ics//EN"
LINE_OCTETS = 75

# What the calendar shows of an event: each is one of exports.JSON_FIELDS, so an edit that changes none of those (a
# later paragraph of a body) leaves the calendar as it was, and a build may patch it without making it again.
CALENDAR_FIELDS = frozenset({"title", "when", "place", "summary", "tags", "sources"})


def calendar_file(site: Site, slugs: Sequence[str]) -> bytes:
    """The events of ``slugs`` that a calendar can hold, as one VCALENDAR."""
    from icalendar import vText  # only here: importing icalendar costs a build about 90 ms

    lines = [b"BEGIN:VCALENDAR", b"VERSION:2.0", b"PRODID:" + vText(PRODID).to_ical(), b"CALSCALE:GREGORIAN",
             b"X-WR-CALNAME:" + vText(site.config.title).to_ical()]  # fmt: skip
    timeline = site.timeline
    for slug in slugs:
        event = timeline.event(slug)
        if datable(event.when):
            lines += _vevent(site, event)
    lines.append(b"END:VCALENDAR")
    return b"".join(_fold(line) + b"\r\n" for line in lines)


def datable(when: When) -> bool:
    return when.start.datable and (when.end is None or when.end.datable)


def left_out(site: Site) -> str | None:
    """What the build says of the events the calendar leaves out, or None when it holds every event."""
    events = [e.when for e in site.timeline.events if not datable(e.when)]
    if not events:
        return None
    early = sum(1 for w in events if w.start.year < 1)
    late = len(events) - early
    parts = [f"{n} event{'' if n == 1 else 's'} {where}" for n, where in ((early, "before year 1"), (late, "after year 9999")) if n]
    return f"{CALENDAR} leaves out {' and '.join(parts)}"


def _vevent(site: Site, event: Event) -> list[bytes]:
    """An event's content lines, each value written by icalendar's property types (escaped and formatted as RFC 5545
    says). The lines are put together here rather than by icalendar's components, which take ten times as long
    (about 2.7 s of CPU for 10,000 events, against 0.3 s)."""
    from icalendar import vCategory, vDDDTypes, vText, vUri

    config, timeline = site.config, site.timeline
    host = urlparse(config.base_url).hostname
    lines = [b"BEGIN:VEVENT", b"UID:" + vText(f"{event.slug}@{host}" if host else event.slug).to_ical(),
             b"DTSTAMP:" + vDDDTypes(_stamp(event)).to_ical(), b"SUMMARY:" + vText(event.title).to_ical()]  # fmt: skip
    for name, value in times(event.when):
        kind = b";VALUE=DATE" if type(value) is dt.date else b""
        lines.append(name.upper().encode() + kind + b":" + vDDDTypes(value).to_ical())
    description = "\n\n".join(text for text in (site.summary(event), _precision(event.when, site.language)) if text)
    if description:
        lines.append(b"DESCRIPTION:" + vText(description).to_ical())
    if event.place:
        lines.append(b"LOCATION:" + vText(event.place).to_ical())
    tags = [timeline.tags[t].name for t in timeline.event_tags[event.slug]]
    if tags:
        lines.append(b"CATEGORIES:" + vCategory(tags).to_ical())
    if urlparse(config.base_url).scheme:  # a URL property holds absolute URLs only
        lines.append(b"URL:" + vUri(config.base_url + quoted(folder_of(page_path("event", event.slug)))).to_ical())
    lines.append(b"END:VEVENT")
    return lines


def _fold(line: bytes) -> bytes:
    """A content line folded as RFC 5545 asks: at most 75 octets a line, never inside a UTF-8 character, and (as
    icalendar does, for readers that unfold carelessly) never right after a backslash."""
    if len(line) <= LINE_OCTETS:
        return line
    parts, start, room = [], 0, LINE_OCTETS
    while len(line) - start > room:
        cut = start + room
        while line[cut] & 0xC0 == 0x80:  # a continuation byte: back to the character's first
            cut -= 1
        if line[cut - 1] == 0x5C and cut - 1 > start:
            cut -= 1
        parts.append(line[start:cut])
        start, room = cut, LINE_OCTETS - 1  # a continuation line starts with a space
    parts.append(line[start:])
    return b"\r\n ".join(parts)


def _stamp(event: Event) -> dt.datetime:
    published = [s.published.earliest() for s in event.sources if s.published is not None and s.published.datable]
    return max(published, default=EPOCH)


def times(when: When) -> Sequence[tuple[str, dt.date | dt.timedelta]]:
    """DTSTART and DTEND (or DURATION) of a date at its precision."""
    start, end = when.start, when.end
    if start.precision is Precision.MINUTE and (end is None or _moments_agree(start, end)):
        return [("dtstart", _moment(start))] + ([("dtend", _moment(end))] if end is not None and end != start else [])
    first = dt.date(start.year, start.month or 1, start.day or 1)
    last = _last_day(end or start)
    days = (last - first).days + 1
    if last == dt.date.max:  # the day after 31 December 9999 is not a date: the span is given as a length instead
        return [("dtstart", first), ("duration", dt.timedelta(days=days))]
    return [("dtstart", first), ("dtend", last + dt.timedelta(days=1))]


def _moments_agree(start: PartialDate, end: PartialDate) -> bool:
    """Whether an end can follow a start given to the minute: also to the minute, and both in UTC or both floating
    (RFC 5545 lets DTSTART and DTEND differ in neither)."""
    return end.precision is Precision.MINUTE and (start.offset is None) == (end.offset is None)


def _moment(date: PartialDate) -> dt.datetime:
    if date.offset is not None:
        return date.earliest()  # in UTC
    return dt.datetime(date.year, date.month or 1, date.day or 1, date.hour or 0, date.minute or 0, date.second or 0)


def _last_day(date: PartialDate) -> dt.date:
    """The last day a date may mean, on the calendar it was written in (a time keeps the writer's day)."""
    month = date.month or 12
    return dt.date(date.year, month, date.day or days_in_month(date.year, month))


def _precision(when: When, lang: Language) -> str:
    """A line saying how well the date is known, when a calendar's all-day span or day would claim too much."""
    date, circa = lang.when(when), when.circa
    if when.precision == Precision.YEAR:
        if circa:
            return lang.gettext("Date approximate and known to the year: %(date)s", date=date)
        return lang.gettext("Date known to the year: %(date)s", date=date)
    if when.precision == Precision.MONTH:
        if circa:
            return lang.gettext("Date approximate and known to the month: %(date)s", date=date)
        return lang.gettext("Date known to the month: %(date)s", date=date)
    return lang.gettext("Date approximate: %(date)s", date=date) if circa else ""
